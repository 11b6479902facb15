/**
 * The IM server: `startServer(options)` wires storage (SQLite, or PostgreSQL with `databaseURL`),
 * bus and presence (in-process, or Redis with `redisURL`), services, the WebSocket gateway and the
 * HTTP routes, and returns a handle to close it all. Several nodes on one PostgreSQL and one Redis
 * serve the same users behind any load balancer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { CloseCode, ErrorCode } from '../protocol/codes.js';
import { MemoryBus, MemoryPresence } from './bus/memory.js';
import { RedisBus, RedisPresence } from './bus/redis.js';
import type { Bus, Presence } from './bus/types.js';
import { Connection } from './connection.js';
import { createHttpHandler } from './http.js';
import {
  ConnectionLimiter,
  createSendLimits,
  DEFAULT_LIMITS,
  monotonicMs,
  type MsClock,
} from './limits.js';
import { createLogger } from './log.js';
import { createMediaHttp } from './media-http.js';
import { Metrics } from './metrics.js';
import { addressKey, clientAddress, isLoopbackHost } from './net.js';
import { findRepoRoot } from './paths.js';
import { AuthService } from './services/auth.js';
import { ConversationService } from './services/conversations.js';
import { ConversationOpsService } from './services/conversation-ops.js';
import { DEFAULT_CONFIG, nowSeconds, type ServiceDeps } from './services/deps.js';
import { ExtensionService } from './services/extensions.js';
import { GroupService } from './services/groups.js';
import { GroupAdminService } from './services/group-admin.js';
import { GroupKeyValueService } from './services/group-kv.js';
import { TopicService } from './services/group-topics.js';
import { LifecycleService } from './services/lifecycle.js';
import { LocalDiskMediaStore, type MediaStore } from './services/media/store.js';
import { UploadService } from './services/media/uploads.js';
import { MessageService } from './services/messages.js';
import { PinService } from './services/pins.js';
import { ProfileService } from './services/profiles.js';
import { ReactionService } from './services/reactions.js';
import { ReceiptService } from './services/receipts.js';
import { RemindService } from './services/remind.js';
import { TranslateService } from './services/translate.js';
// [issue 6: users and relationships]
import { FollowService } from './services/follows.js';
import { RelationService } from './services/relations.js';
import { StatusService } from './services/status.js';
import { SessionRegistry } from './sessions.js';
import { PgStorage } from './storage/pg.js';
import { SqliteStorage } from './storage/sqlite.js';
import type { Storage } from './storage/types.js';
import { Transport } from './transport.js';
import { genUserSig } from './usersig.js';

export interface ServerOptions {
  /** 0 picks a free port. Default 8080. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Holds imkit.sqlite. Default './data'. */
  dataDir?: string;
  /** Overrides dataDir; ':memory:' allowed. */
  dbFile?: string;
  /** postgres://… : PostgreSQL instead of the SQLite file (migrations run on start). */
  databaseURL?: string;
  /** PostgreSQL schema to use (created when missing). Default: the connection's search_path. */
  databaseSchema?: string;
  /** PostgreSQL connections of this node. Default 10. */
  databasePoolSize?: number;
  /** redis://… : route pushes, kicks and presence through Redis, for several nodes. */
  redisURL?: string;
  /** Prefix of the Redis keys and channel. Default 'imkit:'. */
  redisPrefix?: string;
  /** This node's name in logs and presence. Default: random. */
  nodeID?: string;
  /** With Redis: a node that stopped heartbeating is taken for dead after this long. Default 15000. */
  nodeTTLms?: number;
  /** Dev mode: enables GET /dev/usersig. Refused on a non-loopback host unless allowRemoteDev. */
  dev?: boolean;
  /** Let dev mode bind a non-loopback host (anyone who reaches it can log in as anyone). */
  allowRemoteDev?: boolean;
  /** Instances per user; overrides the app setting (default 10). */
  maxInstances?: number;
  /** WebSocket ping interval; a socket that misses one ping is terminated. Default 30000. */
  heartbeatMs?: number;
  /** Time allowed between the upgrade and an accepted login. Default 10000. */
  loginTimeoutMs?: number;
  /** Default <repo>/dist/browser. */
  staticDir?: string;
  /** Default <repo>/demo. */
  demoDir?: string;
  /** Structured logs to stdout/stderr. Default true. */
  log?: boolean;
  /** Uploads directory. Default <dataDir>/media; a temp dir, removed on close, when dbFile is ':memory:'. */
  mediaDir?: string;
  /** Base URL of upload URLs (behind a proxy). Default: scheme and Host of the upload request. */
  publicURL?: string;
  /** Sender's recall window in seconds. Default LIMITS.recallWindowSeconds (120). */
  recallWindowSeconds?: number;
  /** translateText POSTs to this URL; unset: translateText answers 2118. */
  translateURL?: string;
  /** Default 10000. */
  translateTimeoutMs?: number;
  /** A write to an extension key another user changed this recently is a conflict. Default 1000. */
  extensionConflictWindowMs?: number;
  /** Server clock in seconds (tests). Default: the system clock. */
  now?: () => number;
  /** sendMessage per user: tokens per second (limits.ts). 0: no limit. Default 20. */
  sendRate?: number;
  /** sendMessage per user: bucket size. Default 40. */
  sendBurst?: number;
  /** Group messages per second for Normal priority (Low 3/4, Lowest 1/2). 0: no limit. Default 40. */
  groupRate?: number;
  /** Group messages per second High priority may still fill (never below groupRate). Default 80. */
  groupHighCap?: number;
  /** WebSocket upgrade attempts per client address per window; over it: 429. 0: no limit. Default 30. */
  connectionsPerIP?: number;
  /** The window of connectionsPerIP. Default 10000. */
  connectionWindowMs?: number;
  /** Take the client address from the last X-Forwarded-For entry (behind your proxy). Default false. */
  trustProxy?: boolean;
  /** Caps every upload kind below LIMITS.uploadBytes. Default: no cap. */
  maxUploadBytes?: number;
  /** Monotonic clock of the rate limits, in milliseconds (tests). Default performance.now. */
  limitClockMs?: MsClock;
}

export interface RunningServer {
  /** http://host:port */
  url: string;
  port: number;
  /** The default app; `created` is true when this start created it. */
  app: { SDKAppID: number; secretKey: string; created: boolean };
  genUserSig(userID: string, expireSeconds?: number): string;
  metrics(): { connections: number; messages: number };
  close(): Promise<void>;
}

export const DEFAULT_DEV_USERSIG_EXPIRE = 7 * 86400;

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const root = findRepoRoot();
  const host = options.host ?? '127.0.0.1';
  if (options.dev && !isLoopbackHost(host) && !options.allowRemoteDev) {
    throw new Error(
      `refusing dev mode on ${host}: /dev/usersig would let anyone who reaches it log in as ` +
        'anyone (bind a loopback host, or set allowRemoteDev / --allow-remote-dev)',
    );
  }
  for (const key of [
    'sendRate',
    'sendBurst',
    'groupRate',
    'groupHighCap',
    'connectionsPerIP',
    'connectionWindowMs',
    'maxUploadBytes',
  ] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new Error(`${key} must be a number >= 0`);
    }
  }
  const limitClock = options.limitClockMs ?? monotonicMs;
  const sendLimits = createSendLimits(
    {
      sendRate: options.sendRate ?? DEFAULT_LIMITS.sendRate,
      sendBurst: options.sendBurst ?? DEFAULT_LIMITS.sendBurst,
      groupRate: options.groupRate ?? DEFAULT_LIMITS.groupRate,
      groupHighCap: options.groupHighCap ?? DEFAULT_LIMITS.groupHighCap,
    },
    limitClock,
  );
  const connectionLimiter = new ConnectionLimiter(
    options.connectionsPerIP ?? DEFAULT_LIMITS.connectionsPerIP,
    options.connectionWindowMs ?? DEFAULT_LIMITS.connectionWindowMs,
    limitClock,
  );
  const dbFile = options.dbFile ?? join(resolve(options.dataDir ?? './data'), 'imkit.sqlite');
  const log = createLogger(options.log ?? true, process.env.IMKIT_DEBUG === '1');
  const metrics = new Metrics();
  const nodeID = options.nodeID ?? randomUUID();
  if (options.databaseURL !== undefined && !/^postgres(ql)?:\/\//.test(options.databaseURL)) {
    throw new Error('databaseURL must be a postgres:// URL');
  }
  if (options.redisURL !== undefined && !/^rediss?:\/\//.test(options.redisURL)) {
    throw new Error('redisURL must be a redis:// URL');
  }
  // Set once the sessions exist: what to do when the Redis subscription was interrupted.
  let onBusGap = () => {};
  const storage: Storage = options.databaseURL
    ? await PgStorage.open({
        url: options.databaseURL,
        schema: options.databaseSchema,
        max: options.databasePoolSize,
      })
    : new SqliteStorage({ file: dbFile });
  let bus: Bus;
  let presence: Presence;
  try {
    if (options.redisURL) {
      const redis = {
        url: options.redisURL,
        prefix: options.redisPrefix,
        nodeID,
        nodeTTLms: options.nodeTTLms,
        onError: (err: unknown) => log.warn('redis', { err: String(err) }),
      };
      bus = await RedisBus.open({ ...redis, onGap: () => onBusGap() });
      try {
        presence = await RedisPresence.open(redis);
      } catch (err) {
        await bus.close();
        throw err;
      }
    } else {
      bus = new MemoryBus();
      presence = new MemoryPresence();
    }
  } catch (err) {
    await storage.close();
    throw err;
  }
  const now = options.now ?? nowSeconds;
  const deps: ServiceDeps = {
    storage,
    bus,
    metrics,
    log,
    now,
    nowMs: options.now ? () => options.now!() * 1000 : Date.now,
    config: {
      recallWindowSeconds: options.recallWindowSeconds ?? DEFAULT_CONFIG.recallWindowSeconds,
      translateURL: options.translateURL ?? DEFAULT_CONFIG.translateURL,
      translateTimeoutMs: options.translateTimeoutMs ?? DEFAULT_CONFIG.translateTimeoutMs,
      extensionConflictWindowMs:
        options.extensionConflictWindowMs ?? DEFAULT_CONFIG.extensionConflictWindowMs,
    },
  };
  const conversations = new ConversationService(deps);
  const messages = new MessageService(deps, undefined, sendLimits);
  const pins = new PinService(deps);
  const groups = new GroupService(deps);
  const services = {
    auth: new AuthService(deps, options.maxInstances),
    messages,
    lifecycle: new LifecycleService(deps, conversations, pins, messages.onlineOnly),
    receipts: new ReceiptService(deps),
    extensions: new ExtensionService(deps),
    reactions: new ReactionService(deps),
    pins,
    remind: new RemindService(deps, conversations),
    translate: new TranslateService(deps),
    conversations,
    groups,
    profiles: new ProfileService(deps),

    // [issue 4: conversations]
    conversationOps: new ConversationOpsService(deps, conversations),

    // [issue 5: groups]
    groupAdmin: new GroupAdminService(deps, groups),
    topics: new TopicService(deps, groups),
    groupKV: new GroupKeyValueService(deps, groups),

    // [issue 6: users and relationships]
    relations: new RelationService(deps),
    follows: new FollowService(deps),
    status: new StatusService(deps, presence),
  };

  let transport: Transport | undefined;
  let http: Server | undefined;
  let mediaStore: MediaStore | undefined;
  try {
    if (options.mediaDir) mediaStore = await LocalDiskMediaStore.open(resolve(options.mediaDir));
    else if (dbFile === ':memory:')
      // An in-memory database (tests, and PostgreSQL test servers that pass one) keeps no files.
      mediaStore = await LocalDiskMediaStore.temporary();
    else
      mediaStore = await LocalDiskMediaStore.open(
        options.dataDir ? join(resolve(options.dataDir), 'media') : join(dirname(dbFile), 'media'),
      );
    const media = createMediaHttp({
      uploads: new UploadService(deps, mediaStore, options.maxUploadBytes),
      log,
      publicURL: options.publicURL ?? '',
    });

    const { app, created } = await services.auth.ensureDefaultApp();
    const sign = (userID: string, expire?: number) =>
      genUserSig({ SDKAppID: app.SDKAppID, secretKey: app.secretKey, userID, expire });

    const sessions = new SessionRegistry(metrics);
    const unsubscribe = bus.subscribe((event) => sessions.deliver(event));
    onBusGap = () => {
      // Pushes sent while this node's subscription was down are lost: every client reconnects
      // and catches up from its cursor.
      log.warn('bus interrupted: closing every socket of this node for a catch-up');
      sessions.closeAll(CloseCode.BUS_INTERRUPTED, 'bus interrupted');
    };
    const connectionDeps = {
      services,
      sessions,
      presence,
      bus,
      metrics,
      log,
      loginTimeoutMs: options.loginTimeoutMs ?? 10_000,
    };
    const activeTransport = new Transport({
      heartbeatMs: options.heartbeatMs ?? 30_000,
      idPrefix: options.redisURL ? `${nodeID}/` : '',
      metrics,
      log,
      accept: (socket) => {
        const connection = new Connection(socket, connectionDeps);
        return {
          onText: (text) => connection.onText(text),
          onBinary: () => connection.onBinary(),
          onClose: () => connection.onClose(),
        };
      },
    });
    transport = activeTransport;

    const server = createServer(
      createHttpHandler({
        dev: options.dev ?? false,
        staticDir: options.staticDir ?? join(root, 'dist', 'browser'),
        demoDir: options.demoDir ?? join(root, 'demo'),
        metrics,
        log,
        SDKAppID: app.SDKAppID,
        genUserSig: (userID) => sign(userID, DEFAULT_DEV_USERSIG_EXPIRE),
        media,
      }),
    );
    http = server;
    server.on('upgrade', (req, socket, head) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== '/ws') {
        socket.write('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        socket.destroy();
        return;
      }
      const address = clientAddress(req, options.trustProxy ?? false);
      if (!connectionLimiter.attempt(addressKey(address))) {
        metrics.rateLimited.connection++;
        log.debug('connection attempts over the limit', { address });
        const body = JSON.stringify({
          code: ErrorCode.RATE_LIMITED,
          message: 'too many connection attempts from this address',
        });
        const retryAfter = Math.ceil(connectionLimiter.windowMs / 1000);
        socket.on('error', () => socket.destroy());
        socket.once('finish', () => socket.destroy());
        socket.end(
          'HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\n' +
            `Retry-After: ${retryAfter}\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
        return;
      }
      activeTransport.handleUpgrade(req, socket, head);
    });
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 8080, host, () => {
        server.off('error', reject);
        resolveListen();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
    const url = `http://${urlHost}:${port}`;
    log.info('server listening', {
      url,
      SDKAppID: app.SDKAppID,
      dev: options.dev ?? false,
      node: nodeID,
      storage: options.databaseURL ? 'postgres' : 'sqlite',
      bus: options.redisURL ? 'redis' : 'memory',
    });

    let closing: Promise<void> | null = null;
    return {
      url,
      port,
      app: { SDKAppID: app.SDKAppID, secretKey: app.secretKey, created },
      genUserSig: (userID, expireSeconds) => sign(userID, expireSeconds),
      metrics: () => ({ connections: metrics.connections, messages: metrics.messages }),
      close: () =>
        (closing ??= (async () => {
          const httpClosed = new Promise<void>((r) => server.close(() => r()));
          await activeTransport.close();
          server.closeAllConnections();
          await httpClosed;
          unsubscribe();
          await bus.close();
          await presence.close();
          await storage.close();
          await mediaStore?.close();
          log.info('server closed');
        })()),
    };
  } catch (err) {
    await transport?.close();
    http?.close();
    await bus.close();
    await presence.close();
    await storage.close();
    await mediaStore?.close();
    throw err;
  }
}
