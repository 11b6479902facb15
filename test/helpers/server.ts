/**
 * Test helpers shared by the server, e2e and bench suites: a real server on port 0 and a tiny
 * promise-based WebSocket client speaking the wire protocol (src/protocol/wire.ts).
 *
 *   const server = await startTestServer();
 *   const alice = await connectClient(server, 'alice');
 *   const { data } = await alice.request('getMyProfile', {});
 *   const push = await alice.nextPush('message');
 *   await alice.close(); await server.close();
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import type { LoginResult, PushFrame, ServerFrame } from '../../src/protocol/wire.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/index.js';

export { startServer };
export type { RunningServer, ServerOptions };

/**
 * startServer with port 0, an in-memory database and no logs, unless overridden. Every test
 * connects from 127.0.0.1, so the per-address connection limit is raised (suites open hundreds of
 * sockets); the message rate limits keep the server defaults (test/reliability/limits.test.ts
 * lowers them, tests that legitimately send fast raise them).
 */
export function startTestServer(options: ServerOptions = {}): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: '127.0.0.1',
    dbFile: ':memory:',
    log: false,
    connectionsPerIP: 100_000,
    ...clusterTestOptions(options),
    ...options,
  });
}

/**
 * With IMKIT_TEST_STORAGE=postgres (the `server-pg` stage of `npm test`), every test server stores
 * in a fresh schema of the PostgreSQL at IMKIT_TEST_PG_URL and, when IMKIT_TEST_REDIS_URL is set,
 * routes its bus and presence through Redis under a fresh prefix: the whole server suite then runs
 * on the scale-out stack. A test that asks for a data directory of its own (restarts on one file)
 * keeps SQLite.
 */
export function clusterTestOptions(options: ServerOptions = {}): ServerOptions {
  if (process.env.IMKIT_TEST_STORAGE !== 'postgres') return {};
  const url = process.env.IMKIT_TEST_PG_URL;
  if (!url) throw new Error('IMKIT_TEST_STORAGE=postgres needs IMKIT_TEST_PG_URL');
  if (options.dataDir !== undefined || options.dbFile !== undefined) return {};
  const id = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const redisURL = process.env.IMKIT_TEST_REDIS_URL;
  return {
    databaseURL: url,
    databaseSchema: id,
    databasePoolSize: 4,
    ...(redisURL ? { redisURL, redisPrefix: `${id}:` } : {}),
  };
}

export function wsURL(server: Pick<RunningServer, 'url'>): string {
  return server.url.replace(/^http/, 'ws') + '/ws';
}

/** What `request` rejects with: the error frame's code and message. */
export class RequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(`${code}: ${message}`);
    this.name = 'RequestError';
  }
}

export interface ConnectOptions {
  /** Random unless given; sockets with the same one count as one instance. */
  instanceID?: string;
  /** Default: a fresh UserSig from the server's default app. */
  userSig?: string;
  SDKAppID?: number;
  protocol?: number;
  /** false: connect without logging in (default true). */
  login?: boolean;
  /** Passed to the ws client (e.g. `{autoPong: false}`). */
  wsOptions?: WebSocket.ClientOptions;
  /** Per-request timeout, default 5000 ms. */
  timeoutMs?: number;
}

export interface Closed {
  code: number;
  reason: string;
}

export interface TestClient {
  readonly userID: string;
  readonly instanceID: string;
  readonly ws: WebSocket;
  /** The login result (undefined when connected with `login: false`). */
  login?: LoginResult;
  /** Every frame received, in order. */
  readonly frames: ServerFrame[];
  /** Resolves with the close code once the socket is closed. */
  readonly closed: Promise<Closed>;
  /** Sends `{id, op, data}`; resolves with `data` of the OK response, rejects with RequestError. */
  request<T = any>(op: string, data?: unknown): Promise<T>;
  /** Sends a raw text frame. */
  sendRaw(text: string | Buffer, binary?: boolean): void;
  /** The next push of that name not consumed yet (already received or coming). */
  nextPush<T extends PushFrame['push']>(
    push: T,
    timeoutMs?: number,
  ): Promise<Extract<PushFrame, { push: T }>>;
  /** Resolves true when no push of that name arrives within `ms` (it is not consumed). */
  noPush(push: PushFrame['push'], ms?: number): Promise<boolean>;
  /** The next frame (response or push) matching `predicate`, received or coming. */
  nextFrame(predicate: (frame: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame>;
  close(): Promise<Closed>;
  terminate(): Promise<Closed>;
}

interface Waiter {
  predicate: (frame: ServerFrame) => boolean;
  resolve: (frame: ServerFrame) => void;
}

let nextID = 1;

/** Opens a socket to the server and (by default) logs in as `userID`. */
export async function connectClient(
  server: RunningServer,
  userID: string,
  opts: ConnectOptions = {},
): Promise<TestClient> {
  const ws = new WebSocket(wsURL(server), opts.wsOptions);
  const instanceID = opts.instanceID ?? randomBytes(8).toString('hex');
  const timeoutMs = opts.timeoutMs ?? 5000;
  const frames: ServerFrame[] = [];
  const consumed = new WeakSet<ServerFrame>();
  const waiters = new Set<Waiter>();
  const pending = new Map<
    number,
    { resolve: (f: ServerFrame) => void; reject: (e: Error) => void }
  >();

  const closed = new Promise<Closed>((resolve) => {
    ws.on('close', (code, reason) => {
      for (const p of pending.values())
        p.reject(new Error(`socket closed (${code}) before the response`));
      pending.clear();
      resolve({ code, reason: reason.toString() });
    });
  });
  ws.on('error', () => {});
  ws.on('message', (raw, isBinary) => {
    if (isBinary) return;
    const frame = JSON.parse(raw.toString()) as ServerFrame;
    frames.push(frame);
    if ('id' in frame && frame.id > 0 && pending.has(frame.id)) {
      const p = pending.get(frame.id)!;
      pending.delete(frame.id);
      consumed.add(frame);
      p.resolve(frame);
      return;
    }
    for (const waiter of waiters) {
      if (waiter.predicate(frame)) {
        waiters.delete(waiter);
        consumed.add(frame);
        waiter.resolve(frame);
        return;
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });

  function nextFrame(
    predicate: (frame: ServerFrame) => boolean,
    ms = timeoutMs,
  ): Promise<ServerFrame> {
    const found = frames.find((f) => !consumed.has(f) && predicate(f));
    if (found) {
      consumed.add(found);
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`timed out after ${ms} ms waiting for a frame (${userID})`));
      }, ms);
      waiters.add(waiter);
    });
  }

  async function request<T>(op: string, data: unknown = {}): Promise<T> {
    const id = nextID++;
    const response = new Promise<ServerFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`request ${op} (${userID}) timed out`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
    ws.send(JSON.stringify({ id, op, data }));
    const frame = (await response) as { code: number; message?: string; data?: unknown };
    if (frame.code !== 0) throw new RequestError(frame.code, frame.message ?? '', frame.data);
    return frame.data as T;
  }

  const client: TestClient = {
    userID,
    instanceID,
    ws,
    frames,
    closed,
    request,
    sendRaw: (text, binary = false) => ws.send(text, { binary }),
    nextPush: (push, ms) => nextFrame((f) => 'push' in f && f.push === push, ms) as Promise<never>,
    noPush: async (push, ms = 200) => {
      await sleep(ms);
      return !frames.some((f) => !consumed.has(f) && 'push' in f && f.push === push);
    },
    nextFrame,
    close: async () => {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close();
      return closed;
    },
    terminate: async () => {
      ws.terminate();
      return closed;
    },
  };

  if (opts.login !== false) {
    client.login = await request<LoginResult>('login', {
      SDKAppID: opts.SDKAppID ?? server.app.SDKAppID,
      userID,
      userSig: opts.userSig ?? server.genUserSig(userID),
      instanceID,
      protocol: opts.protocol ?? PROTOCOL_VERSION,
    });
  }
  return client;
}

/** A unique userID for a test. */
export function uid(prefix = 'u'): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** Logs in a batch of users (registering them) and closes their sockets. */
export async function registerUsers(server: RunningServer, ...userIDs: string[]): Promise<void> {
  for (const userID of userIDs) {
    const client = await connectClient(server, userID);
    await client.close();
  }
}

/** Reads one metric value from GET /metrics. */
export async function readMetric(server: RunningServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`metric ${name} not found`);
  return Number(line.slice(name.length + 1));
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

let messageCounter = 0;

/** `sendMessage` data for a text message (override any field through `extra`). */
export function textMessage(to: string, text: string, extra: Record<string, unknown> = {}) {
  messageCounter++;
  const random = Math.floor(Math.random() * 1e9);
  const clientTime = Math.floor(Date.now() / 1000);
  return {
    message: {
      ID: `t-${clientTime}-${messageCounter}-${random}`,
      type: 'TIMTextElem',
      payload: { text },
      conversationType: 'C2C',
      to,
      clientTime,
      random,
      ...extra,
    },
  };
}

/** `sendMessage` data for a group text message. */
export function groupText(groupID: string, text: string, extra: Record<string, unknown> = {}) {
  return textMessage(groupID, text, { conversationType: 'GROUP', ...extra });
}

/** What POST /upload answered. */
export interface UploadResponse {
  status: number;
  headers: Headers;
  body: {
    code: number;
    message?: string;
    data?: import('../../src/protocol/types.js').UploadResult;
  };
}

/** POST /upload as `userID` (a fresh UserSig unless given; `headers` override any header). */
export async function uploadFile(
  server: RunningServer,
  userID: string,
  options: {
    kind: string;
    name?: string;
    body: Uint8Array | string;
    contentType?: string;
    userSig?: string;
    headers?: Record<string, string>;
  },
): Promise<UploadResponse> {
  const query = new URLSearchParams({ kind: options.kind });
  if (options.name !== undefined) query.set('name', options.name);
  const res = await fetch(`${server.url}/upload?${query}`, {
    method: 'POST',
    headers: {
      'Content-Type': options.contentType ?? 'application/octet-stream',
      'X-IM-SDKAppID': String(server.app.SDKAppID),
      'X-IM-UserID': userID,
      'X-IM-UserSig': options.userSig ?? server.genUserSig(userID),
      ...options.headers,
    },
    body: options.body as BodyInit,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as never };
}

/** Creates a Work group (unless `type` says otherwise) owned by `owner` with `members`. */
export async function createGroupWith(
  owner: TestClient,
  members: string[],
  extra: Record<string, unknown> = {},
): Promise<string> {
  const { group } = await owner.request('createGroup', {
    name: 'g',
    type: 'Private',
    memberList: members.map((userID) => ({ userID })),
    ...extra,
  });
  return group.groupID as string;
}
