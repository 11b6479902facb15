/** Small helpers shared by the worker modules. */
import type { EngineConfig } from '../protocol/rpc.js';
import { MESSAGE_DEFAULTS, type Message } from '../protocol/types.js';

/** A Set that forgets its oldest entries past `limit` (message-ID dedupe). */
export class BoundedSet<T> {
  private readonly items = new Set<T>();
  constructor(private readonly limit: number) {}
  has(value: T): boolean {
    return this.items.has(value);
  }
  add(value: T): void {
    if (this.items.has(value)) return;
    this.items.add(value);
    if (this.items.size > this.limit) {
      const oldest = this.items.values().next().value as T;
      this.items.delete(oldest);
    }
  }
  delete(value: T): void {
    this.items.delete(value);
  }
  clear(): void {
    this.items.clear();
  }
}

export function engineKey(config: EngineConfig): string {
  return `${config.server}|${config.SDKAppID}|${config.userID}`;
}

/** `http://host:1/x` -> `ws://host:1/x/ws`; `https` -> `wss`. */
export function webSocketURL(server: string): string {
  const base = server.replace(/\/+$/, '');
  if (/^wss?:\/\//i.test(base)) return `${base}/ws`;
  return `${base.replace(/^http/i, 'ws')}/ws`;
}

export function randomInstanceID(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return `web-${c.randomUUID()}`;
  return `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 14)}`;
}

/**
 * A server message as this user sees it: every field present, `flow` relative to `me`, and the
 * conversation ID from this user's side (`C2C<peer>` / `GROUP<groupID>`).
 */
const DEFAULT_KEYS = Object.keys(MESSAGE_DEFAULTS);

export function normalizeMessage(m: Message, me: string): Message {
  // Copy, then fill what is missing: `{...defaults, ...m}` is some 50 times slower in V8, and
  // this runs for every message a catch-up or a history page brings.
  const msg = { ...m } as Message & Record<string, unknown>;
  for (const key of DEFAULT_KEYS) {
    if (msg[key] === undefined) msg[key] = MESSAGE_DEFAULTS[key as keyof typeof MESSAGE_DEFAULTS];
  }
  msg.flow = msg.from === me ? 'out' : 'in';
  if (msg.conversationType === 'GROUP') msg.conversationID = `GROUP${msg.to}`;
  else if (msg.conversationType === 'C2C')
    msg.conversationID = `C2C${msg.from === me ? msg.to : msg.from}`;
  if (msg.status === 'unSend') msg.status = 'success';
  return msg;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
