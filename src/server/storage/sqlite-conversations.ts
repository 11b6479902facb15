/**
 * SQLite side of the conversation model (migration 3): per-user conversation settings (pin, marks,
 * custom data, draft, hidden, deleted) and conversation groups. Functions over the better-sqlite3
 * handle; SqliteStorage delegates to them. Every write runs in one IMMEDIATE transaction.
 */
import type Database from 'better-sqlite3';
import { TYPES } from '../../protocol/constants.js';
import type {
  ConversationGroupOp,
  ConversationGroupResult,
  ConversationStatePatch,
  ConversationStateRecord,
} from './types.js';
import { prepared } from './sqlite-statements.js';

type DB = Database.Database;

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

const STATE_SELECT = `SELECT c.conv_key, coalesce(s.pinned, 0) AS pinned, coalesce(s.marks, '[]') AS marks,
    coalesce(s.custom_data, '') AS custom_data, coalesce(s.draft, '') AS draft,
    coalesce(s.hidden_cursor, -1) AS hidden_cursor, coalesce(s.deleted_cursor, -1) AS deleted_cursor,
    (SELECT json_group_array(gm.name) FROM conversation_group_members gm
      WHERE gm.app_id = k.app_id AND gm.user_id = k.user_id AND gm.conv_id = k.conv_id) AS groups
  FROM (SELECT app_id, user_id, conv_id FROM conversation_state WHERE app_id = @app AND user_id = @u
        UNION SELECT app_id, user_id, conv_id FROM conversation_group_members WHERE app_id = @app AND user_id = @u) k
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

export function listStates(db: DB, app: number, userID: string): ConversationStateRecord[] {
  return (prepared(db, STATE_SELECT).all({ app, u: userID }) as StateRow[]).map(toState);
}

export function getState(
  db: DB,
  app: number,
  userID: string,
  convKey: string,
): ConversationStateRecord | null {
  const row = prepared(db, `${STATE_SELECT} WHERE c.conv_key = @key`).get({
    app,
    u: userID,
    key: convKey,
  }) as StateRow | undefined;
  return row ? toState(row) : null;
}

function convIDs(
  db: DB,
  app: number,
  convKeys: string[],
): { convID: number; lastCursor: number }[] {
  const stmt = prepared(
    db,
    'SELECT conv_id, last_cursor FROM conversations WHERE app_id = ? AND conv_key = ?',
  );
  const out: { convID: number; lastCursor: number }[] = [];
  for (const key of convKeys) {
    const row = stmt.get(app, key) as { conv_id: number; last_cursor: number } | undefined;
    if (row) out.push({ convID: row.conv_id, lastCursor: row.last_cursor });
  }
  return out;
}

function ensureRow(db: DB, app: number, userID: string, convID: number, now: number): void {
  prepared(
    db,
    `INSERT OR IGNORE INTO conversation_state (app_id, user_id, conv_id, updated_at) VALUES (?, ?, ?, ?)`,
  ).run(app, userID, convID, now);
}

/** Conversations of the user that carry a mark or belong to a conversation group. */
function markedCount(db: DB, app: number, userID: string): number {
  return (
    prepared(
      db,
      `SELECT count(*) AS n FROM (
           SELECT conv_id FROM conversation_state WHERE app_id = @app AND user_id = @u
             AND (marks <> '[]' OR hidden_cursor >= 0)
           UNION SELECT conv_id FROM conversation_group_members WHERE app_id = @app AND user_id = @u)`,
    ).get({ app, u: userID }) as { n: number }
  ).n;
}

/** Applies the patch to each conversation; throws MarkLimit (caller rolls back) past the cap. */
function patchStates(
  db: DB,
  app: number,
  userID: string,
  convKeys: string[],
  patch: ConversationStatePatch,
  maxMarked: number,
  now: number,
): 'ok' {
  const before = markedCount(db, app, userID);
  for (const { convID, lastCursor } of convIDs(db, app, convKeys)) {
    ensureRow(db, app, userID, convID, now);
    const where = { app, u: userID, conv: convID, now };
    if (patch.pinned !== undefined) {
      prepared(
        db,
        `UPDATE conversation_state SET pinned = @v, updated_at = @now
             WHERE app_id = @app AND user_id = @u AND conv_id = @conv`,
      ).run({ ...where, v: patch.pinned ? 1 : 0 });
    }
    if (patch.customData !== undefined) {
      prepared(
        db,
        `UPDATE conversation_state SET custom_data = @v, updated_at = @now
             WHERE app_id = @app AND user_id = @u AND conv_id = @conv`,
      ).run({ ...where, v: patch.customData });
    }
    if (patch.draft !== undefined) {
      prepared(
        db,
        `UPDATE conversation_state SET draft = @v, updated_at = @now
             WHERE app_id = @app AND user_id = @u AND conv_id = @conv`,
      ).run({ ...where, v: patch.draft });
    }
    if (patch.mark && patch.mark.markType === TYPES.CONV_MARK_TYPE_HIDE) {
      prepared(
        db,
        `UPDATE conversation_state SET hidden_cursor = @v, updated_at = @now
             WHERE app_id = @app AND user_id = @u AND conv_id = @conv`,
      ).run({ ...where, v: patch.mark.enable ? lastCursor : -1 });
    } else if (patch.mark) {
      const row = prepared(
        db,
        'SELECT marks FROM conversation_state WHERE app_id = @app AND user_id = @u AND conv_id = @conv',
      ).get(where) as { marks: string };
      const marks = new Set(JSON.parse(row.marks) as number[]);
      if (patch.mark.enable) marks.add(patch.mark.markType);
      else marks.delete(patch.mark.markType);
      prepared(
        db,
        `UPDATE conversation_state SET marks = @v, updated_at = @now
             WHERE app_id = @app AND user_id = @u AND conv_id = @conv`,
      ).run({ ...where, v: JSON.stringify([...marks].sort((a, b) => a - b)) });
    }
  }
  const after = markedCount(db, app, userID);
  if (after > before && after > maxMarked) throw new MarkLimit();
  return 'ok';
}

class MarkLimit extends Error {}

/** Runs `fn` in an IMMEDIATE transaction; a MarkLimit thrown inside rolls back and answers 'markLimit'. */
function limited<T extends string>(db: DB, fn: () => T): T | 'markLimit' {
  try {
    return db.transaction(fn).immediate();
  } catch (err) {
    if (err instanceof MarkLimit) return 'markLimit';
    throw err;
  }
}

export function patchStatesLimited(
  db: DB,
  app: number,
  userID: string,
  convKeys: string[],
  patch: ConversationStatePatch,
  maxMarked: number,
  now: number,
): 'ok' | 'markLimit' {
  return limited(db, () => patchStates(db, app, userID, convKeys, patch, maxMarked, now));
}

export function deleteFor(
  db: DB,
  app: number,
  userID: string,
  convKeys: string[],
  clearHistory: boolean,
  now: number,
): void {
  db.transaction(() => {
    for (const { convID, lastCursor } of convIDs(db, app, convKeys)) {
      const where = { app, u: userID, conv: convID };
      prepared(
        db,
        `UPDATE user_conversations SET
           read_seq = max(read_seq, (SELECT last_seq FROM conversations WHERE conv_id = @conv))
         WHERE app_id = @app AND user_id = @u AND conv_id = @conv`,
      ).run(where);
      if (clearHistory) {
        prepared(
          db,
          `UPDATE user_conversations SET
             visible_seq = max(visible_seq, (SELECT last_seq FROM conversations WHERE conv_id = @conv))
           WHERE app_id = @app AND user_id = @u AND conv_id = @conv`,
        ).run(where);
      }
      prepared(
        db,
        'DELETE FROM conversation_group_members WHERE app_id = @app AND user_id = @u AND conv_id = @conv',
      ).run(where);
      prepared(
        db,
        `INSERT INTO conversation_state (app_id, user_id, conv_id, deleted_cursor, updated_at)
         VALUES (@app, @u, @conv, @cursor, @now)
         ON CONFLICT (app_id, user_id, conv_id) DO UPDATE SET pinned = 0, marks = '[]', custom_data = '',
           draft = '', hidden_cursor = -1, deleted_cursor = excluded.deleted_cursor, updated_at = excluded.updated_at`,
      ).run({ ...where, cursor: lastCursor, now });
    }
  }).immediate();
}

export function groupNames(db: DB, app: number, userID: string): string[] {
  return (
    prepared(
      db,
      'SELECT name FROM conversation_groups WHERE app_id = ? AND user_id = ? ORDER BY created_at, name',
    ).all(app, userID) as { name: string }[]
  ).map((r) => r.name);
}

export function changeGroups(
  db: DB,
  app: number,
  userID: string,
  change: ConversationGroupOp,
  limits: { maxGroups: number; maxMarked: number },
  now: number,
): ConversationGroupResult {
  return limited(db, (): ConversationGroupResult => {
    const exists = (name: string) =>
      prepared(
        db,
        'SELECT 1 FROM conversation_groups WHERE app_id = ? AND user_id = ? AND name = ?',
      ).get(app, userID, name) !== undefined;
    const before = markedCount(db, app, userID);
    const addMembers = (name: string, convKeys: string[]) => {
      const insert = prepared(
        db,
        `INSERT OR IGNORE INTO conversation_group_members (app_id, user_id, name, conv_id) VALUES (?, ?, ?, ?)`,
      );
      for (const { convID } of convIDs(db, app, convKeys)) insert.run(app, userID, name, convID);
      const after = markedCount(db, app, userID);
      if (after > before && after > limits.maxMarked) throw new MarkLimit();
    };
    switch (change.op) {
      case 'create': {
        if (exists(change.name)) return 'exists';
        if (groupNames(db, app, userID).length >= limits.maxGroups) return 'full';
        prepared(
          db,
          'INSERT INTO conversation_groups (app_id, user_id, name, created_at) VALUES (?, ?, ?, ?)',
        ).run(app, userID, change.name, now);
        addMembers(change.name, change.convKeys);
        return 'ok';
      }
      case 'delete': {
        if (!exists(change.name)) return 'missing';
        prepared(
          db,
          'DELETE FROM conversation_groups WHERE app_id = ? AND user_id = ? AND name = ?',
        ).run(app, userID, change.name);
        prepared(
          db,
          'DELETE FROM conversation_group_members WHERE app_id = ? AND user_id = ? AND name = ?',
        ).run(app, userID, change.name);
        return 'ok';
      }
      case 'rename': {
        if (!exists(change.name)) return 'missing';
        if (change.newName === change.name) return 'ok';
        if (exists(change.newName)) return 'exists';
        prepared(
          db,
          'UPDATE conversation_groups SET name = ? WHERE app_id = ? AND user_id = ? AND name = ?',
        ).run(change.newName, app, userID, change.name);
        prepared(
          db,
          'UPDATE conversation_group_members SET name = ? WHERE app_id = ? AND user_id = ? AND name = ?',
        ).run(change.newName, app, userID, change.name);
        return 'ok';
      }
      case 'add': {
        if (!exists(change.name)) return 'missing';
        addMembers(change.name, change.convKeys);
        return 'ok';
      }
      case 'remove': {
        if (!exists(change.name)) return 'missing';
        const del = prepared(
          db,
          'DELETE FROM conversation_group_members WHERE app_id = ? AND user_id = ? AND name = ? AND conv_id = ?',
        );
        for (const { convID } of convIDs(db, app, change.convKeys))
          del.run(app, userID, change.name, convID);
        return 'ok';
      }
    }
  });
}
