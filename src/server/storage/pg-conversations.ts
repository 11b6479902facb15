/**
 * PostgreSQL side of the conversation list and of the conversation model: the user's conversation
 * rows with their unread counts, read marks, remind types and receive options (the "conversations"
 * section of sqlite.ts), and per-user conversation settings and conversation groups (the port of
 * sqlite-conversations.ts). Functions over a PgDb; PgStorage delegates to them by name.
 *
 * Several nodes write one database at once, and READ COMMITTED does not serialize writers as
 * SQLite's IMMEDIATE transactions do. So every transaction that changes a user's conversation
 * settings or groups first takes an advisory lock on that user (`lockStates`): the counts behind
 * the mark limit and the group limit, the group names in use and the read-modify-write of `marks`
 * then see no concurrent change. markRead locks the user's row it moves.
 */
import { TYPES } from '../../protocol/constants.js';
import type { PgDb, Sql } from './pg-db.js';
import { PG_SETTINGS_JOIN, pgConvID, pgEnsureConv, pgNotDiscarded } from './pg-fragments.js';
import { toConversation, type ConversationRow } from './rows.js';
import type {
  ConversationGroupOp,
  ConversationGroupResult,
  ConversationSettings,
  ConversationStatePatch,
  ConversationStateRecord,
  MarkReadResult,
  ReceiveOpt,
  UserConversationRecord,
} from './types.js';

// conversations

/**
 * Unread: messages after max(read, join, visible) sent by others, not excluded from the count, not
 * targeted (Tencent never counts them), not recalled, not deleted for the user, not discarded; 0 in
 * Meeting groups (as in sqlite.ts). A scan of the unread messages: only where the count is shown.
 */
const UNREAD_EXPR = `CASE WHEN g.type = 'ChatRoom' THEN 0 ELSE (
      SELECT count(*) FROM messages m
      WHERE m.conv_id = uc.conv_id AND m.seq > GREATEST(uc.read_seq, uc.join_seq, uc.visible_seq)
        AND m.sender <> uc.user_id AND m.excluded_unread = 0 AND m.targeted = 0 AND m.revoked = 0
        AND NOT EXISTS (SELECT 1 FROM message_deletions d WHERE d.cursor = m.cursor AND d.user_id = uc.user_id)
        AND ${pgNotDiscarded('uc.user_id')}
    ) END`;

/** The user's conversations ($1 app, $2 user); callers append conditions and the order. */
function conversationSelect(unread: string): string {
  return `SELECT c.conv_key, c.type, c.last_seq, c.last_cursor, uc.read_seq, uc.join_seq,
    uc.visible_seq, uc.activity_key, g.type AS group_type, cs.remind_type,
    ${unread} AS unread
  FROM user_conversations uc
  JOIN conversations c ON c.conv_id = uc.conv_id
  LEFT JOIN im_groups g ON c.type = 'GROUP' AND g.app_id = uc.app_id AND g.group_id = substr(c.conv_key, 7)
  ${PG_SETTINGS_JOIN}
  WHERE uc.app_id = $1 AND uc.user_id = $2`;
}

const CONVERSATION_SELECT = conversationSelect(UNREAD_EXPR);
/** The same without the unread count (0), for callers that do not need it. */
const CONVERSATION_SELECT_NO_UNREAD = conversationSelect('0');

const DEFAULT_RECEIVE_OPT: ReceiveOpt = {
  messageRemindType: 'AcceptAndNotify',
  startHour: 0,
  startMinute: 0,
  startSecond: 0,
  duration: 0,
  isRepeated: false,
};

/**
 * In conv_id order: SQLite answers in the order of the user_conversations primary key, which ends
 * with conv_id, and PostgreSQL has no order without ORDER BY.
 */
export async function listConversations(
  db: PgDb,
  app: number,
  userID: string,
): Promise<UserConversationRecord[]> {
  const rows = await db.query<ConversationRow>(`${CONVERSATION_SELECT} ORDER BY uc.conv_id`, [
    app,
    userID,
  ]);
  return rows.map((row) => toConversation(row, userID));
}

export async function getConversation(
  db: PgDb,
  app: number,
  userID: string,
  convKey: string,
  options: { unread?: boolean } = {},
): Promise<UserConversationRecord | null> {
  const select = options.unread === false ? CONVERSATION_SELECT_NO_UNREAD : CONVERSATION_SELECT;
  const row = await db.one<ConversationRow>(`${select} AND c.conv_key = $3`, [
    app,
    userID,
    convKey,
  ]);
  return row ? toConversation(row, userID) : null;
}

/**
 * The user's row is locked before `previous` is read, so two concurrent calls answer a readSeq
 * and a previous that follow each other (the second sees the first's readSeq as previous).
 */
export async function markRead(
  db: PgDb,
  app: number,
  userID: string,
  convKey: string,
): Promise<MarkReadResult | null> {
  return db.tx(async (sql): Promise<MarkReadResult | null> => {
    const before = await sql.one<{ conv_id: number; read_seq: number }>(
      `SELECT uc.conv_id, uc.read_seq FROM user_conversations uc
       JOIN conversations c ON c.conv_id = uc.conv_id
       WHERE uc.app_id = $1 AND uc.user_id = $2 AND c.app_id = $1 AND c.conv_key = $3
       FOR UPDATE OF uc`,
      [app, userID, convKey],
    );
    if (!before) return null;
    const row = (await sql.one<{ read_seq: number }>(
      `UPDATE user_conversations
       SET read_seq = GREATEST(read_seq, (SELECT last_seq FROM conversations c WHERE c.conv_id = user_conversations.conv_id))
       WHERE app_id = $1 AND user_id = $2 AND conv_id = $3
       RETURNING read_seq`,
      [app, userID, before.conv_id],
    ))!;
    return { readSeq: row.read_seq, previous: before.read_seq };
  });
}

export async function getConversationSettings(
  db: PgDb,
  app: number,
  userID: string,
  convKey: string,
): Promise<ConversationSettings | null> {
  const row = await db.one<{ remind_type: string; remind_cursor: number }>(
    `SELECT cs.remind_type, cs.remind_cursor FROM conversations c
     JOIN conversation_settings cs ON cs.app_id = c.app_id AND cs.user_id = $1 AND cs.conv_id = c.conv_id
     WHERE c.app_id = $2 AND c.conv_key = $3`,
    [userID, app, convKey],
  );
  return row ? { remindType: row.remind_type, remindCursor: row.remind_cursor } : null;
}

/**
 * `remind_cursor` is the newest committed cursor (cursor_counter): a message whose append has not
 * committed yet gets a larger cursor, so it counts as sent after the setting.
 */
export async function setRemindType(
  db: PgDb,
  app: number,
  userID: string,
  convKey: string,
  convType: 'C2C' | 'GROUP',
  remindType: string,
  now: number,
): Promise<void> {
  await db.tx(async (sql) => {
    const conv = await pgEnsureConv(sql, app, convKey, convType);
    await sql.run(
      `INSERT INTO conversation_settings (app_id, user_id, conv_id, remind_type, remind_cursor, updated_at)
       VALUES ($1, $2, $3, $4, (SELECT value FROM cursor_counter WHERE id = 1), $5)
       ON CONFLICT (app_id, user_id, conv_id) DO UPDATE SET remind_type = excluded.remind_type,
         remind_cursor = excluded.remind_cursor, updated_at = excluded.updated_at`,
      [app, userID, conv.conv_id, remindType, now],
    );
  });
}

export async function discardingUsers(
  db: PgDb,
  app: number,
  convKey: string,
  userIDs: string[],
): Promise<Set<string>> {
  if (userIDs.length === 0) return new Set();
  const convID = await pgConvID(db, app, convKey);
  if (convID === undefined) return new Set();
  const rows = await db.query<{ user_id: string }>(
    `SELECT user_id FROM conversation_settings
     WHERE conv_id = $1 AND remind_type = 'Discard' AND user_id = ANY($2::text[])`,
    [convID, userIDs],
  );
  return new Set(rows.map((r) => r.user_id));
}

export async function getReceiveOpt(db: PgDb, app: number, userID: string): Promise<ReceiveOpt> {
  const row = await db.one<{ receive_opt: string }>(
    'SELECT receive_opt FROM users WHERE app_id = $1 AND user_id = $2',
    [app, userID],
  );
  return {
    ...DEFAULT_RECEIVE_OPT,
    ...(row ? (JSON.parse(row.receive_opt) as Partial<ReceiveOpt>) : {}),
  };
}

export async function setReceiveOpt(
  db: PgDb,
  app: number,
  userID: string,
  opt: ReceiveOpt,
): Promise<void> {
  await db.run('UPDATE users SET receive_opt = $1 WHERE app_id = $2 AND user_id = $3', [
    JSON.stringify(opt),
    app,
    userID,
  ]);
}

// conversation settings and conversation groups (migration 3)

interface StateRow {
  conv_key: string;
  pinned: number;
  marks: string;
  custom_data: string;
  draft: string;
  hidden_cursor: number;
  deleted_cursor: number;
  groups: string;
}

/** Every conversation of the user ($1 app, $2 user) with settings or a group. */
const STATE_SELECT = `SELECT c.conv_key, coalesce(s.pinned, 0) AS pinned, coalesce(s.marks, '[]') AS marks,
    coalesce(s.custom_data, '') AS custom_data, coalesce(s.draft, '') AS draft,
    coalesce(s.hidden_cursor, -1) AS hidden_cursor, coalesce(s.deleted_cursor, -1) AS deleted_cursor,
    (SELECT coalesce(json_agg(gm.name)::text, '[]') FROM conversation_group_members gm
      WHERE gm.app_id = k.app_id AND gm.user_id = k.user_id AND gm.conv_id = k.conv_id) AS groups
  FROM (SELECT app_id, user_id, conv_id FROM conversation_state WHERE app_id = $1 AND user_id = $2
        UNION SELECT app_id, user_id, conv_id FROM conversation_group_members WHERE app_id = $1 AND user_id = $2) k
  JOIN conversations c ON c.conv_id = k.conv_id
  LEFT JOIN conversation_state s ON s.app_id = k.app_id AND s.user_id = k.user_id AND s.conv_id = k.conv_id`;

function toState(row: StateRow): ConversationStateRecord {
  return {
    convKey: row.conv_key,
    pinned: row.pinned === 1,
    marks: JSON.parse(row.marks) as number[],
    customData: row.custom_data,
    draft: row.draft,
    hiddenCursor: row.hidden_cursor,
    deletedCursor: row.deleted_cursor,
    groups: (JSON.parse(row.groups) as string[]).sort(),
  };
}

/** In conv_id order, the order SQLite's UNION (a sorted set of the keys) answers in. */
export async function listConversationStates(
  db: PgDb,
  app: number,
  userID: string,
): Promise<ConversationStateRecord[]> {
  return (await db.query<StateRow>(`${STATE_SELECT} ORDER BY k.conv_id`, [app, userID])).map(
    toState,
  );
}

export async function getConversationState(
  db: PgDb,
  app: number,
  userID: string,
  convKey: string,
): Promise<ConversationStateRecord | null> {
  const row = await db.one<StateRow>(`${STATE_SELECT} WHERE c.conv_key = $3`, [
    app,
    userID,
    convKey,
  ]);
  return row ? toState(row) : null;
}

/**
 * Serializes the transactions that change the user's conversation settings or groups, on every
 * node, until the transaction ends. The key is hashed to 32 bits: a collision only makes two users
 * wait for each other.
 */
async function lockStates(sql: Sql, app: number, userID: string): Promise<void> {
  await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `conversation-state:${app}:${userID}`,
  ]);
}

interface ConvRef {
  convID: number;
  lastSeq: number;
  lastCursor: number;
}

/** The existing conversations among `convKeys`, in their order (duplicates kept), read at once. */
async function convRefs(sql: Sql, app: number, convKeys: string[]): Promise<ConvRef[]> {
  if (convKeys.length === 0) return [];
  const rows = await sql.query<{
    conv_key: string;
    conv_id: number;
    last_seq: number;
    last_cursor: number;
  }>(
    `SELECT conv_key, conv_id, last_seq, last_cursor FROM conversations
     WHERE app_id = $1 AND conv_key = ANY($2::text[])`,
    [app, convKeys],
  );
  const byKey = new Map(rows.map((r) => [r.conv_key, r]));
  const out: ConvRef[] = [];
  for (const key of convKeys) {
    const row = byKey.get(key);
    if (row) out.push({ convID: row.conv_id, lastSeq: row.last_seq, lastCursor: row.last_cursor });
  }
  return out;
}

/** Conversations of the user that carry a mark or belong to a conversation group. */
async function markedCount(sql: Sql, app: number, userID: string): Promise<number> {
  return (await sql.one<{ n: number }>(
    `SELECT count(*) AS n FROM (
         SELECT conv_id FROM conversation_state WHERE app_id = $1 AND user_id = $2
           AND (marks <> '[]' OR hidden_cursor >= 0)
         UNION SELECT conv_id FROM conversation_group_members WHERE app_id = $1 AND user_id = $2) t`,
    [app, userID],
  ))!.n;
}

/** Thrown inside a transaction past the mark limit: rolls it back; answered as 'markLimit'. */
class MarkLimit extends Error {}

/** Runs `fn` in a transaction under the user's lock; a MarkLimit thrown inside answers 'markLimit'. */
async function limited<T extends string>(
  db: PgDb,
  app: number,
  userID: string,
  fn: (sql: Sql) => Promise<T>,
): Promise<T | 'markLimit'> {
  try {
    return await db.tx(async (sql) => {
      await lockStates(sql, app, userID);
      return fn(sql);
    });
  } catch (err) {
    if (err instanceof MarkLimit) return 'markLimit';
    throw err;
  }
}

/** Applies the patch to each conversation; all or nothing, 'markLimit' past the cap. */
export async function patchConversationStates(
  db: PgDb,
  app: number,
  userID: string,
  convKeys: string[],
  patch: ConversationStatePatch,
  maxMarked: number,
  now: number,
): Promise<'ok' | 'markLimit'> {
  return limited(db, app, userID, async (sql): Promise<'ok'> => {
    const before = await markedCount(sql, app, userID);
    for (const { convID, lastCursor } of await convRefs(sql, app, convKeys)) {
      await sql.run(
        `INSERT INTO conversation_state (app_id, user_id, conv_id, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [app, userID, convID, now],
      );
      // The columns the patch sets, in one UPDATE ($1..$4 are the row and the time).
      const sets: string[] = [];
      const values: unknown[] = [app, userID, convID, now];
      const set = (column: string, value: unknown) => {
        values.push(value);
        sets.push(`${column} = $${values.length}`);
      };
      if (patch.pinned !== undefined) set('pinned', patch.pinned ? 1 : 0);
      if (patch.customData !== undefined) set('custom_data', patch.customData);
      if (patch.draft !== undefined) set('draft', patch.draft);
      if (patch.mark && patch.mark.markType === TYPES.CONV_MARK_TYPE_HIDE) {
        set('hidden_cursor', patch.mark.enable ? lastCursor : -1);
      } else if (patch.mark) {
        // Read-modify-write: safe under the user's lock.
        const row = (await sql.one<{ marks: string }>(
          'SELECT marks FROM conversation_state WHERE app_id = $1 AND user_id = $2 AND conv_id = $3',
          [app, userID, convID],
        ))!;
        const marks = new Set(JSON.parse(row.marks) as number[]);
        if (patch.mark.enable) marks.add(patch.mark.markType);
        else marks.delete(patch.mark.markType);
        set('marks', JSON.stringify([...marks].sort((a, b) => a - b)));
      }
      if (sets.length === 0) continue;
      await sql.run(
        `UPDATE conversation_state SET ${sets.join(', ')}, updated_at = $4
         WHERE app_id = $1 AND user_id = $2 AND conv_id = $3`,
        values,
      );
    }
    const after = await markedCount(sql, app, userID);
    if (after > before && after > maxMarked) throw new MarkLimit();
    return 'ok';
  });
}

/**
 * Marks each conversation read (and its history cleared when asked) up to the last seq read with
 * its last cursor: a message committed meanwhile comes after the deletion, so the conversation
 * comes back with it counted unread.
 */
export async function deleteConversationsFor(
  db: PgDb,
  app: number,
  userID: string,
  convKeys: string[],
  clearHistory: boolean,
  now: number,
): Promise<void> {
  await db.tx(async (sql) => {
    await lockStates(sql, app, userID);
    for (const { convID, lastSeq, lastCursor } of await convRefs(sql, app, convKeys)) {
      const where = [app, userID, convID, lastSeq];
      await sql.run(
        `UPDATE user_conversations SET read_seq = GREATEST(read_seq, $4)
         WHERE app_id = $1 AND user_id = $2 AND conv_id = $3`,
        where,
      );
      if (clearHistory) {
        await sql.run(
          `UPDATE user_conversations SET visible_seq = GREATEST(visible_seq, $4)
           WHERE app_id = $1 AND user_id = $2 AND conv_id = $3`,
          where,
        );
      }
      await sql.run(
        'DELETE FROM conversation_group_members WHERE app_id = $1 AND user_id = $2 AND conv_id = $3',
        [app, userID, convID],
      );
      await sql.run(
        `INSERT INTO conversation_state (app_id, user_id, conv_id, deleted_cursor, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (app_id, user_id, conv_id) DO UPDATE SET pinned = 0, marks = '[]', custom_data = '',
           draft = '', hidden_cursor = -1, deleted_cursor = excluded.deleted_cursor, updated_at = excluded.updated_at`,
        [app, userID, convID, lastCursor, now],
      );
    }
  });
}

/**
 * Oldest first, then by name in code point order: COLLATE "C" is SQLite's BINARY, whatever the
 * database's collation.
 */
export async function conversationGroupNames(
  db: PgDb,
  app: number,
  userID: string,
): Promise<string[]> {
  return (
    await db.query<{ name: string }>(
      `SELECT name FROM conversation_groups WHERE app_id = $1 AND user_id = $2
       ORDER BY created_at, name COLLATE "C"`,
      [app, userID],
    )
  ).map((r) => r.name);
}

/** One change, in one transaction under the user's lock (names in use, the group limit). */
export async function changeConversationGroups(
  db: PgDb,
  app: number,
  userID: string,
  change: ConversationGroupOp,
  limits: { maxGroups: number; maxMarked: number },
  now: number,
): Promise<ConversationGroupResult> {
  return limited(db, app, userID, async (sql): Promise<ConversationGroupResult> => {
    const exists = async (name: string) =>
      (await sql.one(
        'SELECT 1 FROM conversation_groups WHERE app_id = $1 AND user_id = $2 AND name = $3',
        [app, userID, name],
      )) !== undefined;
    const before = await markedCount(sql, app, userID);
    const addMembers = async (name: string, convKeys: string[]) => {
      for (const { convID } of await convRefs(sql, app, convKeys)) {
        await sql.run(
          `INSERT INTO conversation_group_members (app_id, user_id, name, conv_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING`,
          [app, userID, name, convID],
        );
      }
      const after = await markedCount(sql, app, userID);
      if (after > before && after > limits.maxMarked) throw new MarkLimit();
    };
    switch (change.op) {
      case 'create': {
        if (await exists(change.name)) return 'exists';
        const groups = (await sql.one<{ n: number }>(
          'SELECT count(*) AS n FROM conversation_groups WHERE app_id = $1 AND user_id = $2',
          [app, userID],
        ))!.n;
        if (groups >= limits.maxGroups) return 'full';
        await sql.run(
          'INSERT INTO conversation_groups (app_id, user_id, name, created_at) VALUES ($1, $2, $3, $4)',
          [app, userID, change.name, now],
        );
        await addMembers(change.name, change.convKeys);
        return 'ok';
      }
      case 'delete': {
        if (!(await exists(change.name))) return 'missing';
        await sql.run(
          'DELETE FROM conversation_groups WHERE app_id = $1 AND user_id = $2 AND name = $3',
          [app, userID, change.name],
        );
        await sql.run(
          'DELETE FROM conversation_group_members WHERE app_id = $1 AND user_id = $2 AND name = $3',
          [app, userID, change.name],
        );
        return 'ok';
      }
      case 'rename': {
        if (!(await exists(change.name))) return 'missing';
        if (change.newName === change.name) return 'ok';
        if (await exists(change.newName)) return 'exists';
        await sql.run(
          'UPDATE conversation_groups SET name = $1 WHERE app_id = $2 AND user_id = $3 AND name = $4',
          [change.newName, app, userID, change.name],
        );
        await sql.run(
          'UPDATE conversation_group_members SET name = $1 WHERE app_id = $2 AND user_id = $3 AND name = $4',
          [change.newName, app, userID, change.name],
        );
        return 'ok';
      }
      case 'add': {
        if (!(await exists(change.name))) return 'missing';
        await addMembers(change.name, change.convKeys);
        return 'ok';
      }
      case 'remove': {
        if (!(await exists(change.name))) return 'missing';
        const convIDs = (await convRefs(sql, app, change.convKeys)).map((r) => r.convID);
        await sql.run(
          `DELETE FROM conversation_group_members
           WHERE app_id = $1 AND user_id = $2 AND name = $3 AND conv_id = ANY($4::bigint[])`,
          [app, userID, change.name, convIDs],
        );
        return 'ok';
      }
    }
  });
}
