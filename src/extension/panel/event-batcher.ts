// Trainer events reach the panel in batches: at most one message per interval (100 ms, so at
// most ~10 a second), each carrying every event since the last. A fast trainer then cannot
// flood the webview, and a slow one is still shown within a tenth of a second.

export class EventBatcher<T> {
  private pending: T[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: (batch: T[]) => void,
    private readonly intervalMs = 100,
  ) {}

  add(item: T): void {
    this.pending.push(item);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends what is pending now (e.g. before a run's last event is shown). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.send(batch);
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.pending = [];
  }
}
