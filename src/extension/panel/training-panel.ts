// The training panel's host side: a webview with a nonce CSP whose only resources come from
// media/, a handshake (the webview says `initialized`, the host sends nothing before), every
// incoming message validated, and trainer events batched to it. Messages sent before the
// handshake wait in a queue. retainContextWhenHidden is off: when the panel is shown again or
// VS Code reloads, the webview asks and the host resends.

import * as vscode from 'vscode';
import { parseWebviewToHost, type HostToWebview, type WebviewToHost } from '../../protocol/panel-messages';
import type { TrainerEvent } from '../../protocol/trainer-events';
import { RunHeaderTracker } from '../../protocol/run-header';
import { Disposable } from '../disposable';
import { webviewHtml } from '../webview-page';
import { EventBatcher } from './event-batcher';

export const PANEL_VIEW_TYPE = 'thaw.panel';

export interface PanelHost {
  /** A validated message from the webview (other than the handshake). */
  onMessage(message: Exclude<WebviewToHost, { type: 'initialized' | 'backToLive' }>): void;
  /** The selected phase as the panel shows it, or undefined when there is no experiment. */
  setup(): Extract<HostToWebview, { type: 'setup' }> | undefined;
  /** The newest run's events, read from its folder, for a panel that comes back after a reload. */
  history(): Promise<TrainerEvent[]>;
}

export class TrainingPanel extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private events: TrainerEvent[] = [];
  private header = new RunHeaderTracker();
  /** A recorded run opened from the Runs view, shown instead of the live one. */
  private viewed: { readonly runId: string; readonly events: TrainerEvent[]; readonly header: RunHeaderTracker } | undefined;
  /** What was sent before the webview's `initialized`: sent right after it, in order. */
  private queued: HostToWebview[] = [];
  private readonly batcher = this.track(new EventBatcher<TrainerEvent>((batch) => this.post({ type: 'run', reset: false, header: this.header.current, events: batch })));
  /** The listeners of the current webview panel; replaced when another panel is attached. */
  private panelListeners: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: PanelHost,
    private readonly output: vscode.OutputChannel,
  ) {
    super();
    this.track({ dispose: () => this.detach() });
  }

  /** Opens the panel, or brings it to the front. */
  show(): void {
    if (this.panel !== undefined) {
      this.panel.reveal();
      return;
    }
    this.attach(vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Thaw Training', vscode.ViewColumn.Active, this.options()));
  }

  /** A panel VS Code restored after a reload (registerWebviewPanelSerializer). */
  restore(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    panel.webview.options = this.options();
    this.attach(panel);
  }

  /** A trainer event of the current run; a run-start begins a new chart. */
  addEvent(event: TrainerEvent): void {
    if (event.type === 'run-start') {
      this.batcher.flush();
      this.startRun([event]);
      if (this.viewed === undefined) this.post({ type: 'run', reset: true, header: this.header.current, events: [event] });
      return;
    }
    this.events.push(event);
    this.header.add(event);
    // Before the handshake the events wait in this.events: the webview gets them all at once
    // then. While a recorded run is shown, the live one keeps them for "Back to Live".
    if (!this.ready || this.viewed !== undefined) return;
    this.batcher.add(event);
    if (event.type === 'run-end') this.batcher.flush();
  }

  /** Shows a recorded run (opened from the Runs view) instead of the live one, until "Back to Live". */
  showRecordedRun(runId: string, events: readonly TrainerEvent[]): void {
    const header = new RunHeaderTracker();
    events.forEach((event) => header.add(event));
    this.viewed = { runId, events: [...events], header };
    this.show();
    this.post(this.runMessage());
  }

  /** The webview asked to leave the recorded run. */
  backToLive(): void {
    this.viewed = undefined;
    this.post(this.runMessage());
  }

  /** The whole run the panel shows: the recorded one when one is open, else the live one. */
  private runMessage(): HostToWebview {
    const viewed = this.viewed;
    if (viewed !== undefined) return { type: 'run', reset: true, header: viewed.header.current, events: viewed.events, viewing: viewed.runId };
    return { type: 'run', reset: true, header: this.header.current, events: this.events };
  }

  /** Sends the freeze state again (after any change in the Model view or the panel). */
  sendSetup(): void {
    const setup = this.host.setup();
    if (setup !== undefined) this.post(setup);
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.detach();
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'thaw.svg');
    panel.webview.html = this.html(panel.webview);
    this.panelListeners.push(
      panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
      // Hidden and shown again: the webview was discarded and starts over with a handshake.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
      }),
    );
  }

  private async receive(message: unknown): Promise<void> {
    const parsed = parseWebviewToHost(message);
    if (!parsed.ok) {
      this.output.appendLine(`[thaw] ignored an invalid message from the training panel: ${parsed.error}`);
      return;
    }
    const value = parsed.value;
    if (value.type === 'backToLive') return this.backToLive();
    if (value.type !== 'initialized') {
      this.host.onMessage(value);
      return;
    }
    if (this.events.length === 0) this.startRun(await this.host.history());
    this.ready = true;
    const queued = this.queued;
    this.queued = [];
    // Every run message is carried by the reset below; the rest is sent as it was queued.
    queued.filter((message) => message.type !== 'run').forEach((message) => this.post(message));
    this.sendSetup();
    this.post(this.runMessage());
  }

  /** Begins holding a run's events (a new run, or one read back from its folder). */
  private startRun(events: TrainerEvent[]): void {
    this.events = events;
    this.header = new RunHeaderTracker();
    events.forEach((event) => this.header.add(event));
  }

  private post(message: HostToWebview): void {
    if (this.panel === undefined) return;
    if (this.ready) void this.panel.webview.postMessage(message);
    else this.queued.push(message);
  }

  private html(webview: vscode.Webview): string {
    return webviewHtml(webview, this.extensionUri, { title: 'Thaw Training', styles: ['uplot.css', 'panel.css'], script: 'panel.js' });
  }

  private detach(): void {
    this.panelListeners.forEach((listener) => void listener.dispose());
    this.panelListeners = [];
    this.queued = [];
    this.panel?.dispose();
  }
}
