/**
 * The one WebSocket of an engine, as a three-state machine:
 *
 *   disconnected --start()/backoff timer--> connecting --login answered--> connected
 *        ^                                      |                              |
 *        +------------ socket closed / ping or connect timeout ---------------+
 *
 * - `connected` means the socket is open AND the server accepted `login`.
 * - Every state change goes through `setState` (one NET_STATE_CHANGE per change upstream).
 * - Reconnects use full-jitter exponential backoff: delay = random() * min(cap, base * 2^attempt).
 * - An application-level `ping` every 25 s; no answer within 10 s closes the socket and reconnects.
 * - Close codes 4000-4499 (kicked, auth, logged out; see `shouldReconnect`) stop for good; so does a
 *   login answered with a UserSig/parameter/protocol error.
 * - Requests made while not connected wait in a bounded queue (each keeps its own timeout) and are
 *   sent after the next login; requests in flight when the socket drops reject with 9508.
 */
import { CloseCode, ErrorCode, shouldReconnect } from '../protocol/codes.js';
import type { NetState } from '../protocol/constants.js';
import type { LoginResult, OpInput, PushFrame, ServerFrame } from '../protocol/wire.js';
import { IMError } from '../core/errors.js';
import { parseServerFrame } from './frames.js';

export type ConnState = NetState;

/** The part of WebSocket the connection uses; tests inject a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: any) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export interface ConnectionOptions {
  url: string;
  socketFactory?: SocketFactory;
  baseDelayMs?: number;
  maxDelayMs?: number;
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** From socket creation to the login answer. */
  connectTimeoutMs?: number;
  queueLimit?: number;
  random?: () => number;
}

export interface StopInfo {
  code: number;
  reason: string;
}

export interface ConnectionHooks {
  loginData(): OpInput<'login'>;
  onStateChange?(state: ConnState, previous: ConnState): void;
  onLoggedIn?(result: LoginResult): void;
  /** Login answered with an error; `fatal` means no reconnect follows. */
  onLoginFailed?(error: IMError, fatal: boolean): void;
  /** A connect attempt ended before login was answered (server unreachable, dropped, timed out). */
  onAttemptFailed?(reason: string): void;
  onPush?(frame: PushFrame): void;
  /** The connection gave up for good (close code 4000-4499, fatal login error). Not after stop(). */
  onStopped?(info: StopInfo): void;
}

interface Request {
  op: string;
  data: unknown;
  resolve: (value: unknown) => void;
  reject: (error: IMError) => void;
  timer: ReturnType<typeof setTimeout>;
}

const FATAL_LOGIN_CODES = new Set<number>([
  ErrorCode.INVALID_PARAMETERS,
  ErrorCode.INVALID_PARAMETER,
  ErrorCode.INVALID_IDENTIFIER,
  ErrorCode.USER_SIG_EXPIRED_CLIENT,
  ErrorCode.PROTOCOL_UNSUPPORTED,
  ErrorCode.ACCOUNT_NOT_FOUND,
]);

export function isFatalLoginError(code: number): boolean {
  return FATAL_LOGIN_CODES.has(code) || (code >= 70000 && code < 80000);
}

const OPEN = 1;

export class Connection {
  private currentState: ConnState = 'disconnected';
  private socket: SocketLike | null = null;
  private running = false;
  private attempt = 0;
  private nextID = 1;
  private loginID = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private readonly inflight = new Map<number, Request>();
  private queue: Request[] = [];
  private readonly o: Required<Omit<ConnectionOptions, 'socketFactory'>> & {
    socketFactory: SocketFactory;
  };
  /** Delays chosen for reconnects, newest last (for tests and diagnostics). */
  readonly backoffHistory: number[] = [];

  constructor(
    options: ConnectionOptions,
    private readonly hooks: ConnectionHooks,
  ) {
    this.o = {
      url: options.url,
      socketFactory:
        options.socketFactory ?? ((url: string) => new WebSocket(url) as unknown as SocketLike),
      baseDelayMs: options.baseDelayMs ?? 500,
      maxDelayMs: options.maxDelayMs ?? 30_000,
      pingIntervalMs: options.pingIntervalMs ?? 25_000,
      pingTimeoutMs: options.pingTimeoutMs ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      queueLimit: options.queueLimit ?? 100,
      random: options.random ?? Math.random,
    };
  }

  get state(): ConnState {
    return this.currentState;
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.connect();
  }

  /** Stop for good (logout, engine disposed): close the socket, reject everything with 9508. */
  stop(code = 1000, reason = 'client stop'): void {
    this.running = false;
    this.clearTimers();
    this.detachSocket(code, reason);
    this.rejectInflight('The connection was stopped');
    this.rejectQueue('The connection was stopped');
    this.setState('disconnected');
  }

  /** Skip the backoff wait (e.g. the browser came back online). */
  reconnectNow(): void {
    if (!this.running || this.socket) return;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.connect();
  }

  /** Drop the current socket as if the network failed; a reconnect follows. */
  drop(reason = 'dropped by client'): void {
    if (!this.socket) return;
    this.detachSocket(4000, reason);
    this.onSocketGone(1006, reason);
  }

  request<T = unknown>(
    op: string,
    data: unknown = {},
    timeoutMs = this.o.requestTimeoutMs,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (!this.running) {
        reject(new IMError(ErrorCode.NET_DISCONNECTED, 'Not connected to the IM server'));
        return;
      }
      const req: Request = {
        op,
        data,
        resolve: resolve as (v: unknown) => void,
        reject,
        timer: setTimeout(() => this.onRequestTimeout(req), timeoutMs),
      };
      if (this.currentState === 'connected' && this.socket) {
        this.send(req);
      } else if (this.queue.length >= this.o.queueLimit) {
        clearTimeout(req.timer);
        reject(
          new IMError(ErrorCode.NET_DISCONNECTED, 'Too many requests waiting for the connection'),
        );
      } else {
        this.queue.push(req);
      }
    });
  }

  private setState(next: ConnState): void {
    const previous = this.currentState;
    if (previous === next) return;
    this.currentState = next;
    this.hooks.onStateChange?.(next, previous);
  }

  private connect(): void {
    this.reconnectTimer = null;
    if (!this.running) return;
    this.setState('connecting');
    let socket: SocketLike;
    try {
      socket = this.o.socketFactory(this.o.url);
    } catch (err) {
      this.onSocketGone(1006, err instanceof Error ? err.message : 'socket creation failed');
      return;
    }
    this.socket = socket;
    this.connectTimer = setTimeout(() => this.drop('connect timeout'), this.o.connectTimeoutMs);
    socket.onopen = () => this.sendLogin();
    socket.onmessage = (event) => this.onFrame(event.data);
    socket.onerror = () => {
      // a close event follows; nothing to do here
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearSocketHandlers(socket);
      this.onSocketGone(event.code, event.reason);
    };
  }

  private sendLogin(): void {
    if (!this.socket) return;
    this.loginID = this.nextID++;
    this.sendRaw({ id: this.loginID, op: 'login', data: this.hooks.loginData() });
  }

  private send(req: Request): void {
    const id = this.nextID++;
    this.inflight.set(id, req);
    this.sendRaw({ id, op: req.op, data: req.data });
  }

  private sendRaw(frame: unknown): void {
    try {
      this.socket?.send(JSON.stringify(frame));
    } catch (err) {
      console.warn('[imkit] send failed', err);
    }
  }

  private onFrame(raw: unknown): void {
    const parsed = parseServerFrame(raw);
    if (!parsed.ok) {
      console.warn(`[imkit] ignored a server frame: ${parsed.reason}`);
      return;
    }
    const frame: ServerFrame = parsed.frame;
    if ('push' in frame) {
      if (this.currentState === 'connected') this.hooks.onPush?.(frame);
      return;
    }
    if (frame.id === this.loginID && this.loginID !== 0) {
      this.loginID = 0;
      this.onLoginAnswer(frame);
      return;
    }
    const req = this.inflight.get(frame.id);
    if (!req) return;
    this.inflight.delete(frame.id);
    clearTimeout(req.timer);
    if (frame.code === 0) req.resolve((frame as { data?: unknown }).data ?? {});
    else {
      const f = frame as { code: number; message?: string; data?: unknown };
      req.reject(new IMError(f.code, f.message ?? `Error ${f.code}`, f.data));
    }
  }

  private onLoginAnswer(frame: ServerFrame & { id: number; code: number }): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    if (frame.code !== 0) {
      const f = frame as { code: number; message?: string };
      const error = new IMError(f.code, f.message ?? `Login failed (${f.code})`);
      const fatal = isFatalLoginError(f.code);
      this.hooks.onLoginFailed?.(error, fatal);
      if (fatal) {
        this.giveUp({ code: CloseCode.AUTH_FAILED, reason: error.message });
      } else {
        this.drop(`login failed: ${error.message}`);
      }
      return;
    }
    this.attempt = 0;
    this.setState('connected');
    this.startPing();
    this.hooks.onLoggedIn?.((frame as { data: LoginResult }).data);
    const queued = this.queue;
    this.queue = [];
    for (const req of queued) this.send(req);
  }

  /** The socket is gone (closed by the server, the network or us). */
  private onSocketGone(code: number, reason: string): void {
    const wasConnected = this.currentState === 'connected';
    this.stopPing();
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    this.loginID = 0;
    this.rejectInflight(`Connection lost (${code}${reason ? `: ${reason}` : ''})`);
    if (!this.running) return;
    if (!wasConnected) this.hooks.onAttemptFailed?.(reason || `closed (${code})`);
    if (!shouldReconnect(code)) {
      this.giveUp({ code, reason });
      return;
    }
    this.setState('disconnected');
    this.scheduleReconnect();
  }

  private giveUp(info: StopInfo): void {
    this.running = false;
    this.clearTimers();
    this.detachSocket(1000, info.reason);
    this.rejectInflight('The connection was closed by the server');
    this.rejectQueue('The connection was closed by the server');
    this.setState('disconnected');
    this.hooks.onStopped?.(info);
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const ceiling = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** this.attempt);
    const delay = Math.floor(this.o.random() * ceiling);
    this.attempt = Math.min(this.attempt + 1, 30);
    this.backoffHistory.push(delay);
    if (this.backoffHistory.length > 50) this.backoffHistory.shift();
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private startPing(): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      const socket = this.socket;
      this.request('ping', {}, this.o.pingTimeoutMs).catch((err: unknown) => {
        if (
          err instanceof IMError &&
          err.code === ErrorCode.NET_WAIT_ACK_TIMEOUT &&
          this.socket === socket
        ) {
          this.drop('ping timeout');
        }
      });
    }, this.o.pingIntervalMs);
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private onRequestTimeout(req: Request): void {
    for (const [id, r] of this.inflight) {
      if (r === req) this.inflight.delete(id);
    }
    this.queue = this.queue.filter((r) => r !== req);
    req.reject(new IMError(ErrorCode.NET_WAIT_ACK_TIMEOUT, `${req.op} timed out`));
  }

  private rejectInflight(message: string): void {
    const list = [...this.inflight.values()];
    this.inflight.clear();
    for (const req of list) {
      clearTimeout(req.timer);
      req.reject(new IMError(ErrorCode.NET_DISCONNECTED, message));
    }
  }

  private rejectQueue(message: string): void {
    const list = this.queue;
    this.queue = [];
    for (const req of list) {
      clearTimeout(req.timer);
      req.reject(new IMError(ErrorCode.NET_DISCONNECTED, message));
    }
  }

  private detachSocket(code: number, reason: string): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    this.clearSocketHandlers(socket);
    try {
      if (socket.readyState <= OPEN) socket.close(code, reason.slice(0, 100));
    } catch {
      // closing a socket that never opened may throw in some browsers
    }
  }

  private clearSocketHandlers(socket: SocketLike): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.reconnectTimer = null;
    this.connectTimer = null;
    this.stopPing();
  }
}
