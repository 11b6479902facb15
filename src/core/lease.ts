/**
 * A tab's Web Locks lease: the tab holds an exclusive lock for as long as it is attached; the
 * worker requests the same lock and, when it is granted, knows the tab is gone (closed, crashed or
 * navigated away) and frees its port. Where Web Locks do not exist there is no lease and the
 * worker relies on the goodbye sent on `pagehide` and the MessagePort 'close' event.
 */
let counter = 0;

export class TabLease {
  private constructor(
    readonly name: string,
    private readonly releaseFn: () => void,
  ) {}

  /** Take a fresh lock and resolve once it is held (so the worker never sees it free by mistake). */
  static async acquire(tabID: string): Promise<TabLease | null> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (!locks) return null;
    const name = `imkit-tab:${tabID}:${++counter}`;
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const granted = await new Promise<boolean>((resolve) => {
      locks
        .request(name, () => {
          resolve(true);
          return held;
        })
        .catch(() => resolve(false));
    });
    return granted ? new TabLease(name, release) : null;
  }

  release(): void {
    this.releaseFn();
  }
}

/**
 * Wait on a Web Lock someone else holds (the engine's life lock) and call `onFree` once it comes
 * free. A lock this context cannot see held (another lock scope, e.g. a worker of another origin
 * behind the bridge) is not watched: it would look free at once. Abort `signal` to stop.
 */
export function watchLock(name: string, signal: AbortSignal, onFree: () => void): void {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return;
  void locks
    .query()
    .then((snapshot) => {
      if (signal.aborted || !(snapshot.held ?? []).some((lock) => lock.name === name)) return;
      return locks.request(name, { signal }, () => {
        if (!signal.aborted) onFree();
      });
    })
    .catch(() => {
      // aborted: the tab left this engine
    });
}
