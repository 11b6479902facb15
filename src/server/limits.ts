/**
 * Rate limits enforced by the server. Each refusal is an error answer that changes nothing.
 *
 * | Limit | Rule | Default | Refusal |
 * |---|---|---|---|
 * | per-user send rate | token bucket per (app, user) over every sendMessage | 20/s, burst 40 | 10023 |
 * | per-group message rate | sliding 1 s window per (app, group), admission by priority | 40/s, High cap 80/s | 10023 |
 * | connection attempts per IP | sliding window per address key (net.ts) | 30 per 10 s | HTTP 429, no socket |
 *
 * Group admission (Tencent: 40 messages per second per group; over it, higher priorities are
 * delivered first). With R = groupRate and W = messages the group admitted in the last second:
 *
 *   Lowest: W < ceil(R / 2)    Low: W < ceil(3R / 4)    Normal: W < R    High: W < groupHighCap
 *
 * so a group that is busy sheds Lowest first, then Low, then Normal, and High messages still go
 * through up to the hard cap. Refused messages are not counted in W.
 *
 * A limit of 0 turns it off. The counters live in this process: with several server nodes each
 * node enforces its own share. Memory stays bounded: idle keys are swept, and beyond MAX_KEYS the
 * oldest keys are forgotten (which only makes the limit more lenient for them).
 */
import type { MessagePriority } from '../protocol/constants.js';
import { ErrorCode } from '../protocol/codes.js';

/** Tencent's 10023: the message send frequency was exceeded (not in protocol/codes.ts yet). */
export const SEND_FREQUENCY_LIMIT = ErrorCode.SEND_FREQUENCY_LIMIT;

export interface LimitSettings {
  /** Messages per second per user (token refill). 0: no limit. */
  sendRate: number;
  /** Bucket size per user. */
  sendBurst: number;
  /** Messages per second per group for Normal priority. 0: no limit. */
  groupRate: number;
  /** Messages per second per group that High priority may still fill (never below groupRate). */
  groupHighCap: number;
  /** WebSocket upgrade attempts per address key per window. 0: no limit. */
  connectionsPerIP: number;
  connectionWindowMs: number;
}

export const DEFAULT_LIMITS: LimitSettings = {
  sendRate: 20,
  sendBurst: 40,
  groupRate: 40,
  groupHighCap: 80,
  connectionsPerIP: 30,
  connectionWindowMs: 10_000,
};

/** Monotonic milliseconds. */
export type MsClock = () => number;
export const monotonicMs: MsClock = () => performance.now();

const MAX_KEYS = 100_000;
const SWEEP_EVERY_MS = 60_000;

/** A Map with lazy sweeping of idle entries and a cap on its size. */
class KeyedState<T> {
  private readonly map = new Map<string, T>();
  private lastSweep: number;

  constructor(
    private readonly now: MsClock,
    private readonly idle: (entry: T, now: number) => boolean,
  ) {
    this.lastSweep = now();
  }

  get(key: string, create: () => T): T {
    const now = this.now();
    if (now - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = now;
      for (const [k, entry] of this.map) if (this.idle(entry, now)) this.map.delete(k);
    }
    let entry = this.map.get(key);
    if (!entry) {
      if (this.map.size >= MAX_KEYS) this.map.delete(this.map.keys().next().value as string);
      entry = create();
      this.map.set(key, entry);
    }
    return entry;
  }

  get size(): number {
    return this.map.size;
  }
}

/** Token buckets by key: `rate` tokens per second, at most `burst`. */
export class TokenBuckets {
  private readonly state: KeyedState<{ tokens: number; at: number }>;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: MsClock = monotonicMs,
  ) {
    this.state = new KeyedState(now, (b, t) => b.tokens + ((t - b.at) * rate) / 1000 >= burst);
  }

  get enabled(): boolean {
    return this.rate > 0;
  }

  /** Takes one token; false (nothing taken) when the bucket is empty. */
  take(key: string): boolean {
    if (!this.enabled) return true;
    const now = this.now();
    const bucket = this.state.get(key, () => ({ tokens: this.burst, at: now }));
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) * this.rate) / 1000);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/** Sliding windows by key: the times of the events admitted during the last `windowMs`. */
export class SlidingWindows {
  private readonly state: KeyedState<number[]>;

  constructor(
    private readonly windowMs: number,
    private readonly now: MsClock = monotonicMs,
  ) {
    this.state = new KeyedState(
      now,
      (times, t) => times.length === 0 || times.at(-1)! <= t - windowMs,
    );
  }

  /** Records an event when fewer than `ceiling` were admitted in the window. */
  admit(key: string, ceiling: number): boolean {
    const now = this.now();
    const times = this.state.get(key, () => []);
    while (times.length > 0 && times[0] <= now - this.windowMs) times.shift();
    if (times.length >= ceiling) return false;
    times.push(now);
    return true;
  }
}

/** Per-group admission by priority (the rule in the module comment). */
export class GroupRateLimiter {
  private readonly windows: SlidingWindows;
  private readonly ceilings: Record<MessagePriority, number>;

  constructor(rate: number, highCap: number, now: MsClock = monotonicMs) {
    this.windows = new SlidingWindows(1000, now);
    this.ceilings = {
      High: Math.max(highCap, rate),
      Normal: rate,
      Low: Math.ceil((rate * 3) / 4),
      Lowest: Math.ceil(rate / 2),
    };
  }

  get enabled(): boolean {
    return this.ceilings.Normal > 0;
  }

  /** The most messages of `priority` a group admits per second (when nothing else is sent). */
  ceiling(priority: MessagePriority): number {
    return this.ceilings[priority];
  }

  admit(key: string, priority: MessagePriority): boolean {
    if (!this.enabled) return true;
    return this.windows.admit(key, this.ceilings[priority]);
  }
}

/** What MessageService enforces on sendMessage. */
export interface SendLimits {
  user: TokenBuckets;
  group: GroupRateLimiter;
}

export function createSendLimits(
  settings: Pick<LimitSettings, 'sendRate' | 'sendBurst' | 'groupRate' | 'groupHighCap'>,
  now: MsClock = monotonicMs,
): SendLimits {
  return {
    user: new TokenBuckets(settings.sendRate, Math.max(settings.sendBurst, 1), now),
    group: new GroupRateLimiter(settings.groupRate, settings.groupHighCap, now),
  };
}

/** No limits (services driven directly, as in unit tests). */
export function noSendLimits(): SendLimits {
  return createSendLimits({ sendRate: 0, sendBurst: 1, groupRate: 0, groupHighCap: 0 });
}

/** WebSocket upgrade attempts per address key. */
export class ConnectionLimiter {
  private readonly windows: SlidingWindows;

  constructor(
    private readonly perWindow: number,
    readonly windowMs: number,
    now: MsClock = monotonicMs,
  ) {
    this.windows = new SlidingWindows(windowMs, now);
  }

  /** Counts one attempt; false when `key` already made `perWindow` in the window. */
  attempt(key: string): boolean {
    if (this.perWindow <= 0) return true;
    return this.windows.admit(key, this.perWindow);
  }
}
