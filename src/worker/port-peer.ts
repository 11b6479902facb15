/**
 * Worker side of the tab <-> worker RPC: one PortPeer per attached port (one per tab, usually).
 * It owns the port's single 'message' listener, answers requests through a handler, posts events,
 * and notices the tab going away three ways: an explicit goodbye (handled by the host), the
 * MessagePort 'close' event where the browser fires it, and the tab's Web Lock becoming free.
 */
import { isEnvelope, type RpcEnvelope, type RpcResult } from '../protocol/rpc.js';
import { toErrorData } from '../core/errors.js';

type Listener = (event: any) => void;

export interface PeerPort {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: string, listener: Listener): void;
  removeEventListener(type: string, listener: Listener): void;
  start?(): void;
  close?(): void;
}

/** `{type: 'imkit:connect'}` with a transferred port: the bridge or a tab handing over a port. */
export const CONNECT_MESSAGE_TYPE = 'imkit:connect';

export function isConnectMessage(data: unknown): boolean {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { type?: unknown }).type === CONNECT_MESSAGE_TYPE
  );
}

export interface PeerHooks {
  request(peer: PortPeer, method: string, payload: unknown): unknown;
  /**
   * A port arrived over this port (`imkit:connect`), optionally with the name of a Web Lock held
   * for it by whoever forwarded it (the bridge: a cross-origin tab's own locks live in another
   * scope than this worker's).
   */
  connect?(port: MessagePort, lockName?: string): void;
  /** The tab behind this port is gone (close event or lock released). */
  gone(peer: PortPeer): void;
}

let nextPeerID = 1;

export class PortPeer {
  readonly id = nextPeerID++;
  tabID = '';
  /** Set once this port's `login` was accepted; only such peers get events and data. */
  authorized = false;
  /** Key of the engine this peer is attached to. */
  engineKey: string | null = null;
  private closed = false;
  private lockWatch: AbortController | null = null;

  constructor(
    private readonly port: PeerPort,
    private readonly hooks: PeerHooks,
  ) {
    port.addEventListener('message', this.onMessage);
    port.addEventListener('close', this.onClose);
    port.start?.();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Post an event to this tab. */
  emit(method: string, payload: unknown): void {
    this.post({ id: 0, kind: 'event', method, payload });
  }

  /**
   * Wait on the tab's Web Lock: the tab holds it for its whole life, so getting it means the tab
   * is gone. The tab takes the lock before sending `attach`. A lock this worker cannot see held
   * (another lock scope, e.g. storage partitioning) is not watched: it would look free at once.
   */
  watchLock(lockName: string): void {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (!locks || this.lockWatch || this.closed) return;
    const controller = new AbortController();
    this.lockWatch = controller;
    void locks
      .query()
      .then((snapshot) => {
        if (controller.signal.aborted) return;
        if (!(snapshot.held ?? []).some((lock) => lock.name === lockName)) {
          console.warn(`[imkit] lock ${lockName} is not visible from the engine; not watching it`);
          return;
        }
        return locks.request(lockName, { signal: controller.signal }, () => {
          if (!this.closed) this.hooks.gone(this);
        });
      })
      .catch(() => {
        // aborted because the peer detached normally
      });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lockWatch?.abort();
    this.lockWatch = null;
    this.port.removeEventListener('message', this.onMessage);
    this.port.removeEventListener('close', this.onClose);
    try {
      this.port.close?.();
    } catch {
      // already closed
    }
  }

  private post(envelope: RpcEnvelope): void {
    if (this.closed) return;
    try {
      this.port.postMessage(envelope);
    } catch (err) {
      console.error('[imkit] could not post to a tab', err);
    }
  }

  private readonly onClose = (): void => {
    if (!this.closed) this.hooks.gone(this);
  };

  private readonly onMessage = (event: MessageEvent): void => {
    const data: unknown = event.data;
    if (isConnectMessage(data)) {
      const port = event.ports?.[0];
      const lockName = (data as { lockName?: unknown }).lockName;
      if (port && this.hooks.connect) {
        this.hooks.connect(
          port,
          typeof lockName === 'string' && lockName.length <= 200 ? lockName : undefined,
        );
      }
      return;
    }
    if (!isEnvelope(data) || data.kind !== 'request') return;
    void this.handle(data);
  };

  private async handle(request: RpcEnvelope): Promise<void> {
    let result: RpcResult;
    try {
      const value = await this.hooks.request(this, request.method, request.payload);
      result = { ok: true, value: value === undefined ? null : value };
    } catch (err) {
      result = { ok: false, error: toErrorData(err) };
    }
    this.post({ id: request.id, kind: 'response', method: request.method, payload: result });
  }
}
