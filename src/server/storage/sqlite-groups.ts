/**
 * Group administration in SQLite: profile and member updates, ownership transfer, dismissal,
 * applications, custom attributes and counters. Functions over the better-sqlite3 handle; the
 * SqliteStorage methods delegate here. Every multi-row write runs in one IMMEDIATE transaction.
 */
import type Database from 'better-sqlite3';
import { groupKey } from './types.js';
import type {
  GroupApplicationRecord,
  GroupPatch,
  MapChange,
  MemberPatch,
  TopicPatch,
  TopicRecord,
} from './types.js';
import { prepared } from './sqlite-statements.js';
import { toTopic, type TopicRow } from './rows.js';

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

function assignments<T extends object>(
  patch: T,
  columns: Record<keyof T, string>,
): { sql: string; values: unknown[] } {
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const key of Object.keys(columns) as (keyof T)[]) {
    const value = patch[key];
    if (value === undefined) continue;
    sets.push(`${columns[key]} = ?`);
    if (typeof value === 'boolean') values.push(value ? 1 : 0);
    else if (value !== null && typeof value === 'object') values.push(JSON.stringify(value));
    else values.push(value);
  }
  return { sql: sets.join(', '), values };
}

/** true when the group still exists. */
export function updateGroup(
  db: Database.Database,
  app: number,
  groupID: string,
  patch: GroupPatch,
  now: number,
): boolean {
  const { sql, values } = assignments(patch, GROUP_COLUMNS);
  const result = prepared(
    db,
    `UPDATE im_groups SET ${sql ? `${sql}, ` : ''}info_seq = info_seq + 1, last_info_time = ?
       WHERE app_id = ? AND group_id = ?`,
  ).run(...values, now, app, groupID);
  return result.changes > 0;
}

export function updateMember(
  db: Database.Database,
  app: number,
  groupID: string,
  userID: string,
  patch: MemberPatch,
): boolean {
  const { sql, values } = assignments(patch, MEMBER_COLUMNS);
  if (!sql) {
    return !!prepared(
      db,
      'SELECT 1 FROM group_members WHERE app_id = ? AND group_id = ? AND user_id = ?',
    ).get(app, groupID, userID);
  }
  return (
    prepared(
      db,
      `UPDATE group_members SET ${sql} WHERE app_id = ? AND group_id = ? AND user_id = ?`,
    ).run(...values, app, groupID, userID).changes > 0
  );
}

export function transferOwner(
  db: Database.Database,
  app: number,
  groupID: string,
  from: string,
  to: string,
): boolean {
  return db
    .transaction((): boolean => {
      const setRole = prepared(
        db,
        'UPDATE group_members SET role = ? WHERE app_id = ? AND group_id = ? AND user_id = ?',
      );
      if (setRole.run('Owner', app, groupID, to).changes === 0) return false;
      if (setRole.run('Member', app, groupID, from).changes === 0) {
        throw new Error('transferOwner: the previous owner is not a member');
      }
      prepared(db, 'UPDATE im_groups SET owner_id = ? WHERE app_id = ? AND group_id = ?').run(
        to,
        app,
        groupID,
      );
      return true;
    })
    .immediate();
}

export function dismissGroup(db: Database.Database, app: number, groupID: string): string[] {
  return db
    .transaction((): string[] => {
      const members = (
        prepared(
          db,
          'SELECT user_id FROM group_members WHERE app_id = ? AND group_id = ? ORDER BY id',
        ).all(app, groupID) as { user_id: string }[]
      ).map((r) => r.user_id);
      const conv = prepared(
        db,
        'SELECT conv_id FROM conversations WHERE app_id = ? AND conv_key = ?',
      ).get(app, groupKey(groupID)) as { conv_id: number } | undefined;
      if (conv) {
        prepared(db, 'DELETE FROM user_conversations WHERE app_id = ? AND conv_id = ?').run(
          app,
          conv.conv_id,
        );
        prepared(db, 'DELETE FROM conversation_settings WHERE app_id = ? AND conv_id = ?').run(
          app,
          conv.conv_id,
        );
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
        prepared(db, `DELETE FROM ${table} WHERE app_id = ? AND group_id = ?`).run(app, groupID);
      }
      return members;
    })
    .immediate();
}

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

export function getGroupApplication(
  db: Database.Database,
  app: number,
  groupID: string,
  userID: string,
): GroupApplicationRecord | null {
  const row = prepared(
    db,
    'SELECT group_id, user_id, message, time, status FROM group_applications WHERE app_id = ? AND group_id = ? AND user_id = ?',
  ).get(app, groupID, userID) as ApplicationRow | undefined;
  return row ? toApplication(row) : null;
}

export function pendingApplicationsFor(
  db: Database.Database,
  app: number,
  userID: string,
): GroupApplicationRecord[] {
  return (
    prepared(
      db,
      `SELECT a.group_id, a.user_id, a.message, a.time, a.status FROM group_applications a
         JOIN group_members gm ON gm.app_id = a.app_id AND gm.group_id = a.group_id
         WHERE gm.app_id = ? AND gm.user_id = ? AND gm.role IN ('Owner', 'Admin') AND a.status = 'pending'
         ORDER BY a.time, a.group_id, a.user_id`,
    ).all(app, userID) as ApplicationRow[]
  ).map(toApplication);
}

export function resolveGroupApplication(
  db: Database.Database,
  app: number,
  groupID: string,
  userID: string,
  status: 'Agree' | 'Reject',
): boolean {
  return (
    prepared(
      db,
      `UPDATE group_applications SET status = ? WHERE app_id = ? AND group_id = ? AND user_id = ?
           AND status = 'pending'`,
    ).run(status, app, groupID, userID).changes > 0
  );
}

type MapTable = 'group_attributes' | 'group_counters';

export function readMap(
  db: Database.Database,
  table: MapTable,
  app: number,
  groupID: string,
): Record<string, string> {
  const rows = prepared(
    db,
    `SELECT key, value FROM ${table} WHERE app_id = ? AND group_id = ? ORDER BY key`,
  ).all(app, groupID) as { key: string; value: string }[];
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

/** Replaces the whole map with `change(current)` in one transaction (change may throw: no write). */
export function changeMap(
  db: Database.Database,
  table: MapTable,
  app: number,
  groupID: string,
  change: MapChange,
): Record<string, string> {
  return db
    .transaction((): Record<string, string> => {
      const next = change(readMap(db, table, app, groupID));
      prepared(db, `DELETE FROM ${table} WHERE app_id = ? AND group_id = ?`).run(app, groupID);
      const insert = prepared(
        db,
        `INSERT INTO ${table} (app_id, group_id, key, value) VALUES (?, ?, ?, ?)`,
      );
      for (const [key, value] of Object.entries(next)) insert.run(app, groupID, key, value);
      return next;
    })
    .immediate();
}

// --- community topics ---

const TOPIC_COLUMNS: Record<keyof TopicPatch, string> = {
  topicName: 'name',
  avatar: 'avatar',
  introduction: 'introduction',
  notification: 'notification',
  customData: 'custom_data',
  muteAllMembers: 'mute_all',
};

export function setSupportTopic(db: Database.Database, app: number, groupID: string): void {
  prepared(db, 'UPDATE im_groups SET support_topic = 1 WHERE app_id = ? AND group_id = ?').run(
    app,
    groupID,
  );
}

export function createTopic(
  db: Database.Database,
  app: number,
  t: TopicRecord,
  max: number,
): 'created' | 'taken' | 'limit' {
  return db
    .transaction((): 'created' | 'taken' | 'limit' => {
      const count = prepared(
        db,
        'SELECT count(*) AS n FROM group_topics WHERE app_id = ? AND group_id = ?',
      ).get(app, t.groupID) as { n: number };
      if (count.n >= max) return 'limit';
      const taken = prepared(
        db,
        'SELECT 1 FROM group_topics WHERE app_id = ? AND topic_id = ?',
      ).get(app, t.topicID);
      if (taken) return 'taken';
      prepared(
        db,
        `INSERT INTO group_topics (app_id, group_id, topic_id, name, avatar, introduction, notification,
           custom_data, mute_all, create_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
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
      );
      return 'created';
    })
    .immediate();
}

export function listTopics(db: Database.Database, app: number, groupID: string): TopicRecord[] {
  return (
    prepared(
      db,
      'SELECT * FROM group_topics WHERE app_id = ? AND group_id = ? ORDER BY create_time, topic_id',
    ).all(app, groupID) as TopicRow[]
  ).map(toTopic);
}

export function updateTopic(
  db: Database.Database,
  app: number,
  groupID: string,
  topicID: string,
  patch: TopicPatch,
): TopicRecord | null {
  const { sql, values } = assignments(patch, TOPIC_COLUMNS);
  if (sql) {
    prepared(
      db,
      `UPDATE group_topics SET ${sql} WHERE app_id = ? AND group_id = ? AND topic_id = ?`,
    ).run(...values, app, groupID, topicID);
  }
  const row = prepared(
    db,
    'SELECT * FROM group_topics WHERE app_id = ? AND group_id = ? AND topic_id = ?',
  ).get(app, groupID, topicID) as TopicRow | undefined;
  return row ? toTopic(row) : null;
}

export function deleteTopic(
  db: Database.Database,
  app: number,
  groupID: string,
  topicID: string,
): boolean {
  return (
    prepared(db, 'DELETE FROM group_topics WHERE app_id = ? AND group_id = ? AND topic_id = ?').run(
      app,
      groupID,
      topicID,
    ).changes > 0
  );
}

// --- AVChatRoom bans ---

export function banMember(
  db: Database.Database,
  app: number,
  groupID: string,
  userID: string,
  until: number,
): void {
  prepared(
    db,
    `INSERT INTO group_bans (app_id, group_id, user_id, until) VALUES (?, ?, ?, ?)
     ON CONFLICT (app_id, group_id, user_id) DO UPDATE SET until = excluded.until`,
  ).run(app, groupID, userID, until);
}

export function bannedUntil(
  db: Database.Database,
  app: number,
  groupID: string,
  userID: string,
): number {
  const row = prepared(
    db,
    'SELECT until FROM group_bans WHERE app_id = ? AND group_id = ? AND user_id = ?',
  ).get(app, groupID, userID) as { until: number } | undefined;
  return row?.until ?? 0;
}
