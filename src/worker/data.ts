/**
 * The engine's data: what it knows (conversations, groups, profiles, cursor, instance ID) in memory
 * and in the IndexedDB cache, and the one way messages get applied.
 *
 * - Messages are applied exactly once, deduplicated by message ID: a bounded set of recent IDs,
 *   seeded from the cached recent messages of a conversation when it is first touched (so a
 *   restarted worker does not replay what it already showed).
 * - The cursor only moves forward and is written after the messages up to it are applied and cached.
 * - Messages sent through this engine (`ownSent`) update the list but never produce
 *   MESSAGE_RECEIVED here.
 */
import { EVENT } from '../protocol/constants.js';
import type { EngineConfig } from '../protocol/rpc.js';
import type { Group, Message, Profile } from '../protocol/types.js';
import { Cache } from './cache.js';
import { ConversationBook } from './conversations.js';
import { BoundedSet, normalizeMessage, randomInstanceID } from './util.js';

/** Where the data layer reports changes (the engine: to every authorized tab). */
export interface DataSink {
  broadcast(method: string, payload: unknown): void;
  /** Something in EngineState (the unread total) changed. */
  emitState(): void;
  /** A message created a conversation the server should describe fully. */
  conversationCreated(conversationID: string): void;
}

export class EngineData {
  readonly book: ConversationBook;
  cache: Cache | null = null;
  groups = new Map<string, Group>();
  profiles = new Map<string, Profile>();
  myProfile: Profile | null = null;
  /** Names of the user's conversation groups (getConversationGroupList), from the server. */
  conversationGroups: string[] = [];
  /** Last applied sync cursor; undefined until the first server login of this browser profile. */
  cursor: number | undefined;
  /** Last applied change cursor (recalls, edits, notices); undefined until a login names one. */
  changeCursor: number | undefined;
  instanceID = '';
  tinyID = 0;
  /** Group system notices delivered by this engine (engine-groups.ts applyNotice). */
  readonly notices = new BoundedSet<string>(1000);
  /** Message IDs sent through this engine (no MESSAGE_RECEIVED for them here). */
  readonly ownSent = new BoundedSet<string>(2000);
  private readonly seen = new BoundedSet<string>(10_000);
  private readonly recentLoaded = new Set<string>();
  private lastTotal = -1;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly me: string,
    private readonly sink: DataSink,
  ) {
    this.book = new ConversationBook(() => this.me);
  }

  /** Open the cache and load everything it holds (the cache may be disabled; never throws). */
  async load(config: EngineConfig): Promise<void> {
    const cache = await Cache.open(config);
    if (this.closed) {
      cache.close();
      return;
    }
    this.cache = cache;
    const snapshot = await cache.loadAll();
    this.book.replace(snapshot.conversations);
    this.groups = new Map(snapshot.groups.map((g) => [g.groupID, g]));
    this.myProfile = snapshot.myProfile ?? null;
    this.profiles = new Map(Object.entries(snapshot.profiles));
    this.cursor = snapshot.cursor;
    this.changeCursor = snapshot.changeCursor;
    this.tinyID = snapshot.tinyID ?? 0;
    this.instanceID = snapshot.instanceID ?? randomInstanceID();
    if (!snapshot.instanceID) await cache.saveInstanceID(this.instanceID);
    this.lastTotal = this.book.totalUnread();
  }

  /** Stop writing; close (but keep) the database. */
  close(): void {
    this.closed = true;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    this.cache?.close();
  }

  /** Logout: delete the database. */
  async clear(): Promise<void> {
    this.closed = true;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    await this.cache?.clear();
    this.cache = null;
  }

  normalize(m: Message): Message {
    return normalizeMessage(m, this.me);
  }

  async advanceCursor(cursor: number): Promise<void> {
    if (this.cursor !== undefined && cursor <= this.cursor) return;
    this.cursor = cursor;
    await this.cache?.saveCursor(cursor);
  }

  async advanceChangeCursor(cursor: number): Promise<void> {
    if (this.changeCursor !== undefined && cursor <= this.changeCursor) return;
    this.changeCursor = cursor;
    await this.cache?.saveChangeCursor(cursor);
  }

  /**
   * Apply messages from the server (push, sync or own send): dedupe by ID, update the conversation
   * list, cache them, and emit MESSAGE_RECEIVED for those not sent through this engine. `quiet`
   * (catch-up) skips the list events; the caller emits once at the end.
   */
  async applyMessages(raw: Message[], options: { quiet?: boolean } = {}): Promise<Message[]> {
    const fresh: Message[] = [];
    for (const r of raw) {
      const m = this.normalize(r);
      await this.ensureRecent(m.conversationID);
      if (this.seen.has(m.ID)) continue;
      this.seen.add(m.ID);
      fresh.push(m);
    }
    if (fresh.length === 0) return fresh;
    let changed = false;
    const created: string[] = [];
    const byConversation = new Map<string, Message[]>();
    for (const m of fresh) {
      const r = this.book.applyMessage(m, this.groups, this.profiles);
      changed ||= r.changed;
      if (r.created) created.push(m.conversationID);
      byConversation.set(m.conversationID, [...(byConversation.get(m.conversationID) ?? []), m]);
    }
    await Promise.all(
      [...byConversation].map(([id, list]) => this.cache?.appendMessages(id, list)),
    );
    const received = fresh.filter((m) => !this.ownSent.has(m.ID));
    if (received.length > 0) this.sink.broadcast(EVENT.MESSAGE_RECEIVED, received);
    if (!options.quiet) {
      if (changed) this.conversationsChanged();
      for (const id of created) this.sink.conversationCreated(id);
    }
    return fresh;
  }

  /** Emit the full list, persist it soon, and the total unread count when it changed. */
  conversationsChanged(): void {
    this.sink.broadcast(EVENT.CONVERSATION_LIST_UPDATED, this.book.all());
    this.scheduleSave();
    const total = this.book.totalUnread();
    if (total !== this.lastTotal) {
      this.lastTotal = total;
      this.sink.emitState();
      this.sink.broadcast(EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED, total);
    }
  }

  setGroups(list: Group[]): void {
    this.groups = new Map(list.map((g) => [g.groupID, g]));
  }

  groupsChanged(): void {
    const list = [...this.groups.values()];
    void this.cache?.saveGroups(list);
    this.sink.broadcast(EVENT.GROUP_LIST_UPDATED, list);
  }

  setMyProfile(profile: Profile): void {
    this.myProfile = profile;
    this.profiles.set(profile.userID, profile);
    void this.cache?.saveMyProfile(profile);
  }

  setProfiles(list: Profile[]): void {
    for (const profile of list) this.profiles.set(profile.userID, profile);
    void this.cache?.saveProfiles(list);
  }

  /** Persist the conversation list soon (coalesces bursts of messages). */
  private scheduleSave(): void {
    if (this.saveTimer || this.closed) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      void this.cache?.saveConversations(this.book.all());
    }, 100);
  }

  /** Seed the dedupe set with a conversation's cached recent messages, once. */
  private async ensureRecent(conversationID: string): Promise<void> {
    if (this.recentLoaded.has(conversationID)) return;
    this.recentLoaded.add(conversationID);
    for (const m of (await this.cache?.loadMessages(conversationID)) ?? []) this.seen.add(m.ID);
  }
}
