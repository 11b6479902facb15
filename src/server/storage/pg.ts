/**
 * PostgreSQL storage: the same tables and semantics as the SQLite store (sqlite.ts), for several
 * server nodes sharing one database. SQLite's IMMEDIATE transactions serialize every writer;
 * PostgreSQL's READ COMMITTED transactions do not, so every read-then-write here either locks what
 * it read (a row lock, an advisory lock on a key) or is a single conditional statement.
 *
 * Nothing mutable is kept in memory: another node may change any row at any time.
 *
 * Conversations, groups and relations live in pg-conversations.ts, pg-groups.ts and
 * pg-relations.ts; this class delegates to them.
 */
import { TYPES } from '../../protocol/constants.js';
import { PgDb, type PgOptions, type Sql } from './pg-db.js';
import { PG_MESSAGE_COLUMNS, PG_SETTINGS_JOIN, pgNotDiscarded, pgSeenBy } from './pg-fragments.js';
import * as pgConv from './pg-conversations.js';
import * as pgGroups from './pg-groups.js';
import { PgRelations } from './pg-relations.js';
import { planExtensionWrites, type ExtensionRow } from './extension-plan.js';
import {
  NOTICE_COLUMNS,
  PROFILE_COLUMNS,
  newMessageValues,
  toApp,
  toMessage,
  toNotice,
  toUser,
  type AppRow,
  type MessageRow,
  type NoticeRow,
  type UserRow,
} from './rows.js';
import type {
  AppRecord,
  AppendResult,
  ExtensionRecord,
  ExtensionWrite,
  ExtensionWriteResult,
  HistoryQuery,
  MediaKind,
  MediaRecord,
  MentionRecord,
  NewMessage,
  NewSystemNotice,
  ProfilePatch,
  ReactionRow,
  Storage,
  StoredMessage,
  SystemNoticeRecord,
  UserRecord,
} from './types.js';

/** The next position in the change stream (a recall, an edit, a notice); locks the counter row. */
const NEXT_CHANGE = 'UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value';

/**
 * The user's messages past a position ($1), in its order, as a catch-up sees them: by cursor
 * (syncMessages) or by change (syncChanges; `change_seq > 0` matches the partial index).
 */
function pgSyncSQL(position: 'm.cursor' | 'm.change_seq'): string {
  const changed = position === 'm.change_seq' ? ' AND m.change_seq > 0' : '';
  return `SELECT ${PG_MESSAGE_COLUMNS}
    FROM user_conversations uc
    JOIN messages m ON m.conv_id = uc.conv_id${changed} AND ${position} > $1
      AND m.seq > GREATEST(uc.join_seq, uc.visible_seq)
    JOIN conversations c ON c.conv_id = uc.conv_id
    ${PG_SETTINGS_JOIN}
    WHERE uc.app_id = $2 AND uc.user_id = $3 AND ${pgSeenBy('uc.user_id')}
      AND ${pgNotDiscarded('uc.user_id')}
    ORDER BY ${position} LIMIT $4`;
}

/** The message columns (PG_MESSAGE_COLUMNS) from a message `m` of a conversation `c`. */
const MESSAGE_FROM = `SELECT ${PG_MESSAGE_COLUMNS} FROM messages m JOIN conversations c ON c.conv_id = m.conv_id`;

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

/** An append waiting for the next group commit. */
interface PendingAppend {
  app: number;
  message: NewMessage;
  participants: string[];
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** At most this many appends share one transaction. */
const MAX_APPEND_BATCH = 256;

/** SQLSTATE of errors an append retries inside its savepoint: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);

/** Attempts of one append before its error is answered. */
const APPEND_ATTEMPTS = 3;

/**
 * One append as one statement: the next cursor (the counter row, locked by the batch), the next seq
 * of the conversation (its row locked until the commit), the message, its merger list, and the
 * participants' conversation rows. The message is inserted only when (app, sender, ID) is new; the
 * merger list and the participant rows only with it. Answers the conversation (null: it does not
 * exist yet), the message's cursor and seq, and whether (app, sender, ID) is stored already.
 *
 * A duplicate or a conversation that does not exist yet writes nothing at all (not even the
 * counter): the statement needs no savepoint to undo it, so a batch costs one round trip per
 * append. The check cannot race: every append of every node runs under the counter row's lock.
 *
 * $1 app, $2 conv_key, $3 msg_id, $4 sender, $5 conv_type, $6 target, $7 type, $8 payload,
 * $9 priority, $10 cloud_custom_data, $11 client_time, $12 random, $13 time, $14 nick, $15 avatar,
 * $16 at_user_list, $17 receivers, $18 targeted, $19 need_read_receipt, $20 support_extension,
 * $21 excluded_unread, $22 excluded_last, $23 merger download key (or null), $24 merger list,
 * $25 participants.
 */
const APPEND_SQL = `WITH dup AS (
    SELECT 1 FROM messages WHERE app_id = $1::bigint AND sender = $4::text AND msg_id = $3::text
  ), target_conv AS (
    SELECT conv_id FROM conversations WHERE app_id = $1::bigint AND conv_key = $2::text
  ), cur AS (
    UPDATE cursor_counter SET value = value + 1
    WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM dup) AND EXISTS (SELECT 1 FROM target_conv)
    RETURNING value
  ), conv AS (
    UPDATE conversations SET last_seq = last_seq + 1, last_cursor = (SELECT value FROM cur),
      last_time = $13::bigint
    WHERE conv_id = (SELECT conv_id FROM target_conv) AND EXISTS (SELECT 1 FROM cur)
    RETURNING conv_id, last_seq
  ), msg AS (
    INSERT INTO messages (cursor, app_id, conv_id, seq, msg_id, sender, conv_type, target, type, payload,
      priority, cloud_custom_data, client_time, random, time, nick, avatar, at_user_list, receivers,
      targeted, need_read_receipt, support_extension, excluded_unread, excluded_last)
    SELECT (SELECT value FROM cur), $1::bigint, conv.conv_id, conv.last_seq, $3::text, $4::text,
      $5::text, $6::text, $7::text, $8::text, $9::text, $10::text, $11::bigint, $12::bigint,
      $13::bigint, $14::text, $15::text, $16::text, $17::text, $18::bigint, $19::bigint,
      $20::bigint, $21::bigint, $22::bigint
    FROM conv
    ON CONFLICT (app_id, sender, msg_id) DO NOTHING
    RETURNING cursor, conv_id, seq
  ), merger AS (
    INSERT INTO merger_lists (download_key, app_id, conv_id, message_list)
    SELECT $23::text, $1::bigint, msg.conv_id, $24::text FROM msg WHERE $23::text IS NOT NULL
  ), participants AS (
    INSERT INTO user_conversations (app_id, user_id, conv_id, created_at)
    SELECT DISTINCT $1::bigint, p.user_id, msg.conv_id, $13::bigint
    FROM msg CROSS JOIN unnest($25::text[]) AS p(user_id)
    ON CONFLICT (app_id, user_id, conv_id) DO NOTHING
  )
  SELECT (SELECT conv_id FROM target_conv) AS conv_id, (SELECT cursor FROM msg) AS cursor,
    (SELECT seq FROM msg) AS seq, EXISTS (SELECT 1 FROM dup) AS dup`;

/** The stored message of (app, sender, ID). */
const EXISTING_SQL = `${MESSAGE_FROM} WHERE m.app_id = $1 AND m.sender = $2 AND m.msg_id = $3`;

/**
 * RFC 7396 merge patch, as SQLite's json_patch applies it: keys of the target keep their place, new
 * keys follow in the patch's order, null deletes.
 */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** `pg_advisory_xact_lock` on a text key: serializes the transactions that take the same key. */
async function lockKey(sql: Sql, key: string): Promise<void> {
  await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
}

export class PgStorage implements Storage {
  readonly db: PgDb;
  readonly relations: PgRelations;

  private constructor(db: PgDb) {
    this.db = db;
    this.relations = new PgRelations(db);
  }

  /** Connects and brings the schema to the current version (pg-db.ts). */
  static async open(options: PgOptions): Promise<PgStorage> {
    return new PgStorage(await PgDb.open(options));
  }

  /** The stored schema version (tests). */
  schemaVersion(): Promise<number> {
    return this.db.schemaVersion();
  }

  private async messageByCursor(
    sql: Sql,
    app: number,
    cursor: number,
  ): Promise<StoredMessage | null> {
    const row = await sql.one<MessageRow>(`${MESSAGE_FROM} WHERE m.cursor = $1 AND m.app_id = $2`, [
      cursor,
      app,
    ]);
    return row ? toMessage(row) : null;
  }

  // apps

  async getApp(SDKAppID: number): Promise<AppRecord | null> {
    const row = await this.db.one<AppRow>('SELECT * FROM apps WHERE sdkappid = $1', [SDKAppID]);
    return row ? toApp(row) : null;
  }

  async getDefaultApp(): Promise<AppRecord | null> {
    const row = await this.db.one<AppRow>(
      'SELECT * FROM apps WHERE is_default = 1 ORDER BY created_at LIMIT 1',
    );
    return row ? toApp(row) : null;
  }

  async createApp(app: Omit<AppRecord, 'isDefault'>): Promise<void> {
    await this.db.tx(async (sql) => {
      // Two nodes creating apps at once must not both see "no default yet".
      await lockKey(sql, 'apps:default');
      await sql.run(
        `INSERT INTO apps (sdkappid, secret_key, max_instances, is_default, created_at)
         VALUES ($1, $2, $3, CASE WHEN EXISTS (SELECT 1 FROM apps WHERE is_default = 1) THEN 0 ELSE 1 END, $4)`,
        [app.SDKAppID, app.secretKey, app.maxInstances, app.createdAt],
      );
    });
  }

  // users

  async ensureUser(app: number, userID: string, now: number): Promise<UserRecord> {
    // Read first: a known user's login writes nothing.
    const known = await this.getUser(app, userID);
    if (known) return known;
    await this.db.run(
      `INSERT INTO users (app_id, user_id, created_at, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (app_id, user_id) DO NOTHING`,
      [app, userID, now, now],
    );
    return (await this.getUser(app, userID))!;
  }

  async getUser(app: number, userID: string): Promise<UserRecord | null> {
    const row = await this.db.one<UserRow>(
      'SELECT * FROM users WHERE app_id = $1 AND user_id = $2',
      [app, userID],
    );
    return row ? toUser(row) : null;
  }

  async getUsers(app: number, userIDs: string[]): Promise<UserRecord[]> {
    if (userIDs.length === 0) return [];
    return (
      await this.db.query<UserRow>(
        'SELECT * FROM users WHERE app_id = $1 AND user_id = ANY($2::text[])',
        [app, userIDs],
      )
    ).map(toUser);
  }

  async updateUser(
    app: number,
    userID: string,
    patch: ProfilePatch,
    now: number,
  ): Promise<UserRecord | null> {
    const values: unknown[] = [app, userID, now];
    const sets: string[] = ['updated_at = $3'];
    for (const [field, column] of Object.entries(PROFILE_COLUMNS)) {
      const value = patch[field as keyof ProfilePatch];
      if (value === undefined) continue;
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    }
    const update = (sql: Sql) =>
      sql.one<UserRow>(
        `UPDATE users SET ${sets.join(', ')} WHERE app_id = $1 AND user_id = $2 RETURNING *`,
        values,
      );
    if (!patch.customFields || Object.keys(patch.customFields).length === 0) {
      const row = await update(this.db);
      return row ? toUser(row) : null;
    }
    const customFields = patch.customFields;
    // The custom fields merge like SQLite's json_patch (key order kept), on the locked row.
    const row = await this.db.tx(async (sql) => {
      const current = await sql.one<{ custom_fields: string }>(
        'SELECT custom_fields FROM users WHERE app_id = $1 AND user_id = $2 FOR UPDATE',
        [app, userID],
      );
      if (!current) return undefined;
      values.push(JSON.stringify(mergePatch(JSON.parse(current.custom_fields), customFields)));
      sets.push(`custom_fields = $${values.length}`);
      return update(sql);
    });
    return row ? toUser(row) : null;
  }

  // messages

  /**
   * Group commit: appends that arrive in the same turn of the event loop, or while the previous
   * batch commits, are written in ONE transaction, each in a savepoint of its own so one failure
   * does not undo the others. Each promise settles only after the commit: an acknowledged message
   * is durable.
   *
   * Ordering: the batch locks the cursor_counter row first and holds it until its commit, so the
   * appends of every node are serialized and cursors become visible in increasing order (a
   * catch-up from a cursor never misses a message that commits later with a smaller one). Taking
   * the counter before any conversation row also keeps two batches from deadlocking.
   */
  appendMessage(app: number, message: NewMessage, participants: string[]): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.appendQueue.push({ app, message, participants, resolve, reject });
      this.scheduleFlush();
    });
  }

  private appendQueue: PendingAppend[] = [];
  /** The batch being committed; one at a time (they would wait on the counter anyway). */
  private flushing: Promise<void> | null = null;
  private flushScheduled = false;

  private scheduleFlush(): void {
    if (this.flushScheduled || this.flushing) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flushAppends();
    });
  }

  /** Commits the next batch (or joins the one being committed). */
  private flushAppends(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.appendQueue.length === 0) return Promise.resolve();
    const batch = this.appendQueue.splice(0, MAX_APPEND_BATCH);
    this.flushing = this.commitAppends(batch).finally(() => {
      this.flushing = null;
      if (this.appendQueue.length > 0) this.scheduleFlush();
    });
    return this.flushing;
  }

  /**
   * Writes the batch in one transaction and settles every promise after its end. First without
   * savepoints (one round trip per append); if any append fails, that transaction is rolled back
   * and the batch runs again with a savepoint per append, so only the failing ones fail.
   */
  private async commitAppends(batch: PendingAppend[]): Promise<void> {
    let results: (AppendResult | { error: unknown })[];
    try {
      // The results are collected anew on each attempt: db.tx may run the function again.
      results = await this.db.tx(async (sql) => {
        const out: AppendResult[] = [];
        await sql.query('SELECT value FROM cursor_counter WHERE id = 1 FOR UPDATE');
        for (const item of batch) {
          out.push(await this.appendOne(sql, item.app, item.message, item.participants));
        }
        return out;
      });
    } catch {
      try {
        results = await this.db.tx(async (sql) => {
          const out: (AppendResult | { error: unknown })[] = [];
          await sql.query('SELECT value FROM cursor_counter WHERE id = 1 FOR UPDATE');
          for (const item of batch) out.push(await this.appendInSavepoint(sql, item));
          return out;
        });
      } catch (error) {
        for (const item of batch) item.reject(error);
        return;
      }
    }
    batch.forEach((item, i) => {
      const r = results[i];
      if ('error' in r) item.reject(r.error);
      else item.resolve(r);
    });
  }

  /** One append in a savepoint; its error is answered to its caller alone. */
  private async appendInSavepoint(
    sql: Sql,
    item: PendingAppend,
  ): Promise<AppendResult | { error: unknown }> {
    for (let attempt = 1; ; attempt++) {
      await sql.run('SAVEPOINT append');
      try {
        const result = await this.appendOne(sql, item.app, item.message, item.participants);
        await sql.run('RELEASE SAVEPOINT append');
        return result;
      } catch (error) {
        // A failure here (the connection is gone) fails the whole batch.
        await sql.run('ROLLBACK TO SAVEPOINT append; RELEASE SAVEPOINT append');
        const code = (error as { code?: string }).code;
        if (attempt < APPEND_ATTEMPTS && code !== undefined && RETRYABLE.has(code)) continue;
        return { error };
      }
    }
  }

  /** One append; writes nothing when it answers a duplicate. */
  private async appendOne(
    sql: Sql,
    app: number,
    message: NewMessage,
    participants: string[],
  ): Promise<AppendResult> {
    const params = [
      app,
      message.convKey,
      ...newMessageValues(message),
      message.merger?.downloadKey ?? null,
      message.merger?.messageList ?? null,
      participants,
    ];
    type Appended = {
      conv_id: number | null;
      cursor: number | null;
      seq: number | null;
      dup: boolean;
    };
    let row = (await sql.one<Appended>(APPEND_SQL, params))!;
    if (row.conv_id === null && !row.dup) {
      // The conversation's first message: create the conversation (another transaction may be
      // creating it too) and append again. The first attempt wrote nothing.
      await sql.run(
        `INSERT INTO conversations (app_id, conv_key, type) VALUES ($1, $2, $3)
         ON CONFLICT (app_id, conv_key) DO NOTHING`,
        [app, message.convKey, message.conversationType],
      );
      row = (await sql.one<Appended>(APPEND_SQL, params))!;
    }
    if (row.dup || row.cursor === null || row.seq === null) {
      // (app, sender, ID) is stored: a duplicate writes nothing, not even a new conversation.
      const existing = await sql.one<MessageRow>(EXISTING_SQL, [app, message.from, message.ID]);
      if (!existing) throw new Error(`append of ${message.ID} neither inserted nor found`);
      return { message: toMessage(existing), duplicate: true };
    }
    const { merger: _merger, ...stored } = message;
    return {
      message: {
        ...stored,
        cursor: row.cursor,
        seq: row.seq,
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
    return (
      await this.db.query<MessageRow>(
        `${MESSAGE_FROM}
         WHERE c.app_id = $1 AND c.conv_key = $2 AND m.seq > $3 AND m.seq < $4 AND ${pgSeenBy('$5')}
         ORDER BY m.seq DESC LIMIT $6`,
        [
          app,
          query.convKey,
          query.afterSeq,
          query.beforeSeq ?? Number.MAX_SAFE_INTEGER,
          query.viewer,
          query.limit,
        ],
      )
    ).map(toMessage);
  }

  async findMessagesFor(
    app: number,
    convKey: string,
    IDs: string[],
    viewer: string,
    afterSeq: number,
  ): Promise<StoredMessage[]> {
    if (IDs.length === 0) return [];
    return (
      await this.db.query<MessageRow>(
        `${MESSAGE_FROM}
         WHERE c.app_id = $1 AND c.conv_key = $2 AND m.msg_id = ANY($3::text[]) AND m.seq > $4
           AND ${pgSeenBy('$5')}
         ORDER BY m.seq`,
        [app, convKey, IDs, afterSeq, viewer],
      )
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
    const column = 'seq' in query.anchor ? 'm.seq' : 'm.time';
    const anchor = 'seq' in query.anchor ? query.anchor.seq : query.anchor.time;
    const [op, order] = query.direction === 0 ? ['<=', 'DESC'] : ['>=', 'ASC'];
    return (
      await this.db.query<MessageRow>(
        `${MESSAGE_FROM}
         WHERE c.app_id = $1 AND c.conv_key = $2 AND m.seq > $3 AND ${column} ${op} $4
           AND ${pgSeenBy('$5')}
         ORDER BY m.seq ${order} LIMIT $6`,
        [app, query.convKey, query.afterSeq, anchor, query.viewer, query.limit],
      )
    ).map(toMessage);
  }

  async lastMessageFor(
    app: number,
    userID: string,
    convKey: string,
  ): Promise<StoredMessage | null> {
    const row = await this.db.one<MessageRow>(
      `SELECT ${PG_MESSAGE_COLUMNS} FROM conversations c
       JOIN messages m ON m.conv_id = c.conv_id
       LEFT JOIN user_conversations uc ON uc.app_id = c.app_id AND uc.user_id = $2 AND uc.conv_id = c.conv_id
       LEFT JOIN conversation_settings cs ON cs.app_id = c.app_id AND cs.user_id = $2 AND cs.conv_id = c.conv_id
       WHERE c.app_id = $1 AND c.conv_key = $3 AND m.seq > coalesce(uc.visible_seq, 0)
         AND m.excluded_last = 0 AND ${pgSeenBy('$2')} AND ${pgNotDiscarded('$2')}
       ORDER BY m.seq DESC LIMIT 1`,
      [app, userID, convKey],
    );
    return row ? toMessage(row) : null;
  }

  async mentionsFor(app: number, userID: string, convKey: string): Promise<MentionRecord[]> {
    const rows = await this.db.query<{
      msg_id: string;
      seq: number;
      at_me: boolean;
      at_all: boolean;
    }>(
      `SELECT m.msg_id, m.seq, jsonb_exists(m.at_user_list::jsonb, $2) AS at_me,
         jsonb_exists(m.at_user_list::jsonb, $4) AS at_all
       FROM user_conversations uc
       JOIN conversations c ON c.conv_id = uc.conv_id
       JOIN messages m ON m.conv_id = uc.conv_id
         AND m.seq > GREATEST(uc.read_seq, uc.join_seq, uc.visible_seq)
       ${PG_SETTINGS_JOIN}
       WHERE uc.app_id = $1 AND uc.user_id = $2 AND c.app_id = $1 AND c.conv_key = $3
         AND m.at_user_list <> '[]' AND m.sender <> $2 AND m.revoked = 0
         AND ${pgSeenBy('$2')} AND ${pgNotDiscarded('$2')}
       ORDER BY m.seq`,
      [app, userID, convKey, TYPES.MSG_AT_ALL],
    );
    return rows
      .filter((r) => r.at_me || r.at_all)
      .map((r) => ({ ID: r.msg_id, seq: r.seq, atMe: r.at_me, atAll: r.at_all }));
  }

  async getMergerList(
    app: number,
    downloadKey: string,
  ): Promise<{ convKey: string; messageList: string } | null> {
    const row = await this.db.one<{ conv_key: string; message_list: string }>(
      `SELECT c.conv_key, ml.message_list FROM merger_lists ml JOIN conversations c ON c.conv_id = ml.conv_id
       WHERE ml.app_id = $1 AND ml.download_key = $2`,
      [app, downloadKey],
    );
    return row ? { convKey: row.conv_key, messageList: row.message_list } : null;
  }

  async revokeMessage(
    app: number,
    cursor: number,
    revoker: string,
  ): Promise<{ message: StoredMessage; unpinned: boolean } | null> {
    return this.db.tx(async (sql) => {
      // The change counter first, as modifyMessage takes it: the same lock order everywhere.
      const change = (await sql.one<{ value: number }>(NEXT_CHANGE, []))!.value;
      // Locked: a concurrent recall waits and then finds the tombstone.
      const row = await sql.one<MessageRow>(
        `${MESSAGE_FROM} WHERE m.cursor = $1 AND m.app_id = $2 FOR UPDATE OF m`,
        [cursor, app],
      );
      if (!row) return null;
      const before = toMessage(row);
      if (before.isRevoked) return { message: before, unpinned: false };
      await sql.run(
        `UPDATE messages SET revoked = 1, revoker = $1, payload = '{}', cloud_custom_data = '',
           change_seq = $3
         WHERE cursor = $2`,
        [revoker, cursor, change],
      );
      const downloadKey = before.payload.downloadKey;
      if (typeof downloadKey === 'string' && downloadKey !== '') {
        await sql.run('DELETE FROM merger_lists WHERE app_id = $1 AND download_key = $2', [
          app,
          downloadKey,
        ]);
      }
      await sql.run('DELETE FROM message_extensions WHERE cursor = $1', [cursor]);
      await sql.run('DELETE FROM message_reactions WHERE cursor = $1', [cursor]);
      const unpinned =
        (await sql.run('DELETE FROM pinned_messages WHERE app_id = $1 AND cursor = $2', [
          app,
          cursor,
        ])) > 0;
      return { message: (await this.messageByCursor(sql, app, cursor))!, unpinned };
    });
  }

  async modifyMessage(
    app: number,
    cursor: number,
    expectedVersion: number,
    patch: { payload?: Record<string, unknown>; cloudCustomData?: string },
  ): Promise<{ ok: boolean; message: StoredMessage } | null> {
    // Compare-and-swap in one statement: a concurrent modify re-checks the version it waited for.
    // The change counter row stays locked until the statement commits (a failed swap leaves a gap
    // in the change stream, which is harmless).
    const changed = await this.db.one<MessageRow>(
      `WITH change AS (${NEXT_CHANGE})
       UPDATE messages m SET payload = coalesce($1, m.payload),
         cloud_custom_data = coalesce($2, m.cloud_custom_data), version = m.version + 1, modified = 1,
         change_seq = (SELECT value FROM change)
       FROM conversations c
       WHERE c.conv_id = m.conv_id AND m.cursor = $3 AND m.app_id = $4 AND m.version = $5
         AND m.revoked = 0
       RETURNING ${PG_MESSAGE_COLUMNS}`,
      [
        patch.payload === undefined ? null : JSON.stringify(patch.payload),
        patch.cloudCustomData ?? null,
        cursor,
        app,
        expectedVersion,
      ],
    );
    if (changed) return { ok: true, message: toMessage(changed) };
    const message = await this.messageByCursor(this.db, app, cursor);
    return message ? { ok: false, message } : null;
  }

  async deleteMessagesFor(app: number, userID: string, cursors: number[]): Promise<void> {
    if (cursors.length === 0) return;
    await this.db.run(
      `INSERT INTO message_deletions (cursor, user_id)
       SELECT DISTINCT unnest($1::bigint[]), $2::text
       ON CONFLICT (cursor, user_id) DO NOTHING`,
      [cursors, userID],
    );
  }

  async clearHistory(app: number, userID: string, convKey: string): Promise<boolean> {
    return (
      (await this.db.run(
        `UPDATE user_conversations uc SET visible_seq = GREATEST(uc.visible_seq, c.last_seq),
           activity_key = GREATEST(uc.activity_key, c.last_cursor)
         FROM conversations c
         WHERE c.app_id = $1 AND c.conv_key = $2
           AND uc.app_id = $1 AND uc.user_id = $3 AND uc.conv_id = c.conv_id`,
        [app, convKey, userID],
      )) > 0
    );
  }

  async findMessage(app: number, convKey: string, ID: string): Promise<StoredMessage | null> {
    // The oldest of several with the ID (different senders), as SQLite's index order gives it.
    const row = await this.db.one<MessageRow>(
      `${MESSAGE_FROM} WHERE c.app_id = $1 AND c.conv_key = $2 AND m.msg_id = $3
       ORDER BY m.cursor LIMIT 1`,
      [app, convKey, ID],
    );
    return row ? toMessage(row) : null;
  }

  async getMessageBySeq(app: number, convKey: string, seq: number): Promise<StoredMessage | null> {
    const row = await this.db.one<MessageRow>(
      `${MESSAGE_FROM} WHERE c.app_id = $1 AND c.conv_key = $2 AND m.seq = $3`,
      [app, convKey, seq],
    );
    return row ? toMessage(row) : null;
  }

  /** The SQL of syncMessages: $1 cursor, $2 app, $3 user, $4 limit. */
  static readonly SYNC_SQL = pgSyncSQL('m.cursor');

  async syncMessages(
    app: number,
    userID: string,
    cursor: number,
    limit: number,
  ): Promise<StoredMessage[]> {
    return (await this.db.query<MessageRow>(PgStorage.SYNC_SQL, [cursor, app, userID, limit])).map(
      toMessage,
    );
  }

  /** The SQL of syncChanges: syncMessages' rules, over the change stream (partial index). */
  static readonly SYNC_CHANGES_SQL = pgSyncSQL('m.change_seq');

  async syncChanges(
    app: number,
    userID: string,
    changeCursor: number,
    limit: number,
  ): Promise<StoredMessage[]> {
    return (
      await this.db.query<MessageRow>(PgStorage.SYNC_CHANGES_SQL, [
        changeCursor,
        app,
        userID,
        limit,
      ])
    ).map(toMessage);
  }

  async addSystemNotice(app: number, userIDs: string[], notice: NewSystemNotice): Promise<number> {
    return this.db.tx(async (sql) => {
      const change = (await sql.one<{ value: number }>(NEXT_CHANGE, []))!.value;
      await sql.run(
        `INSERT INTO system_notices (app_id, user_id, change_seq, msg_id, payload, time)
         SELECT $1::bigint, u.user_id, $2::bigint, $3::text, $4::text, $5::bigint
         FROM unnest($6::text[]) AS u (user_id)`,
        [
          app,
          change,
          notice.ID,
          JSON.stringify(notice.payload),
          notice.time,
          [...new Set(userIDs)],
        ],
      );
      return change;
    });
  }

  async syncSystemNotices(
    app: number,
    userID: string,
    changeCursor: number,
    limit: number,
  ): Promise<SystemNoticeRecord[]> {
    return (
      await this.db.query<NoticeRow>(
        `SELECT ${NOTICE_COLUMNS} FROM system_notices
         WHERE app_id = $1 AND user_id = $2 AND change_seq > $3 ORDER BY change_seq LIMIT $4`,
        [app, userID, changeCursor, limit],
      )
    ).map(toNotice);
  }

  async systemNoticeHistory(
    app: number,
    userID: string,
    beforeSeq: number | undefined,
    limit: number,
  ): Promise<SystemNoticeRecord[]> {
    return (
      await this.db.query<NoticeRow>(
        `SELECT ${NOTICE_COLUMNS} FROM system_notices
         WHERE app_id = $1 AND user_id = $2 AND change_seq < $3 ORDER BY change_seq DESC LIMIT $4`,
        [app, userID, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit],
      )
    ).map(toNotice);
  }

  async findSystemNotice(
    app: number,
    userID: string,
    ID: string,
  ): Promise<SystemNoticeRecord | null> {
    const row = await this.db.one<NoticeRow>(
      `SELECT ${NOTICE_COLUMNS} FROM system_notices
       WHERE app_id = $1 AND user_id = $2 AND msg_id = $3`,
      [app, userID, ID],
    );
    return row ? toNotice(row) : null;
  }

  /**
   * The last committed change: a change still under way holds the counter row and will get a
   * larger value, so a catch-up from here cannot skip it.
   */
  async latestChangeCursor(): Promise<number> {
    return (await this.db.one<{ value: number }>(
      'SELECT value FROM change_counter WHERE id = 1',
      [],
    ))!.value;
  }

  async latestCursor(app: number, userID: string): Promise<number> {
    return (await this.db.one<{ c: number }>(
      `SELECT coalesce(max(c.last_cursor), 0) AS c FROM user_conversations uc
       JOIN conversations c ON c.conv_id = uc.conv_id WHERE uc.app_id = $1 AND uc.user_id = $2`,
      [app, userID],
    ))!.c;
  }

  // conversations (pg-conversations.ts)

  listConversations(...a: Parameters<Storage['listConversations']>) {
    return pgConv.listConversations(this.db, ...a);
  }
  getConversation(...a: Parameters<Storage['getConversation']>) {
    return pgConv.getConversation(this.db, ...a);
  }
  markRead(...a: Parameters<Storage['markRead']>) {
    return pgConv.markRead(this.db, ...a);
  }
  getConversationSettings(...a: Parameters<Storage['getConversationSettings']>) {
    return pgConv.getConversationSettings(this.db, ...a);
  }
  setRemindType(...a: Parameters<Storage['setRemindType']>) {
    return pgConv.setRemindType(this.db, ...a);
  }
  discardingUsers(...a: Parameters<Storage['discardingUsers']>) {
    return pgConv.discardingUsers(this.db, ...a);
  }
  getReceiveOpt(...a: Parameters<Storage['getReceiveOpt']>) {
    return pgConv.getReceiveOpt(this.db, ...a);
  }
  setReceiveOpt(...a: Parameters<Storage['setReceiveOpt']>) {
    return pgConv.setReceiveOpt(this.db, ...a);
  }
  listConversationStates(...a: Parameters<Storage['listConversationStates']>) {
    return pgConv.listConversationStates(this.db, ...a);
  }
  getConversationState(...a: Parameters<Storage['getConversationState']>) {
    return pgConv.getConversationState(this.db, ...a);
  }
  patchConversationStates(...a: Parameters<Storage['patchConversationStates']>) {
    return pgConv.patchConversationStates(this.db, ...a);
  }
  deleteConversationsFor(...a: Parameters<Storage['deleteConversationsFor']>) {
    return pgConv.deleteConversationsFor(this.db, ...a);
  }
  conversationGroupNames(...a: Parameters<Storage['conversationGroupNames']>) {
    return pgConv.conversationGroupNames(this.db, ...a);
  }
  changeConversationGroups(...a: Parameters<Storage['changeConversationGroups']>) {
    return pgConv.changeConversationGroups(this.db, ...a);
  }

  // read receipts

  async addReads(app: number, reader: string, cursors: number[], now: number): Promise<number[]> {
    if (cursors.length === 0) return [];
    const inserted = new Set(
      (
        await this.db.query<{ cursor: number }>(
          `INSERT INTO message_reads (cursor, user_id, time)
           SELECT DISTINCT unnest($1::bigint[]), $2::text, $3::bigint
           ON CONFLICT (cursor, user_id) DO NOTHING RETURNING cursor`,
          [cursors, reader, now],
        )
      ).map((r) => r.cursor),
    );
    // In request order; a cursor given twice counts once (the first).
    return cursors.filter((cursor) => inserted.delete(cursor));
  }

  /**
   * The audience of a message's receipts, as SQL over group members `gm`: $1 app, $2 group,
   * $3 sender, $4 the receivers (empty: not targeted).
   */
  private static readonly AUDIENCE = `gm.app_id = $1 AND gm.group_id = $2 AND gm.user_id <> $3
    AND (cardinality($4::text[]) = 0 OR gm.user_id = ANY($4::text[]))`;

  private async c2cRead(message: StoredMessage): Promise<boolean> {
    return (
      (await this.db.one('SELECT 1 FROM message_reads WHERE cursor = $1 AND user_id = $2', [
        message.cursor,
        message.to,
      ])) !== undefined
    );
  }

  async receiptStats(
    app: number,
    message: StoredMessage,
  ): Promise<{ readCount: number; unreadCount: number }> {
    if (message.conversationType === 'C2C') {
      if (message.to === message.from) return { readCount: 0, unreadCount: 0 };
      const read = (await this.c2cRead(message)) ? 1 : 0;
      return { readCount: read, unreadCount: 1 - read };
    }
    const row = (await this.db.one<{ total: number; read: number }>(
      `SELECT count(*) AS total,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM message_reads r WHERE r.cursor = $5 AND r.user_id = gm.user_id)) AS read
       FROM group_members gm WHERE ${PgStorage.AUDIENCE}`,
      [app, message.to, message.from, message.receiverList, message.cursor],
    ))!;
    return { readCount: row.read, unreadCount: row.total - row.read };
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
      return (await this.c2cRead(message)) === (filter === 0) ? [message.to] : [];
    }
    // Byte order ("C"), as SQLite compares text, whatever the database's collation.
    return (
      await this.db.query<{ user_id: string }>(
        `SELECT gm.user_id FROM group_members gm
         WHERE ${PgStorage.AUDIENCE} AND gm.user_id COLLATE "C" > $6
           AND EXISTS (SELECT 1 FROM message_reads r WHERE r.cursor = $5 AND r.user_id = gm.user_id) = $7
         ORDER BY gm.user_id COLLATE "C" LIMIT $8`,
        [
          app,
          message.to,
          message.from,
          message.receiverList,
          message.cursor,
          after,
          filter === 0,
          limit,
        ],
      )
    ).map((r) => r.user_id);
  }

  // extensions

  async getExtensions(cursor: number): Promise<ExtensionRecord[]> {
    return this.db.query<ExtensionRecord>(
      'SELECT key, value, seq FROM message_extensions WHERE cursor = $1 AND deleted = 0 ORDER BY seq',
      [cursor],
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
    return this.db.tx(async (sql): Promise<ExtensionWriteResult> => {
      // One writer per message at a time: the conflict check and the sequence read what it writes.
      await lockKey(sql, `message_extensions:${cursor}`);
      const stored = await sql.query<ExtensionRow>(
        `SELECT key, value, seq, deleted, updated_by, updated_ms FROM message_extensions
         WHERE cursor = $1`,
        [cursor],
      );
      const plan = planExtensionWrites(stored, writes, actor, nowMs, conflictSinceMs, maxKeys);
      if (plan.rows.length > 0) {
        // A key is planned once at most (a repeat is a conflict), so one upsert writes them all.
        await sql.run(
          `INSERT INTO message_extensions (cursor, key, value, seq, deleted, updated_by, updated_ms)
           SELECT $1, w.key, w.value, w.seq, w.deleted, $6, $7
           FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[]) AS w(key, value, seq, deleted)
           ON CONFLICT (cursor, key) DO UPDATE SET value = excluded.value, seq = excluded.seq,
             deleted = excluded.deleted, updated_by = excluded.updated_by, updated_ms = excluded.updated_ms`,
          [
            cursor,
            plan.rows.map((r) => r.key),
            plan.rows.map((r) => r.value),
            plan.rows.map((r) => r.seq),
            plan.rows.map((r) => r.deleted),
            actor,
            nowMs,
          ],
        );
      }
      return plan.result;
    });
  }

  // reactions

  async addReaction(
    cursor: number,
    reactionID: string,
    userID: string,
    now: number,
    maxDistinct: number,
  ): Promise<'added' | 'already' | 'limit'> {
    return this.db.tx(async (sql): Promise<'added' | 'already' | 'limit'> => {
      // One writer per message at a time: the distinct-reaction limit holds with two nodes.
      await lockKey(sql, `message_reactions:${cursor}`);
      const state = (await sql.one<{ mine: boolean; known: boolean; distinct: number }>(
        `SELECT coalesce(bool_or(reaction_id = $2 AND user_id = $3), false) AS mine,
           coalesce(bool_or(reaction_id = $2), false) AS known,
           count(DISTINCT reaction_id) AS distinct
         FROM message_reactions WHERE cursor = $1`,
        [cursor, reactionID, userID],
      ))!;
      if (state.mine) return 'already';
      if (!state.known && state.distinct >= maxDistinct) return 'limit';
      await sql.run(
        'INSERT INTO message_reactions (cursor, reaction_id, user_id, time) VALUES ($1, $2, $3, $4)',
        [cursor, reactionID, userID, now],
      );
      return 'added';
    });
  }

  async removeReaction(cursor: number, reactionID: string, userID: string): Promise<boolean> {
    return (
      (await this.db.run(
        'DELETE FROM message_reactions WHERE cursor = $1 AND reaction_id = $2 AND user_id = $3',
        [cursor, reactionID, userID],
      )) > 0
    );
  }

  async listReactions(cursors: number[]): Promise<Map<number, ReactionRow[]>> {
    const result = new Map<number, ReactionRow[]>(cursors.map((c) => [c, []]));
    if (cursors.length === 0) return result;
    const rows = await this.db.query<{
      id: number;
      cursor: number;
      reaction_id: string;
      user_id: string;
    }>(
      `SELECT id, cursor, reaction_id, user_id FROM message_reactions
       WHERE cursor = ANY($1::bigint[]) ORDER BY id`,
      [cursors],
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
    return (
      await this.db.query<{ id: number; reaction_id: string; user_id: string }>(
        `SELECT id, reaction_id, user_id FROM message_reactions
         WHERE cursor = $1 AND reaction_id = $2 AND id > $3 ORDER BY id LIMIT $4`,
        [cursor, reactionID, afterID, limit],
      )
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
    return this.db.tx(async (sql): Promise<'pinned' | 'already' | 'limit'> => {
      // One pin per group at a time: the limit holds with two nodes.
      await lockKey(sql, `pinned_messages:${app}:${groupID}`);
      const state = (await sql.one<{ mine: boolean; n: number }>(
        `SELECT coalesce(bool_or(cursor = $3), false) AS mine, count(*) AS n
         FROM pinned_messages WHERE app_id = $1 AND group_id = $2`,
        [app, groupID, cursor],
      ))!;
      if (state.mine) return 'already';
      if (state.n >= max) return 'limit';
      await sql.run(
        `INSERT INTO pinned_messages (app_id, group_id, cursor, pinned_by, pinned_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [app, groupID, cursor, by, now],
      );
      return 'pinned';
    });
  }

  async unpinMessage(app: number, groupID: string, cursor: number): Promise<boolean> {
    return (
      (await this.db.run(
        'DELETE FROM pinned_messages WHERE app_id = $1 AND group_id = $2 AND cursor = $3',
        [app, groupID, cursor],
      )) > 0
    );
  }

  async pinnedMessages(app: number, groupID: string): Promise<StoredMessage[]> {
    return (
      await this.db.query<MessageRow>(
        `SELECT ${PG_MESSAGE_COLUMNS} FROM pinned_messages p
         JOIN messages m ON m.cursor = p.cursor
         JOIN conversations c ON c.conv_id = m.conv_id
         WHERE p.app_id = $1 AND p.group_id = $2 ORDER BY p.pinned_at DESC, p.cursor DESC`,
        [app, groupID],
      )
    ).map(toMessage);
  }

  // media

  async saveMedia(record: MediaRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO media (uuid, app_id, owner, kind, size, name, content_type, files, origin, info, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
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
      ],
    );
  }

  async getMedia(uuid: string): Promise<MediaRecord | null> {
    const row = await this.db.one<MediaRow>('SELECT * FROM media WHERE uuid = $1', [uuid]);
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

  // groups (pg-groups.ts)

  createGroup(...a: Parameters<Storage['createGroup']>) {
    return pgGroups.createGroup(this.db, ...a);
  }
  getGroup(...a: Parameters<Storage['getGroup']>) {
    return pgGroups.getGroup(this.db, ...a);
  }
  getMember(...a: Parameters<Storage['getMember']>) {
    return pgGroups.getMember(this.db, ...a);
  }
  listMembers(...a: Parameters<Storage['listMembers']>) {
    return pgGroups.listMembers(this.db, ...a);
  }
  allMembers(...a: Parameters<Storage['allMembers']>) {
    return pgGroups.allMembers(this.db, ...a);
  }
  addMember(...a: Parameters<Storage['addMember']>) {
    return pgGroups.addMember(this.db, ...a);
  }
  removeMember(...a: Parameters<Storage['removeMember']>) {
    return pgGroups.removeMember(this.db, ...a);
  }
  listUserGroups(...a: Parameters<Storage['listUserGroups']>) {
    return pgGroups.listUserGroups(this.db, ...a);
  }
  saveGroupApplication(...a: Parameters<Storage['saveGroupApplication']>) {
    return pgGroups.saveGroupApplication(this.db, ...a);
  }
  updateGroup(...a: Parameters<Storage['updateGroup']>) {
    return pgGroups.updateGroup(this.db, ...a);
  }
  updateMember(...a: Parameters<Storage['updateMember']>) {
    return pgGroups.updateMember(this.db, ...a);
  }
  transferOwner(...a: Parameters<Storage['transferOwner']>) {
    return pgGroups.transferOwner(this.db, ...a);
  }
  dismissGroup(...a: Parameters<Storage['dismissGroup']>) {
    return pgGroups.dismissGroup(this.db, ...a);
  }
  getGroupApplication(...a: Parameters<Storage['getGroupApplication']>) {
    return pgGroups.getGroupApplication(this.db, ...a);
  }
  pendingApplicationsFor(...a: Parameters<Storage['pendingApplicationsFor']>) {
    return pgGroups.pendingApplicationsFor(this.db, ...a);
  }
  resolveGroupApplication(...a: Parameters<Storage['resolveGroupApplication']>) {
    return pgGroups.resolveGroupApplication(this.db, ...a);
  }
  getGroupAttributes(...a: Parameters<Storage['getGroupAttributes']>) {
    return pgGroups.getGroupAttributes(this.db, ...a);
  }
  changeGroupAttributes(...a: Parameters<Storage['changeGroupAttributes']>) {
    return pgGroups.changeGroupAttributes(this.db, ...a);
  }
  getGroupCounters(...a: Parameters<Storage['getGroupCounters']>) {
    return pgGroups.getGroupCounters(this.db, ...a);
  }
  setSupportTopic(...a: Parameters<Storage['setSupportTopic']>) {
    return pgGroups.setSupportTopic(this.db, ...a);
  }
  banMember(...a: Parameters<Storage['banMember']>) {
    return pgGroups.banMember(this.db, ...a);
  }
  bannedUntil(...a: Parameters<Storage['bannedUntil']>) {
    return pgGroups.bannedUntil(this.db, ...a);
  }
  createTopic(...a: Parameters<Storage['createTopic']>) {
    return pgGroups.createTopic(this.db, ...a);
  }
  listTopics(...a: Parameters<Storage['listTopics']>) {
    return pgGroups.listTopics(this.db, ...a);
  }
  updateTopic(...a: Parameters<Storage['updateTopic']>) {
    return pgGroups.updateTopic(this.db, ...a);
  }
  deleteTopic(...a: Parameters<Storage['deleteTopic']>) {
    return pgGroups.deleteTopic(this.db, ...a);
  }
  changeGroupCounters(...a: Parameters<Storage['changeGroupCounters']>) {
    return pgGroups.changeGroupCounters(this.db, ...a);
  }

  async close(): Promise<void> {
    // Appends already accepted are committed (and answered) before the pool closes.
    while (this.flushing || this.appendQueue.length > 0) await this.flushAppends();
    await this.db.close();
  }
}
