/**
 * Noticing that the engine went away, and waiting until the client is back on one (client-core.ts).
 *
 * The MessagePort to a worker says nothing when the worker dies (Chromium fires no `close` for a
 * terminated SharedWorker or dedicated Worker), so the engine holds a Web Lock for its life and
 * names it in the login answer (`engineLock`). The tab waits on that lock: once it comes free the
 * engine was disposed or its worker died, and if the engine no longer answers a ping the port is
 * failed (9521), which makes the client attach to a new engine and log in again.
 */
import { watchLock } from './lease.js';
import type { RpcClient } from './rpc-client.js';

/** After the engine's life lock came free: how long a ping may take before the port is dead. */
const ENGINE_PING_TIMEOUT_MS = 2_000;

/** Wait on `lockName` for `rpc`'s engine; abort the returned controller to stop. */
export function watchEngine(rpc: RpcClient, lockName: string | null | undefined) {
  if (!lockName) return null;
  const watch = new AbortController();
  watchLock(lockName, watch.signal, () => {
    if (rpc.closed) return;
    rpc
      .call('im:ping', {}, { timeoutMs: ENGINE_PING_TIMEOUT_MS })
      .catch(() => rpc.fail('The IM engine is gone'));
  });
  return watch;
}

/** Callers waiting for the next accepted login (after the engine was lost). */
export class LoginWaiters {
  private readonly waiters = new Set<(ok: boolean) => void>();

  /** Resolves true at the next `settle(true)`, false at `settle(false)` or after `timeoutMs`. */
  wait(timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(ok);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(done);
    });
  }

  settle(ok: boolean): void {
    for (const done of [...this.waiters]) done(ok);
  }
}
