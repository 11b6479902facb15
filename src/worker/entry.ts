/**
 * Wires a worker global scope to a Host. In a SharedWorker every `connect` port goes to the host
 * (a tab's RPC port, or a bridge's control port that forwards tab ports with `imkit:connect`). In a
 * dedicated Worker the page hands ports over with `{type: 'imkit:connect'}` messages.
 */
import { Host } from './host.js';
import { isConnectMessage } from './port-peer.js';

interface WorkerScope {
  addEventListener(type: string, listener: (event: any) => void): void;
}

export function installWorkerEntry(scope: WorkerScope, host = new Host()): Host {
  const isShared =
    typeof (globalThis as { SharedWorkerGlobalScope?: unknown }).SharedWorkerGlobalScope ===
      'function' &&
    scope instanceof
      (globalThis as unknown as { SharedWorkerGlobalScope: new () => object })
        .SharedWorkerGlobalScope;
  if (isShared) {
    scope.addEventListener('connect', (event: MessageEvent) => {
      const port = event.ports[0];
      if (port) host.connect(port);
    });
  } else {
    scope.addEventListener('message', (event: MessageEvent) => {
      const port = event.ports?.[0];
      const lockName = (event.data as { lockName?: unknown } | null)?.lockName;
      if (isConnectMessage(event.data) && port) {
        host.connect(port, typeof lockName === 'string' ? lockName : undefined);
      }
    });
  }
  return host;
}
