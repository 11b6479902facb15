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
    if (!engine.peers.has(peer)) {
      // A new engine (the previous one was disposed): this port must log in to it first.
      engine.attach(peer);
      peer.authorized = false;
    }
    if (method === 'login') {
      const r = v.safeParse(loginSchema, payload);
      if (!r.success)
        throw new IMError(ErrorCode.INVALID_PARAMETERS, `login: ${r.issues[0].message}`);
      const res = await engine.login(peer, r.output);
      // The tab waits on the engine's life lock to notice the engine or the worker going away.
      return { ...res, engineLock: await engine.lifeLock };
    }
    if (method !== 'logout' && method !== 'im:debug' && !isApiMethod(method)) {
      throw new IMError(ErrorCode.INVALID_COMMAND, `Unknown method ${method}`);
    }
    if (!peer.authorized) throw new IMError(ErrorCode.NOT_LOGGED_IN, 'Not logged in');
    if (method === 'logout') return engine.logout();
    if (method === 'im:debug') return debug(this, engine, peer, payload);
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

  /** End an engine as a crash would: its ports close (the tabs attach again), then it goes. */
  disposeEngine(engine: Engine): void {
    for (const peer of [...engine.peers]) this.detach(peer);
    engine.dispose();
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
 * backoff), go offline / online (stop the socket, start it again), read internal counters (`info`),
 * the outbox once its writes are done (`outbox`), or end the engine as a crash would:
 * `disposeEngine` closes every port of the engine and disposes it (the tabs attach again and get a
 * new engine that loads the cache); `terminateWorker` closes the whole worker (SharedWorker or
 * dedicated Worker; 10003 in a page).
 */
async function debug(
  host: Host,
  engine: Engine,
  peer: PortPeer,
  payload: unknown,
): Promise<unknown> {
  const action = (payload as { action?: unknown } | null)?.action;
  switch (action) {
    case 'dropConnection':
      engine.conn.drop('dropped on request (im:debug)');
      return {};
    case 'goOffline':
      engine.conn.stop(1000, 'offline on request (im:debug)');
      return {};
    case 'goOnline':
      engine.conn.start();
      return {};
    case 'outbox':
      await engine.outbox.settled();
      return {
        messageList: engine.outbox.pending(),
        stored: (await engine.data.cache?.loadOutbox())?.map((r) => r.message.ID) ?? [],
      };
    case 'disposeEngine':
      setTimeout(() => host.disposeEngine(engine), 10);
      return {};
    case 'terminateWorker': {
      const g = globalThis as unknown as { WorkerGlobalScope?: unknown; close(): void };
      if (typeof g.WorkerGlobalScope !== 'function')
        throw new IMError(ErrorCode.INVALID_COMMAND, 'Not running in a worker');
      setTimeout(() => g.close(), 10);
      return {};
    }
  }
  return {
    session: engine.session,
    syncedSession: engine.syncedSession,
    cursor: engine.data.cursor ?? null,
    changeCursor: engine.data.changeCursor ?? null,
    netState: engine.conn.state,
    peers: engine.peers.size,
    peerID: peer.id,
    peerIDs: [...engine.peers].map((p) => p.id),
    outbox: engine.outbox.size,
    instanceID: engine.data.instanceID,
    cacheEnabled: engine.data.cache?.enabled ?? false,
  };
}
