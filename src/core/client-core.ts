/**
 * The lifecycle half of the public client (tab side): spawn/attach the engine (a SharedWorker
 * shared by the tabs of one user, see spawn.ts), log in, re-attach when the engine goes away, mirror
 * the engine's state (`im:state`) so the sync getters work, and forward calls over RPC.
 * `ChatClientImpl` (client.ts) adds the API methods on top.
 *
 * Events: every public EVENT the engine emits reaches `on()` handlers as `{name, data}`, and so do
 * the internal `im:messageSent` ({message} sent by another tab, or waiting/failed: `status`) and the
 * events of internal-events.ts (`im:typing`, `im:messagesDeleted`, `im:historyCleared`), for the
 * elements; `im:state` is consumed here. Subclasses see every event first (`onEvent`).
 */
import { ErrorCode } from '../protocol/codes.js';
import { EVENT } from '../protocol/constants.js';
import {
  INTERNAL_EVENT,
  type EngineConfig,
  type EngineState,
  type LoginAnswer,
} from '../protocol/rpc.js';
import type { IMResponse } from '../protocol/types.js';
import { RPC_VERSION } from '../protocol/version.js';
import type { CreateOptions, IMEventHandler } from './client-types.js';
import { Emitter } from './emitter.js';
import { IMError, invalidParameters, toIMError } from './errors.js';
import { LoginWaiters, watchEngine } from './engine-watch.js';
import { TabLease } from './lease.js';
import { RpcClient } from './rpc-client.js';
import { spawnEngine, type EngineLink, type SpawnOptions } from './spawn.js';

export interface ChatCreateOptions extends CreateOptions, SpawnOptions {
  /** Default timeout of one call to the engine (ms). */
  rpcTimeoutMs?: number;
}

const EMPTY_STATE: EngineState = {
  userID: '',
  tinyID: 0,
  ready: false,
  loggedIn: false,
  netState: 'disconnected',
  totalUnreadCount: 0,
  serverTimeOffset: 0,
};

const LOGIN_TIMEOUT_MS = 30_000;
/**
 * How long the bridge may take to attach before this tab runs its own engine instead. Browsers that
 * block third-party storage give the bridge iframe no SharedWorker, and it then never answers.
 */
const BRIDGE_ATTACH_TIMEOUT_MS = 5_000;
export const TAB_ID = randomID();

function randomID(): string {
  const c = globalThis.crypto;
  return c && typeof c.randomUUID === 'function'
    ? c.randomUUID()
    : `${Date.now()}-${Math.random()}`;
}

export function normalizeServer(server: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw invalidParameters(`server is not a URL: ${server}`);
  }
  if (!/^(https?|wss?):$/.test(url.protocol))
    throw invalidParameters(`server must be http(s) or ws(s): ${server}`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export abstract class ClientCore {
  readonly SDKAppID: number;
  readonly server: string;
  protected readonly emitter = new Emitter();
  private link: EngineLink | null = null;
  /** The bridge failed once in this page: later attaches go straight to an in-page engine. */
  private bridgeFailed = false;
  private rpc: RpcClient | null = null;
  private lease: TabLease | null = null;
  protected state: EngineState = EMPTY_STATE;
  protected creds: { userID: string; userSig: string } | null = null;
  protected loggedIn = false;
  protected destroyed = false;
  private chain: Promise<unknown> = Promise.resolve();
  private reattachTimer: ReturnType<typeof setTimeout> | null = null;
  private reattachAttempts = 0;
  /** The last login started through `ensureLogin` (page registry). */
  loginPromise: Promise<IMResponse<{ repeatLogin: boolean }>> | null = null;
  private loginKey = '';
  /** Stops waiting on the engine's life lock. */
  private engineWatch: AbortController | null = null;
  /** The engine ended the session (SDK_NOT_READY: kicked, logged out): no automatic re-login. */
  private sessionEnded = false;
  /** Callers waiting for the next accepted login (after the engine was lost). */
  private readonly loginWaiters = new LoginWaiters();

  constructor(
    SDKAppID: number,
    server: string,
    private readonly options: SpawnOptions & { rpcTimeoutMs?: number } = {},
  ) {
    this.SDKAppID = SDKAppID;
    this.server = server;
    globalThis.addEventListener?.('pagehide', this.onPageHide);
    globalThis.addEventListener?.('pageshow', this.onPageShow);
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  // --- lifecycle ---

  login(options: {
    userID: string;
    userSig: string;
  }): Promise<IMResponse<{ repeatLogin: boolean }>> {
    return this.serialize(() => this.doLogin(options));
  }

  /** Log in once per credentials (concurrent callers share the attempt; a failure allows a retry). */
  ensureLogin(options: {
    userID: string;
    userSig: string;
  }): Promise<IMResponse<{ repeatLogin: boolean }>> {
    const key = `${options.userID}\n${options.userSig}`;
    if (this.loginPromise && this.loginKey === key) return this.loginPromise;
    this.loginKey = key;
    const attempt = this.login(options);
    this.loginPromise = attempt;
    attempt.catch((err: unknown) => {
      if (this.loginPromise === attempt) this.loginPromise = null;
      const e = toIMError(err);
      this.emitter.emit(EVENT.ERROR, { code: e.code, message: e.message });
    });
    return attempt;
  }

  private async doLogin(options: {
    userID: string;
    userSig: string;
  }): Promise<IMResponse<{ repeatLogin: boolean }>> {
    if (this.destroyed)
      throw new IMError(ErrorCode.SDK_NOT_INITIALIZED, 'The client was destroyed');
    const userID = options?.userID;
    const userSig = options?.userSig;
    if (typeof userID !== 'string' || !userID) throw invalidParameters('login: userID is required');
    if (typeof userSig !== 'string' || !userSig)
      throw invalidParameters('login: userSig is required');
    const same = this.creds?.userID === userID && this.creds.userSig === userSig;
    if (same && this.loggedIn && this.rpc && !this.rpc.closed)
      return { code: 0, data: { repeatLogin: true } };
    if (this.rpc && this.state.userID && this.state.userID !== userID) this.detach();
    if (this.rpc && this.creds && this.creds.userID !== userID) this.detach();
    try {
      if (!this.rpc || this.rpc.closed) await this.attach(userID);
      const rpc = this.rpc!;
      const res = await rpc.call<LoginAnswer>(
        'login',
        { userID, userSig },
        { timeoutMs: LOGIN_TIMEOUT_MS },
      );
      // Notice the engine (or its worker) going away: engine-watch.ts.
      this.engineWatch?.abort();
      this.engineWatch = watchEngine(rpc, res.engineLock);
      this.creds = { userID, userSig };
      this.loggedIn = true;
      this.sessionEnded = false;
      this.reattachAttempts = 0;
      this.loginWaiters.settle(true);
      return { code: 0, data: { repeatLogin: !!res.repeatLogin } };
    } catch (err) {
      throw toIMError(err);
    }
  }

  private async attach(userID: string): Promise<void> {
    const config: EngineConfig = { server: this.server, SDKAppID: this.SDKAppID, userID };
    const options: SpawnOptions = this.bridgeFailed
      ? { ...this.options, mode: 'inpage' }
      : this.options;
    const link = await spawnEngine(config, options).catch((err: unknown) => {
      throw new IMError(ErrorCode.RPC_PORT_CLOSED, `The IM engine could not start: ${String(err)}`);
    });
    try {
      await this.connectLink(link, config);
    } catch (err) {
      if (link.kind !== 'bridge') throw err;
      // The bridge could not reach a worker (third-party storage blocked): this tab gets an engine
      // of its own, with its own socket and a first-party cache.
      console.warn('[imkit] the IM bridge did not answer; running the engine in this page', err);
      this.bridgeFailed = true;
      const own = await spawnEngine(config, { ...this.options, mode: 'inpage' });
      await this.connectLink(own, config);
    }
  }

  private async connectLink(link: EngineLink, config: EngineConfig): Promise<void> {
    const rpc = new RpcClient(link.port, { timeoutMs: this.options.rpcTimeoutMs });
    link.onFatal((message) => rpc.fail(message));
    rpc.onEvent((method, payload) => this.onEngineEvent(method, payload));
    rpc.onClose((_err, local) => this.onRpcClosed(rpc, local));
    this.link = link;
    this.rpc = rpc;
    this.state = EMPTY_STATE;
    // Over the bridge the lock scope differs from the worker's: the bridge holds the lease instead.
    this.lease = link.kind === 'bridge' ? null : await TabLease.acquire(TAB_ID);
    try {
      await rpc.call(
        'attach',
        { rpc: RPC_VERSION, tabID: TAB_ID, config, lockName: this.lease?.name },
        link.kind === 'bridge' ? { timeoutMs: BRIDGE_ATTACH_TIMEOUT_MS } : {},
      );
    } catch (err) {
      this.detach();
      throw err;
    }
  }

  /** Leave the engine: goodbye, release the lease, close the port. */
  private detach(): void {
    this.engineWatch?.abort();
    this.engineWatch = null;
    const rpc = this.rpc;
    this.rpc = null;
    if (rpc && !rpc.closed) {
      rpc.notify('detach');
      rpc.close('The client detached from the IM engine');
    }
    this.lease?.release();
    this.lease = null;
    this.link?.dispose();
    this.link = null;
    this.loggedIn = false;
    this.state = EMPTY_STATE;
  }

  async logout(): Promise<IMResponse<Record<string, never>>> {
    await this.serialize(async () => {
      await this.call('logout');
      this.loggedIn = false;
      this.creds = null;
      this.loginPromise = null;
    });
    return { code: 0, data: {} };
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.reattachTimer) clearTimeout(this.reattachTimer);
    globalThis.removeEventListener?.('pagehide', this.onPageHide);
    globalThis.removeEventListener?.('pageshow', this.onPageShow);
    this.detach();
    this.creds = null;
    this.loginWaiters.settle(false);
    this.emitter.clear();
    for (const hook of destroyHooks) hook(this);
  }

  private readonly onPageHide = (): void => {
    if (this.rpc) this.detach();
  };

  private readonly onPageShow = (event: Event): void => {
    if ((event as PageTransitionEvent).persisted && this.creds && !this.destroyed && !this.rpc) {
      void this.relogin();
    }
  };

  /** The engine went away unexpectedly (worker crashed, port closed): attach again and re-login. */
  private onRpcClosed(rpc: RpcClient, local: boolean): void {
    if (local || this.rpc !== rpc) return;
    this.rpc = null;
    this.engineWatch?.abort();
    this.engineWatch = null;
    this.lease?.release();
    this.lease = null;
    this.link?.dispose();
    this.link = null;
    const wasReady = this.loggedIn && this.state.ready;
    this.loggedIn = false;
    this.state = { ...this.state, ready: false, netState: 'disconnected' };
    this.emitter.emit(EVENT.NET_STATE_CHANGE, { state: 'disconnected' });
    if (!this.creds || this.destroyed || this.sessionEnded) {
      if (wasReady) this.emitter.emit(EVENT.SDK_NOT_READY, undefined);
      return;
    }
    const delay = Math.min(30_000, 500 * 2 ** this.reattachAttempts++);
    this.reattachTimer = setTimeout(() => void this.relogin(), delay);
  }

  private async relogin(): Promise<void> {
    this.reattachTimer = null;
    const creds = this.creds;
    if (!creds || this.destroyed) return;
    try {
      await this.login(creds);
    } catch (err) {
      const e = toIMError(err);
      if (e.code === ErrorCode.RPC_PORT_CLOSED || e.code === ErrorCode.NET_WAIT_ACK_TIMEOUT) return;
      this.creds = null;
      this.loginWaiters.settle(false);
      this.emitter.emit(EVENT.SDK_NOT_READY, undefined);
      this.emitter.emit(EVENT.ERROR, { code: e.code, message: e.message });
    }
  }

  private onEngineEvent(method: string, payload: unknown): void {
    if (method === INTERNAL_EVENT.STATE) {
      this.state = { ...EMPTY_STATE, ...(payload as EngineState) };
      if (!this.state.loggedIn) this.loggedIn = false;
      return;
    }
    if (method === EVENT.SDK_NOT_READY) {
      this.loggedIn = false;
      this.sessionEnded = true;
    }
    this.emitter.emit(method, this.onEvent(method, payload));
  }

  /** A subclass's look at every engine event before the handlers; returns the data they get. */
  protected onEvent(_method: string, payload: unknown): unknown {
    return payload;
  }

  // --- events and getters ---

  on(eventName: string, handler: IMEventHandler, context?: unknown): void {
    this.emitter.on(eventName, handler, context);
  }

  off(eventName: string, handler: IMEventHandler, context?: unknown): void {
    this.emitter.off(eventName, handler, context);
  }

  isReady(): boolean {
    return this.loggedIn && this.state.ready;
  }

  getLoginUser(): string {
    return this.loggedIn && this.creds ? this.creds.userID : '';
  }

  /** The user this client is logged in as or logging in as; '' when neither. */
  get claimedUser(): string {
    return this.creds?.userID ?? this.loginKey.split('\n')[0] ?? '';
  }

  getNetState() {
    return this.state.netState;
  }

  getServerTime(): number {
    return Math.floor(Date.now() / 1000 + (this.state.serverTimeOffset || 0));
  }

  getTotalUnreadMessageCount(): number {
    return this.loggedIn ? this.state.totalUnreadCount : 0;
  }

  /** The credentials of the current login (uploads authenticate with them). */
  protected requireLogin(): { userID: string; userSig: string } {
    if (this.destroyed)
      throw new IMError(ErrorCode.SDK_NOT_INITIALIZED, 'The client was destroyed');
    if (!this.loggedIn || !this.creds) throw new IMError(ErrorCode.NOT_LOGGED_IN, 'Not logged in');
    return this.creds;
  }

  /**
   * After the engine was lost (9521): wait until this client is logged in again (it re-attaches by
   * itself). false when it is destroyed, its login fails for good, or `timeoutMs` passes.
   */
  protected whenLoggedInAgain(timeoutMs: number): Promise<boolean> {
    if (this.destroyed || !this.creds) return Promise.resolve(false);
    if (this.loggedIn && this.rpc && !this.rpc.closed) return Promise.resolve(true);
    return this.loginWaiters.wait(timeoutMs);
  }

  protected async call<T>(
    method: string,
    payload: unknown = {},
    options: { timeoutMs?: number } = {},
  ): Promise<IMResponse<T>> {
    if (this.destroyed)
      throw new IMError(ErrorCode.SDK_NOT_INITIALIZED, 'The client was destroyed');
    if (!this.rpc || !this.loggedIn) throw new IMError(ErrorCode.NOT_LOGGED_IN, 'Not logged in');
    try {
      const data = await this.rpc.call<T>(method, payload, options);
      return { code: 0, data };
    } catch (err) {
      throw toIMError(err);
    }
  }

  protected serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

/** Called when any client is destroyed (the registries forget it). */
export const destroyHooks = new Set<(client: ClientCore) => void>();
