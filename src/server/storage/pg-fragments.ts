/**
 * SQL shared by the PostgreSQL storage modules: the PostgreSQL spelling of the per-viewer rules of
 * sqlite.ts. Each fragment takes the SQL expression of the user (a `$n` parameter or a column).
 */
import type { Sql } from './pg-db.js';

export const PG_MESSAGE_COLUMNS = `m.cursor, c.conv_key, m.seq, m.msg_id, m.sender, m.conv_type, m.target, m.type,
  m.payload, m.priority, m.cloud_custom_data, m.client_time, m.random, m.time, m.nick, m.avatar,
  m.at_user_list, m.receivers, m.need_read_receipt, m.support_extension, m.excluded_unread,
  m.excluded_last, m.revoked, m.revoker, m.version, m.modified, m.change_seq`;

/**
 * A targeted message is seen by its sender and receivers only; a message deleted for the user is
 * gone for them. `receivers` is a JSON array in TEXT.
 */
export const pgSeenBy = (u: string) => `(m.targeted = 0 OR m.sender = ${u}
    OR jsonb_exists(m.receivers::jsonb, ${u}))
  AND NOT EXISTS (SELECT 1 FROM message_deletions d WHERE d.cursor = m.cursor AND d.user_id = ${u})`;

/**
 * With Discard set (cs: the user's conversation_settings row), messages of others committed after
 * the setting are neither synced nor counted nor shown as lastMessage (history keeps them).
 */
export const pgNotDiscarded = (u: string) =>
  `(cs.remind_type IS NULL OR cs.remind_type <> 'Discard' OR m.sender = ${u} OR m.cursor <= cs.remind_cursor)`;

export const PG_SETTINGS_JOIN = `LEFT JOIN conversation_settings cs
  ON cs.app_id = uc.app_id AND cs.user_id = uc.user_id AND cs.conv_id = uc.conv_id`;

/** The conversation's row id, or undefined. */
export async function pgConvID(
  sql: Sql,
  app: number,
  convKey: string,
): Promise<number | undefined> {
  return (
    await sql.one<{ conv_id: number }>(
      'SELECT conv_id FROM conversations WHERE app_id = $1 AND conv_key = $2',
      [app, convKey],
    )
  )?.conv_id;
}

/** The conversation's row, created when missing (safe when several nodes create it at once). */
export async function pgEnsureConv(
  sql: Sql,
  app: number,
  convKey: string,
  type: string,
): Promise<{ conv_id: number; last_seq: number }> {
  const select = () =>
    sql.one<{ conv_id: number; last_seq: number }>(
      'SELECT conv_id, last_seq FROM conversations WHERE app_id = $1 AND conv_key = $2',
      [app, convKey],
    );
  const known = await select();
  if (known) return known;
  await sql.run(
    `INSERT INTO conversations (app_id, conv_key, type) VALUES ($1, $2, $3)
     ON CONFLICT (app_id, conv_key) DO NOTHING`,
    [app, convKey, type],
  );
  return (await select())!;
}
