/**
 * SQLite storage (better-sqlite3, WAL). Synchronous inside, async at the interface. Every write
 * that must be atomic (message append with its seq, membership with its count) runs in one
 * IMMEDIATE transaction.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MemberRole } from '../../protocol/constants.js';
import { TYPES } from '../../protocol/constants.js';
import { MIGRATIONS, SCHEMA, SCHEMA_VERSION } from './schema.js';
import { prepared } from './sqlite-statements.js';
import * as convState from './sqlite-conversations.js';
import { SqliteRelations } from './sqlite-relations.js';
import {
  NOTICE_COLUMNS,
  PROFILE_COLUMNS,
  toApp,
  newMessageValues,
  toConversation,
  toGroup,
  toMember,
  toMessage,
  toUser,
  type AppRow,
  type ConversationRow,
  type GroupRow,
  type MemberRow,
  type MessageRow,
  type NoticeRow,
  type UserRow,
  toNotice,
} from './rows.js';
import { planExtensionWrites, type ExtensionRow } from './extension-plan.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';
import { WalSync } from './wal-sync.js';
import { groupKey } from './types.js';
import * as sqlGroups from './sqlite-groups.js';
import type {
  AddMemberResult,
  AppRecord,
  AppendResult,
  GroupApplicationRecord,
  GroupPatch,
  MapChange,
  MemberPatch,
  TopicPatch,
  TopicRecord,
  ConversationSettings,
  ExtensionRecord,
  ExtensionWrite,
  ExtensionWriteResult,
  GroupRecord,
  HistoryQuery,
  MarkReadResult,
  MediaKind,
  MediaRecord,
  MemberRecord,
  MemberWithProfile,
  MentionRecord,
  NewGroup,
  NewMessage,
  NewSystemNotice,
  ProfilePatch,
  ReactionRow,
  ReceiveOpt,
  Storage,
  StoredMessage,
  SystemNoticeRecord,
  UserConversationRecord,
  UserRecord,
} from './types.js';

const MESSAGE_COLUMNS = `m.cursor, c.conv_key, m.seq, m.msg_id, m.sender, m.conv_type, m.target, m.type,
  m.payload, m.priority, m.cloud_custom_data, m.client_time, m.random, m.time, m.nick, m.avatar,
  m.at_user_list, m.receivers, m.need_read_receipt, m.support_extension, m.excluded_unread,
  m.excluded_last, m.revoked, m.revoker, m.version, m.modified, m.change_seq`;

/**
 * Per-viewer rules, as SQL over `m` (messages) for the user expression `u`:
 * - a targeted message is seen by its sender and receivers only;
 * - a message deleted for the user is gone for them;
 * - with Discard set (cs: the user's conversation_settings row), messages of others committed
 *   after the setting are neither synced nor counted nor shown as lastMessage (history keeps them).
 */
const seenBy = (u: string) => `(m.targeted = 0 OR m.sender = ${u}
    OR EXISTS (SELECT 1 FROM json_each(m.receivers) WHERE value = ${u}))
  AND NOT EXISTS (SELECT 1 FROM message_deletions d WHERE d.cursor = m.cursor AND d.user_id = ${u})`;
const notDiscarded = (u: string) =>
  `(cs.remind_type IS NULL OR cs.remind_type <> 'Discard' OR m.sender = ${u} OR m.cursor <= cs.remind_cursor)`;
const SETTINGS_JOIN = `LEFT JOIN conversation_settings cs
  ON cs.app_id = uc.app_id AND cs.user_id = uc.user_id AND cs.conv_id = uc.conv_id`;

/**
 * The user's messages past a position (`?`), in its order, as a catch-up sees them: an index range
 * scan per conversation of the user. By cursor (syncMessages) or by change (syncChanges: the
 * `change_seq > 0` term lets SQLite use the partial index of changed messages).
 */
function syncSQL(position: 'm.cursor' | 'm.change_seq'): string {
  const changed = position === 'm.change_seq' ? ' AND m.change_seq > 0' : '';
  return `SELECT ${MESSAGE_COLUMNS}
    FROM user_conversations uc
    CROSS JOIN messages m ON m.conv_id = uc.conv_id${changed} AND ${position} > ?
      AND m.seq > max(uc.join_seq, uc.visible_seq)
    JOIN conversations c ON c.conv_id = uc.conv_id
    ${SETTINGS_JOIN}
    WHERE uc.app_id = ? AND uc.user_id = ? AND ${seenBy('uc.user_id')} AND ${notDiscarded('uc.user_id')}
    ORDER BY ${position} LIMIT ?`;
}

/**
 * Unread: messages after max(read, join, visible) sent by others, not excluded from the count, not
 * targeted (Tencent never counts them), not recalled, not deleted for the user, not discarded; 0 in
 * Meeting groups. A scan of the unread messages: only where the count is shown.
 */
const UNREAD_EXPR = `CASE WHEN g.type = 'ChatRoom' THEN 0 ELSE (
      SELECT count(*) FROM messages m
      WHERE m.conv_id = uc.conv_id AND m.seq > max(uc.read_seq, uc.join_seq, uc.visible_seq)
        AND m.sender <> uc.user_id AND m.excluded_unread = 0 AND m.targeted = 0 AND m.revoked = 0
        AND NOT EXISTS (SELECT 1 FROM message_deletions d WHERE d.cursor = m.cursor AND d.user_id = uc.user_id)
        AND ${notDiscarded('uc.user_id')}
    ) END`;

function conversationSelect(unread: string): string {
  return `SELECT c.conv_key, c.type, c.last_seq, c.last_cursor, uc.read_seq, uc.join_seq,
    uc.visible_seq, uc.activity_key, g.type AS group_type, cs.remind_type,
    ${unread} AS unread
  FROM user_conversations uc
  JOIN conversations c ON c.conv_id = uc.conv_id
  LEFT JOIN im_groups g ON c.type = 'GROUP' AND g.app_id = uc.app_id AND g.group_id = substr(c.conv_key, 7)
  ${SETTINGS_JOIN}
  WHERE uc.app_id = ? AND uc.user_id = ?`;
}

const CONVERSATION_SELECT = conversationSelect(UNREAD_EXPR);
/** The same without the unread count (0), for callers that do not need it. */
const CONVERSATION_SELECT_NO_UNREAD = conversationSelect('0');

interface MediaRow {
  uuid: string;
  app_id: number;
  owner: string;
  kind: string;
  size: number;
  name: string;
  content_type: string;
  files: string;
  origin: string;
  info: string;
  created_at: number;
}

const DEFAULT_RECEIVE_OPT: ReceiveOpt = {
  messageRemindType: 'AcceptAndNotify',
  startHour: 0,
  startMinute: 0,
  startSecond: 0,
  duration: 0,
  isRepeated: false,
};

const GROUP_SELECT = `SELECT g.*, c.last_seq FROM im_groups g JOIN conversations c ON c.conv_id = g.conv_id`;

const MEMBER_SELECT = `SELECT gm.user_id, gm.role, gm.join_time, gm.name_card, gm.mute_until, gm.custom_fields, uc.read_seq,
    uc.visible_seq
  FROM group_members gm
  JOIN im_groups g ON g.app_id = gm.app_id AND g.group_id = gm.group_id
  LEFT JOIN user_conversations uc ON uc.app_id = gm.app_id AND uc.user_id = gm.user_id AND uc.conv_id = g.conv_id`;

/** An append waiting for the next group commit. */
interface PendingAppend {
  app: number;
  message: NewMessage;
  participants: string[];
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** Users kept in memory (the oldest read first is dropped past it). */
const USER_CACHE_SIZE = 50_000;

/** Conversation IDs kept in memory (the oldest remembered first is dropped past it). */
const CONV_CACHE_SIZE = 200_000;

/** How often the checkpoint thread copies the WAL into the database file. */
const CHECKPOINT_INTERVAL_MS = 500;
/** The WAL file is trimmed back to this size when it starts again from its beginning. */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

/** At most this many appends share one transaction. */
const MAX_APPEND_BATCH = 256;

export interface SqliteOptions {
  /** File path or ':memory:'. */
  file: string;
}

export class SqliteStorage implements Storage {
  readonly db: Database.Database;

  constructor(options: SqliteOptions) {
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    const journal = this.db.pragma('journal_mode = WAL', { simple: true });
    // Acknowledged means durable: FULL syncs the WAL on every commit.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '1')`).run();
    this.migrate();
    // A file's append batches commit without the fsync inside COMMIT and wait for an fsync of
    // the WAL on the thread pool instead (wal-sync.ts); every other write keeps FULL. Where the
    // file system refuses WAL mode (no shared memory), every commit syncs inline as before.
    if (options.file !== ':memory:' && journal === 'wal') {
      // Checkpoints run on a thread of their own (sqlite-checkpointer.ts); SQLite's own come back
      // if that thread fails.
      this.db.pragma('wal_autocheckpoint = 0');
      this.db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
      this.checkpointer = new SqliteCheckpointer(options.file, CHECKPOINT_INTERVAL_MS, (error) => {
        console.error(`[imkit] WAL checkpoint thread failed, checkpointing inline: ${error}`);
        if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
      });
      this.walSync = WalSync.open(options.file);
      this.syncNormal = this.db.prepare('PRAGMA synchronous = NORMAL');
      this.syncFull = this.db.prepare('PRAGMA synchronous = FULL');
    }
    const append = (item: PendingAppend) =>
      this.appendOne(item.app, item.message, item.participants);
    const savepoint = this.db.transaction(append);
    this.appendTx = {
      fast: this.db.transaction((batch: PendingAppend[]) => batch.map(append)),
      isolated: this.db.transaction((batch: PendingAppend[]) =>
        batch.map((item) => {
          try {
            return savepoint(item);
          } catch (error) {
            return { error };
          }
        }),
      ),
    };
  }

  /** Applies every migration newer than the stored schema version, each in its own transaction. */
  private migrate(): void {
    const current = Number(
      (
        this.db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as {
          value: string;
        }
      ).value,
    );
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      this.db
        .transaction(() => {
          this.db.exec(migration.sql);
          this.db
            .prepare(`UPDATE meta SET value = ? WHERE key = 'schema_version'`)
            .run(String(migration.version));
        })
        .immediate();
    }
    if (current > SCHEMA_VERSION) {
      throw new Error(`database schema ${current} is newer than this server (${SCHEMA_VERSION})`);
    }
  }

  /** The stored schema version (tests). */
  schemaVersion(): number {
    return Number(
      this.get<{ value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`)!.value,
    );
  }

  /** Prepared statements are cached by their SQL text (sqlite-statements.ts). */
  private stmt(sql: string): Database.Statement {
    return prepared(this.db, sql);
  }

  private get<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.stmt(sql).get(...params) as T | undefined;
  }

  private all<T>(sql: string, ...params: unknown[]): T[] {
    return this.stmt(sql).all(...params) as T[];
  }

  private run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.stmt(sql).run(...params);
  }

  /**
   * conv_id by (app, conv_key), kept in memory: conversation rows are never deleted, so a committed
   * one's ID stays right. Only committed rows are remembered: a lookup inside a transaction could
   * see a row that transaction created and may yet roll back (the append batch remembers its new
   * conversations after its commit).
   */
  private readonly convIDs = new Map<string, number>();
  /** Conversations created or first seen by the append batch in progress. */
  private batchConvIDs: [string, number][] = [];

  private rememberConv(key: string, convID: number): void {
    if (this.convIDs.size >= CONV_CACHE_SIZE) {
      this.convIDs.delete(this.convIDs.keys().next().value as string);
    }
    this.convIDs.set(key, convID);
  }

  private convID(app: number, convKey: string): number | undefined {
    const key = `${app}\u0000${convKey}`;
    const known = this.convIDs.get(key);
    if (known !== undefined) return known;
    const found = this.get<{ conv_id: number }>(
      'SELECT conv_id FROM conversations WHERE app_id = ? AND conv_key = ?',
      app,
      convKey,
    )?.conv_id;
    if (found !== undefined && !this.db.inTransaction) this.rememberConv(key, found);
    return found;
  }

  /** The conversation's conv_id, its row created first when missing. */
  private ensureConv(app: number, convKey: string, type: string): number {
    const known = this.convID(app, convKey);
    if (known !== undefined) return known;
    this.run(
      'INSERT OR IGNORE INTO conversations (app_id, conv_key, type) VALUES (?, ?, ?)',
      app,
      convKey,
      type,
    );
    return this.convID(app, convKey)!;
  }

  private maxCursor(): number {
    return this.get<{ c: number }>('SELECT coalesce(max(cursor), 0) AS c FROM messages')!.c;
  }

  // apps

  async getApp(SDKAppID: number): Promise<AppRecord | null> {
    const row = this.get<AppRow>('SELECT * FROM apps WHERE sdkappid = ?', SDKAppID);
    return row ? toApp(row) : null;
  }

  async getDefaultApp(): Promise<AppRecord | null> {
    const row = this.get<AppRow>(
      'SELECT * FROM apps WHERE is_default = 1 ORDER BY created_at LIMIT 1',
    );
    return row ? toApp(row) : null;
  }

  async createApp(app: Omit<AppRecord, 'isDefault'>): Promise<void> {
    this.db
      .transaction(() => {
        const hasDefault = this.get('SELECT 1 FROM apps WHERE is_default = 1') !== undefined;
        this.run(
          'INSERT INTO apps (sdkappid, secret_key, max_instances, is_default, created_at) VALUES (?, ?, ?, ?, ?)',
          app.SDKAppID,
          app.secretKey,
          app.maxInstances,
          hasDefault ? 0 : 1,
          app.createdAt,
        );
      })
      .immediate();
  }

  // users

  async ensureUser(app: number, userID: string, now: number): Promise<UserRecord> {
    // Read first: a known user's login writes nothing (no transaction, no fsync).
    const known = await this.getUser(app, userID);
    if (known) return known;
    this.run(
      'INSERT OR IGNORE INTO users (app_id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?)',
      app,
      userID,
      now,
      now,
    );
    return (await this.getUser(app, userID))!;
  }

  /**
   * Users by (app, userID), kept in memory: every send reads its sender and recipient. One process
   * owns the database file and every write to `users` goes through this class, which drops the
   * entry, so the copy is always current.
   */
  private readonly userCache = new Map<string, UserRecord>();

  async getUser(app: number, userID: string): Promise<UserRecord | null> {
    const key = `${app}:${userID}`;
    const cached = this.userCache.get(key);
    if (cached) return { ...cached };
    const row = this.get<UserRow>(
      'SELECT * FROM users WHERE app_id = ? AND user_id = ?',
      app,
      userID,
    );
    if (!row) return null;
    const user = toUser(row);
    if (this.userCache.size >= USER_CACHE_SIZE) {
      this.userCache.delete(this.userCache.keys().next().value as string);
    }
    this.userCache.set(key, user);
    return { ...user };
  }

  async getUsers(app: number, userIDs: string[]): Promise<UserRecord[]> {
    if (userIDs.length === 0) return [];
    return this.all<UserRow>(
      'SELECT * FROM users WHERE app_id = ? AND user_id IN (SELECT value FROM json_each(?))',
      app,
      JSON.stringify(userIDs),
    ).map(toUser);
  }

  async updateUser(
    app: number,
    userID: string,
    patch: ProfilePatch,
    now: number,
  ): Promise<UserRecord | null> {
    const sets: string[] = ['updated_at = ?'];
    const values: unknown[] = [now];
    for (const [field, column] of Object.entries(PROFILE_COLUMNS)) {
      const value = patch[field as keyof ProfilePatch];
      if (value === undefined) continue;
      sets.push(`${column} = ?`);
      values.push(value);
    }
    if (patch.customFields && Object.keys(patch.customFields).length > 0) {
      sets.push('custom_fields = json_patch(custom_fields, ?)');
      values.push(JSON.stringify(patch.customFields));
    }
    this.userCache.delete(`${app}:${userID}`);
    this.run(
      `UPDATE users SET ${sets.join(', ')} WHERE app_id = ? AND user_id = ?`,
      ...values,
      app,
      userID,
    );
    return this.getUser(app, userID);
  }

  // messages

  /**
   * Group commit: appends that arrive in the same turn of the event loop are written in ONE
   * transaction. Each promise settles only after the commit and the fsync of the WAL that follows
   * it (wal-sync.ts: on the thread pool, shared by the whole batch and by the batches committed
   * while it ran), so an acknowledged message is durable. The batch runs without savepoints
   * first; if any append throws, that transaction is rolled back and the batch runs again with a
   * savepoint per append, so one failure does not undo the others.
   */
  appendMessage(app: number, message: NewMessage, participants: string[]): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.appendQueue.push({ app, message, participants, resolve, reject });
      if (this.appendQueue.length === 1) setImmediate(() => this.flushAppends());
    });
  }

  private appendQueue: PendingAppend[] = [];
  private readonly walSync: WalSync | null = null;
  private readonly checkpointer: SqliteCheckpointer | null = null;
  private readonly syncNormal: Database.Statement | null = null;
  private readonly syncFull: Database.Statement | null = null;

  /**
   * The batch's transactions, made once in the constructor: `fast` has no savepoints and throws
   * (rolled back) if any append throws; `isolated` gives each append a savepoint and answers each
   * failure alone.
   */
  private readonly appendTx: {
    fast: Database.Transaction<(batch: PendingAppend[]) => AppendResult[]>;
    isolated: Database.Transaction<
      (batch: PendingAppend[]) => (AppendResult | { error: unknown })[]
    >;
  };

  private flushAppends(): void {
    if (this.appendQueue.length === 0) return;
    const batch = this.appendQueue.splice(0, MAX_APPEND_BATCH);
    if (this.appendQueue.length > 0) setImmediate(() => this.flushAppends());
    let results: (AppendResult | { error: unknown })[];
    this.syncNormal?.run();
    this.batchConvIDs = [];
    try {
      results = this.appendTx.fast.immediate(batch);
    } catch {
      // Rolled back: what it saw of new conversations is gone with it.
      this.batchConvIDs = [];
      try {
        results = this.appendTx.isolated.immediate(batch);
      } catch (error) {
        for (const item of batch) item.reject(error);
        return;
      }
    } finally {
      this.syncFull?.run();
    }
    // Committed: the conversations the batch created or found are remembered, unless an append
    // failed (rolled back to its savepoint, it may have listed one that is gone).
    if (!results.some((r) => 'error' in r)) {
      for (const [key, convID] of this.batchConvIDs) this.rememberConv(key, convID);
    }
    this.batchConvIDs = [];
    const settle = () =>
      batch.forEach((item, i) => {
        const r = results[i];
        if ('error' in r) item.reject(r.error);
        else item.resolve(r);
      });
    if (!this.walSync) return settle();
    this.walSync.sync().then(settle, (error: unknown) => {
      for (const item of batch) item.reject(error);
    });
  }

  /** One append; the caller's transaction (or savepoint) undoes it if it throws. */
  private appendOne(app: number, message: NewMessage, participants: string[]): AppendResult {
    const key = `${app}\u0000${message.convKey}`;
    const cached = this.convIDs.has(key);
    const convID = this.ensureConv(app, message.convKey, message.conversationType);
    if (!cached) this.batchConvIDs.push([key, convID]);
    // The next seq is read in the INSERT; a retry of a stored message inserts nothing.
    const inserted = this.get<{ cursor: number; seq: number }>(
      `INSERT INTO messages (app_id, conv_id, seq, msg_id, sender, conv_type, target, type, payload,
         priority, cloud_custom_data, client_time, random, time, nick, avatar, at_user_list,
         receivers, targeted, need_read_receipt, support_extension, excluded_unread, excluded_last)
       VALUES (?, ?, (SELECT last_seq + 1 FROM conversations WHERE conv_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (app_id, sender, msg_id) DO NOTHING
       RETURNING cursor, seq`,
      app,
      convID,
      convID,
      ...newMessageValues(message),
    );
    if (!inserted) {
      const existing = this.get<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN conversations c ON c.conv_id = m.conv_id
         WHERE m.app_id = ? AND m.sender = ? AND m.msg_id = ?`,
        app,
        message.from,
        message.ID,
      );
      if (!existing) throw new Error(`append of ${message.ID} inserted nothing`);
      return { message: toMessage(existing), duplicate: true };
    }
    const { cursor, seq } = inserted;
    if (message.merger) {
      this.run(
        'INSERT INTO merger_lists (download_key, app_id, conv_id, message_list) VALUES (?, ?, ?, ?)',
        message.merger.downloadKey,
        app,
        convID,
        message.merger.messageList,
      );
    }
    this.run(
      'UPDATE conversations SET last_seq = ?, last_cursor = ?, last_time = ? WHERE conv_id = ?',
      seq,
      cursor,
      message.time,
      convID,
    );
    for (const userID of participants) {
      this.run(
        `INSERT OR IGNORE INTO user_conversations (app_id, user_id, conv_id, created_at) VALUES (?, ?, ?, ?)`,
        app,
        userID,
        convID,
        message.time,
      );
    }
    const { merger: _merger, ...stored } = message;
    return {
      message: {
        ...stored,
        cursor,
        seq,
        isRevoked: false,
        revoker: '',
        version: 0,
        isModified: false,
        changeSeq: 0,
      },
      duplicate: false,
    };
  }

  async getHistory(app: number, query: HistoryQuery): Promise<StoredMessage[]> {
    const convID = this.convID(app, query.convKey);
    if (convID === undefined) return [];
    return this.all<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN conversations c ON c.conv_id = m.conv_id
       WHERE m.conv_id = @conv AND m.seq > @after AND m.seq < @before AND ${seenBy('@viewer')}
       ORDER BY m.seq DESC LIMIT @limit`,
      {
        conv: convID,
        after: query.afterSeq,
        before: query.beforeSeq ?? Number.MAX_SAFE_INTEGER,
        viewer: query.viewer,
        limit: query.limit,
      },
    ).map(toMessage);
  }

  async findMessagesFor(
    app: number,
    convKey: string,
    IDs: string[],
    viewer: string,
    afterSeq: number,
  ): Promise<StoredMessage[]> {
    const convID = this.convID(app, convKey);
    if (convID === undefined || IDs.length === 0) return [];
    return this.all<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN conversations c ON c.conv_id = m.conv_id
       WHERE m.conv_id = @conv AND m.msg_id IN (SELECT value FROM json_each(@ids)) AND m.seq > @after
         AND ${seenBy('@viewer')}
       ORDER BY m.seq`,
      { conv: convID, ids: JSON.stringify(IDs), after: afterSeq, viewer },
    ).map(toMessage);
  }

  async getHopping(
    app: number,
    query: {
      convKey: string;
      viewer: string;
      afterSeq: number;
      anchor: { seq: number } | { time: number };
      direction: 0 | 1;
      limit: number;
    },
  ): Promise<StoredMessage[]> {
    const convID = this.convID(app, query.convKey);
    if (convID === undefined) return [];
    const column = 'seq' in query.anchor ? 'm.seq' : 'm.time';
    const anchor = 'seq' in query.anchor ? query.anchor.seq : query.anchor.time;
    const [op, order] = query.direction === 0 ? ['<=', 'DESC'] : ['>=', 'ASC'];
    return this.all<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN conversations c ON c.conv_id = m.conv_id
       WHERE m.conv_id = @conv AND m.seq > @after AND ${column} ${op} @anchor AND ${seenBy('@viewer')}
       ORDER BY m.seq ${order} LIMIT @limit`,
      { conv: convID, after: query.afterSeq, anchor, viewer: query.viewer, limit: query.limit },
    ).map(toMessage);
  }

  async lastMessageFor(
    app: number,
    userID: string,
    convKey: string,
  ): Promise<StoredMessage | null> {
    const row = this.get<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM conversations c
       JOIN messages m ON m.conv_id = c.conv_id
       LEFT JOIN user_conversations uc ON uc.app_id = c.app_id AND uc.user_id = @u AND uc.conv_id = c.conv_id
       LEFT JOIN conversation_settings cs ON cs.app_id = c.app_id AND cs.user_id = @u AND cs.conv_id = c.conv_id
       WHERE c.app_id = @app AND c.conv_key = @key AND m.seq > coalesce(uc.visible_seq, 0)
         AND m.excluded_last = 0 AND ${seenBy('@u')} AND ${notDiscarded('@u')}
       ORDER BY m.seq DESC LIMIT 1`,
      { app, u: userID, key: convKey },
    );
    return row ? toMessage(row) : null;
  }

  async mentionsFor(app: number, userID: string, convKey: string): Promise<MentionRecord[]> {
    const rows = this.all<{ msg_id: string; seq: number; at_me: number; at_all: number }>(
      `SELECT m.msg_id, m.seq,
         EXISTS (SELECT 1 FROM json_each(m.at_user_list) WHERE value = @u) AS at_me,
         EXISTS (SELECT 1 FROM json_each(m.at_user_list) WHERE value = @all) AS at_all
       FROM user_conversations uc
       JOIN conversations c ON c.conv_id = uc.conv_id
       JOIN messages m ON m.conv_id = uc.conv_id AND m.seq > max(uc.read_seq, uc.join_seq, uc.visible_seq)
       ${SETTINGS_JOIN}
       WHERE uc.app_id = @app AND uc.user_id = @u AND c.app_id = @app AND c.conv_key = @key
         AND m.at_user_list <> '[]' AND m.sender <> @u AND m.revoked = 0
         AND ${seenBy('@u')} AND ${notDiscarded('@u')}
       ORDER BY m.seq`,
      { app, u: userID, key: convKey, all: TYPES.MSG_AT_ALL },
    );
    return rows
      .filter((r) => r.at_me === 1 || r.at_all === 1)
      .map((r) => ({ ID: r.msg_id, seq: r.seq, atMe: r.at_me === 1, atAll: r.at_all === 1 }));
  }

  async getMergerList(
    app: number,
    downloadKey: string,
  ): Promise<{ convKey: string; messageList: string } | null> {
    const row = this.get<{ conv_key: string; message_list: string }>(
      `SELECT c.conv_key, ml.message_list FROM merger_lists ml JOIN conversations c ON c.conv_id = ml.conv_id
       WHERE ml.app_id = ? AND ml.download_key = ?`,
      app,
      downloadKey,
    );
    return row ? { convKey: row.conv_key, messageList: row.message_list } : null;
  }

  private messageByCursor(app: number, cursor: number): StoredMessage | null {
    const row = this.get<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN conversations c ON c.conv_id = m.conv_id
       WHERE m.cursor = ? AND m.app_id = ?`,
      cursor,
      app,
    );
    return row ? toMessage(row) : null;
  }

  async revokeMessage(
    app: number,
    cursor: number,
    revoker: string,
  ): Promise<{ message: StoredMessage; unpinned: boolean } | null> {
    return this.db
      .transaction(() => {
        const before = this.messageByCursor(app, cursor);
        if (!before) return null;
        if (before.isRevoked) return { message: before, unpinned: false };
        this.run(
          `UPDATE messages SET revoked = 1, revoker = ?, payload = '{}', cloud_custom_data = '',
             change_seq = ?
           WHERE cursor = ?`,
          revoker,
          this.nextChange(),
          cursor,
        );
        const downloadKey = before.payload.downloadKey;
        if (typeof downloadKey === 'string' && downloadKey !== '') {
          this.run(
            'DELETE FROM merger_lists WHERE app_id = ? AND download_key = ?',
            app,
            downloadKey,
          );
        }
        this.run('DELETE FROM message_extensions WHERE cursor = ?', cursor);
        this.run('DELETE FROM message_reactions WHERE cursor = ?', cursor);
        const unpinned =
          this.run('DELETE FROM pinned_messages WHERE app_id = ? AND cursor = ?', app, cursor)
            .changes > 0;
        return { message: this.messageByCursor(app, cursor)!, unpinned };
      })
      .immediate();
  }

  async modifyMessage(
    app: number,
    cursor: number,
    expectedVersion: number,
    patch: { payload?: Record<string, unknown>; cloudCustomData?: string },
  ): Promise<{ ok: boolean; message: StoredMessage } | null> {
    return this.db
      .transaction(() => {
        const changed = this.run(
          `UPDATE messages SET payload = coalesce(@payload, payload),
             cloud_custom_data = coalesce(@ccd, cloud_custom_data), version = version + 1, modified = 1,
             change_seq = @change
           WHERE cursor = @cursor AND app_id = @app AND version = @version AND revoked = 0`,
          {
            payload: patch.payload === undefined ? null : JSON.stringify(patch.payload),
            ccd: patch.cloudCustomData ?? null,
            cursor,
            app,
            version: expectedVersion,
            change: this.nextChange(),
          },
        ).changes;
        const message = this.messageByCursor(app, cursor);
        return message ? { ok: changed > 0, message } : null;
      })
      .immediate();
  }

  async deleteMessagesFor(app: number, userID: string, cursors: number[]): Promise<void> {
    this.db
      .transaction(() => {
        for (const cursor of cursors) {
          this.run(
            'INSERT OR IGNORE INTO message_deletions (cursor, user_id) VALUES (?, ?)',
            cursor,
            userID,
          );
        }
      })
      .immediate();
  }

  async clearHistory(app: number, userID: string, convKey: string): Promise<boolean> {
    const convID = this.convID(app, convKey);
    if (convID === undefined) return false;
    return (
      this.run(
        `UPDATE user_conversations SET
           visible_seq = max(visible_seq, (SELECT last_seq FROM conversations WHERE conv_id = @conv)),
           activity_key = max(activity_key, (SELECT last_cursor FROM conversations WHERE conv_id = @conv))
         WHERE app_id = @app AND user_id = @u AND conv_id = @conv`,
        { conv: convID, app, u: userID },
      ).changes > 0
    );
  }

  async findMessage(app: number, convKey: string, ID: string): Promise<StoredMessage | null> {
    const row = this.get<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN conversations c ON c.conv_id = m.conv_id
       WHERE c.app_id = ? AND c.conv_key = ? AND m.msg_id = ? LIMIT 1`,
      app,
      convKey,
      ID,
    );
    return row ? toMessage(row) : null;
  }

  async getMessageBySeq(app: number, convKey: string, seq: number): Promise<StoredMessage | null> {
    const row = this.get<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN conversations c ON c.conv_id = m.conv_id
       WHERE c.app_id = ? AND c.conv_key = ? AND m.seq = ?`,
      app,
      convKey,
      seq,
    );
    return row ? toMessage(row) : null;
  }

  /** The SQL of syncMessages, exported for the query-plan test. */
  static readonly SYNC_SQL = syncSQL('m.cursor');

  async syncMessages(
    app: number,
    userID: string,
    cursor: number,
    limit: number,
  ): Promise<StoredMessage[]> {
    return this.all<MessageRow>(SqliteStorage.SYNC_SQL, cursor, app, userID, limit).map(toMessage);
  }

  /** The SQL of syncChanges: syncMessages' rules, over the change stream (partial index). */
  static readonly SYNC_CHANGES_SQL = syncSQL('m.change_seq');

  async syncChanges(
    app: number,
    userID: string,
    changeCursor: number,
    limit: number,
  ): Promise<StoredMessage[]> {
    return this.all<MessageRow>(
      SqliteStorage.SYNC_CHANGES_SQL,
      changeCursor,
      app,
      userID,
      limit,
    ).map(toMessage);
  }

  async addSystemNotice(app: number, userIDs: string[], notice: NewSystemNotice): Promise<number> {
    return this.db
      .transaction(() => {
        const change = this.nextChange();
        const payload = JSON.stringify(notice.payload);
        for (const userID of new Set(userIDs)) {
          this.run(
            `INSERT INTO system_notices (app_id, user_id, change_seq, msg_id, payload, time)
             VALUES (?, ?, ?, ?, ?, ?)`,
            app,
            userID,
            change,
            notice.ID,
            payload,
            notice.time,
          );
        }
        return change;
      })
      .immediate();
  }

  async syncSystemNotices(
    app: number,
    userID: string,
    changeCursor: number,
    limit: number,
  ): Promise<SystemNoticeRecord[]> {
    return this.all<NoticeRow>(
      `SELECT ${NOTICE_COLUMNS} FROM system_notices
       WHERE app_id = ? AND user_id = ? AND change_seq > ? ORDER BY change_seq LIMIT ?`,
      app,
      userID,
      changeCursor,
      limit,
    ).map(toNotice);
  }

  async systemNoticeHistory(
    app: number,
    userID: string,
    beforeSeq: number | undefined,
    limit: number,
  ): Promise<SystemNoticeRecord[]> {
    return this.all<NoticeRow>(
      `SELECT ${NOTICE_COLUMNS} FROM system_notices
       WHERE app_id = ? AND user_id = ? AND change_seq < ? ORDER BY change_seq DESC LIMIT ?`,
      app,
      userID,
      beforeSeq ?? Number.MAX_SAFE_INTEGER,
      limit,
    ).map(toNotice);
  }

  async findSystemNotice(
    app: number,
    userID: string,
    ID: string,
  ): Promise<SystemNoticeRecord | null> {
    const row = this.get<NoticeRow>(
      `SELECT ${NOTICE_COLUMNS} FROM system_notices WHERE app_id = ? AND user_id = ? AND msg_id = ?`,
      app,
      userID,
      ID,
    );
    return row ? toNotice(row) : null;
  }

  /** The next position in the change stream; inside the transaction of the change. */
  private nextChange(): number {
    return this.get<{ value: number }>(
      'UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value',
    )!.value;
  }

  async latestChangeCursor(): Promise<number> {
    return this.get<{ value: number }>('SELECT value FROM change_counter WHERE id = 1')!.value;
  }

  async latestCursor(app: number, userID: string): Promise<number> {
    return this.get<{ c: number }>(
      `SELECT coalesce(max(c.last_cursor), 0) AS c FROM user_conversations uc
       JOIN conversations c ON c.conv_id = uc.conv_id WHERE uc.app_id = ? AND uc.user_id = ?`,
      app,
      userID,
    )!.c;
  }

  // conversations

  async listConversations(app: number, userID: string): Promise<UserConversationRecord[]> {
    return this.all<ConversationRow>(CONVERSATION_SELECT, app, userID).map((row) =>
      toConversation(row, userID),
    );
  }

  async getConversation(
    app: number,
    userID: string,
    convKey: string,
    options: { unread?: boolean } = {},
  ): Promise<UserConversationRecord | null> {
    const select = options.unread === false ? CONVERSATION_SELECT_NO_UNREAD : CONVERSATION_SELECT;
    const row = this.get<ConversationRow>(`${select} AND c.conv_key = ?`, app, userID, convKey);
    return row ? toConversation(row, userID) : null;
  }

  async markRead(app: number, userID: string, convKey: string): Promise<MarkReadResult | null> {
    return this.db
      .transaction((): MarkReadResult | null => {
        const convID = this.convID(app, convKey);
        if (convID === undefined) return null;
        const before = this.get<{ read_seq: number }>(
          'SELECT read_seq FROM user_conversations WHERE app_id = ? AND user_id = ? AND conv_id = ?',
          app,
          userID,
          convID,
        );
        if (!before) return null;
        const row = this.get<{ read_seq: number }>(
          `UPDATE user_conversations
           SET read_seq = max(read_seq, (SELECT last_seq FROM conversations c WHERE c.conv_id = user_conversations.conv_id))
           WHERE app_id = ? AND user_id = ? AND conv_id = ?
           RETURNING read_seq`,
          app,
          userID,
          convID,
        )!;
        return { readSeq: row.read_seq, previous: before.read_seq };
      })
      .immediate();
  }

  async getConversationSettings(
    app: number,
    userID: string,
    convKey: string,
  ): Promise<ConversationSettings | null> {
    const row = this.get<{ remind_type: string; remind_cursor: number }>(
      `SELECT cs.remind_type, cs.remind_cursor FROM conversations c
       JOIN conversation_settings cs ON cs.app_id = c.app_id AND cs.user_id = ? AND cs.conv_id = c.conv_id
       WHERE c.app_id = ? AND c.conv_key = ?`,
      userID,
      app,
      convKey,
    );
    return row ? { remindType: row.remind_type, remindCursor: row.remind_cursor } : null;
  }

  async setRemindType(
    app: number,
    userID: string,
    convKey: string,
    convType: 'C2C' | 'GROUP',
    remindType: string,
    now: number,
  ): Promise<void> {
    this.db
      .transaction(() => {
        const convID = this.ensureConv(app, convKey, convType);
        this.discarding.delete(convID);
        this.run(
          `INSERT INTO conversation_settings (app_id, user_id, conv_id, remind_type, remind_cursor, updated_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (app_id, user_id, conv_id) DO UPDATE SET remind_type = excluded.remind_type,
             remind_cursor = excluded.remind_cursor, updated_at = excluded.updated_at`,
          app,
          userID,
          convID,
          remindType,
          this.maxCursor(),
          now,
        );
      })
      .immediate();
  }

  /**
   * Who set Discard, by conv_id, kept in memory once read: every send asks. Every writer of
   * conversation_settings (setRemindType, quitting and dismissing a group) drops what it changed.
   */
  private readonly discarding = new Map<number, string[]>();

  async discardingUsers(app: number, convKey: string, userIDs: string[]): Promise<Set<string>> {
    const convID = this.convID(app, convKey);
    if (convID === undefined || userIDs.length === 0) return new Set();
    let users = this.discarding.get(convID);
    if (!users) {
      users = this.all<{ user_id: string }>(
        `SELECT user_id FROM conversation_settings WHERE conv_id = ? AND remind_type = 'Discard'`,
        convID,
      ).map((r) => r.user_id);
      if (this.discarding.size >= CONV_CACHE_SIZE) {
        this.discarding.delete(this.discarding.keys().next().value as number);
      }
      this.discarding.set(convID, users);
    }
    if (users.length === 0) return new Set();
    const wanted = new Set(userIDs);
    return new Set(users.filter((u) => wanted.has(u)));
  }

  async getReceiveOpt(app: number, userID: string): Promise<ReceiveOpt> {
    const row = this.get<{ receive_opt: string }>(
      'SELECT receive_opt FROM users WHERE app_id = ? AND user_id = ?',
      app,
      userID,
    );
    return {
      ...DEFAULT_RECEIVE_OPT,
      ...(row ? (JSON.parse(row.receive_opt) as Partial<ReceiveOpt>) : {}),
    };
  }

  async setReceiveOpt(app: number, userID: string, opt: ReceiveOpt): Promise<void> {
    this.userCache.delete(`${app}:${userID}`);
    this.run(
      'UPDATE users SET receive_opt = ? WHERE app_id = ? AND user_id = ?',
      JSON.stringify(opt),
      app,
      userID,
    );
  }

  // read receipts

  async addReads(app: number, reader: string, cursors: number[], now: number): Promise<number[]> {
    return this.db
      .transaction(() =>
        cursors.filter(
          (cursor) =>
            this.run(
              'INSERT OR IGNORE INTO message_reads (cursor, user_id, time) VALUES (?, ?, ?)',
              cursor,
              reader,
              now,
            ).changes > 0,
        ),
      )
      .immediate();
  }

  /** The audience of a message's receipts, as SQL over group members `gm`. */
  private static readonly AUDIENCE = `gm.app_id = @app AND gm.group_id = @group AND gm.user_id <> @sender
    AND (@targeted = 0 OR gm.user_id IN (SELECT value FROM json_each(@receivers)))`;

  private audienceParams(app: number, message: StoredMessage) {
    return {
      app,
      group: message.to,
      sender: message.from,
      targeted: message.receiverList.length > 0 ? 1 : 0,
      receivers: JSON.stringify(message.receiverList),
      cursor: message.cursor,
    };
  }

  async receiptStats(
    app: number,
    message: StoredMessage,
  ): Promise<{ readCount: number; unreadCount: number }> {
    if (message.conversationType === 'C2C') {
      if (message.to === message.from) return { readCount: 0, unreadCount: 0 };
      const read = this.get(
        'SELECT 1 FROM message_reads WHERE cursor = ? AND user_id = ?',
        message.cursor,
        message.to,
      )
        ? 1
        : 0;
      return { readCount: read, unreadCount: 1 - read };
    }
    const row = this.get<{ total: number; read: number | null }>(
      `SELECT count(*) AS total,
         sum(EXISTS (SELECT 1 FROM message_reads r WHERE r.cursor = @cursor AND r.user_id = gm.user_id)) AS read
       FROM group_members gm WHERE ${SqliteStorage.AUDIENCE}`,
      this.audienceParams(app, message),
    )!;
    const read = row.read ?? 0;
    return { readCount: read, unreadCount: row.total - read };
  }

  async receiptMembers(
    app: number,
    message: StoredMessage,
    filter: 0 | 1,
    after: string,
    limit: number,
  ): Promise<string[]> {
    if (message.conversationType === 'C2C') {
      if (message.to === message.from || message.to <= after) return [];
      const read = !!this.get(
        'SELECT 1 FROM message_reads WHERE cursor = ? AND user_id = ?',
        message.cursor,
        message.to,
      );
      return read === (filter === 0) ? [message.to] : [];
    }
    return this.all<{ user_id: string }>(
      `SELECT gm.user_id FROM group_members gm
       WHERE ${SqliteStorage.AUDIENCE} AND gm.user_id > @after
         AND EXISTS (SELECT 1 FROM message_reads r WHERE r.cursor = @cursor AND r.user_id = gm.user_id) = @read
       ORDER BY gm.user_id LIMIT @limit`,
      { ...this.audienceParams(app, message), after, read: filter === 0 ? 1 : 0, limit },
    ).map((r) => r.user_id);
  }

  // extensions

  async getExtensions(cursor: number): Promise<ExtensionRecord[]> {
    return this.all<ExtensionRecord>(
      'SELECT key, value, seq FROM message_extensions WHERE cursor = ? AND deleted = 0 ORDER BY seq',
      cursor,
    );
  }

  async writeExtensions(
    cursor: number,
    writes: ExtensionWrite[],
    actor: string,
    nowMs: number,
    conflictSinceMs: number,
    maxKeys: number,
  ): Promise<ExtensionWriteResult> {
    return this.db
      .transaction((): ExtensionWriteResult => {
        const stored = this.all<ExtensionRow>(
          'SELECT key, value, seq, deleted, updated_by, updated_ms FROM message_extensions WHERE cursor = ?',
          cursor,
        );
        const plan = planExtensionWrites(stored, writes, actor, nowMs, conflictSinceMs, maxKeys);
        for (const row of plan.rows) {
          this.run(
            `INSERT INTO message_extensions (cursor, key, value, seq, deleted, updated_by, updated_ms)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (cursor, key) DO UPDATE SET value = excluded.value, seq = excluded.seq,
               deleted = excluded.deleted, updated_by = excluded.updated_by, updated_ms = excluded.updated_ms`,
            cursor,
            row.key,
            row.value,
            row.seq,
            row.deleted,
            actor,
            nowMs,
          );
        }
        return plan.result;
      })
      .immediate();
  }

  // reactions

  async addReaction(
    cursor: number,
    reactionID: string,
    userID: string,
    now: number,
    maxDistinct: number,
  ): Promise<'added' | 'already' | 'limit'> {
    return this.db
      .transaction((): 'added' | 'already' | 'limit' => {
        if (
          this.get(
            'SELECT 1 FROM message_reactions WHERE cursor = ? AND reaction_id = ? AND user_id = ?',
            cursor,
            reactionID,
            userID,
          )
        ) {
          return 'already';
        }
        const known = this.get(
          'SELECT 1 FROM message_reactions WHERE cursor = ? AND reaction_id = ?',
          cursor,
          reactionID,
        );
        if (!known) {
          const distinct = this.get<{ n: number }>(
            'SELECT count(DISTINCT reaction_id) AS n FROM message_reactions WHERE cursor = ?',
            cursor,
          )!.n;
          if (distinct >= maxDistinct) return 'limit';
        }
        this.run(
          'INSERT INTO message_reactions (cursor, reaction_id, user_id, time) VALUES (?, ?, ?, ?)',
          cursor,
          reactionID,
          userID,
          now,
        );
        return 'added';
      })
      .immediate();
  }

  async removeReaction(cursor: number, reactionID: string, userID: string): Promise<boolean> {
    return (
      this.run(
        'DELETE FROM message_reactions WHERE cursor = ? AND reaction_id = ? AND user_id = ?',
        cursor,
        reactionID,
        userID,
      ).changes > 0
    );
  }

  async listReactions(cursors: number[]): Promise<Map<number, ReactionRow[]>> {
    const result = new Map<number, ReactionRow[]>(cursors.map((c) => [c, []]));
    if (cursors.length === 0) return result;
    const rows = this.all<{ id: number; cursor: number; reaction_id: string; user_id: string }>(
      `SELECT id, cursor, reaction_id, user_id FROM message_reactions
       WHERE cursor IN (SELECT value FROM json_each(?)) ORDER BY id`,
      JSON.stringify(cursors),
    );
    for (const row of rows) {
      result
        .get(row.cursor)
        ?.push({ id: row.id, reactionID: row.reaction_id, userID: row.user_id });
    }
    return result;
  }

  async reactionUsers(
    cursor: number,
    reactionID: string,
    afterID: number,
    limit: number,
  ): Promise<ReactionRow[]> {
    return this.all<{ id: number; reaction_id: string; user_id: string }>(
      `SELECT id, reaction_id, user_id FROM message_reactions
       WHERE cursor = ? AND reaction_id = ? AND id > ? ORDER BY id LIMIT ?`,
      cursor,
      reactionID,
      afterID,
      limit,
    ).map((r) => ({ id: r.id, reactionID: r.reaction_id, userID: r.user_id }));
  }

  // pins

  async pinMessage(
    app: number,
    groupID: string,
    cursor: number,
    by: string,
    now: number,
    max: number,
  ): Promise<'pinned' | 'already' | 'limit'> {
    return this.db
      .transaction((): 'pinned' | 'already' | 'limit' => {
        if (
          this.get(
            'SELECT 1 FROM pinned_messages WHERE app_id = ? AND group_id = ? AND cursor = ?',
            app,
            groupID,
            cursor,
          )
        ) {
          return 'already';
        }
        const count = this.get<{ n: number }>(
          'SELECT count(*) AS n FROM pinned_messages WHERE app_id = ? AND group_id = ?',
          app,
          groupID,
        )!.n;
        if (count >= max) return 'limit';
        this.run(
          'INSERT INTO pinned_messages (app_id, group_id, cursor, pinned_by, pinned_at) VALUES (?, ?, ?, ?, ?)',
          app,
          groupID,
          cursor,
          by,
          now,
        );
        return 'pinned';
      })
      .immediate();
  }

  async unpinMessage(app: number, groupID: string, cursor: number): Promise<boolean> {
    return (
      this.run(
        'DELETE FROM pinned_messages WHERE app_id = ? AND group_id = ? AND cursor = ?',
        app,
        groupID,
        cursor,
      ).changes > 0
    );
  }

  async pinnedMessages(app: number, groupID: string): Promise<StoredMessage[]> {
    return this.all<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM pinned_messages p
       JOIN messages m ON m.cursor = p.cursor
       JOIN conversations c ON c.conv_id = m.conv_id
       WHERE p.app_id = ? AND p.group_id = ? ORDER BY p.pinned_at DESC, p.cursor DESC`,
      app,
      groupID,
    ).map(toMessage);
  }

  // media

  async saveMedia(record: MediaRecord): Promise<void> {
    this.run(
      `INSERT INTO media (uuid, app_id, owner, kind, size, name, content_type, files, origin, info, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      record.uuid,
      record.app,
      record.owner,
      record.kind,
      record.size,
      record.name,
      record.contentType,
      JSON.stringify(record.files),
      record.origin,
      JSON.stringify(record.info),
      record.createdAt,
    );
  }

  async getMedia(uuid: string): Promise<MediaRecord | null> {
    const row = this.get<MediaRow>('SELECT * FROM media WHERE uuid = ?', uuid);
    if (!row) return null;
    return {
      uuid: row.uuid,
      app: row.app_id,
      owner: row.owner,
      kind: row.kind as MediaKind,
      size: row.size,
      name: row.name,
      contentType: row.content_type,
      files: JSON.parse(row.files) as string[],
      origin: row.origin,
      info: JSON.parse(row.info) as Record<string, unknown>,
      createdAt: row.created_at,
    };
  }

  // groups

  async createGroup(app: number, group: NewGroup): Promise<boolean> {
    return this.db
      .transaction((): boolean => {
        if (
          this.get('SELECT 1 FROM im_groups WHERE app_id = ? AND group_id = ?', app, group.groupID)
        ) {
          return false;
        }
        const convID = this.ensureConv(app, groupKey(group.groupID), 'GROUP');
        const lastSeq = this.get<{ last_seq: number }>(
          'SELECT last_seq FROM conversations WHERE conv_id = ?',
          convID,
        )!.last_seq;
        const activity = this.maxCursor();
        this.run(
          `INSERT INTO im_groups (app_id, group_id, conv_id, type, name, introduction, notification, avatar,
             owner_id, create_time, last_info_time, max_member, join_option, member_count)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          app,
          group.groupID,
          convID,
          group.type,
          group.name,
          group.introduction,
          group.notification,
          group.avatar,
          group.ownerID,
          group.createTime,
          group.createTime,
          group.maxMemberCount,
          group.joinOption,
          group.members.length,
        );
        for (const member of group.members) {
          this.insertMember(
            app,
            group.groupID,
            convID,
            member.userID,
            member.role,
            group.createTime,
            {
              seq: lastSeq,
              visibleSeq: 0,
              activity,
            },
          );
        }
        return true;
      })
      .immediate();
  }

  private insertMember(
    app: number,
    groupID: string,
    convID: number,
    userID: string,
    role: MemberRole,
    now: number,
    at: { seq: number; visibleSeq: number; activity: number },
  ): void {
    this.run(
      'INSERT INTO group_members (app_id, group_id, user_id, role, join_time) VALUES (?, ?, ?, ?, ?)',
      app,
      groupID,
      userID,
      role,
      now,
    );
    this.run(
      `INSERT INTO user_conversations (app_id, user_id, conv_id, read_seq, join_seq, visible_seq, activity_key, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (app_id, user_id, conv_id) DO UPDATE SET read_seq = excluded.read_seq,
         join_seq = excluded.join_seq, visible_seq = excluded.visible_seq, activity_key = excluded.activity_key`,
      app,
      userID,
      convID,
      at.seq,
      at.seq,
      at.visibleSeq,
      at.activity,
      now,
    );
  }

  async getGroup(app: number, groupID: string): Promise<GroupRecord | null> {
    const row = this.get<GroupRow>(
      `${GROUP_SELECT} WHERE g.app_id = ? AND g.group_id = ?`,
      app,
      groupID,
    );
    return row ? toGroup(row) : null;
  }

  async getMember(app: number, groupID: string, userID: string): Promise<MemberRecord | null> {
    const row = this.get<MemberRow>(
      `${MEMBER_SELECT} WHERE gm.app_id = ? AND gm.group_id = ? AND gm.user_id = ?`,
      app,
      groupID,
      userID,
    );
    return row ? toMember(row) : null;
  }

  async listMembers(
    app: number,
    groupID: string,
    offset: number,
    limit: number,
  ): Promise<MemberWithProfile[]> {
    const rows = this.all<MemberRow & { nick: string | null; avatar: string | null }>(
      `SELECT gm.user_id, gm.role, gm.join_time, gm.name_card, gm.mute_until, gm.custom_fields, NULL AS read_seq,
         NULL AS visible_seq, u.nick, u.avatar
       FROM group_members gm LEFT JOIN users u ON u.app_id = gm.app_id AND u.user_id = gm.user_id
       WHERE gm.app_id = ? AND gm.group_id = ? ORDER BY gm.id LIMIT ? OFFSET ?`,
      app,
      groupID,
      limit,
      offset,
    );
    return rows.map((row) => ({
      ...toMember(row),
      nick: row.nick ?? '',
      avatar: row.avatar ?? '',
    }));
  }

  async allMembers(app: number, groupID: string): Promise<MemberRecord[]> {
    return this.all<MemberRow>(
      `${MEMBER_SELECT} WHERE gm.app_id = ? AND gm.group_id = ? ORDER BY gm.id`,
      app,
      groupID,
    ).map(toMember);
  }

  async addMember(
    app: number,
    groupID: string,
    userID: string,
    role: MemberRole,
    now: number,
    seeHistory: boolean,
  ): Promise<AddMemberResult> {
    return this.db
      .transaction((): AddMemberResult => {
        const group = this.get<{
          conv_id: number;
          member_count: number;
          max_member: number;
          last_seq: number;
        }>(
          `SELECT g.conv_id, g.member_count, g.max_member, c.last_seq FROM im_groups g
           JOIN conversations c ON c.conv_id = g.conv_id WHERE g.app_id = ? AND g.group_id = ?`,
          app,
          groupID,
        );
        if (!group) return 'missing';
        if (
          this.get(
            'SELECT 1 FROM group_members WHERE app_id = ? AND group_id = ? AND user_id = ?',
            app,
            groupID,
            userID,
          )
        ) {
          return 'already';
        }
        if (group.member_count >= group.max_member) return 'full';
        this.insertMember(app, groupID, group.conv_id, userID, role, now, {
          seq: group.last_seq,
          visibleSeq: seeHistory ? 0 : group.last_seq,
          activity: this.maxCursor(),
        });
        this.run(
          'UPDATE im_groups SET member_count = member_count + 1 WHERE app_id = ? AND group_id = ?',
          app,
          groupID,
        );
        return 'added';
      })
      .immediate();
  }

  async removeMember(app: number, groupID: string, userID: string): Promise<boolean> {
    return this.db
      .transaction((): boolean => {
        const removed = this.run(
          'DELETE FROM group_members WHERE app_id = ? AND group_id = ? AND user_id = ?',
          app,
          groupID,
          userID,
        );
        if (removed.changes === 0) return false;
        this.run(
          `UPDATE im_groups SET member_count = member_count - 1,
             owner_id = CASE WHEN owner_id = ? THEN '' ELSE owner_id END
           WHERE app_id = ? AND group_id = ?`,
          userID,
          app,
          groupID,
        );
        const convID = this.convID(app, groupKey(groupID));
        this.run(
          'DELETE FROM user_conversations WHERE app_id = ? AND user_id = ? AND conv_id = ?',
          app,
          userID,
          convID,
        );
        if (convID !== undefined) this.discarding.delete(convID);
        this.run(
          'DELETE FROM conversation_settings WHERE app_id = ? AND user_id = ? AND conv_id = ?',
          app,
          userID,
          convID,
        );
        return true;
      })
      .immediate();
  }

  async listUserGroups(
    app: number,
    userID: string,
  ): Promise<{ group: GroupRecord; member: MemberRecord }[]> {
    const rows = this.all<GroupRow & MemberRow>(
      `SELECT g.*, c.last_seq, gm.user_id, gm.role, gm.join_time, gm.name_card, gm.mute_until, gm.custom_fields, uc.read_seq,
         uc.visible_seq
       FROM group_members gm
       JOIN im_groups g ON g.app_id = gm.app_id AND g.group_id = gm.group_id
       JOIN conversations c ON c.conv_id = g.conv_id
       LEFT JOIN user_conversations uc ON uc.app_id = gm.app_id AND uc.user_id = gm.user_id AND uc.conv_id = g.conv_id
       WHERE gm.app_id = ? AND gm.user_id = ? ORDER BY gm.id`,
      app,
      userID,
    );
    return rows.map((row) => ({ group: toGroup(row), member: toMember(row) }));
  }

  async saveGroupApplication(
    app: number,
    groupID: string,
    userID: string,
    message: string,
    now: number,
  ): Promise<void> {
    this.run(
      `INSERT INTO group_applications (app_id, group_id, user_id, message, time) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (app_id, group_id, user_id) DO UPDATE SET message = excluded.message, time = excluded.time,
         status = 'pending'`,
      app,
      groupID,
      userID,
      message,
      now,
    );
  }

  // [issue 4: conversations]
  async listConversationStates(app: number, userID: string) {
    return convState.listStates(this.db, app, userID);
  }
  async getConversationState(app: number, userID: string, convKey: string) {
    return convState.getState(this.db, app, userID, convKey);
  }
  async patchConversationStates(
    ...a: Parameters<Storage['patchConversationStates']>
  ): Promise<'ok' | 'markLimit'> {
    return convState.patchStatesLimited(this.db, ...a);
  }
  async deleteConversationsFor(...a: Parameters<Storage['deleteConversationsFor']>) {
    convState.deleteFor(this.db, ...a);
  }
  async conversationGroupNames(app: number, userID: string) {
    return convState.groupNames(this.db, app, userID);
  }
  async changeConversationGroups(...a: Parameters<Storage['changeConversationGroups']>) {
    return convState.changeGroups(this.db, ...a);
  }

  // [issue 5: groups]
  async updateGroup(
    app: number,
    groupID: string,
    patch: GroupPatch,
    now: number,
  ): Promise<GroupRecord | null> {
    if (!sqlGroups.updateGroup(this.db, app, groupID, patch, now)) return null;
    return this.getGroup(app, groupID);
  }

  async updateMember(
    app: number,
    groupID: string,
    userID: string,
    patch: MemberPatch,
  ): Promise<boolean> {
    return sqlGroups.updateMember(this.db, app, groupID, userID, patch);
  }

  async transferOwner(app: number, groupID: string, from: string, to: string): Promise<boolean> {
    return sqlGroups.transferOwner(this.db, app, groupID, from, to);
  }

  async dismissGroup(app: number, groupID: string): Promise<string[]> {
    const convID = this.convID(app, groupKey(groupID));
    if (convID !== undefined) this.discarding.delete(convID);
    return sqlGroups.dismissGroup(this.db, app, groupID);
  }

  async getGroupApplication(
    app: number,
    groupID: string,
    userID: string,
  ): Promise<GroupApplicationRecord | null> {
    return sqlGroups.getGroupApplication(this.db, app, groupID, userID);
  }

  async pendingApplicationsFor(app: number, userID: string): Promise<GroupApplicationRecord[]> {
    return sqlGroups.pendingApplicationsFor(this.db, app, userID);
  }

  async resolveGroupApplication(
    app: number,
    groupID: string,
    userID: string,
    status: 'Agree' | 'Reject',
  ): Promise<boolean> {
    return sqlGroups.resolveGroupApplication(this.db, app, groupID, userID, status);
  }

  async getGroupAttributes(app: number, groupID: string): Promise<Record<string, string>> {
    return sqlGroups.readMap(this.db, 'group_attributes', app, groupID);
  }

  async changeGroupAttributes(
    app: number,
    groupID: string,
    change: MapChange,
  ): Promise<Record<string, string>> {
    return sqlGroups.changeMap(this.db, 'group_attributes', app, groupID, change);
  }

  async banMember(app: number, groupID: string, userID: string, until: number): Promise<void> {
    sqlGroups.banMember(this.db, app, groupID, userID, until);
  }

  async bannedUntil(app: number, groupID: string, userID: string): Promise<number> {
    return sqlGroups.bannedUntil(this.db, app, groupID, userID);
  }

  async setSupportTopic(app: number, groupID: string): Promise<void> {
    sqlGroups.setSupportTopic(this.db, app, groupID);
  }

  async createTopic(
    app: number,
    topic: TopicRecord,
    max: number,
  ): Promise<'created' | 'taken' | 'limit'> {
    return sqlGroups.createTopic(this.db, app, topic, max);
  }

  async listTopics(app: number, groupID: string): Promise<TopicRecord[]> {
    return sqlGroups.listTopics(this.db, app, groupID);
  }

  async updateTopic(
    app: number,
    groupID: string,
    topicID: string,
    patch: TopicPatch,
  ): Promise<TopicRecord | null> {
    return sqlGroups.updateTopic(this.db, app, groupID, topicID, patch);
  }

  async deleteTopic(app: number, groupID: string, topicID: string): Promise<boolean> {
    return sqlGroups.deleteTopic(this.db, app, groupID, topicID);
  }

  async getGroupCounters(app: number, groupID: string): Promise<Record<string, string>> {
    return sqlGroups.readMap(this.db, 'group_counters', app, groupID);
  }

  async changeGroupCounters(
    app: number,
    groupID: string,
    change: MapChange,
  ): Promise<Record<string, string>> {
    return sqlGroups.changeMap(this.db, 'group_counters', app, groupID, change);
  }

  // [issue 6: users and relationships]
  private relationStore?: SqliteRelations;
  get relations(): SqliteRelations {
    return (this.relationStore ??= new SqliteRelations(this.db));
  }

  async close(): Promise<void> {
    // Appends already accepted are committed (and answered) before the database closes.
    while (this.db.open && this.appendQueue.length > 0) this.flushAppends();
    await this.walSync?.close();
    await this.checkpointer?.close();
    if (this.db.open) this.db.close();
  }
}
