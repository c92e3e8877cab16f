// The run side of the panel: header and charts. Its one update function takes the host's `run`
// messages: `reset` first clears everything, then the events are added and a frame is asked for.

import type { HostToWebview, RunHeader } from '../../../src/protocol/panel-messages';
import { createCharts } from './charts';
import { element } from '../shared/dom';
import { RenderTiming } from './render-timing';
import { createRunHeader } from './run-header';
import { RunData } from './run-data';
import { postToHost } from '../shared/vscode-api';

type RunMessage = Extract<HostToWebview, { type: 'run' }>;

/** The run the rendering benchmark sends; when it completes, the panel reports its timing. */
const BENCHMARK_RUN_ID = 'benchmark';

export interface RunView {
  readonly element: HTMLElement;
  readonly updateRun: (message: RunMessage, receivedAt: number) => void;
}

export function createRunView(): RunView {
  const data = new RunData();
  const timing = new RenderTiming();
  const header = createRunHeader();
  let lastHeader: RunHeader | undefined;
  const charts = createCharts(data, (startedAt, endedAt) => {
    timing.frameDrawn(startedAt, endedAt);
    const report = timing.takeReport(data.totalLossPoints());
    if (report) postToHost(report);
  });
  charts.showCounts();

  return {
    element: element('div', { className: 'run' }, header.element, charts.element),
    updateRun: (message, receivedAt) => {
      if (message.reset) {
        data.clear();
        timing.reset();
        charts.resetZoom();
        lastHeader = undefined;
      }
      for (const event of message.events) data.add(event);
      if (message.events.length > 0) timing.dataReceived(receivedAt);
      lastHeader = message.header ?? lastHeader;
      if (message.header?.runId === BENCHMARK_RUN_ID && message.header.status === 'completed') timing.wantReport();
      header.update(lastHeader, data.warnings, message.viewing);
      charts.showCounts();
      charts.requestDraw();
    },
  };
}
