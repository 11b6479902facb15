/**
 * SQLite side of the relationship chain and user status (RelationStorage in types.ts): friends,
 * friend applications, friend groups, blocklist, follows, status subscriptions and custom status.
 * Tables: schema.ts, version 5. Writes of several rows run in one IMMEDIATE transaction.
 */
import type Database from 'better-sqlite3';
import type {
  FriendApplicationRecord,
  FriendGroupRecord,
  FriendRecord,
  NewFriend,
  RelationStorage,
  UserStatusRecord,
} from './types.js';
import { prepared } from './sqlite-statements.js';
import { toApplication, toFriend, type ApplicationRow, type FriendRow } from './rows.js';

const json = (list: string[]) => JSON.stringify(list);

/** Blocklists kept in memory (the oldest read first is dropped past it). */
const BLOCKLIST_CACHE_SIZE = 50_000;

export class SqliteRelations implements RelationStorage {
  constructor(private readonly db: Database.Database) {}

  private all<T>(sql: string, ...params: unknown[]): T[] {
    return prepared(this.db, sql).all(...params) as T[];
  }
  private get<T>(sql: string, ...params: unknown[]): T | undefined {
    return prepared(this.db, sql).get(...params) as T | undefined;
  }
  private run(sql: string, ...params: unknown[]): void {
    prepared(this.db, sql).run(...params);
  }
  private tx(fn: () => void): void {
    this.db.transaction(fn).immediate();
  }

  // friends

  async friendsOf(app: number, userID: string, friendIDs?: string[]): Promise<FriendRecord[]> {
    if (friendIDs) {
      return this.all<FriendRow>(
        `SELECT * FROM friends WHERE app_id = ? AND user_id = ?
           AND friend_id IN (SELECT value FROM json_each(?)) ORDER BY added_at, friend_id`,
        app,
        userID,
        json(friendIDs),
      ).map(toFriend);
    }
    return this.all<FriendRow>(
      'SELECT * FROM friends WHERE app_id = ? AND user_id = ? ORDER BY added_at, friend_id',
      app,
      userID,
    ).map(toFriend);
  }

  async friendedBy(app: number, userID: string): Promise<string[]> {
    return this.all<{ user_id: string }>(
      'SELECT user_id FROM friends WHERE app_id = ? AND friend_id = ?',
      app,
      userID,
    ).map((r) => r.user_id);
  }

  async friendCount(app: number, userID: string): Promise<number> {
    return this.get<{ n: number }>(
      'SELECT count(*) AS n FROM friends WHERE app_id = ? AND user_id = ?',
      app,
      userID,
    )!.n;
  }

  async addFriends(app: number, friends: NewFriend[], now: number): Promise<void> {
    this.tx(() => {
      for (const f of friends) {
        this.run(
          `INSERT INTO friends (app_id, user_id, friend_id, remark, source, wording, added_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          app,
          f.userID,
          f.friendID,
          f.remark,
          f.source,
          f.wording,
          now,
        );
        this.run(
          `DELETE FROM friend_applications WHERE app_id = ?
             AND ((from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?))`,
          app,
          f.userID,
          f.friendID,
          f.friendID,
          f.userID,
        );
        if (f.groupName) {
          this.run(
            `INSERT INTO friend_groups (app_id, user_id, name, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT DO NOTHING`,
            app,
            f.userID,
            f.groupName,
            now,
          );
          this.run(
            `INSERT INTO friend_group_members (app_id, user_id, name, friend_id) VALUES (?, ?, ?, ?)
             ON CONFLICT DO NOTHING`,
            app,
            f.userID,
            f.groupName,
            f.friendID,
          );
        }
      }
    });
  }

  private deletePair(app: number, userID: string, friendID: string): void {
    this.run(
      'DELETE FROM friends WHERE app_id = ? AND user_id = ? AND friend_id = ?',
      app,
      userID,
      friendID,
    );
    this.run(
      'DELETE FROM friend_group_members WHERE app_id = ? AND user_id = ? AND friend_id = ?',
      app,
      userID,
      friendID,
    );
  }

  async deleteFriends(app: number, pairs: { userID: string; friendID: string }[]): Promise<void> {
    this.tx(() => {
      for (const p of pairs) this.deletePair(app, p.userID, p.friendID);
    });
  }

  async updateFriend(
    app: number,
    userID: string,
    friendID: string,
    remark: string | undefined,
    custom: Record<string, string | number> | undefined,
  ): Promise<void> {
    this.tx(() => {
      if (remark !== undefined) {
        this.run(
          'UPDATE friends SET remark = ? WHERE app_id = ? AND user_id = ? AND friend_id = ?',
          remark,
          app,
          userID,
          friendID,
        );
      }
      if (custom && Object.keys(custom).length > 0) {
        this.run(
          `UPDATE friends SET custom = json_patch(custom, ?)
           WHERE app_id = ? AND user_id = ? AND friend_id = ?`,
          JSON.stringify(custom),
          app,
          userID,
          friendID,
        );
      }
    });
  }

  // applications

  async applicationsOf(app: number, userID: string): Promise<FriendApplicationRecord[]> {
    return this.all<ApplicationRow>(
      `SELECT * FROM friend_applications WHERE app_id = ?
         AND ((to_id = ? AND hidden_to = 0) OR (from_id = ? AND hidden_from = 0))
       ORDER BY time DESC, from_id, to_id`,
      app,
      userID,
      userID,
    ).map(toApplication);
  }

  async getApplication(
    app: number,
    from: string,
    to: string,
  ): Promise<FriendApplicationRecord | null> {
    const row = this.get<ApplicationRow>(
      'SELECT * FROM friend_applications WHERE app_id = ? AND from_id = ? AND to_id = ?',
      app,
      from,
      to,
    );
    return row ? toApplication(row) : null;
  }

  async saveApplication(
    app: number,
    a: Omit<FriendApplicationRecord, 'read' | 'hiddenFrom' | 'hiddenTo'>,
  ): Promise<void> {
    this.run(
      `INSERT INTO friend_applications
         (app_id, from_id, to_id, source, wording, remark, group_name, add_type, time)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (app_id, from_id, to_id) DO UPDATE SET source = excluded.source,
         wording = excluded.wording, remark = excluded.remark, group_name = excluded.group_name,
         add_type = excluded.add_type, time = excluded.time, read = 0, hidden_from = 0, hidden_to = 0`,
      app,
      a.from,
      a.to,
      a.source,
      a.wording,
      a.remark,
      a.groupName,
      a.addType,
      a.time,
    );
  }

  async deleteApplication(app: number, from: string, to: string): Promise<void> {
    this.run(
      'DELETE FROM friend_applications WHERE app_id = ? AND from_id = ? AND to_id = ?',
      app,
      from,
      to,
    );
  }

  async hideApplication(app: number, from: string, to: string, side: 'from' | 'to'): Promise<void> {
    this.tx(() => {
      this.run(
        `UPDATE friend_applications SET ${side === 'from' ? 'hidden_from' : 'hidden_to'} = 1
         WHERE app_id = ? AND from_id = ? AND to_id = ?`,
        app,
        from,
        to,
      );
      this.run(
        `DELETE FROM friend_applications WHERE app_id = ? AND from_id = ? AND to_id = ?
           AND hidden_from = 1 AND hidden_to = 1`,
        app,
        from,
        to,
      );
    });
  }

  async markApplicationsRead(app: number, to: string): Promise<void> {
    this.run('UPDATE friend_applications SET read = 1 WHERE app_id = ? AND to_id = ?', app, to);
  }

  // friend groups

  async friendGroupsOf(app: number, userID: string): Promise<FriendGroupRecord[]> {
    const groups = this.all<{ name: string }>(
      'SELECT name FROM friend_groups WHERE app_id = ? AND user_id = ? ORDER BY created_at, name',
      app,
      userID,
    );
    const members = this.all<{ name: string; friend_id: string }>(
      `SELECT name, friend_id FROM friend_group_members WHERE app_id = ? AND user_id = ?
       ORDER BY friend_id`,
      app,
      userID,
    );
    return groups.map((g) => ({
      name: g.name,
      userIDList: members.filter((m) => m.name === g.name).map((m) => m.friend_id),
    }));
  }

  async createFriendGroup(
    app: number,
    userID: string,
    name: string,
    members: string[],
    now: number,
  ): Promise<void> {
    this.tx(() => {
      this.run(
        'INSERT INTO friend_groups (app_id, user_id, name, created_at) VALUES (?, ?, ?, ?)',
        app,
        userID,
        name,
        now,
      );
      for (const m of members) {
        this.run(
          `INSERT INTO friend_group_members (app_id, user_id, name, friend_id) VALUES (?, ?, ?, ?)
           ON CONFLICT DO NOTHING`,
          app,
          userID,
          name,
          m,
        );
      }
    });
  }

  async deleteFriendGroup(app: number, userID: string, name: string): Promise<void> {
    this.tx(() => {
      this.run(
        'DELETE FROM friend_group_members WHERE app_id = ? AND user_id = ? AND name = ?',
        app,
        userID,
        name,
      );
      this.run(
        'DELETE FROM friend_groups WHERE app_id = ? AND user_id = ? AND name = ?',
        app,
        userID,
        name,
      );
    });
  }

  async renameFriendGroup(
    app: number,
    userID: string,
    oldName: string,
    newName: string,
  ): Promise<void> {
    this.tx(() => {
      for (const table of ['friend_groups', 'friend_group_members']) {
        this.run(
          `UPDATE ${table} SET name = ? WHERE app_id = ? AND user_id = ? AND name = ?`,
          newName,
          app,
          userID,
          oldName,
        );
      }
    });
  }

  async setFriendGroupMembers(
    app: number,
    userID: string,
    name: string,
    friendIDs: string[],
    add: boolean,
  ): Promise<void> {
    this.tx(() => {
      for (const f of friendIDs) {
        this.run(
          add
            ? `INSERT INTO friend_group_members (app_id, user_id, name, friend_id)
               VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`
            : `DELETE FROM friend_group_members
               WHERE app_id = ? AND user_id = ? AND name = ? AND friend_id = ?`,
          app,
          userID,
          name,
          f,
        );
      }
    });
  }

  // blocklist

  async blacklistOf(app: number, userID: string): Promise<string[]> {
    return this.all<{ blocked_id: string }>(
      'SELECT blocked_id FROM blocklist WHERE app_id = ? AND user_id = ? ORDER BY time, blocked_id',
      app,
      userID,
    ).map((r) => r.blocked_id);
  }

  /**
   * Each user's blocklist, kept in memory once read: every 1:1 send asks whether its receiver
   * blocked the sender. block() and unblock(), the only writers of the table, drop the entry.
   */
  private readonly blocked = new Map<string, Set<string>>();

  async isBlocked(app: number, userID: string, otherID: string): Promise<boolean> {
    const key = `${app}\u0000${userID}`;
    let set = this.blocked.get(key);
    if (!set) {
      set = new Set(
        this.all<{ blocked_id: string }>(
          'SELECT blocked_id FROM blocklist WHERE app_id = ? AND user_id = ?',
          app,
          userID,
        ).map((r) => r.blocked_id),
      );
      if (this.blocked.size >= BLOCKLIST_CACHE_SIZE) {
        this.blocked.delete(this.blocked.keys().next().value as string);
      }
      this.blocked.set(key, set);
    }
    return set.has(otherID);
  }

  async block(app: number, userID: string, blockedIDs: string[], now: number): Promise<void> {
    this.blocked.delete(`${app}\u0000${userID}`);
    this.tx(() => {
      for (const b of blockedIDs) {
        this.run(
          `INSERT INTO blocklist (app_id, user_id, blocked_id, time) VALUES (?, ?, ?, ?)
           ON CONFLICT DO NOTHING`,
          app,
          userID,
          b,
          now,
        );
        this.deletePair(app, userID, b);
        this.deletePair(app, b, userID);
        this.run(
          `DELETE FROM friend_applications WHERE app_id = ?
             AND ((from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?))`,
          app,
          userID,
          b,
          b,
          userID,
        );
      }
    });
  }

  async unblock(app: number, userID: string, blockedIDs: string[]): Promise<void> {
    this.blocked.delete(`${app}\u0000${userID}`);
    this.run(
      `DELETE FROM blocklist WHERE app_id = ? AND user_id = ?
         AND blocked_id IN (SELECT value FROM json_each(?))`,
      app,
      userID,
      json(blockedIDs),
    );
  }

  // follows

  async follow(app: number, follower: string, followees: string[], now: number): Promise<void> {
    this.tx(() => {
      for (const f of followees) {
        this.run(
          `INSERT INTO follows (app_id, follower_id, followee_id, time) VALUES (?, ?, ?, ?)
           ON CONFLICT DO NOTHING`,
          app,
          follower,
          f,
          now,
        );
      }
    });
  }

  async unfollow(app: number, follower: string, followees: string[]): Promise<void> {
    this.run(
      `DELETE FROM follows WHERE app_id = ? AND follower_id = ?
         AND followee_id IN (SELECT value FROM json_each(?))`,
      app,
      follower,
      json(followees),
    );
  }

  async followingCount(app: number, userID: string): Promise<number> {
    return this.get<{ n: number }>(
      'SELECT count(*) AS n FROM follows WHERE app_id = ? AND follower_id = ?',
      app,
      userID,
    )!.n;
  }

  async followRelations(
    app: number,
    userID: string,
    others: string[],
  ): Promise<{ following: Set<string>; followers: Set<string> }> {
    const following = this.all<{ id: string }>(
      `SELECT followee_id AS id FROM follows WHERE app_id = ? AND follower_id = ?
         AND followee_id IN (SELECT value FROM json_each(?))`,
      app,
      userID,
      json(others),
    );
    const followers = this.all<{ id: string }>(
      `SELECT follower_id AS id FROM follows WHERE app_id = ? AND followee_id = ?
         AND follower_id IN (SELECT value FROM json_each(?))`,
      app,
      userID,
      json(others),
    );
    return {
      following: new Set(following.map((r) => r.id)),
      followers: new Set(followers.map((r) => r.id)),
    };
  }

  async followList(
    app: number,
    userID: string,
    list: 'followers' | 'following' | 'mutual',
    offset: number,
    limit: number,
  ): Promise<string[]> {
    const sql =
      list === 'followers'
        ? `SELECT follower_id AS id FROM follows WHERE app_id = ? AND followee_id = ?
           ORDER BY id DESC LIMIT ? OFFSET ?`
        : list === 'following'
          ? `SELECT followee_id AS id FROM follows WHERE app_id = ? AND follower_id = ?
             ORDER BY id DESC LIMIT ? OFFSET ?`
          : `SELECT f.followee_id AS id FROM follows f
             JOIN follows b ON b.app_id = f.app_id AND b.follower_id = f.followee_id
               AND b.followee_id = f.follower_id
             WHERE f.app_id = ? AND f.follower_id = ?
             ORDER BY f.id DESC LIMIT ? OFFSET ?`;
    return this.all<{ id: string }>(sql, app, userID, limit, offset).map((r) => r.id);
  }

  async followCounts(
    app: number,
    userID: string,
  ): Promise<{ followersCount: number; followingCount: number; mutualFollowersCount: number }> {
    const n = (sql: string) => this.get<{ n: number }>(sql, app, userID)!.n;
    return {
      followersCount: n('SELECT count(*) AS n FROM follows WHERE app_id = ? AND followee_id = ?'),
      followingCount: n('SELECT count(*) AS n FROM follows WHERE app_id = ? AND follower_id = ?'),
      mutualFollowersCount: n(
        `SELECT count(*) AS n FROM follows f JOIN follows b ON b.app_id = f.app_id
           AND b.follower_id = f.followee_id AND b.followee_id = f.follower_id
         WHERE f.app_id = ? AND f.follower_id = ?`,
      ),
    };
  }

  // status

  async getStatus(app: number, userIDs: string[]): Promise<Map<string, UserStatusRecord>> {
    const rows = this.all<{ user_id: string; custom_status: string; logged_out: number }>(
      `SELECT user_id, custom_status, logged_out FROM user_status WHERE app_id = ?
         AND user_id IN (SELECT value FROM json_each(?))`,
      app,
      json(userIDs),
    );
    return new Map(
      rows.map((r) => [
        r.user_id,
        { customStatus: r.custom_status, loggedOut: r.logged_out === 1 },
      ]),
    );
  }

  async setCustomStatus(app: number, userID: string, customStatus: string): Promise<void> {
    this.run(
      `INSERT INTO user_status (app_id, user_id, custom_status) VALUES (?, ?, ?)
       ON CONFLICT (app_id, user_id) DO UPDATE SET custom_status = excluded.custom_status`,
      app,
      userID,
      customStatus,
    );
  }

  async setSignedOff(app: number, userID: string, loggedOut: boolean): Promise<void> {
    this.run(
      `INSERT INTO user_status (app_id, user_id, custom_status, logged_out) VALUES (?, ?, '', ?)
       ON CONFLICT (app_id, user_id) DO UPDATE SET custom_status = '', logged_out = excluded.logged_out`,
      app,
      userID,
      loggedOut ? 1 : 0,
    );
  }

  async setSignedOn(app: number, userID: string): Promise<void> {
    this.run(
      `INSERT INTO user_status (app_id, user_id, logged_out) VALUES (?, ?, 0)
       ON CONFLICT (app_id, user_id) DO UPDATE SET logged_out = 0`,
      app,
      userID,
    );
  }

  async subscribe(app: number, userID: string, targets: string[], max: number): Promise<void> {
    this.tx(() => {
      for (const t of targets) {
        this.run(
          'DELETE FROM status_subscriptions WHERE app_id = ? AND user_id = ? AND target_id = ?',
          app,
          userID,
          t,
        );
        this.run(
          'INSERT INTO status_subscriptions (app_id, user_id, target_id) VALUES (?, ?, ?)',
          app,
          userID,
          t,
        );
      }
      this.run(
        `DELETE FROM status_subscriptions WHERE app_id = ? AND user_id = ? AND id NOT IN (
           SELECT id FROM status_subscriptions WHERE app_id = ? AND user_id = ?
           ORDER BY id DESC LIMIT ?)`,
        app,
        userID,
        app,
        userID,
        max,
      );
    });
  }

  async unsubscribe(app: number, userID: string, targets: string[]): Promise<void> {
    if (targets.length === 0) {
      this.run('DELETE FROM status_subscriptions WHERE app_id = ? AND user_id = ?', app, userID);
      return;
    }
    this.run(
      `DELETE FROM status_subscriptions WHERE app_id = ? AND user_id = ?
         AND target_id IN (SELECT value FROM json_each(?))`,
      app,
      userID,
      json(targets),
    );
  }

  async subscriptionsOf(app: number, userID: string): Promise<string[]> {
    return this.all<{ target_id: string }>(
      'SELECT target_id FROM status_subscriptions WHERE app_id = ? AND user_id = ? ORDER BY id',
      app,
      userID,
    ).map((r) => r.target_id);
  }

  async subscribersOf(app: number, targetID: string): Promise<string[]> {
    return this.all<{ user_id: string }>(
      'SELECT user_id FROM status_subscriptions WHERE app_id = ? AND target_id = ?',
      app,
      targetID,
    ).map((r) => r.user_id);
  }
}
