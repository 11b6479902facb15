/**
 * The bridge's whole logic, separate from its entry so tests can run it with another worker URL.
 * Listens for `{type: 'imkit:connect', config}` messages carrying a MessagePort and hands each port
 * to the engine for `config`, started from this document's origin.
 *
 * Web Locks are scoped like storage, so the page's own lease is invisible to a worker of this
 * origin: the bridge holds one lease per port instead (alive as long as this iframe, i.e. the page)
 * and names it in the hand-over; the engine frees the port when that lock becomes free.
 */
import { TabLease } from '../core/lease.js';
import { handOver, type SpawnMode } from '../core/spawn.js';
import type { EngineConfig } from '../protocol/rpc.js';

export function parseBridgeConfig(value: unknown): EngineConfig | null {
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Record<string, unknown>;
  if (typeof c.server !== 'string' || typeof c.userID !== 'string') return null;
  if (typeof c.SDKAppID !== 'number' || !Number.isInteger(c.SDKAppID) || c.SDKAppID <= 0)
    return null;
  if (!c.server || !c.userID || c.userID.length > 32 || c.server.length > 2048) return null;
  return { server: c.server, SDKAppID: c.SDKAppID, userID: c.userID };
}

export function installBridge(target: Window, workerURL: URL, mode: SpawnMode = 'auto'): void {
  target.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as { type?: unknown; config?: unknown } | null;
    if (!data || data.type !== 'imkit:connect') return;
    const port = event.ports[0];
    if (!port) return;
    const config = parseBridgeConfig(data.config);
    if (!config) {
      port.close();
      return;
    }
    const id = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
    TabLease.acquire(`bridge-${id}`)
      .then((lease) => handOver(config, port, workerURL, mode, lease?.name))
      .catch((err: unknown) => {
        console.error('[imkit] the bridge could not reach the engine', err);
        port.close();
      });
  });
}
