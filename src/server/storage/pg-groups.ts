/**
 * Groups in PostgreSQL: creation, membership, profile and member updates, ownership transfer,
 * dismissal, applications, custom attributes and counters, community topics, AVChatRoom bans. The
 * PgStorage methods delegate here; each function answers exactly what SqliteStorage answers.
 *
 * Several nodes write to one database, and READ COMMITTED does not serialize writers the way
 * SQLite's IMMEDIATE transactions do, so every read-then-write is made safe explicitly:
 * - Membership changes (create, add, remove, transfer, dismiss) lock the im_groups row first
 *   (FOR UPDATE), always in that order, so they run one at a time per group and member_count
 *   stays exact.
 * - Attribute and counter maps, and topic creation, take transaction-scoped advisory locks (they
 *   work whether or not the group row exists, as the SQLite code does not require it).
 * - Single-row transitions (first handler of an application wins) are conditional UPDATEs, which
 *   PostgreSQL re-checks against the newest row version after waiting for a concurrent writer.
 *
 * Text ORDER BY uses COLLATE "C": byte order, like SQLite's BINARY collation.
 */
import type { MemberRole } from '../../protocol/constants.js';
import type { PgDb, Sql } from './pg-db.js';
import { pgConvID, pgEnsureConv } from './pg-fragments.js';
import {
  toGroup,
  toMember,
  toTopic,
  type GroupRow,
  type MemberRow,
  type TopicRow,
} from './rows.js';
import { groupKey } from './types.js';
import type {
  AddMemberResult,
  GroupApplicationRecord,
  GroupPatch,
  GroupRecord,
  MapChange,
  MemberPatch,
  MemberRecord,
  MemberWithProfile,
  NewGroup,
  TopicPatch,
  TopicRecord,
} from './types.js';

const GROUP_SELECT = `SELECT g.*, c.last_seq FROM im_groups g JOIN conversations c ON c.conv_id = g.conv_id`;

const MEMBER_SELECT = `SELECT gm.user_id, gm.role, gm.join_time, gm.name_card, gm.mute_until, gm.custom_fields, uc.read_seq,
    uc.visible_seq
  FROM group_members gm
  JOIN im_groups g ON g.app_id = gm.app_id AND g.group_id = gm.group_id
  LEFT JOIN user_conversations uc ON uc.app_id = gm.app_id AND uc.user_id = gm.user_id AND uc.conv_id = g.conv_id`;

const GROUP_COLUMNS: Record<keyof GroupPatch, string> = {
  name: 'name',
  introduction: 'introduction',
  notification: 'notification',
  avatar: 'avatar',
  maxMemberCount: 'max_member',
  joinOption: 'join_option',
  muteAllMembers: 'mute_all',
};

const MEMBER_COLUMNS: Record<keyof MemberPatch, string> = {
  role: 'role',
  muteUntil: 'mute_until',
  nameCard: 'name_card',
  customFields: 'custom_fields',
};

const TOPIC_COLUMNS: Record<keyof TopicPatch, string> = {
  topicName: 'name',
  avatar: 'avatar',
  introduction: 'introduction',
  notification: 'notification',
  customData: 'custom_data',
  muteAllMembers: 'mute_all',
};

/**
 * `column = $n` for each field set in the patch, numbered from `$1`; booleans as 0/1, objects as
 * JSON. The caller's own parameters follow at `$(values.length + 1)`.
 */
function assignments<T extends object>(
  patch: T,
  columns: Record<keyof T, string>,
): { sql: string; values: unknown[] } {
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const key of Object.keys(columns) as (keyof T)[]) {
    const value = patch[key];
    if (value === undefined) continue;
    if (typeof value === 'boolean') values.push(value ? 1 : 0);
    else if (value !== null && typeof value === 'object') values.push(JSON.stringify(value));
    else values.push(value);
    sets.push(`${columns[key]} = $${values.length}`);
  }
  return { sql: sets.join(', '), values };
}

/** Locks the group's row until the transaction ends; false when there is no such group. */
async function lockGroup(sql: Sql, app: number, groupID: string): Promise<boolean> {
  return !!(await sql.one(
    'SELECT 1 FROM im_groups WHERE app_id = $1 AND group_id = $2 FOR UPDATE',
    [app, groupID],
  ));
}

/** Serializes the transactions that take the same key, until each one ends. */
async function advisoryLock(sql: Sql, key: string): Promise<void> {
  await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
}

/**
 * The newest committed global cursor (what SQLite reads as max(messages.cursor)): appends hold the
 * counter row until they commit, so this never runs ahead of a visible message.
 */
const CURSOR_NOW = 'SELECT value FROM cursor_counter WHERE id = 1';

// --- groups and membership ---

export async function createGroup(db: PgDb, app: number, group: NewGroup): Promise<boolean> {
  return db.tx(async (sql): Promise<boolean> => {
    if (
      await sql.one('SELECT 1 FROM im_groups WHERE app_id = $1 AND group_id = $2', [
        app,
        group.groupID,
      ])
    ) {
      return false;
    }
    const conv = await pgEnsureConv(sql, app, groupKey(group.groupID), 'GROUP');
    const activity = (await sql.one<{ value: number }>(CURSOR_NOW))?.value ?? 0;
    // Another node may create the same ID between the check and here: ON CONFLICT waits for it
    // and then inserts nothing, so the loser answers false.
    const created = await sql.one(
      `INSERT INTO im_groups (app_id, group_id, conv_id, type, name, introduction, notification, avatar,
         owner_id, create_time, last_info_time, max_member, join_option, member_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (app_id, group_id) DO NOTHING
       RETURNING 1`,
      [
        app,
        group.groupID,
        conv.conv_id,
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
      ],
    );
    if (!created) return false;
    if (group.members.length === 0) return true;
    const userIDs = group.members.map((m) => m.userID);
    // One statement per table; ORDER BY ordinality hands out the member ids (join order) in the
    // order of the list, as the SQLite loop does.
    await sql.run(
      `INSERT INTO group_members (app_id, group_id, user_id, role, join_time)
       SELECT $1::bigint, $2::text, m.user_id, m.role, $3::bigint
       FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS m (user_id, role, n)
       ORDER BY m.n`,
      [app, group.groupID, group.createTime, userIDs, group.members.map((m) => m.role)],
    );
    await sql.run(
      `INSERT INTO user_conversations (app_id, user_id, conv_id, read_seq, join_seq, visible_seq, activity_key, created_at)
       SELECT $1::bigint, u.user_id, $2::bigint, $3::bigint, $3::bigint, 0, $4::bigint, $5::bigint
       FROM unnest($6::text[]) AS u (user_id)
       ON CONFLICT (app_id, user_id, conv_id) DO UPDATE SET read_seq = excluded.read_seq,
         join_seq = excluded.join_seq, visible_seq = excluded.visible_seq, activity_key = excluded.activity_key`,
      [app, conv.conv_id, conv.last_seq, activity, group.createTime, userIDs],
    );
    return true;
  });
}

export async function getGroup(
  db: PgDb,
  app: number,
  groupID: string,
): Promise<GroupRecord | null> {
  const row = await db.one<GroupRow>(`${GROUP_SELECT} WHERE g.app_id = $1 AND g.group_id = $2`, [
    app,
    groupID,
  ]);
  return row ? toGroup(row) : null;
}

export async function getMember(
  db: PgDb,
  app: number,
  groupID: string,
  userID: string,
): Promise<MemberRecord | null> {
  const row = await db.one<MemberRow>(
    `${MEMBER_SELECT} WHERE gm.app_id = $1 AND gm.group_id = $2 AND gm.user_id = $3`,
    [app, groupID, userID],
  );
  return row ? toMember(row) : null;
}

export async function listMembers(
  db: PgDb,
  app: number,
  groupID: string,
  offset: number,
  limit: number,
): Promise<MemberWithProfile[]> {
  // SQLite reads a negative LIMIT as none and a negative OFFSET as 0; PostgreSQL refuses both.
  const rows = await db.query<MemberRow & { nick: string | null; avatar: string | null }>(
    `SELECT gm.user_id, gm.role, gm.join_time, gm.name_card, gm.mute_until, gm.custom_fields, NULL AS read_seq,
       NULL AS visible_seq, u.nick, u.avatar
     FROM group_members gm LEFT JOIN users u ON u.app_id = gm.app_id AND u.user_id = gm.user_id
     WHERE gm.app_id = $1 AND gm.group_id = $2 ORDER BY gm.id LIMIT $3 OFFSET $4`,
    [app, groupID, limit < 0 ? null : limit, Math.max(0, offset)],
  );
  return rows.map((row) => ({
    ...toMember(row),
    nick: row.nick ?? '',
    avatar: row.avatar ?? '',
  }));
}

export async function allMembers(db: PgDb, app: number, groupID: string): Promise<MemberRecord[]> {
  return (
    await db.query<MemberRow>(
      `${MEMBER_SELECT} WHERE gm.app_id = $1 AND gm.group_id = $2 ORDER BY gm.id`,
      [app, groupID],
    )
  ).map(toMember);
}

export async function addMember(
  db: PgDb,
  app: number,
  groupID: string,
  userID: string,
  role: MemberRole,
  now: number,
  seeHistory: boolean,
): Promise<AddMemberResult> {
  return db.tx(async (sql): Promise<AddMemberResult> => {
    // The row lock makes the membership check, the capacity check and the count update one step
    // per group across nodes: of two joins racing for the last seat, the second sees it taken.
    const group = await sql.one<{ conv_id: number; member_count: number; max_member: number }>(
      `SELECT conv_id, member_count, max_member FROM im_groups
       WHERE app_id = $1 AND group_id = $2 FOR UPDATE`,
      [app, groupID],
    );
    if (!group) return 'missing';
    // A statement of its own, after the lock: its snapshot includes what committed while waiting.
    const state = await sql.one<{ last_seq: number; already: number; activity: number }>(
      `SELECT c.last_seq,
         EXISTS (SELECT 1 FROM group_members WHERE app_id = $1 AND group_id = $2 AND user_id = $3)::int
           AS already,
         coalesce((${CURSOR_NOW}), 0) AS activity
       FROM conversations c WHERE c.conv_id = $4`,
      [app, groupID, userID, group.conv_id],
    );
    // No conversation row: SQLite's join finds no group either.
    if (!state) return 'missing';
    if (state.already) return 'already';
    if (group.member_count >= group.max_member) return 'full';
    await sql.run(
      'INSERT INTO group_members (app_id, group_id, user_id, role, join_time) VALUES ($1, $2, $3, $4, $5)',
      [app, groupID, userID, role, now],
    );
    await sql.run(
      `INSERT INTO user_conversations (app_id, user_id, conv_id, read_seq, join_seq, visible_seq, activity_key, created_at)
       VALUES ($1, $2, $3, $4, $4, $5, $6, $7)
       ON CONFLICT (app_id, user_id, conv_id) DO UPDATE SET read_seq = excluded.read_seq,
         join_seq = excluded.join_seq, visible_seq = excluded.visible_seq, activity_key = excluded.activity_key`,
      [
        app,
        userID,
        group.conv_id,
        state.last_seq,
        seeHistory ? 0 : state.last_seq,
        state.activity,
        now,
      ],
    );
    await sql.run(
      'UPDATE im_groups SET member_count = member_count + 1 WHERE app_id = $1 AND group_id = $2',
      [app, groupID],
    );
    return 'added';
  });
}

export async function removeMember(
  db: PgDb,
  app: number,
  groupID: string,
  userID: string,
): Promise<boolean> {
  return db.tx(async (sql): Promise<boolean> => {
    // The group row first, as every membership change does (one lock order: no deadlock with a
    // concurrent addMember of the same user).
    await lockGroup(sql, app, groupID);
    const removed = await sql.run(
      'DELETE FROM group_members WHERE app_id = $1 AND group_id = $2 AND user_id = $3',
      [app, groupID, userID],
    );
    if (removed === 0) return false;
    await sql.run(
      `UPDATE im_groups SET member_count = member_count - 1,
         owner_id = CASE WHEN owner_id = $1 THEN '' ELSE owner_id END
       WHERE app_id = $2 AND group_id = $3`,
      [userID, app, groupID],
    );
    const convID = (await pgConvID(sql, app, groupKey(groupID))) ?? null;
    await sql.run(
      'DELETE FROM user_conversations WHERE app_id = $1 AND user_id = $2 AND conv_id = $3',
      [app, userID, convID],
    );
    await sql.run(
      'DELETE FROM conversation_settings WHERE app_id = $1 AND user_id = $2 AND conv_id = $3',
      [app, userID, convID],
    );
    return true;
  });
}

export async function listUserGroups(
  db: PgDb,
  app: number,
  userID: string,
): Promise<{ group: GroupRecord; member: MemberRecord }[]> {
  const rows = await db.query<GroupRow & MemberRow>(
    `SELECT g.*, c.last_seq, gm.user_id, gm.role, gm.join_time, gm.name_card, gm.mute_until, gm.custom_fields, uc.read_seq,
       uc.visible_seq
     FROM group_members gm
     JOIN im_groups g ON g.app_id = gm.app_id AND g.group_id = gm.group_id
     JOIN conversations c ON c.conv_id = g.conv_id
     LEFT JOIN user_conversations uc ON uc.app_id = gm.app_id AND uc.user_id = gm.user_id AND uc.conv_id = g.conv_id
     WHERE gm.app_id = $1 AND gm.user_id = $2 ORDER BY gm.id`,
    [app, userID],
  );
  return rows.map((row) => ({ group: toGroup(row), member: toMember(row) }));
}

export async function saveGroupApplication(
  db: PgDb,
  app: number,
  groupID: string,
  userID: string,
  message: string,
  now: number,
): Promise<void> {
  await db.run(
    `INSERT INTO group_applications (app_id, group_id, user_id, message, time) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (app_id, group_id, user_id) DO UPDATE SET message = excluded.message, time = excluded.time,
       status = 'pending'`,
    [app, groupID, userID, message, now],
  );
}

// --- administration ---

/** Applies the patch, bumps infoSequence and lastInfoTime; null when the group is gone. */
export async function updateGroup(
  db: PgDb,
  app: number,
  groupID: string,
  patch: GroupPatch,
  now: number,
): Promise<GroupRecord | null> {
  const { sql, values } = assignments(patch, GROUP_COLUMNS);
  const n = values.length;
  // One statement answers the row it wrote (SQLite re-reads it in the same synchronous call).
  const row = await db.one<GroupRow>(
    `WITH g AS (
       UPDATE im_groups SET ${sql ? `${sql}, ` : ''}info_seq = info_seq + 1, last_info_time = $${n + 1}
       WHERE app_id = $${n + 2} AND group_id = $${n + 3}
       RETURNING *
     )
     SELECT g.*, c.last_seq FROM g JOIN conversations c ON c.conv_id = g.conv_id`,
    [...values, now, app, groupID],
  );
  return row ? toGroup(row) : null;
}

/** false when the user is not a member. */
export async function updateMember(
  db: PgDb,
  app: number,
  groupID: string,
  userID: string,
  patch: MemberPatch,
): Promise<boolean> {
  const { sql, values } = assignments(patch, MEMBER_COLUMNS);
  if (!sql) {
    return !!(await db.one(
      'SELECT 1 FROM group_members WHERE app_id = $1 AND group_id = $2 AND user_id = $3',
      [app, groupID, userID],
    ));
  }
  const n = values.length;
  return (
    (await db.run(
      `UPDATE group_members SET ${sql} WHERE app_id = $${n + 1} AND group_id = $${n + 2} AND user_id = $${n + 3}`,
      [...values, app, groupID, userID],
    )) > 0
  );
}

/** In one transaction: `to` becomes Owner, `from` a Member; false unless both are members. */
export async function transferOwner(
  db: PgDb,
  app: number,
  groupID: string,
  from: string,
  to: string,
): Promise<boolean> {
  return db.tx(async (sql): Promise<boolean> => {
    // Serialized with the group's membership changes: `to` cannot leave half-way through.
    await lockGroup(sql, app, groupID);
    const setRole = (role: MemberRole, userID: string) =>
      sql.run(
        'UPDATE group_members SET role = $1 WHERE app_id = $2 AND group_id = $3 AND user_id = $4',
        [role, app, groupID, userID],
      );
    if ((await setRole('Owner', to)) === 0) return false;
    if ((await setRole('Member', from)) === 0) {
      throw new Error('transferOwner: the previous owner is not a member');
    }
    await sql.run('UPDATE im_groups SET owner_id = $1 WHERE app_id = $2 AND group_id = $3', [
      to,
      app,
      groupID,
    ]);
    return true;
  });
}

/** Deletes the group, its members and their conversation rows; answers the former members. */
export async function dismissGroup(db: PgDb, app: number, groupID: string): Promise<string[]> {
  return db.tx(async (sql): Promise<string[]> => {
    // After the lock no join can slip in: the answer is every member that had a row.
    await lockGroup(sql, app, groupID);
    const members = (
      await sql.query<{ user_id: string }>(
        'SELECT user_id FROM group_members WHERE app_id = $1 AND group_id = $2 ORDER BY id',
        [app, groupID],
      )
    ).map((r) => r.user_id);
    const convID = await pgConvID(sql, app, groupKey(groupID));
    if (convID !== undefined) {
      await sql.run('DELETE FROM user_conversations WHERE app_id = $1 AND conv_id = $2', [
        app,
        convID,
      ]);
      await sql.run('DELETE FROM conversation_settings WHERE app_id = $1 AND conv_id = $2', [
        app,
        convID,
      ]);
    }
    for (const table of [
      'group_bans',
      'group_topics',
      'group_members',
      'group_applications',
      'group_attributes',
      'group_counters',
      'pinned_messages',
      'im_groups',
    ]) {
      await sql.run(`DELETE FROM ${table} WHERE app_id = $1 AND group_id = $2`, [app, groupID]);
    }
    return members;
  });
}

// --- applications ---

interface ApplicationRow {
  group_id: string;
  user_id: string;
  message: string;
  time: number;
  status: string;
}

const toApplication = (r: ApplicationRow): GroupApplicationRecord => ({
  groupID: r.group_id,
  userID: r.user_id,
  message: r.message,
  time: r.time,
  status: r.status as GroupApplicationRecord['status'],
});

export async function getGroupApplication(
  db: PgDb,
  app: number,
  groupID: string,
  userID: string,
): Promise<GroupApplicationRecord | null> {
  const row = await db.one<ApplicationRow>(
    `SELECT group_id, user_id, message, time, status FROM group_applications
     WHERE app_id = $1 AND group_id = $2 AND user_id = $3`,
    [app, groupID, userID],
  );
  return row ? toApplication(row) : null;
}

/** Pending applications to groups where `userID` is owner or admin, oldest first. */
export async function pendingApplicationsFor(
  db: PgDb,
  app: number,
  userID: string,
): Promise<GroupApplicationRecord[]> {
  return (
    await db.query<ApplicationRow>(
      `SELECT a.group_id, a.user_id, a.message, a.time, a.status FROM group_applications a
       JOIN group_members gm ON gm.app_id = a.app_id AND gm.group_id = a.group_id
       WHERE gm.app_id = $1 AND gm.user_id = $2 AND gm.role IN ('Owner', 'Admin') AND a.status = 'pending'
       ORDER BY a.time, a.group_id COLLATE "C", a.user_id COLLATE "C"`,
      [app, userID],
    )
  ).map(toApplication);
}

/**
 * First handler wins: a second UPDATE waits for the first one's commit, then re-checks its WHERE
 * against the new row, finds it no longer pending and changes nothing.
 */
export async function resolveGroupApplication(
  db: PgDb,
  app: number,
  groupID: string,
  userID: string,
  status: 'Agree' | 'Reject',
): Promise<boolean> {
  return (
    (await db.run(
      `UPDATE group_applications SET status = $1 WHERE app_id = $2 AND group_id = $3 AND user_id = $4
         AND status = 'pending'`,
      [status, app, groupID, userID],
    )) > 0
  );
}

// --- attributes and counters ---

type MapTable = 'group_attributes' | 'group_counters';

async function readMap(
  sql: Sql,
  table: MapTable,
  app: number,
  groupID: string,
): Promise<Record<string, string>> {
  const rows = await sql.query<{ key: string; value: string }>(
    `SELECT key, value FROM ${table} WHERE app_id = $1 AND group_id = $2 ORDER BY key COLLATE "C"`,
    [app, groupID],
  );
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

/**
 * Replaces the whole map with `change(current)` in one transaction. The advisory lock, taken before
 * the read, makes concurrent changes of one group's map (on any node) apply one after the other,
 * each to the map the previous one left. A throw from `change` rolls back and propagates as is.
 */
async function changeMap(
  db: PgDb,
  table: MapTable,
  app: number,
  groupID: string,
  change: MapChange,
): Promise<Record<string, string>> {
  return db.tx(async (sql): Promise<Record<string, string>> => {
    await advisoryLock(sql, `${table}:${app}:${groupID}`);
    const next = change(await readMap(sql, table, app, groupID));
    await sql.run(`DELETE FROM ${table} WHERE app_id = $1 AND group_id = $2`, [app, groupID]);
    const entries = Object.entries(next);
    if (entries.length > 0) {
      await sql.run(
        `INSERT INTO ${table} (app_id, group_id, key, value)
         SELECT $1::bigint, $2::text, e.key, e.value FROM unnest($3::text[], $4::text[]) AS e (key, value)`,
        [app, groupID, entries.map(([k]) => k), entries.map(([, v]) => v)],
      );
    }
    return next;
  });
}

export async function getGroupAttributes(
  db: PgDb,
  app: number,
  groupID: string,
): Promise<Record<string, string>> {
  return readMap(db, 'group_attributes', app, groupID);
}

/** Replaces the attribute map by `change(current)` inside one transaction; answers the new map. */
export async function changeGroupAttributes(
  db: PgDb,
  app: number,
  groupID: string,
  change: MapChange,
): Promise<Record<string, string>> {
  return changeMap(db, 'group_attributes', app, groupID, change);
}

export async function getGroupCounters(
  db: PgDb,
  app: number,
  groupID: string,
): Promise<Record<string, string>> {
  return readMap(db, 'group_counters', app, groupID);
}

/**
 * Same as changeGroupAttributes, for counters. Values are decimal int64 strings, stored as the
 * change returns them: the arithmetic is the caller's, as with SQLite.
 */
export async function changeGroupCounters(
  db: PgDb,
  app: number,
  groupID: string,
  change: MapChange,
): Promise<Record<string, string>> {
  return changeMap(db, 'group_counters', app, groupID, change);
}

// --- community topics ---

export async function setSupportTopic(db: PgDb, app: number, groupID: string): Promise<void> {
  await db.run('UPDATE im_groups SET support_topic = 1 WHERE app_id = $1 AND group_id = $2', [
    app,
    groupID,
  ]);
}

/**
 * 'limit' when the community already has `max` topics, 'taken' when the topicID is used in any
 * group of the app. Two advisory locks, always in this order: the community's (the count) and the
 * topicID's (the app-wide uniqueness), so racing creations can neither pass the limit nor insert
 * one topicID twice.
 */
export async function createTopic(
  db: PgDb,
  app: number,
  t: TopicRecord,
  max: number,
): Promise<'created' | 'taken' | 'limit'> {
  return db.tx(async (sql): Promise<'created' | 'taken' | 'limit'> => {
    await advisoryLock(sql, `group_topics:${app}:${t.groupID}`);
    await advisoryLock(sql, `topic_id:${app}:${t.topicID}`);
    const count = await sql.one<{ n: number }>(
      'SELECT count(*) AS n FROM group_topics WHERE app_id = $1 AND group_id = $2',
      [app, t.groupID],
    );
    if (count!.n >= max) return 'limit';
    if (
      await sql.one('SELECT 1 FROM group_topics WHERE app_id = $1 AND topic_id = $2', [
        app,
        t.topicID,
      ])
    ) {
      return 'taken';
    }
    await sql.run(
      `INSERT INTO group_topics (app_id, group_id, topic_id, name, avatar, introduction, notification,
         custom_data, mute_all, create_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        app,
        t.groupID,
        t.topicID,
        t.topicName,
        t.avatar,
        t.introduction,
        t.notification,
        t.customData,
        t.muteAllMembers ? 1 : 0,
        t.createTime,
      ],
    );
    return 'created';
  });
}

/** Every topic of the community, by creation. */
export async function listTopics(db: PgDb, app: number, groupID: string): Promise<TopicRecord[]> {
  return (
    await db.query<TopicRow>(
      `SELECT * FROM group_topics WHERE app_id = $1 AND group_id = $2
       ORDER BY create_time, topic_id COLLATE "C"`,
      [app, groupID],
    )
  ).map(toTopic);
}

export async function updateTopic(
  db: PgDb,
  app: number,
  groupID: string,
  topicID: string,
  patch: TopicPatch,
): Promise<TopicRecord | null> {
  const { sql, values } = assignments(patch, TOPIC_COLUMNS);
  const n = values.length;
  // With a patch, the row as written (RETURNING); without one, the row as stored.
  const row = sql
    ? await db.one<TopicRow>(
        `UPDATE group_topics SET ${sql} WHERE app_id = $${n + 1} AND group_id = $${n + 2} AND topic_id = $${n + 3}
         RETURNING *`,
        [...values, app, groupID, topicID],
      )
    : await db.one<TopicRow>(
        'SELECT * FROM group_topics WHERE app_id = $1 AND group_id = $2 AND topic_id = $3',
        [app, groupID, topicID],
      );
  return row ? toTopic(row) : null;
}

export async function deleteTopic(
  db: PgDb,
  app: number,
  groupID: string,
  topicID: string,
): Promise<boolean> {
  return (
    (await db.run(
      'DELETE FROM group_topics WHERE app_id = $1 AND group_id = $2 AND topic_id = $3',
      [app, groupID, topicID],
    )) > 0
  );
}

// --- AVChatRoom bans ---

/** The user may not join again before `until` (seconds). */
export async function banMember(
  db: PgDb,
  app: number,
  groupID: string,
  userID: string,
  until: number,
): Promise<void> {
  await db.run(
    `INSERT INTO group_bans (app_id, group_id, user_id, until) VALUES ($1, $2, $3, $4)
     ON CONFLICT (app_id, group_id, user_id) DO UPDATE SET until = excluded.until`,
    [app, groupID, userID, until],
  );
}

/** 0 when not banned. */
export async function bannedUntil(
  db: PgDb,
  app: number,
  groupID: string,
  userID: string,
): Promise<number> {
  const row = await db.one<{ until: number }>(
    'SELECT until FROM group_bans WHERE app_id = $1 AND group_id = $2 AND user_id = $3',
    [app, groupID, userID],
  );
  return row?.until ?? 0;
}
