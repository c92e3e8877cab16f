// The one way the host owns things (vscode-dvc's class/dispose.ts): everything created is
// tracked, and disposing releases it in reverse order of creation, so a part is never left
// using one that is already gone.

type Releasable = { dispose(): unknown };

export class Disposable {
  private readonly owned: Releasable[] = [];
  private disposed = false;

  /** Takes `item` into this object's care; returns it. */
  protected track<T extends Releasable>(item: T): T {
    this.owned.push(item);
    return item;
  }

  /** Releases everything tracked, newest first; waits for those that release asynchronously. */
  dispose(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.disposed = true;
    const pending: Promise<unknown>[] = [];
    for (const item of this.owned.splice(0).reverse()) {
      const result = item.dispose();
      if (result instanceof Promise) pending.push(result.catch(() => undefined));
    }
    return Promise.all(pending).then(() => undefined);
  }
}
