/**
 * SQLite storage (better-sqlite3, WAL). Synchronous inside, async at the interface. Every write
 * that must be atomic (message append with its seq, membership with its count) runs in one
 * IMMEDIATE transaction.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MemberRole } from '../../protocol/constants.js';
import { SCHEMA, SCHEMA_VERSION } from './schema.js';
import {
  PROFILE_COLUMNS,
  toApp,
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
  type UserRow,
} from './rows.js';
import { groupKey } from './types.js';
import type {
  AddMemberResult,
  AppRecord,
  AppendResult,
  GroupRecord,
  HistoryQuery,
  MemberRecord,
  MemberWithProfile,
  NewGroup,
  NewMessage,
  ProfilePatch,
  Storage,
  StoredMessage,
  UserConversationRecord,
  UserRecord,
} from './types.js';

const MESSAGE_COLUMNS = `m.cursor, c.conv_key, m.seq, m.msg_id, m.sender, m.conv_type, m.target, m.type,
  m.payload, m.priority, m.cloud_custom_data, m.client_time, m.random, m.time, m.nick, m.avatar`;

const CONVERSATION_SELECT = `SELECT c.conv_key, c.type, c.last_seq, c.last_cursor, uc.read_seq, uc.join_seq,
    uc.visible_seq, uc.activity_key, g.type AS group_type,
    CASE WHEN g.type = 'ChatRoom' THEN 0 ELSE (
      SELECT count(*) FROM messages m
      WHERE m.conv_id = uc.conv_id AND m.seq > max(uc.read_seq, uc.join_seq) AND m.sender <> uc.user_id
    ) END AS unread
  FROM user_conversations uc
  JOIN conversations c ON c.conv_id = uc.conv_id
  LEFT JOIN im_groups g ON c.type = 'GROUP' AND g.app_id = uc.app_id AND g.group_id = substr(c.conv_key, 7)
  WHERE uc.app_id = ? AND uc.user_id = ?`;

const GROUP_SELECT = `SELECT g.*, c.last_seq FROM im_groups g JOIN conversations c ON c.conv_id = g.conv_id`;

const MEMBER_SELECT = `SELECT gm.user_id, gm.role, gm.join_time, gm.name_card, gm.mute_until, uc.read_seq,
    uc.visible_seq
  FROM group_members gm
  JOIN im_groups g ON g.app_id = gm.app_id AND g.group_id = gm.group_id
  LEFT JOIN user_conversations uc ON uc.app_id = gm.app_id AND uc.user_id = gm.user_id AND uc.conv_id = g.conv_id`;

export interface SqliteOptions {
  /** File path or ':memory:'. */
  file: string;
}

export class SqliteStorage implements Storage {
  readonly db: Database.Database;

  constructor(options: SqliteOptions) {
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    // Acknowledged means durable: FULL syncs the WAL on every commit.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.db
      .prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)`)
      .run(String(SCHEMA_VERSION));
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** Prepared statements are cached by their SQL text. */
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
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

  private convID(app: number, convKey: string): number | undefined {
    return this.get<{ conv_id: number }>(
      'SELECT conv_id FROM conversations WHERE app_id = ? AND conv_key = ?',
      app,
      convKey,
    )?.conv_id;
  }

  private ensureConv(
    app: number,
    convKey: string,
    type: string,
  ): { conv_id: number; last_seq: number } {
    this.run(
      'INSERT OR IGNORE INTO conversations (app_id, conv_key, type) VALUES (?, ?, ?)',
      app,
      convKey,
      type,
    );
    return this.get<{ conv_id: number; last_seq: number }>(
      'SELECT conv_id, last_seq FROM conversations WHERE app_id = ? AND conv_key = ?',
      app,
      convKey,
    )!;
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
    this.run(
      'INSERT OR IGNORE INTO users (app_id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?)',
      app,
      userID,
      now,
      now,
    );
    return (await this.getUser(app, userID))!;
  }

  async getUser(app: number, userID: string): Promise<UserRecord | null> {
    const row = this.get<UserRow>(
      'SELECT * FROM users WHERE app_id = ? AND user_id = ?',
      app,
      userID,
    );
    return row ? toUser(row) : null;
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
    this.run(
      `UPDATE users SET ${sets.join(', ')} WHERE app_id = ? AND user_id = ?`,
      ...values,
      app,
      userID,
    );
    return this.getUser(app, userID);
  }

  // messages

  async appendMessage(
    app: number,
    message: NewMessage,
    participants: string[],
  ): Promise<AppendResult> {
    return this.db
      .transaction((): AppendResult => {
        const existing = this.get<MessageRow>(
          `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN conversations c ON c.conv_id = m.conv_id
           WHERE m.app_id = ? AND m.sender = ? AND m.msg_id = ?`,
          app,
          message.from,
          message.ID,
        );
        if (existing) return { message: toMessage(existing), duplicate: true };
        const conv = this.ensureConv(app, message.convKey, message.conversationType);
        const seq = conv.last_seq + 1;
        const info = this.run(
          `INSERT INTO messages (app_id, conv_id, seq, msg_id, sender, conv_type, target, type, payload,
             priority, cloud_custom_data, client_time, random, time, nick, avatar)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          app,
          conv.conv_id,
          seq,
          message.ID,
          message.from,
          message.conversationType,
          message.to,
          message.type,
          JSON.stringify(message.payload),
          message.priority,
          message.cloudCustomData,
          message.clientTime,
          message.random,
          message.time,
          message.nick,
          message.avatar,
        );
        const cursor = Number(info.lastInsertRowid);
        this.run(
          'UPDATE conversations SET last_seq = ?, last_cursor = ?, last_time = ? WHERE conv_id = ?',
          seq,
          cursor,
          message.time,
          conv.conv_id,
        );
        for (const userID of participants) {
          this.run(
            `INSERT OR IGNORE INTO user_conversations (app_id, user_id, conv_id, created_at) VALUES (?, ?, ?, ?)`,
            app,
            userID,
            conv.conv_id,
            message.time,
          );
        }
        return { message: { ...message, cursor, seq }, duplicate: false };
      })
      .immediate();
  }

  async getHistory(app: number, query: HistoryQuery): Promise<StoredMessage[]> {
    const convID = this.convID(app, query.convKey);
    if (convID === undefined) return [];
    return this.all<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN conversations c ON c.conv_id = m.conv_id
       WHERE m.conv_id = ? AND m.seq > ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`,
      convID,
      query.afterSeq,
      query.beforeSeq ?? Number.MAX_SAFE_INTEGER,
      query.limit,
    ).map(toMessage);
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
  static readonly SYNC_SQL = `SELECT ${MESSAGE_COLUMNS}
    FROM user_conversations uc
    CROSS JOIN messages m ON m.conv_id = uc.conv_id AND m.cursor > ? AND m.seq > uc.join_seq
    JOIN conversations c ON c.conv_id = uc.conv_id
    WHERE uc.app_id = ? AND uc.user_id = ?
    ORDER BY m.cursor LIMIT ?`;

  async syncMessages(
    app: number,
    userID: string,
    cursor: number,
    limit: number,
  ): Promise<StoredMessage[]> {
    return this.all<MessageRow>(SqliteStorage.SYNC_SQL, cursor, app, userID, limit).map(toMessage);
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
  ): Promise<UserConversationRecord | null> {
    const row = this.get<ConversationRow>(
      `${CONVERSATION_SELECT} AND c.conv_key = ?`,
      app,
      userID,
      convKey,
    );
    return row ? toConversation(row, userID) : null;
  }

  async markRead(app: number, userID: string, convKey: string): Promise<number | null> {
    const row = this.get<{ read_seq: number }>(
      `UPDATE user_conversations
       SET read_seq = max(read_seq, (SELECT last_seq FROM conversations c WHERE c.conv_id = user_conversations.conv_id))
       WHERE app_id = ? AND user_id = ? AND conv_id = (SELECT conv_id FROM conversations WHERE app_id = ? AND conv_key = ?)
       RETURNING read_seq`,
      app,
      userID,
      app,
      convKey,
    );
    return row ? row.read_seq : null;
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
        const conv = this.ensureConv(app, groupKey(group.groupID), 'GROUP');
        const activity = this.maxCursor();
        this.run(
          `INSERT INTO im_groups (app_id, group_id, conv_id, type, name, introduction, notification, avatar,
             owner_id, create_time, last_info_time, max_member, join_option, member_count)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        );
        for (const member of group.members) {
          this.insertMember(
            app,
            group.groupID,
            conv.conv_id,
            member.userID,
            member.role,
            group.createTime,
            {
              seq: conv.last_seq,
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
      `SELECT gm.user_id, gm.role, gm.join_time, gm.name_card, gm.mute_until, NULL AS read_seq,
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
        return true;
      })
      .immediate();
  }

  async listUserGroups(
    app: number,
    userID: string,
  ): Promise<{ group: GroupRecord; member: MemberRecord }[]> {
    const rows = this.all<GroupRow & MemberRow>(
      `SELECT g.*, c.last_seq, gm.user_id, gm.role, gm.join_time, gm.name_card, gm.mute_until, uc.read_seq,
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

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
