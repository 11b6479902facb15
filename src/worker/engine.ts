/**
 * One engine per (server, SDKAppID, userID): owns the connection and the data (data.ts), and
 * tells every attached tab about every change. Request handlers are in engine-api.ts, catch-up
 * and pushes in sync.ts.
 *
 * Lifecycle: created on the first `attach` (starts loading the cache at once) -> the first `login`
 * starts the connection -> every accepted server login runs the catch-up -> SDK_READY (once per
 * login) -> pushes are applied in order through one serial queue -> logout / kick ends the session.
 *
 * Tabs: a port gets events and data only after its own `login` was accepted (`authorized`). A
 * later tab with the same UserSig is a repeat login; with another UserSig the engine first checks
 * it with the server (a second `login` frame on the open socket).
 *
 * Offline start: if the server cannot be reached and this browser profile has a cache for the
 * user (a stored cursor), login resolves at once and the cache is served while reconnecting;
 * without a cache it rejects with 9508. Messages sent while not connected wait in the outbox
 * (outbox.ts), which is loaded with the cache and sent after every catch-up. The engine holds a
 * Web Lock for its life (`lifeLock`, named in the login answer) so tabs notice when it or its
 * worker is gone. A message sent through this engine never produces
 * MESSAGE_RECEIVED in this browser: the sending tab gets it as the sendMessage result, every
 * other tab gets `im:messageSent` `{message}`. Messages of this user sent from elsewhere (another
 * browser) arrive as MESSAGE_RECEIVED with flow 'out'. Likewise for the other actions on messages
 * (recall, modify, delete, clear, reactions, extensions, pins, receive options): the acting tab gets
 * the result, the other tabs the event the server pushes to other browsers (message-updates.ts).
 */
import { ErrorCode } from '../protocol/codes.js';
import { EVENT } from '../protocol/constants.js';
import { INTERNAL_EVENT, type EngineConfig, type EngineState } from '../protocol/rpc.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';
import type { LoginResult, PushFrame } from '../protocol/wire.js';
import { IMError } from '../core/errors.js';
import {
  Connection,
  type ConnectionOptions,
  type SocketFactory,
  type StopInfo,
} from './connection.js';
import { EngineData } from './data.js';
import { Outbox } from './outbox.js';
import type { PortPeer } from './port-peer.js';
import { applyPush, catchUp, PUSH_CURSOR_SETTLE_MS, refreshConversation } from './sync.js';
import { engineKey, randomInstanceID, webSocketURL } from './util.js';

export interface EngineOptions {
  socketFactory?: SocketFactory;
  connection?: Partial<Omit<ConnectionOptions, 'url' | 'socketFactory'>>;
  /** How long the engine outlives its last tab (ms). */
  idleMs?: number;
  /** How old a pushed cursor must be before it is persisted (ms; PUSH_CURSOR_SETTLE_MS). */
  pushCursorSettleMs?: number;
  onDispose?: (engine: Engine) => void;
}

export interface Credentials {
  userID: string;
  userSig: string;
}

interface LoginWait {
  resolve: () => void;
  reject: (err: IMError) => void;
}

export class Engine {
  readonly key: string;
  readonly peers = new Set<PortPeer>();
  readonly conn: Connection;
  readonly data: EngineData;
  readonly outbox: Outbox;
  readonly loaded: Promise<void>;
  ready = false;
  loggedIn = false;
  serverTimeOffset = 0;
  disposed = false;
  /** Incremented on every accepted server login. */
  session = 0;
  /** The session whose catch-up completed (its message pushes may be applied). */
  syncedSession = 0;
  private creds: Credentials | null = null;
  private loginWait: LoginWait | null = null;
  private loginInFlight: Promise<void> | null = null;
  private loginError: IMError | null = null;
  private kickType: string | null = null;
  private serial: Promise<void> = Promise.resolve();
  private lastStateJSON = '';
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  /** A Web Lock held while this engine lives (null without Web Locks): see holdLifeLock. */
  readonly lifeLock: Promise<string | null>;
  private releaseLifeLock: () => void = () => undefined;
  readonly pushCursorSettleMs: number;

  constructor(
    readonly config: EngineConfig,
    private readonly options: EngineOptions = {},
  ) {
    this.pushCursorSettleMs = options.pushCursorSettleMs ?? PUSH_CURSOR_SETTLE_MS;
    this.key = engineKey(config);
    this.data = new EngineData(config.userID, {
      broadcast: (method, payload) => this.broadcast(method, payload),
      emitState: () => this.emitState(),
      conversationCreated: (id) => void refreshConversation(this, id),
    });
    this.conn = new Connection(
      {
        ...options.connection,
        url: webSocketURL(config.server),
        socketFactory: options.socketFactory,
      },
      {
        loginData: () => ({
          SDKAppID: this.config.SDKAppID,
          userID: this.config.userID,
          userSig: this.creds?.userSig ?? '',
          instanceID: this.data.instanceID,
          protocol: PROTOCOL_VERSION,
        }),
        onStateChange: (state) => {
          if (state !== 'connected') this.outbox.connectionLost();
          this.emitState();
          this.broadcast(EVENT.NET_STATE_CHANGE, { state });
        },
        onLoggedIn: (result) => this.onLoggedIn(result),
        onLoginFailed: (error, fatal) => {
          this.loginError = error;
          if (!fatal) this.onAttemptFailed();
        },
        onAttemptFailed: () => this.onAttemptFailed(),
        onPush: (frame) => this.onPush(frame),
        onStopped: (info) => this.onStopped(info),
      },
    );
    this.outbox = new Outbox(this);
    this.lifeLock = holdLifeLock(`imkit-engine:${randomInstanceID()}`, (release) => {
      this.releaseLifeLock = release;
    });
    this.loaded = this.data.load(config).then(() => this.outbox.load());
    globalThis.addEventListener?.('online', this.onOnline);
  }

  // --- tabs ---

  attach(peer: PortPeer): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.peers.add(peer);
    peer.engineKey = this.key;
  }

  detach(peer: PortPeer): void {
    this.peers.delete(peer);
    this.outbox.peerGone(peer);
    peer.authorized = false;
    if (this.peers.size === 0 && !this.disposed) {
      this.idleTimer = setTimeout(() => this.dispose(), this.options.idleMs ?? 5000);
    }
  }

  /** Send an event to every tab whose login was accepted (optionally but one). */
  broadcast(method: string, payload: unknown, except?: PortPeer): void {
    for (const peer of this.peers)
      if (peer.authorized && peer !== except) peer.emit(method, payload);
  }

  state(): EngineState {
    return {
      userID: this.loggedIn ? this.config.userID : '',
      tinyID: this.data.tinyID,
      ready: this.ready,
      loggedIn: this.loggedIn,
      netState: this.conn.state,
      totalUnreadCount: this.data.book.totalUnread(),
      serverTimeOffset: this.serverTimeOffset,
    };
  }

  emitState(): void {
    const state = this.state();
    const json = JSON.stringify(state);
    if (json === this.lastStateJSON) return;
    this.lastStateJSON = json;
    this.broadcast(INTERNAL_EVENT.STATE, state);
  }

  // --- login / logout ---

  async login(peer: PortPeer, creds: Credentials): Promise<{ repeatLogin: boolean }> {
    await this.loaded;
    if (creds.userID !== this.config.userID) {
      throw new IMError(
        ErrorCode.INVALID_PARAMETERS,
        'userID does not match the engine of this port',
      );
    }
    // One engine login at a time; later tabs see its outcome.
    while (this.loginInFlight) await this.loginInFlight.catch(() => undefined);
    if (this.loggedIn && this.creds) {
      // Already logged in by another tab. A different UserSig is checked with the server first
      // (a second `login` frame on the same socket), so a port cannot ride on another's session.
      if (this.creds.userSig !== creds.userSig) await this.verifySig(creds);
      return this.authorize(peer, true);
    }
    this.creds = creds;
    try {
      await this.runLogin();
    } catch (err) {
      this.creds = null;
      throw err;
    }
    return this.authorize(peer, false);
  }

  private async verifySig(creds: Credentials): Promise<void> {
    const result = await this.conn.request<LoginResult>(
      'login',
      {
        SDKAppID: this.config.SDKAppID,
        userID: this.config.userID,
        userSig: creds.userSig,
        instanceID: this.data.instanceID,
        protocol: PROTOCOL_VERSION,
      },
      20_000,
    );
    this.creds = creds;
    this.data.tinyID = result.tinyID;
  }

  private runLogin(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.loginWait = { resolve, reject };
    });
    this.loginInFlight = done;
    this.loginError = null;
    this.kickType = null;
    if (this.conn.isRunning) this.conn.stop(1000, 'relogin');
    this.conn.start();
    return done.finally(() => {
      this.loginInFlight = null;
      this.loginWait = null;
    });
  }

  private settleLogin(error?: IMError): void {
    const wait = this.loginWait;
    if (!wait) return;
    this.loginWait = null;
    if (error) wait.reject(error);
    else wait.resolve();
  }

  private authorize(peer: PortPeer, repeatLogin: boolean): { repeatLogin: boolean } {
    peer.authorized = true;
    peer.emit(INTERNAL_EVENT.STATE, this.state());
    // Ready later: markReady's broadcast reaches this port (no second SDK_READY below).
    const wasReady = this.ready;
    // After the login response (posted when this returns): what Tencent emits after login.
    setTimeout(() => {
      if (!peer.authorized || peer.isClosed) return;
      peer.emit(EVENT.NET_STATE_CHANGE, { state: this.conn.state });
      const list = this.data.book.all();
      if (list.length > 0) peer.emit(EVENT.CONVERSATION_LIST_UPDATED, list);
      if (wasReady && this.ready) peer.emit(EVENT.SDK_READY, undefined);
    }, 0);
    return { repeatLogin };
  }

  private onLoggedIn(result: LoginResult): void {
    this.session++;
    this.data.tinyID = result.tinyID;
    const serverSeconds = result.serverTime > 1e11 ? result.serverTime / 1000 : result.serverTime;
    this.serverTimeOffset = serverSeconds - Date.now() / 1000;
    this.loggedIn = true;
    this.emitState();
    this.settleLogin();
    void this.data.cache?.saveTinyID(result.tinyID);
    const session = this.session;
    void this.enqueue(() => catchUp(this, session, result));
  }

  private onAttemptFailed(): void {
    if (!this.loginWait) return;
    if (this.data.cursor !== undefined) {
      // Warm cache: this user logged in here before. Serve the cache while reconnecting.
      this.loggedIn = true;
      this.emitState();
      this.settleLogin();
    } else {
      this.conn.stop(1000, 'login failed');
      this.settleLogin(new IMError(ErrorCode.NET_DISCONNECTED, 'Cannot reach the IM server'));
    }
  }

  private onStopped(info: StopInfo): void {
    this.settleLogin(
      this.loginError ?? new IMError(ErrorCode.USER_SIG_MISMATCH, `Login refused (${info.code})`),
    );
    let type: string | null = null;
    if (info.code === 4001) type = this.kickType ?? 'multipleAccount';
    else if (info.code === 4003) type = 'userSigExpired';
    this.endSession(type);
  }

  /** Kicked, auth lost or logged out elsewhere: tell every tab, stop serving data. */
  private endSession(kickedType: string | null): void {
    const wasActive = this.loggedIn;
    this.conn.stop(1000, 'session ended');
    this.loggedIn = false;
    this.ready = false;
    if (!wasActive) return;
    if (kickedType) this.broadcast(EVENT.KICKED_OUT, { type: kickedType });
    this.emitState();
    this.broadcast(EVENT.SDK_NOT_READY, undefined);
    for (const peer of this.peers) peer.authorized = false;
  }

  /** Log this browser instance out: every tab gets SDK_NOT_READY; the cache is deleted. */
  async logout(): Promise<Record<string, never>> {
    if (this.conn.state === 'connected')
      await this.conn.request('logout', {}, 3000).catch(() => undefined);
    this.creds = null;
    this.endSession(null);
    await this.loaded;
    this.outbox.clear(
      new IMError(ErrorCode.NOT_LOGGED_IN, 'Logged out before the message was sent'),
    );
    await this.data.clear();
    this.dispose();
    return {};
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    globalThis.removeEventListener?.('online', this.onOnline);
    this.conn.stop(1000, 'engine disposed');
    const gone = new IMError(ErrorCode.RPC_PORT_CLOSED, 'The engine was disposed');
    this.settleLogin(gone);
    this.outbox.dispose(gone);
    this.releaseLifeLock();
    // Let the outbox finish writing before the database closes.
    void this.loaded
      .then(() => this.outbox.settled())
      .catch(() => undefined)
      .then(() => this.data.close());
    this.options.onDispose?.(this);
  }

  private readonly onOnline = (): void => this.conn.reconnectNow();

  /** Called by the catch-up when it completed: SDK_READY the first time after login. */
  markReady(): void {
    if (this.ready || !this.loggedIn) return;
    this.ready = true;
    this.emitState();
    this.broadcast(EVENT.SDK_READY, undefined);
  }

  /** Run tasks that change data one after the other (catch-up, pushes, refreshes). */
  enqueue(task: () => Promise<void> | void): Promise<void> {
    const run = this.serial
      .then(task)
      .catch((err: unknown) => console.warn('[imkit] engine task failed', err));
    this.serial = run;
    return run;
  }

  private onPush(frame: PushFrame): void {
    if (frame.push === 'kicked') {
      this.kickType = frame.data.type;
      return;
    }
    const session = this.session;
    void this.enqueue(() => applyPush(this, frame, session));
  }
}

/**
 * Hold a Web Lock for the life of the engine. Its tabs wait on it (client-core.ts): when it comes
 * free, the engine was disposed or its worker died (a crash or termination releases every lock the
 * worker held), and the tab checks whether anyone still answers before attaching again.
 */
function holdLifeLock(
  name: string,
  onRelease: (release: () => void) => void,
): Promise<string | null> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return Promise.resolve(null);
  const held = new Promise<void>((resolve) => onRelease(resolve));
  return new Promise<string | null>((resolve) => {
    locks
      .request(name, () => {
        resolve(name);
        return held;
      })
      .catch(() => resolve(null));
  });
}
