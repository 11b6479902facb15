/**
 * The engine's IndexedDB cache (the only IndexedDB user in the product), through idb-keyval.
 *
 * One database per (server, app, user), the schema version in its name:
 * `imkit-v1:<server>:<SDKAppID>:<userID>`, one object store `kv` with these keys:
 *   schema         number (CACHE_SCHEMA_VERSION of the build that wrote it)
 *   conversations  Conversation[]           groups     Group[]
 *   myProfile      Profile                  profiles   Record<userID, Profile>
 *   msgs:<convID>  Message[] (newest ~50, chronological)
 *   cursor         number (last applied sync cursor)   instanceID  string
 *   changeCursor   number (last applied change cursor: recalls, edits, notices; syncChanges)
 *   tinyID         number (for message IDs made before the socket is up)
 *   outbox         {data, message}[] (sends waiting for the connection, oldest first; outbox.ts)
 *
 * The cache is a cache: every read validates the shape and treats anything odd as missing (logged
 * once per entry), and a database that cannot be trusted (older schema, no store, fails to open)
 * is dropped and recreated; one that cannot be opened or repaired (blocked by another version, no
 * IndexedDB, timeout) leaves the engine running without a cache. See cache-db.ts.
 */
import { createStore, del, get, set, update, type UseStore } from 'idb-keyval';
import type { EngineConfig } from '../protocol/rpc.js';
import type { Conversation, Group, Message, Profile } from '../protocol/types.js';
import {
  BLOCKED_GRACE_MS,
  STORE,
  deleteDatabase,
  dropOlderVersions,
  ensureDatabase,
  errText,
  warnOnce,
  withTimeout,
} from './cache-db.js';

export { deleteDatabase } from './cache-db.js';

export const CACHE_SCHEMA_VERSION = 1;
export const RECENT_MESSAGES_PER_CONVERSATION = 50;
const OPEN_TIMEOUT_MS = 5000;

/** One waiting send of the outbox: the validated wire data and the message the tabs see. */
export interface OutboxRecord {
  data: unknown;
  message: Message;
}

export function cacheDatabaseName(config: EngineConfig): string {
  return `imkit-v${CACHE_SCHEMA_VERSION}:${config.server}:${config.SDKAppID}:${config.userID}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isConversation = (v: unknown): v is Conversation =>
  isObject(v) && typeof v.conversationID === 'string' && typeof v.type === 'string';
const isGroup = (v: unknown): v is Group => isObject(v) && typeof v.groupID === 'string';
const isProfile = (v: unknown): v is Profile => isObject(v) && typeof v.userID === 'string';
const isMessage = (v: unknown): v is Message =>
  isObject(v) && typeof v.ID === 'string' && typeof v.conversationID === 'string';

/** Sort messages oldest first: by server sequence, then time (unsent ones have sequence 0). */
export function compareMessages(a: Message, b: Message): number {
  if (a.sequence && b.sequence && a.sequence !== b.sequence) return a.sequence - b.sequence;
  return a.time - b.time || a.clientTime - b.clientTime;
}

/** Merge by ID (newer copy wins), sort, keep the newest `limit`. */
export function mergeMessages(
  existing: Message[],
  incoming: Message[],
  limit = RECENT_MESSAGES_PER_CONVERSATION,
): Message[] {
  const byID = new Map<string, Message>();
  for (const m of existing) byID.set(m.ID, m);
  for (const m of incoming) byID.set(m.ID, m);
  const list = [...byID.values()].sort(compareMessages);
  return list.length > limit ? list.slice(list.length - limit) : list;
}

export interface CacheSnapshot {
  conversations: Conversation[];
  groups: Group[];
  myProfile: Profile | undefined;
  profiles: Record<string, Profile>;
  cursor: number | undefined;
  changeCursor: number | undefined;
  instanceID: string | undefined;
  tinyID: number | undefined;
}

export class Cache {
  private store: UseStore | null;
  private db: IDBDatabase | null = null;

  private constructor(
    readonly name: string,
    store: UseStore | null,
  ) {
    this.store = store;
  }

  /** Open (never throws): returns a disabled cache when IndexedDB is unusable. */
  static async open(config: EngineConfig): Promise<Cache> {
    const name = cacheDatabaseName(config);
    if (typeof indexedDB === 'undefined') return new Cache(name, null);
    try {
      await withTimeout(dropOlderVersions(name, CACHE_SCHEMA_VERSION), OPEN_TIMEOUT_MS, '').catch(
        () => undefined,
      );
      for (let attempt = 0; ; attempt++) {
        await withTimeout(ensureDatabase(name), OPEN_TIMEOUT_MS, 'opening the cache timed out');
        const cache = new Cache(name, createStore(name, STORE));
        await withTimeout(cache.probe(), OPEN_TIMEOUT_MS, 'opening the cache timed out');
        const schema = await cache.checkSchema();
        if (schema === 'ok') return cache;
        cache.close();
        if (schema === 'newer') {
          warnOnce(
            `${name}|newer`,
            `cache ${name} was written by a newer version; running without cache`,
          );
          return new Cache(name, null);
        }
        if (attempt > 0) throw new Error('the schema could not be written');
        warnOnce(
          `${name}|older`,
          `cache ${name} is of an older schema; rebuilding it from the server`,
        );
        await deleteDatabase(name, BLOCKED_GRACE_MS);
      }
    } catch (err) {
      warnOnce(
        `${name}|unusable`,
        `cache ${name} unusable (${errText(err)}); running without cache`,
      );
      return new Cache(name, null);
    }
  }

  /** Compare the stored `schema` with ours; a fresh (or pre-`schema`) database gets ours. */
  private async checkSchema(): Promise<'ok' | 'older' | 'newer'> {
    let value: unknown;
    try {
      value = await get<unknown>('schema', this.store!);
      if (value === undefined) {
        await set('schema', CACHE_SCHEMA_VERSION, this.store!);
        return 'ok';
      }
    } catch {
      return 'older'; // unreadable: treat as untrustworthy
    }
    if (value === CACHE_SCHEMA_VERSION) return 'ok';
    if (typeof value === 'number' && Number.isInteger(value) && value > CACHE_SCHEMA_VERSION)
      return 'newer';
    return 'older';
  }

  get enabled(): boolean {
    return this.store !== null;
  }

  /** Open the database and check our store exists; keeps the connection for close/versionchange. */
  private async probe(): Promise<void> {
    const db = await this.store!('readonly', (s) => s.transaction.db);
    this.db = db;
    // Another context deleting or upgrading the database must not be blocked by us.
    db.onversionchange = () => {
      db.close();
      this.store = null;
    };
  }

  async get<T>(key: string, check: (v: unknown) => v is T): Promise<T | undefined> {
    if (!this.store) return undefined;
    try {
      const value = await get<unknown>(key, this.store);
      if (value === undefined) return undefined;
      if (check(value)) return value;
      warnOnce(`${this.name}|${key}`, `cache entry ${key} of ${this.name} is malformed; ignored`);
      return undefined;
    } catch (err) {
      warnOnce(`${this.name}|${key}`, `cache read ${key} of ${this.name} failed: ${errText(err)}`);
      return undefined;
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    if (!this.store) return;
    try {
      await set(key, value, this.store);
    } catch (err) {
      console.warn(`[imkit] cache write ${key} failed: ${errText(err)}`);
    }
  }

  /** Read-modify-write in one transaction; a malformed old value reaches `fn` as undefined. */
  async update<T>(
    key: string,
    check: (v: unknown) => v is T,
    fn: (old: T | undefined) => T,
  ): Promise<void> {
    if (!this.store) return;
    try {
      await update<unknown>(
        key,
        (old) => fn(old !== undefined && check(old) ? old : undefined),
        this.store,
      );
    } catch (err) {
      console.warn(`[imkit] cache update ${key} failed: ${errText(err)}`);
    }
  }

  async delete(key: string): Promise<void> {
    if (!this.store) return;
    try {
      await del(key, this.store);
    } catch {
      // ignore
    }
  }

  // --- typed accessors ---

  /** Everything the engine loads at start, in one go. */
  async loadAll(): Promise<CacheSnapshot> {
    const [conversations, groups, myProfile, profiles, cursor, changeCursor, instanceID, tinyID] =
      await Promise.all([
        this.loadConversations(),
        this.loadGroups(),
        this.loadMyProfile(),
        this.loadProfiles(),
        this.loadCursor(),
        this.get('changeCursor', isCursor),
        this.loadInstanceID(),
        this.get('tinyID', isCursor),
      ]);
    return { conversations, groups, myProfile, profiles, cursor, changeCursor, instanceID, tinyID };
  }
  saveTinyID(tinyID: number): Promise<void> {
    return this.set('tinyID', tinyID);
  }

  loadConversations(): Promise<Conversation[]> {
    return this.get('conversations', isArrayOf(isConversation)).then((v) => v ?? []);
  }
  saveConversations(list: Conversation[]): Promise<void> {
    return this.set('conversations', list);
  }
  loadGroups(): Promise<Group[]> {
    return this.get('groups', isArrayOf(isGroup)).then((v) => v ?? []);
  }
  saveGroups(list: Group[]): Promise<void> {
    return this.set('groups', list);
  }
  loadMyProfile(): Promise<Profile | undefined> {
    return this.get('myProfile', isProfile);
  }
  saveMyProfile(profile: Profile): Promise<void> {
    return this.set('myProfile', profile);
  }
  loadProfiles(): Promise<Record<string, Profile>> {
    return this.get('profiles', isProfileMap).then((v) => v ?? {});
  }
  saveProfiles(profiles: Profile[]): Promise<void> {
    return this.update('profiles', isProfileMap, (old) => {
      const next = { ...(old ?? {}) };
      for (const p of profiles) next[p.userID] = p;
      return next;
    });
  }
  loadCursor(): Promise<number | undefined> {
    return this.get('cursor', isCursor);
  }
  saveCursor(cursor: number): Promise<void> {
    return this.update('cursor', isCursor, (old) => Math.max(old ?? 0, cursor));
  }
  saveChangeCursor(cursor: number): Promise<void> {
    return this.update('changeCursor', isCursor, (old) => Math.max(old ?? 0, cursor));
  }
  loadInstanceID(): Promise<string | undefined> {
    return this.get('instanceID', (v): v is string => typeof v === 'string' && v.length >= 8);
  }
  saveInstanceID(id: string): Promise<void> {
    return this.set('instanceID', id);
  }
  loadMessages(conversationID: string): Promise<Message[]> {
    return this.get(`msgs:${conversationID}`, isArrayOf(isMessage)).then((v) => v ?? []);
  }
  /** Merge messages into the conversation's recent list (newest 50 kept). */
  appendMessages(conversationID: string, messages: Message[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    return this.update(`msgs:${conversationID}`, isArrayOf(isMessage), (old) =>
      mergeMessages(old ?? [], messages),
    );
  }

  /** The sends that waited for the connection (entries of another shape are left out). */
  async loadOutbox(): Promise<OutboxRecord[]> {
    const list = await this.get('outbox', Array.isArray);
    return (list ?? []).filter(isOutboxRecord);
  }
  saveOutbox(records: OutboxRecord[]): Promise<void> {
    return records.length > 0 ? this.set('outbox', records) : this.delete('outbox');
  }

  /**
   * Change the cached recent messages of a conversation in one transaction; `fn` returns the new
   * list (or the same one for no change). Resolves with what `fn` returned.
   */
  async updateMessages(
    conversationID: string,
    fn: (list: Message[]) => Message[],
  ): Promise<Message[]> {
    let result: Message[] = [];
    await this.update(`msgs:${conversationID}`, isArrayOf(isMessage), (old) => {
      result = fn(old ?? []);
      return result;
    });
    return result;
  }

  /** Forget the cached messages of a conversation (its history was cleared). */
  clearMessages(conversationID: string): Promise<void> {
    return this.delete(`msgs:${conversationID}`);
  }

  /** Close the connection and delete the database (logout). Never throws; gives up after 3 s. */
  async clear(): Promise<void> {
    this.closeDB();
    this.store = null;
    if (typeof indexedDB === 'undefined') return;
    await Promise.race([
      deleteDatabase(this.name).catch((err) =>
        console.warn(`[imkit] could not delete ${this.name}: ${errText(err)}`),
      ),
      new Promise((resolve) => setTimeout(resolve, 3000)),
    ]);
  }

  /** Close the connection without deleting anything. */
  close(): void {
    this.closeDB();
    this.store = null;
  }

  private closeDB(): void {
    try {
      this.db?.close();
    } catch {
      // already closed
    }
    this.db = null;
  }
}

function isArrayOf<T>(check: (v: unknown) => v is T): (v: unknown) => v is T[] {
  return (v: unknown): v is T[] => Array.isArray(v) && v.every(check);
}

function isProfileMap(v: unknown): v is Record<string, Profile> {
  return isObject(v) && !Array.isArray(v) && Object.values(v).every(isProfile);
}

function isCursor(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function isOutboxRecord(v: unknown): v is OutboxRecord {
  if (!isObject(v) || !isMessage(v.message) || !isObject(v.data)) return false;
  const m = v.data.message;
  return isObject(m) && m.ID === v.message.ID;
}
