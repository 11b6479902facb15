/**
 * The outbox: messages sent through this engine that the server has not acknowledged yet.
 *
 * Every stored (not online-only) send goes through here, in the order the tabs asked:
 * - Connected, caught up and nothing waiting: the message is sent at once (up to WINDOW in flight;
 *   the server answers one socket's requests in order, so they commit in that order). Nothing is
 *   written.
 * - Not connected (socket down, server unreachable, reconnecting or catching up), or its send was
 *   lost with the socket (9508) or timed out (9520): it waits in the outbox, which is written to the
 *   cache database under the key `outbox` (so it survives a reload and a worker restart), and every
 *   other tab hears `im:messageSent` `{message}` with `status: 'unSend'`. `getMessageList` of its
 *   conversation lists it at the end with `status: 'unSend'`.
 * - After every catch-up (sync.ts) the outbox is sent in order, one message at a time while any
 *   waited (so a refusal to retry cannot reorder them). The message ID makes a resend idempotent on
 *   the server, so a message whose send was in flight when the socket died lands once.
 * - Acknowledged: applied like any own send (data.ts); the waiting tab's `sendMessage` resolves with
 *   the stamped message, every other tab gets `im:messageSent` with `status: 'success'`.
 * - Retryable answers: 9508 and 9520 (socket lost, no answer), 10006 (too many requests queued)
 *   and, for a message that waited, 10023 (send rate: a drained outbox may send faster than the
 *   server's per-user rate); the message waits and is sent again after RETRY_DELAY_MS or the next
 *   catch-up. A definite server error (anything else, e.g. 20003 or 10007): the message
 *   leaves the outbox, the waiting tab's `sendMessage` rejects with that error, and if other tabs
 *   saw it pending they get `im:messageSent` with `status: 'fail'`.
 * - At most OUTBOX_LIMIT messages wait; one more is refused with 9508.
 *
 * A tab that sends a message already in the outbox (a retry, or the same tab asking again after the
 * engine was restarted) waits for that entry instead of adding a second one.
 */
import { ErrorCode } from '../protocol/codes.js';
import { INTERNAL_EVENT } from '../protocol/rpc.js';
import type { Message } from '../protocol/types.js';
import { parseOp, type OpData } from '../protocol/wire.js';
import { IMError } from '../core/errors.js';
import type { OutboxRecord } from './cache.js';
import type { Engine } from './engine.js';
import type { PortPeer } from './port-peer.js';
import { errorText } from './util.js';

/** How many messages may wait for the connection. */
export const OUTBOX_LIMIT = 500;
/** Sends in flight at once while the outbox drains. */
const WINDOW = 16;
/** Pause before sending again after a retryable answer on a live socket (timeout, 10006). */
const RETRY_DELAY_MS = 1000;

export type SendData = OpData<'sendMessage'>;

interface Waiter {
  peer: PortPeer | null;
  resolve: (message: Message) => void;
  reject: (error: unknown) => void;
}

interface Entry {
  data: SendData;
  /** The message as the tabs see it while it waits (`status: 'unSend'`). */
  message: Message;
  sending: boolean;
  /** Waited for the connection at least once: written to the cache and shown as pending. */
  stored: boolean;
  waiters: Waiter[];
}

/** Errors after which the message may still be sent (nothing was stored by the server). */
export function isRetryable(err: unknown, waited: boolean): boolean {
  if (!(err instanceof IMError)) return false;
  return (
    err.code === ErrorCode.NET_DISCONNECTED ||
    err.code === ErrorCode.NET_WAIT_ACK_TIMEOUT ||
    err.code === ErrorCode.RATE_LIMITED ||
    (waited && err.code === ErrorCode.SEND_FREQUENCY_LIMIT)
  );
}

/** The server's answer laid over the message the tab sent, as this user sees it. */
export function stampMessage(
  e: Engine,
  sent: Message,
  answer: Partial<Message> | undefined,
  data: SendData,
): Message {
  const control = data.options?.messageControlInfo;
  const online = !!data.options?.onlineUserOnly;
  return e.data.normalize({
    ...sent,
    ...answer,
    isExcludedFromUnreadCount:
      answer?.isExcludedFromUnreadCount ?? !!control?.excludedFromUnreadCount,
    isExcludedFromLastMessage:
      answer?.isExcludedFromLastMessage ?? !!control?.excludedFromLastMessage,
    onlineOnlyFlag: online || !!answer?.onlineOnlyFlag,
    status: 'success',
  });
}

export class Outbox {
  private entries: Entry[] = [];
  private writing: Promise<void> = Promise.resolve();
  private writeQueued = false;
  /** The cache holds a non-empty outbox. */
  private onDisk = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly e: Engine) {}

  get size(): number {
    return this.entries.length;
  }

  /** Load what a previous engine left (engine start); sent once connected and caught up. */
  async load(): Promise<void> {
    const records = (await this.e.data.cache?.loadOutbox()) ?? [];
    let dropped = 0;
    for (const record of records) {
      const parsed = parseOp('sendMessage', record.data);
      if (!parsed.ok || parsed.value.options?.onlineUserOnly) {
        dropped++;
        continue;
      }
      const ID = parsed.value.message.ID;
      if (this.find(ID)) continue;
      this.entries.push({
        data: parsed.value,
        message: this.pendingView(record.message),
        sending: false,
        stored: true,
        waiters: [],
      });
      this.e.data.ownSent.add(ID);
    }
    this.onDisk = records.length > 0;
    if (dropped > 0) {
      console.warn(
        `[imkit] outbox: ${dropped} malformed entr${dropped === 1 ? 'y' : 'ies'} dropped`,
      );
      this.persist();
    }
  }

  /** Queue a stored message; resolves with the acknowledged message. */
  submit(peer: PortPeer, data: SendData, message: Message): Promise<Message> {
    const ID = data.message.ID;
    const known = this.find(ID);
    if (!known && this.entries.length >= OUTBOX_LIMIT) {
      throw new IMError(
        ErrorCode.NET_DISCONNECTED,
        `Not connected and the outbox is full (${OUTBOX_LIMIT} messages wait to be sent)`,
      );
    }
    const entry: Entry = known ?? {
      data,
      message: this.pendingView(message),
      sending: false,
      stored: false,
      waiters: [],
    };
    const done = new Promise<Message>((resolve, reject) => {
      entry.waiters.push({ peer, resolve, reject });
    });
    if (!known) {
      this.entries.push(entry);
      this.e.data.ownSent.add(ID);
      if (!this.canSend()) this.store(entry);
    }
    this.pump();
    return done;
  }

  /** The messages of a conversation that wait, oldest first (`status: 'unSend'`). */
  pending(conversationID?: string): Message[] {
    return this.entries
      .filter((x) => x.stored && (!conversationID || x.message.conversationID === conversationID))
      .map((x) => ({ ...x.message }));
  }

  /** Send what waits (after a catch-up). */
  flush(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.pump();
  }

  /** The socket is gone: whatever is not in flight waits (those in flight fail with 9508). */
  connectionLost(): void {
    for (const entry of this.entries) if (!entry.sending) this.store(entry);
  }

  /** A tab went away: its waits end (the messages are still sent; every tab hears the outcome). */
  peerGone(peer: PortPeer): void {
    for (const entry of this.entries) entry.waiters = entry.waiters.filter((w) => w.peer !== peer);
  }

  /** Logout: forget everything (the database is deleted) and fail the waits. */
  clear(error: IMError): void {
    const list = this.entries;
    this.entries = [];
    this.onDisk = false;
    for (const entry of list) for (const w of entry.waiters) w.reject(error);
  }

  /** The engine goes away: waits end with `error`; the stored outbox stays for the next engine. */
  dispose(error: IMError): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    for (const entry of this.entries) {
      for (const w of entry.waiters) w.reject(error);
      entry.waiters = [];
    }
  }

  /** Resolves when every write asked for so far is done. */
  settled(): Promise<void> {
    return this.writing;
  }

  private canSend(): boolean {
    const e = this.e;
    return (
      !e.disposed && e.loggedIn && e.conn.state === 'connected' && e.syncedSession === e.session
    );
  }

  private find(ID: string): Entry | undefined {
    return this.entries.find((x) => x.data.message.ID === ID);
  }

  private pendingView(message: Message): Message {
    return {
      ...this.e.data.normalize({ ...message, from: this.e.config.userID, sequence: 0 }),
      status: 'unSend',
      onlineOnlyFlag: false,
    };
  }

  private pump(): void {
    if (!this.canSend() || this.retryTimer) return;
    // Messages that waited go one at a time, in order; fresh ones may be pipelined.
    const window = this.entries.some((x) => x.stored) ? 1 : WINDOW;
    let inFlight = this.entries.filter((x) => x.sending).length;
    for (const entry of this.entries) {
      if (inFlight >= window) break;
      if (entry.sending) continue;
      entry.sending = true;
      inFlight++;
      void this.send(entry);
    }
  }

  private async send(entry: Entry): Promise<void> {
    const e = this.e;
    let answer: { message?: Partial<Message> };
    try {
      answer = await e.conn.request<{ message?: Partial<Message> }>('sendMessage', entry.data);
    } catch (err) {
      entry.sending = false;
      if (this.entries.includes(entry)) {
        if (isRetryable(err, entry.stored)) this.retryLater(entry);
        else this.fail(entry, err);
      }
      this.pump();
      return;
    }
    entry.sending = false;
    if (!this.entries.includes(entry)) return;
    this.remove(entry);
    const stamped = stampMessage(e, entry.message, answer.message, entry.data);
    try {
      await e.data.applyMessages([stamped]);
    } catch (err) {
      console.warn(`[imkit] applying a sent message failed: ${errorText(err)}`);
    }
    this.tellOthers(entry, stamped);
    for (const w of entry.waiters) w.resolve(stamped);
    this.pump();
  }

  private retryLater(entry: Entry): void {
    this.store(entry);
    // Socket gone: the next catch-up flushes. Still connected (timeout, 10006, 10023): soon.
    if (!this.canSend() || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.pump();
    }, RETRY_DELAY_MS);
  }

  private fail(entry: Entry, err: unknown): void {
    this.remove(entry);
    this.e.data.ownSent.delete(entry.data.message.ID);
    if (entry.stored) this.tellOthers(entry, { ...entry.message, status: 'fail' });
    for (const w of entry.waiters) w.reject(err);
  }

  /** The entry waits for the connection: write it down and show it as pending in the other tabs. */
  private store(entry: Entry): void {
    if (entry.stored) return;
    entry.stored = true;
    this.tellOthers(entry, entry.message);
    this.persist();
  }

  private remove(entry: Entry): void {
    this.entries = this.entries.filter((x) => x !== entry);
    if (entry.stored) this.persist();
  }

  /** `im:messageSent` to every tab but the ones waiting on this message (they get the result). */
  private tellOthers(entry: Entry, message: Message): void {
    const waiting = new Set(entry.waiters.map((w) => w.peer));
    for (const peer of this.e.peers) {
      if (peer.authorized && !waiting.has(peer))
        peer.emit(INTERNAL_EVENT.MESSAGE_SENT, { message });
    }
  }

  /** Write the waiting entries (coalesced; writes happen one after the other, newest state). */
  private persist(): void {
    if (this.writeQueued) return;
    this.writeQueued = true;
    this.writing = this.writing.then(async () => {
      this.writeQueued = false;
      const cache = this.e.data.cache;
      const records: OutboxRecord[] = this.entries
        .filter((x) => x.stored)
        .map((x) => ({ data: x.data, message: x.message }));
      if (!cache || (records.length === 0 && !this.onDisk)) return;
      await cache.saveOutbox(records);
      this.onDisk = records.length > 0;
    });
  }
}
