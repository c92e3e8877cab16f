// The rendering benchmark's figures, measured where the drawing happens: how long the first
// data took to reach the screen, and how long each later frame took to draw.

import type { WebviewToHost } from '../../../src/protocol/panel-messages';

type RenderTimingReport = Extract<WebviewToHost, { type: 'renderTiming' }>;

export class RenderTiming {
  private firstDataReceivedAt: number | undefined;
  private firstPaintMs: number | undefined;
  private readonly updateMs: number[] = [];
  private reportWanted = false;
  private reported = false;

  /** A run starts afresh: its first data is timed again. */
  reset(): void {
    this.firstDataReceivedAt = undefined;
    this.firstPaintMs = undefined;
    this.updateMs.length = 0;
    this.reportWanted = false;
    this.reported = false;
  }

  dataReceived(receivedAt: number): void {
    this.firstDataReceivedAt ??= receivedAt;
  }

  frameDrawn(startedAt: number, endedAt: number): void {
    if (this.firstDataReceivedAt === undefined) return;
    if (this.firstPaintMs === undefined) this.firstPaintMs = endedAt - this.firstDataReceivedAt;
    else this.updateMs.push(endedAt - startedAt);
  }

  /** Asks for the report after the next frame, so it covers the last data too; once per run. */
  wantReport(): void {
    this.reportWanted = !this.reported;
  }

  takeReport(points: number): RenderTimingReport | undefined {
    if (!this.reportWanted || this.firstPaintMs === undefined) return undefined;
    this.reportWanted = false;
    this.reported = true;
    return { type: 'renderTiming', firstPaintMs: this.firstPaintMs, updateMs: [...this.updateMs], points };
  }
}
