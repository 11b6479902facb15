/**
 * Routes ports to engines: many ports (tabs), one Engine per EngineConfig key. Used by the
 * SharedWorker, the dedicated Worker and the in-page fallback alike.
 *
 * Per port, in order: `attach` (RPC version check, engine chosen by config, Web Lock watched),
 * `login` (the engine checks the UserSig; only then does the port get events and data), then the
 * API methods. `detach` (destroy or pagehide) frees the port. Replies go to the asking port only;
 * events go to every authorized port of the engine.
 */
import * as v from 'valibot';
import { ErrorCode } from '../protocol/codes.js';
import { LIMITS } from '../protocol/constants.js';
import type { EngineConfig } from '../protocol/rpc.js';
import { RPC_VERSION } from '../protocol/version.js';
import { IMError } from '../core/errors.js';
import { Engine, type EngineOptions } from './engine.js';
import { handleApi, isApiMethod } from './engine-api.js';
import { PortPeer, type PeerPort } from './port-peer.js';
import { engineKey } from './util.js';

const attachSchema = v.object({
  rpc: v.number(),
  tabID: v.pipe(v.string(), v.maxLength(100)),
  config: v.object({
    server: v.pipe(v.string(), v.url(), v.maxLength(2048)),
    SDKAppID: v.pipe(v.number(), v.integer(), v.minValue(1)),
    userID: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.userIDBytes)),
  }),
  lockName: v.optional(v.pipe(v.string(), v.maxLength(200))),
});

const loginSchema = v.object({
  userID: v.pipe(v.string(), v.minLength(1, 'userID is required')),
  userSig: v.pipe(v.string(), v.minLength(1, 'userSig is required')),
});

export class Host {
  private readonly engines = new Map<string, Engine>();
  private readonly configs = new WeakMap<PortPeer, EngineConfig>();

  constructor(private readonly options: EngineOptions = {}) {}

  /** Take a port: a tab's RPC port, or a control port that forwards ports (`imkit:connect`). */
  connect(port: PeerPort, lockName?: string): PortPeer {
    const peer = new PortPeer(port, {
      request: (p, method, payload) => this.request(p, method, payload),
      connect: (forwarded, forwardedLock) => {
        this.connect(forwarded, forwardedLock);
      },
      gone: (p) => this.detach(p),
    });
    if (lockName) peer.watchLock(lockName);
    return peer;
  }

  /** The engines alive now (tests and diagnostics). */
  get engineCount(): number {
    return this.engines.size;
  }

  private engineFor(config: EngineConfig): Engine {
    const key = engineKey(config);
    let engine = this.engines.get(key);
    if (!engine || engine.disposed) {
      engine = new Engine(config, {
        ...this.options,
        onDispose: (e) => {
          if (this.engines.get(key) === e) this.engines.delete(key);
          this.options.onDispose?.(e);
        },
      });
      this.engines.set(key, engine);
    }
    return engine;
  }

  private async request(peer: PortPeer, method: string, payload: unknown): Promise<unknown> {
    switch (method) {
      case 'im:ping':
        return {};
      case 'attach':
        return this.attach(peer, payload);
      case 'detach':
        this.detach(peer, true);
        return {};
    }
    const config = this.configs.get(peer);
    if (!config) throw new IMError(ErrorCode.SDK_NOT_INITIALIZED, 'The port is not attached');
    const engine = this.engineFor(config);
    if (!engine.peers.has(peer)) engine.attach(peer);
    if (method === 'login') {
      const r = v.safeParse(loginSchema, payload);
      if (!r.success)
        throw new IMError(ErrorCode.INVALID_PARAMETERS, `login: ${r.issues[0].message}`);
      return engine.login(peer, r.output);
    }
    if (method !== 'logout' && method !== 'im:debug' && !isApiMethod(method)) {
      throw new IMError(ErrorCode.INVALID_COMMAND, `Unknown method ${method}`);
    }
    if (!peer.authorized) throw new IMError(ErrorCode.NOT_LOGGED_IN, 'Not logged in');
    if (method === 'logout') return engine.logout();
    if (method === 'im:debug') return debug(engine, payload);
    return handleApi(engine, peer, method, payload);
  }

  private attach(peer: PortPeer, payload: unknown): { rpc: number } {
    const r = v.safeParse(attachSchema, payload);
    if (!r.success)
      throw new IMError(ErrorCode.INVALID_PARAMETERS, `attach: ${r.issues[0].message}`);
    const req = r.output;
    if (req.rpc !== RPC_VERSION) {
      throw new IMError(
        ErrorCode.PROTOCOL_UNSUPPORTED,
        `RPC version ${req.rpc} is not ${RPC_VERSION}`,
      );
    }
    const config: EngineConfig = { ...req.config, server: req.config.server.replace(/\/+$/, '') };
    const previous = this.configs.get(peer);
    if (previous && engineKey(previous) !== engineKey(config)) {
      this.engines.get(engineKey(previous))?.detach(peer);
    }
    peer.tabID = req.tabID;
    this.configs.set(peer, config);
    this.engineFor(config).attach(peer);
    if (req.lockName) peer.watchLock(req.lockName);
    return { rpc: RPC_VERSION };
  }

  /** The tab is gone or said goodbye: free its port (after the reply, when it asked). */
  private detach(peer: PortPeer, afterReply = false): void {
    const config = this.configs.get(peer);
    if (config) this.engines.get(engineKey(config))?.detach(peer);
    this.configs.delete(peer);
    peer.authorized = false;
    if (afterReply) setTimeout(() => peer.close(), 0);
    else peer.close();
  }
}

/**
 * Test hooks of a logged-in port: drop the socket as a network failure would (it reconnects with
 * backoff), go offline / online (stop the socket, start it again), or read internal counters.
 */
function debug(engine: Engine, payload: unknown): unknown {
  const action = (payload as { action?: unknown } | null)?.action;
  if (action === 'dropConnection') {
    engine.conn.drop('dropped on request (im:debug)');
    return {};
  }
  if (action === 'goOffline') {
    engine.conn.stop(1000, 'offline on request (im:debug)');
    return {};
  }
  if (action === 'goOnline') {
    engine.conn.start();
    return {};
  }
  return {
    session: engine.session,
    syncedSession: engine.syncedSession,
    cursor: engine.data.cursor ?? null,
    netState: engine.conn.state,
    peers: engine.peers.size,
    instanceID: engine.data.instanceID,
    cacheEnabled: engine.data.cache?.enabled ?? false,
  };
}
