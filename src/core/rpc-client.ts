/**
 * Tab side of the tab <-> worker RPC (envelopes in src/protocol/rpc.ts) over anything shaped like
 * a MessagePort.
 *
 * - ONE 'message' listener per port (plus the port's 'close' event where the browser fires it).
 * - Every call gets an id and a timeout; a timeout rejects that call with 9520 (NET_WAIT_ACK_TIMEOUT).
 * - Errors cross as data `{code, message, data?}` and are rebuilt as IMError here.
 * - Every pending call is rejected with 9521 (RPC_PORT_CLOSED) when
 *   1. the port is closed locally (`close()`),
 *   2. the engine reports a fatal error (`fail()`; spawn.ts wires the worker's 'error' event to it),
 *   3. the engine is gone. Detection is two-fold:
 *      - the MessagePort 'close' event, which Chromium fires when the entangled port is closed,
 *        garbage-collected or its owner (the worker) died;
 *      - a liveness probe for browsers without that event: when a call times out, one `im:ping`
 *        is sent with a short timeout; if that goes unanswered too, the port counts as dead.
 */
import { ErrorCode } from '../protocol/codes.js';
import { isEnvelope, type RpcEnvelope, type RpcResult } from '../protocol/rpc.js';
import { IMError, fromErrorData } from './errors.js';

type Listener = (event: any) => void;

/** The subset of MessagePort the client needs (a MessagePort, a Worker or a test double). */
export interface RpcEndpoint {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: string, listener: Listener): void;
  removeEventListener(type: string, listener: Listener): void;
  start?(): void;
  close?(): void;
}

export interface RpcClientOptions {
  /** Default per-call timeout in ms. */
  timeoutMs?: number;
  /** Timeout of the liveness probe sent after a call timed out; 0 disables the probe. */
  probeTimeoutMs?: number;
}

export interface CallOptions {
  timeoutMs?: number;
  transfer?: Transferable[];
}

export type RpcEventHandler = (method: string, payload: unknown) => void;
export type RpcCloseHandler = (error: IMError, local: boolean) => void;

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: IMError) => void;
  timer: ReturnType<typeof setTimeout>;
}

export const PING_METHOD = 'im:ping';

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventHandlers = new Set<RpcEventHandler>();
  private readonly closeHandlers = new Set<RpcCloseHandler>();
  private closedWith: IMError | null = null;
  private probing = false;
  private readonly timeoutMs: number;
  private readonly probeTimeoutMs: number;

  constructor(
    private readonly port: RpcEndpoint,
    options: RpcClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 3_000;
    port.addEventListener('message', this.onMessage);
    port.addEventListener('close', this.onPortClose);
    port.start?.();
  }

  get closed(): boolean {
    return this.closedWith !== null;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Send a request and wait for its response. */
  call<T = unknown>(method: string, payload: unknown = {}, options: CallOptions = {}): Promise<T> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.timeoutMs;
      const timer = setTimeout(() => this.onTimeout(id), timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      const envelope: RpcEnvelope = { id, kind: 'request', method, payload };
      try {
        this.port.postMessage(envelope, options.transfer ?? []);
      } catch (err) {
        this.settle(id, {
          ok: false,
          error: { code: ErrorCode.INVALID_PARAMETERS, message: errorText(err) },
        });
      }
    });
  }

  /** Fire-and-forget request (its response, if any, is ignored). */
  notify(method: string, payload: unknown = {}): void {
    if (this.closedWith) return;
    const envelope: RpcEnvelope = { id: this.nextId++, kind: 'request', method, payload };
    try {
      this.port.postMessage(envelope);
    } catch {
      // the port is going away; nothing to report for a notification
    }
  }

  /** Subscribe to events from the engine; returns the unsubscribe function. */
  onEvent(handler: RpcEventHandler): () => void {
    this.eventHandlers.add(handler);
    return () => this.eventHandlers.delete(handler);
  }

  /** Subscribe to the end of this port (local close, failure or engine gone). */
  onClose(handler: RpcCloseHandler): () => void {
    this.closeHandlers.add(handler);
    return () => this.closeHandlers.delete(handler);
  }

  /** Close the port from this side: every pending call rejects with 9521. */
  close(message = 'The connection to the IM engine was closed'): void {
    this.shutdown(new IMError(ErrorCode.RPC_PORT_CLOSED, message), true);
  }

  /** The engine reported a fatal error or is known to be gone: reject everything with 9521. */
  fail(message = 'The IM engine is gone'): void {
    this.shutdown(new IMError(ErrorCode.RPC_PORT_CLOSED, message), false);
  }

  private shutdown(error: IMError, local: boolean): void {
    if (this.closedWith) return;
    this.closedWith = error;
    this.port.removeEventListener('message', this.onMessage);
    this.port.removeEventListener('close', this.onPortClose);
    try {
      this.port.close?.();
    } catch {
      // already closed
    }
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    for (const handler of [...this.closeHandlers]) {
      try {
        handler(error, local);
      } catch (err) {
        console.error('[imkit] close handler failed', err);
      }
    }
    this.eventHandlers.clear();
    this.closeHandlers.clear();
  }

  private readonly onMessage = (event: MessageEvent): void => {
    const data: unknown = event.data;
    if (!isEnvelope(data)) return;
    if (data.kind === 'response') {
      this.settle(data.id, data.payload as RpcResult);
    } else if (data.kind === 'event') {
      for (const handler of [...this.eventHandlers]) {
        try {
          handler(data.method, data.payload);
        } catch (err) {
          console.error(`[imkit] handler for ${data.method} failed`, err);
        }
      }
    }
  };

  private readonly onPortClose = (): void => {
    this.fail('The IM engine closed the port');
  };

  private settle(id: number, result: RpcResult | undefined): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (result && typeof result === 'object' && result.ok === true) p.resolve(result.value);
    else p.reject(fromErrorData(result && typeof result === 'object' ? result.error : result));
  }

  private onTimeout(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.reject(new IMError(ErrorCode.NET_WAIT_ACK_TIMEOUT, `${p.method} timed out`));
    if (p.method !== PING_METHOD) void this.probe();
  }

  /** After a timeout: is anyone still there? If not, fail every pending call with 9521. */
  private async probe(): Promise<void> {
    if (this.probing || this.probeTimeoutMs <= 0 || this.closedWith) return;
    this.probing = true;
    try {
      await this.call(PING_METHOD, {}, { timeoutMs: this.probeTimeoutMs });
    } catch (err) {
      if (err instanceof IMError && err.code === ErrorCode.NET_WAIT_ACK_TIMEOUT) {
        this.fail('The IM engine does not answer');
      }
    } finally {
      this.probing = false;
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
