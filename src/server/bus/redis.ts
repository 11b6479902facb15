/**
 * Redis bus and presence: several server nodes behind any load balancer, one Redis.
 *
 * Bus. Every node subscribes to one channel. An event is delivered to this node's own sockets at
 * once (in publish order, as the in-process bus does) and published for the other nodes; each node
 * delivers to the sockets it holds and drops what it published itself. Events published in the same
 * turn of the event loop leave as ONE Redis message, and a frame shared by many recipients (a group
 * message fanned out to its members) is encoded once in it. Redis pub/sub delivers at most once:
 * when this node's subscription is interrupted, events sent meanwhile are gone, so once it is back
 * the `onGap` handler runs (index.ts closes every socket of the node with a reconnect code, and
 * each client catches up from its cursor: the messages themselves are in the database).
 *
 * Presence. One Redis hash per user: field instanceID -> JSON {o: login order, c: ["node|conn"]}.
 * Attach, detach and counting are Lua scripts, atomic across nodes. Every node keeps a key
 * `<prefix>node:<nodeID>` alive with a TTL; the scripts drop the sockets of nodes whose key expired,
 * so a killed node's users do not stay online, nor count against the instance limit, for longer
 * than the TTL.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { PushFrame } from '../../protocol/wire.js';
import type { Bus, BusEvent, BusHandler, Presence } from './types.js';

export interface RedisOptions {
  /** redis://[:password@]host:port[/db] */
  url: string;
  /** Prefix of every key and channel, so several deployments can share one Redis. Default 'imkit:'. */
  prefix?: string;
  /** This node's ID (logs, presence). Default: random. */
  nodeID?: string;
  /** How long a node counts as alive after its last heartbeat. Default 15000. */
  nodeTTLms?: number;
  /** Called when this node's subscription was interrupted and events may have been lost. */
  onGap?: () => void;
  /**
   * How long publish() waits for Redis to take an event before it settles anyway (Redis down or
   * stalled: the event stays queued, and the other nodes' subscriptions see the gap). Default 2000.
   */
  publishTimeoutMs?: number;
  /** Errors of the background work (publishing, heartbeats). Default: ignored. */
  onError?: (error: unknown) => void;
}

/** publish() waits this long for Redis by default (RedisOptions.publishTimeoutMs). */
const PUBLISH_TIMEOUT_MS = 2000;

/** One Redis message: the frames once, then the events that point at them. */
interface WireBatch {
  n: string;
  f: PushFrame[];
  e: (
    | { k: 'p'; a: number; u: string; f: number; x?: string }
    | { k: 'k'; a: number; u: string; i: string[]; t: string }
  )[];
}

function connect(url: string): Redis {
  return new Redis(url, {
    // Commands wait for a reconnect instead of failing at once; the bus must not throw in services.
    maxRetriesPerRequest: null,
    enableAutoPipelining: true,
    lazyConnect: true,
  });
}

export class RedisBus implements Bus {
  private readonly handlers = new Set<BusHandler>();
  private readonly channel: string;
  private pending: BusEvent[] = [];
  /** Settles the publish() calls of `pending` once their Redis message is published. */
  private waiting: (() => void)[] = [];
  private flushing = false;
  private wasReady = false;
  private closed = false;

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    readonly nodeID: string,
    prefix: string,
    private readonly options: RedisOptions,
  ) {
    this.channel = `${prefix}bus`;
  }

  static async open(options: RedisOptions): Promise<RedisBus> {
    const prefix = options.prefix ?? 'imkit:';
    const bus = new RedisBus(
      connect(options.url),
      connect(options.url),
      options.nodeID ?? randomUUID(),
      prefix,
      options,
    );
    await bus.start();
    return bus;
  }

  private async start(): Promise<void> {
    const fail = (error: unknown) => this.options.onError?.(error);
    this.pub.on('error', fail);
    this.sub.on('error', fail);
    await this.pub.connect();
    await this.sub.connect();
    this.sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => this.receive(message));
    // ioredis subscribes again after a reconnect; what was published in between never arrives.
    this.sub.on('ready', () => {
      if (this.wasReady && !this.closed) this.options.onGap?.();
    });
    await this.sub.subscribe(this.channel);
    this.wasReady = true;
  }

  /**
   * Delivers to this node's sockets at once and settles when Redis has taken the event (PUBLISH
   * answered: every subscribed node has it), has failed to, or has not answered within
   * `publishTimeoutMs`. A service that answers a request only after this (a send's ack) does not
   * acknowledge what a crash of this node right after could still lose, while Redis is up.
   */
  publish(event: BusEvent): Promise<void> {
    for (const handler of this.handlers) handler(event);
    if (this.closed) return Promise.resolve();
    this.pending.push(event);
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => this.flush());
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private flush(): void {
    this.flushing = false;
    const events = this.pending;
    const waiting = this.waiting;
    this.pending = [];
    this.waiting = [];
    if (events.length === 0 || this.closed) {
      for (const resolve of waiting) resolve();
      return;
    }
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const resolve of waiting) resolve();
    };
    // A stalled Redis must not stall every send of this node: past the timeout the senders are
    // answered (their messages are committed; the subscribers' gap handling catches up).
    const timeoutMs = this.options.publishTimeoutMs ?? PUBLISH_TIMEOUT_MS;
    const timer = setTimeout(() => {
      this.options.onError?.(new Error(`Redis did not take a publish within ${timeoutMs} ms`));
      settle();
    }, timeoutMs);
    timer.unref();
    const frames: PushFrame[] = [];
    const index = new Map<PushFrame, number>();
    const batch: WireBatch = { n: this.nodeID, f: frames, e: [] };
    for (const event of events) {
      if (event.kind === 'push') {
        let f = index.get(event.frame);
        if (f === undefined) {
          f = frames.push(event.frame) - 1;
          index.set(event.frame, f);
        }
        batch.e.push({
          k: 'p',
          a: event.app,
          u: event.userID,
          f,
          ...(event.exceptConnID ? { x: event.exceptConnID } : {}),
        });
      } else {
        batch.e.push({
          k: 'k',
          a: event.app,
          u: event.userID,
          i: event.instanceIDs,
          t: event.type,
        });
      }
    }
    this.pub.publish(this.channel, JSON.stringify(batch)).then(settle, (error: unknown) => {
      this.options.onError?.(error);
      settle();
    });
  }

  private receive(message: Buffer): void {
    let batch: WireBatch;
    try {
      batch = JSON.parse(message.toString('utf8')) as WireBatch;
    } catch (error) {
      this.options.onError?.(error);
      return;
    }
    if (batch.n === this.nodeID) return;
    for (const e of batch.e) {
      const event: BusEvent =
        e.k === 'p'
          ? {
              kind: 'push',
              app: e.a,
              userID: e.u,
              frame: batch.f[e.f],
              ...(e.x ? { exceptConnID: e.x } : {}),
            }
          : { kind: 'kick', app: e.a, userID: e.u, instanceIDs: e.i, type: e.t };
      for (const handler of this.handlers) handler(event);
    }
  }

  subscribe(handler: BusHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.handlers.clear();
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }
}

/**
 * Drops the sockets of dead nodes from one user's hash (KEYS[1]); a node is alive while its key
 * (ARGV[1] .. nodeID) exists. Answers the decoded live instances.
 */
const PRUNE = `
local function live(key, nodePrefix)
  local raw = redis.call('HGETALL', key)
  local out = {}
  local alive = {}
  for i = 1, #raw, 2 do
    local inst = cjson.decode(raw[i + 1])
    local conns = {}
    for _, member in ipairs(inst.c) do
      local node = string.match(member, '^([^|]*)|')
      if alive[node] == nil then alive[node] = redis.call('EXISTS', nodePrefix .. node) == 1 end
      if alive[node] then table.insert(conns, member) end
    end
    if #conns == 0 then
      redis.call('HDEL', key, raw[i])
    else
      if #conns ~= #inst.c then
        inst.c = conns
        redis.call('HSET', key, raw[i], cjson.encode(inst))
      end
      out[raw[i]] = inst
    end
  end
  return out
end
`;

/** KEYS: user hash, order counter. ARGV: node prefix, instanceID, member, max. Answers evicted. */
const ATTACH = `${PRUNE}
local instances = live(KEYS[1], ARGV[1])
local id, member, max = ARGV[2], ARGV[3], tonumber(ARGV[4])
local inst = instances[id]
if inst == nil then
  inst = { o = redis.call('INCR', KEYS[2]), c = {} }
  instances[id] = inst
end
local present = false
for _, m in ipairs(inst.c) do if m == member then present = true end end
if not present then table.insert(inst.c, member) end
redis.call('HSET', KEYS[1], id, cjson.encode(inst))
local others = {}
local count = 0
for other, value in pairs(instances) do
  count = count + 1
  if other ~= id then table.insert(others, { other, value.o }) end
end
table.sort(others, function(a, b) return a[2] < b[2] end)
local evicted = {}
local i = 1
while count > max and i <= #others do
  redis.call('HDEL', KEYS[1], others[i][1])
  table.insert(evicted, others[i][1])
  count = count - 1
  i = i + 1
end
return evicted
`;

/** KEYS: user hash. ARGV: instanceID, member. */
const DETACH = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local inst = cjson.decode(raw)
local conns = {}
for _, m in ipairs(inst.c) do if m ~= ARGV[2] then table.insert(conns, m) end end
if #conns == 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  inst.c = conns
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(inst))
end
return 1
`;

/** KEYS: user hashes. ARGV: node prefix. Answers the live instance count of each. */
const COUNT = `${PRUNE}
local counts = {}
for k = 1, #KEYS do
  local n = 0
  for _ in pairs(live(KEYS[k], ARGV[1])) do n = n + 1 end
  counts[k] = n
end
return counts
`;

/** Users per COUNT call (one Lua call blocks Redis while it runs). */
const COUNT_BATCH = 500;

export class RedisPresence implements Presence {
  private readonly nodePrefix: string;
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;

  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly nodeID: string,
    private readonly ttlMs: number,
    private readonly onError: (error: unknown) => void,
  ) {
    this.nodePrefix = `${prefix}node:`;
    redis.defineCommand('imkitAttach', { numberOfKeys: 2, lua: ATTACH });
    redis.defineCommand('imkitDetach', { numberOfKeys: 1, lua: DETACH });
    this.heartbeat = setInterval(
      () => {
        this.beat().catch(onError);
      },
      Math.max(100, Math.floor(ttlMs / 3)),
    );
    this.heartbeat.unref();
  }

  static async open(options: RedisOptions): Promise<RedisPresence> {
    const redis = connect(options.url);
    const onError = options.onError ?? (() => {});
    redis.on('error', onError);
    await redis.connect();
    const presence = new RedisPresence(
      redis,
      options.prefix ?? 'imkit:',
      options.nodeID ?? randomUUID(),
      options.nodeTTLms ?? 15_000,
      onError,
    );
    await presence.beat();
    return presence;
  }

  private beat(): Promise<unknown> {
    return this.redis.set(this.nodePrefix + this.nodeID, '1', 'PX', this.ttlMs);
  }

  private userKey(app: number, userID: string): string {
    return `${this.prefix}presence:${app}:${userID}`;
  }

  private member(connID: string): string {
    return `${this.nodeID}|${connID}`;
  }

  async attach(
    app: number,
    userID: string,
    instanceID: string,
    connID: string,
    maxInstances: number,
  ): Promise<string[]> {
    const evicted = (await (
      this.redis as unknown as {
        imkitAttach(...args: (string | number)[]): Promise<string[]>;
      }
    ).imkitAttach(
      this.userKey(app, userID),
      `${this.prefix}presence-order`,
      this.nodePrefix,
      instanceID,
      this.member(connID),
      maxInstances,
    )) as string[];
    return evicted;
  }

  async detach(app: number, userID: string, instanceID: string, connID: string): Promise<void> {
    await (
      this.redis as unknown as { imkitDetach(...args: string[]): Promise<number> }
    ).imkitDetach(this.userKey(app, userID), instanceID, this.member(connID));
  }

  async instanceCount(app: number, userID: string): Promise<number> {
    return (await this.instanceCounts(app, [userID]))[0];
  }

  async instanceCounts(app: number, userIDs: string[]): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < userIDs.length; i += COUNT_BATCH) {
      const keys = userIDs.slice(i, i + COUNT_BATCH).map((u) => this.userKey(app, u));
      const counts = (await this.redis.eval(
        COUNT,
        keys.length,
        ...keys,
        this.nodePrefix,
      )) as number[];
      out.push(...counts);
    }
    return out;
  }

  /** This node stops: its sockets no longer count anywhere. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    try {
      await this.redis.del(this.nodePrefix + this.nodeID);
    } catch (error) {
      this.onError(error);
    }
    await this.redis.quit().catch(() => undefined);
  }
}
