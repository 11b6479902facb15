/**
 * PostgreSQL side of the relationship chain and user status (RelationStorage in types.ts), the
 * port of sqlite-relations.ts over the same tables (pg-schema.ts): same rows, same orders, same
 * return shapes.
 *
 * Text is ordered with COLLATE "C" (byte order, SQLite's BINARY) whatever the database's collation.
 * Lists of IDs are passed as text[] and written in one statement each; where SQLite orders by an
 * autoincrement id, the rows are inserted in the order of the list so the identity column gives
 * the same order.
 *
 * Several nodes write at once and READ COMMITTED does not serialize writers the way SQLite's
 * IMMEDIATE transactions do, so the writes that read before they write take a per-user advisory
 * lock: status subscriptions (re-subscribing moves a target to the newest, the oldest past `max`
 * are evicted) and friend groups (a member is only added to a group that exists, so a concurrent
 * delete or rename cannot leave members without their group).
 */
import type { PgDb, Sql } from './pg-db.js';
import { toApplication, toFriend, type ApplicationRow, type FriendRow } from './rows.js';
import type {
  FriendApplicationRecord,
  FriendGroupRecord,
  FriendRecord,
  NewFriend,
  RelationStorage,
  UserStatusRecord,
} from './types.js';

/**
 * Holds a transaction-scoped advisory lock on `key` until commit: transactions of several nodes
 * that take the same key run one after the other.
 */
async function lock(sql: Sql, key: string): Promise<void> {
  await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
}

const groupsKey = (app: number, userID: string) => `friend_groups:${app}:${userID}`;
const subscriptionsKey = (app: number, userID: string) => `status_subscriptions:${app}:${userID}`;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * RFC 7396 merge patch, as SQLite's json_patch: a null removes the key, an object merges into an
 * object, anything else replaces. Keys keep their place, new keys come last (as json_patch writes
 * them, where jsonb would reorder them).
 */
function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else {
      // defineProperty: a key "__proto__" stays a plain key, as in JSON.
      Object.defineProperty(out, key, {
        value: mergePatch(out[key] ?? null, value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return out;
}

export class PgRelations implements RelationStorage {
  constructor(private readonly db: PgDb) {}

  // friends

  async friendsOf(app: number, userID: string, friendIDs?: string[]): Promise<FriendRecord[]> {
    if (friendIDs) {
      return (
        await this.db.query<FriendRow>(
          `SELECT * FROM friends WHERE app_id = $1 AND user_id = $2 AND friend_id = ANY($3::text[])
           ORDER BY added_at, friend_id COLLATE "C"`,
          [app, userID, friendIDs],
        )
      ).map(toFriend);
    }
    return (
      await this.db.query<FriendRow>(
        `SELECT * FROM friends WHERE app_id = $1 AND user_id = $2
         ORDER BY added_at, friend_id COLLATE "C"`,
        [app, userID],
      )
    ).map(toFriend);
  }

  async friendedBy(app: number, userID: string): Promise<string[]> {
    // SQLite reads them from friends_by_friend, whose entries end with the key's user_id: by
    // user ID.
    return (
      await this.db.query<{ user_id: string }>(
        `SELECT user_id FROM friends WHERE app_id = $1 AND friend_id = $2
         ORDER BY user_id COLLATE "C"`,
        [app, userID],
      )
    ).map((r) => r.user_id);
  }

  async friendCount(app: number, userID: string): Promise<number> {
    return (await this.db.one<{ n: number }>(
      'SELECT count(*) AS n FROM friends WHERE app_id = $1 AND user_id = $2',
      [app, userID],
    ))!.n;
  }

  async addFriends(app: number, friends: NewFriend[], now: number): Promise<void> {
    if (friends.length === 0) return;
    const users = friends.map((f) => f.userID);
    const others = friends.map((f) => f.friendID);
    const grouped = friends.filter((f) => f.groupName);
    await this.db.tx(async (sql) => {
      // Sorted, so that two transactions never wait for each other's second lock.
      for (const u of [...new Set(grouped.map((f) => f.userID))].sort()) {
        await lock(sql, groupsKey(app, u));
      }
      // The first of two rows for the same direction wins, as in the one-by-one SQLite inserts.
      await sql.run(
        `INSERT INTO friends (app_id, user_id, friend_id, remark, source, wording, added_at)
         SELECT $1, u, f, r, s, w, $7
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
             WITH ORDINALITY AS t(u, f, r, s, w, n)
         ORDER BY n
         ON CONFLICT DO NOTHING`,
        [
          app,
          users,
          others,
          friends.map((f) => f.remark),
          friends.map((f) => f.source),
          friends.map((f) => f.wording),
          now,
        ],
      );
      await sql.run(
        `DELETE FROM friend_applications a USING unnest($2::text[], $3::text[]) AS t(u, f)
         WHERE a.app_id = $1
           AND ((a.from_id = t.u AND a.to_id = t.f) OR (a.from_id = t.f AND a.to_id = t.u))`,
        [app, users, others],
      );
      if (grouped.length > 0) {
        const groupUsers = grouped.map((f) => f.userID);
        const names = grouped.map((f) => f.groupName);
        await sql.run(
          `INSERT INTO friend_groups (app_id, user_id, name, created_at)
           SELECT $1, u, g, $4 FROM unnest($2::text[], $3::text[]) AS t(u, g)
           ON CONFLICT DO NOTHING`,
          [app, groupUsers, names, now],
        );
        await sql.run(
          `INSERT INTO friend_group_members (app_id, user_id, name, friend_id)
           SELECT $1, u, g, f FROM unnest($2::text[], $3::text[], $4::text[]) AS t(u, g, f)
           ON CONFLICT DO NOTHING`,
          [app, groupUsers, names, grouped.map((f) => f.friendID)],
        );
      }
    });
  }

  async deleteFriends(app: number, pairs: { userID: string; friendID: string }[]): Promise<void> {
    if (pairs.length === 0) return;
    const users = pairs.map((p) => p.userID);
    const others = pairs.map((p) => p.friendID);
    await this.db.tx(async (sql) => {
      for (const table of ['friends', 'friend_group_members']) {
        await sql.run(
          `DELETE FROM ${table} x USING unnest($2::text[], $3::text[]) AS t(u, f)
           WHERE x.app_id = $1 AND x.user_id = t.u AND x.friend_id = t.f`,
          [app, users, others],
        );
      }
    });
  }

  async updateFriend(
    app: number,
    userID: string,
    friendID: string,
    remark: string | undefined,
    custom: Record<string, string | number> | undefined,
  ): Promise<void> {
    const where = 'app_id = $1 AND user_id = $2 AND friend_id = $3';
    if (!custom || Object.keys(custom).length === 0) {
      if (remark === undefined) return;
      await this.db.run(`UPDATE friends SET remark = $4 WHERE ${where}`, [
        app,
        userID,
        friendID,
        remark,
      ]);
      return;
    }
    // The merge runs here on the locked row: jsonb's || would reorder the keys, and their order is
    // the order of friendCustomField.
    await this.db.tx(async (sql) => {
      const row = await sql.one<{ custom: string }>(
        `SELECT custom FROM friends WHERE ${where} FOR UPDATE`,
        [app, userID, friendID],
      );
      if (!row) return;
      const merged = JSON.stringify(mergePatch(JSON.parse(row.custom) as Json, custom));
      await sql.run(
        `UPDATE friends SET remark = coalesce($4::text, remark), custom = $5 WHERE ${where}`,
        [app, userID, friendID, remark ?? null, merged],
      );
    });
  }

  // applications

  async applicationsOf(app: number, userID: string): Promise<FriendApplicationRecord[]> {
    return (
      await this.db.query<ApplicationRow>(
        `SELECT * FROM friend_applications WHERE app_id = $1
           AND ((to_id = $2 AND hidden_to = 0) OR (from_id = $2 AND hidden_from = 0))
         ORDER BY time DESC, from_id COLLATE "C", to_id COLLATE "C"`,
        [app, userID],
      )
    ).map(toApplication);
  }

  async getApplication(
    app: number,
    from: string,
    to: string,
  ): Promise<FriendApplicationRecord | null> {
    const row = await this.db.one<ApplicationRow>(
      'SELECT * FROM friend_applications WHERE app_id = $1 AND from_id = $2 AND to_id = $3',
      [app, from, to],
    );
    return row ? toApplication(row) : null;
  }

  async saveApplication(
    app: number,
    a: Omit<FriendApplicationRecord, 'read' | 'hiddenFrom' | 'hiddenTo'>,
  ): Promise<void> {
    await this.db.run(
      `INSERT INTO friend_applications
         (app_id, from_id, to_id, source, wording, remark, group_name, add_type, time)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (app_id, from_id, to_id) DO UPDATE SET source = excluded.source,
         wording = excluded.wording, remark = excluded.remark, group_name = excluded.group_name,
         add_type = excluded.add_type, time = excluded.time, read = 0, hidden_from = 0, hidden_to = 0`,
      [app, a.from, a.to, a.source, a.wording, a.remark, a.groupName, a.addType, a.time],
    );
  }

  async deleteApplication(app: number, from: string, to: string): Promise<void> {
    await this.db.run(
      'DELETE FROM friend_applications WHERE app_id = $1 AND from_id = $2 AND to_id = $3',
      [app, from, to],
    );
  }

  async hideApplication(app: number, from: string, to: string, side: 'from' | 'to'): Promise<void> {
    // The UPDATE locks the row: when both sides hide it at once, the second waits for the first's
    // commit, then its DELETE sees both flags set and removes the row.
    const column = side === 'from' ? 'hidden_from' : 'hidden_to';
    const other = side === 'from' ? 'hidden_to' : 'hidden_from';
    await this.db.tx(async (sql) => {
      const key = [app, from, to];
      const where = 'app_id = $1 AND from_id = $2 AND to_id = $3';
      await sql.run(`UPDATE friend_applications SET ${column} = 1 WHERE ${where}`, key);
      await sql.run(
        `DELETE FROM friend_applications WHERE ${where} AND ${column} = 1 AND ${other} = 1`,
        key,
      );
    });
  }

  async markApplicationsRead(app: number, to: string): Promise<void> {
    await this.db.run('UPDATE friend_applications SET read = 1 WHERE app_id = $1 AND to_id = $2', [
      app,
      to,
    ]);
  }

  // friend groups

  async friendGroupsOf(app: number, userID: string): Promise<FriendGroupRecord[]> {
    // One statement, so groups and members come from the same snapshot.
    const rows = await this.db.query<{ name: string; members: string[] }>(
      `SELECT g.name, ARRAY(
           SELECT m.friend_id FROM friend_group_members m
           WHERE m.app_id = g.app_id AND m.user_id = g.user_id AND m.name = g.name
           ORDER BY m.friend_id COLLATE "C") AS members
       FROM friend_groups g WHERE g.app_id = $1 AND g.user_id = $2
       ORDER BY g.created_at, g.name COLLATE "C"`,
      [app, userID],
    );
    return rows.map((r) => ({ name: r.name, userIDList: r.members }));
  }

  async createFriendGroup(
    app: number,
    userID: string,
    name: string,
    members: string[],
    now: number,
  ): Promise<void> {
    await this.db.tx(async (sql) => {
      await lock(sql, groupsKey(app, userID));
      // No ON CONFLICT: an existing group is an error, as in SQLite.
      await sql.run(
        'INSERT INTO friend_groups (app_id, user_id, name, created_at) VALUES ($1, $2, $3, $4)',
        [app, userID, name, now],
      );
      await sql.run(
        `INSERT INTO friend_group_members (app_id, user_id, name, friend_id)
         SELECT $1, $2, $3, f FROM unnest($4::text[]) AS f
         ON CONFLICT DO NOTHING`,
        [app, userID, name, members],
      );
    });
  }

  async deleteFriendGroup(app: number, userID: string, name: string): Promise<void> {
    await this.db.tx(async (sql) => {
      await lock(sql, groupsKey(app, userID));
      for (const table of ['friend_group_members', 'friend_groups']) {
        await sql.run(`DELETE FROM ${table} WHERE app_id = $1 AND user_id = $2 AND name = $3`, [
          app,
          userID,
          name,
        ]);
      }
    });
  }

  async renameFriendGroup(
    app: number,
    userID: string,
    oldName: string,
    newName: string,
  ): Promise<void> {
    await this.db.tx(async (sql) => {
      await lock(sql, groupsKey(app, userID));
      for (const table of ['friend_groups', 'friend_group_members']) {
        await sql.run(
          `UPDATE ${table} SET name = $4 WHERE app_id = $1 AND user_id = $2 AND name = $3`,
          [app, userID, oldName, newName],
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
    if (friendIDs.length === 0) return;
    await this.db.tx(async (sql) => {
      await lock(sql, groupsKey(app, userID));
      // Added only while the group exists: after the lock, a group deleted or renamed by another
      // node is seen as gone, and no member is left behind without it.
      await sql.run(
        add
          ? `INSERT INTO friend_group_members (app_id, user_id, name, friend_id)
             SELECT g.app_id, g.user_id, g.name, f FROM friend_groups g, unnest($4::text[]) AS f
             WHERE g.app_id = $1 AND g.user_id = $2 AND g.name = $3
             ON CONFLICT DO NOTHING`
          : `DELETE FROM friend_group_members
             WHERE app_id = $1 AND user_id = $2 AND name = $3 AND friend_id = ANY($4::text[])`,
        [app, userID, name, friendIDs],
      );
    });
  }

  // blocklist

  async blacklistOf(app: number, userID: string): Promise<string[]> {
    return (
      await this.db.query<{ blocked_id: string }>(
        `SELECT blocked_id FROM blocklist WHERE app_id = $1 AND user_id = $2
         ORDER BY time, blocked_id COLLATE "C"`,
        [app, userID],
      )
    ).map((r) => r.blocked_id);
  }

  async isBlocked(app: number, userID: string, otherID: string): Promise<boolean> {
    return (
      (await this.db.one(
        'SELECT 1 FROM blocklist WHERE app_id = $1 AND user_id = $2 AND blocked_id = $3',
        [app, userID, otherID],
      )) !== undefined
    );
  }

  async block(app: number, userID: string, blockedIDs: string[], now: number): Promise<void> {
    if (blockedIDs.length === 0) return;
    const params = [app, userID, blockedIDs];
    await this.db.tx(async (sql) => {
      await sql.run(
        `INSERT INTO blocklist (app_id, user_id, blocked_id, time)
         SELECT $1, $2, b, $4 FROM unnest($3::text[]) AS b
         ON CONFLICT DO NOTHING`,
        [...params, now],
      );
      // Both directions of the friendship, with their friend-group memberships.
      for (const table of ['friends', 'friend_group_members']) {
        await sql.run(
          `DELETE FROM ${table} WHERE app_id = $1
             AND ((user_id = $2 AND friend_id = ANY($3::text[]))
               OR (friend_id = $2 AND user_id = ANY($3::text[])))`,
          params,
        );
      }
      await sql.run(
        `DELETE FROM friend_applications WHERE app_id = $1
           AND ((from_id = $2 AND to_id = ANY($3::text[]))
             OR (to_id = $2 AND from_id = ANY($3::text[])))`,
        params,
      );
    });
  }

  async unblock(app: number, userID: string, blockedIDs: string[]): Promise<void> {
    await this.db.run(
      'DELETE FROM blocklist WHERE app_id = $1 AND user_id = $2 AND blocked_id = ANY($3::text[])',
      [app, userID, blockedIDs],
    );
  }

  // follows

  async follow(app: number, follower: string, followees: string[], now: number): Promise<void> {
    // In the order of the list, so ids (the mutual list's order) follow it as in SQLite.
    await this.db.run(
      `INSERT INTO follows (app_id, follower_id, followee_id, time)
       SELECT $1, $2, f, $4 FROM unnest($3::text[]) WITH ORDINALITY AS t(f, n)
       ORDER BY n
       ON CONFLICT DO NOTHING`,
      [app, follower, followees, now],
    );
  }

  async unfollow(app: number, follower: string, followees: string[]): Promise<void> {
    await this.db.run(
      `DELETE FROM follows WHERE app_id = $1 AND follower_id = $2
         AND followee_id = ANY($3::text[])`,
      [app, follower, followees],
    );
  }

  async followingCount(app: number, userID: string): Promise<number> {
    return (await this.db.one<{ n: number }>(
      'SELECT count(*) AS n FROM follows WHERE app_id = $1 AND follower_id = $2',
      [app, userID],
    ))!.n;
  }

  async followRelations(
    app: number,
    userID: string,
    others: string[],
  ): Promise<{ following: Set<string>; followers: Set<string> }> {
    const rows = await this.db.query<{ following: number; id: string }>(
      `SELECT 1 AS following, followee_id AS id FROM follows
         WHERE app_id = $1 AND follower_id = $2 AND followee_id = ANY($3::text[])
       UNION ALL
       SELECT 0, follower_id FROM follows
         WHERE app_id = $1 AND followee_id = $2 AND follower_id = ANY($3::text[])`,
      [app, userID, others],
    );
    return {
      following: new Set(rows.filter((r) => r.following === 1).map((r) => r.id)),
      followers: new Set(rows.filter((r) => r.following === 0).map((r) => r.id)),
    };
  }

  async followList(
    app: number,
    userID: string,
    list: 'followers' | 'following' | 'mutual',
    offset: number,
    limit: number,
  ): Promise<string[]> {
    // The SQLite statements order followers and following by `id`, which SQLite (like
    // PostgreSQL) resolves to the output column: the user ID, descending. Mutual orders by
    // `f.id`, the row's id. Spelled out here to keep both orders.
    const sql =
      list === 'followers'
        ? `SELECT follower_id AS id FROM follows WHERE app_id = $1 AND followee_id = $2
           ORDER BY follower_id COLLATE "C" DESC LIMIT $3 OFFSET $4`
        : list === 'following'
          ? `SELECT followee_id AS id FROM follows WHERE app_id = $1 AND follower_id = $2
             ORDER BY followee_id COLLATE "C" DESC LIMIT $3 OFFSET $4`
          : `SELECT f.followee_id AS id FROM follows f
             JOIN follows b ON b.app_id = f.app_id AND b.follower_id = f.followee_id
               AND b.followee_id = f.follower_id
             WHERE f.app_id = $1 AND f.follower_id = $2
             ORDER BY f.id DESC LIMIT $3 OFFSET $4`;
    return (await this.db.query<{ id: string }>(sql, [app, userID, limit, offset])).map(
      (r) => r.id,
    );
  }

  async followCounts(
    app: number,
    userID: string,
  ): Promise<{ followersCount: number; followingCount: number; mutualFollowersCount: number }> {
    // One statement: the three counts of one snapshot.
    return (await this.db.one<{
      followersCount: number;
      followingCount: number;
      mutualFollowersCount: number;
    }>(
      `SELECT
         (SELECT count(*) FROM follows WHERE app_id = $1 AND followee_id = $2) AS "followersCount",
         (SELECT count(*) FROM follows WHERE app_id = $1 AND follower_id = $2) AS "followingCount",
         (SELECT count(*) FROM follows f JOIN follows b ON b.app_id = f.app_id
            AND b.follower_id = f.followee_id AND b.followee_id = f.follower_id
          WHERE f.app_id = $1 AND f.follower_id = $2) AS "mutualFollowersCount"`,
      [app, userID],
    ))!;
  }

  // status

  async getStatus(app: number, userIDs: string[]): Promise<Map<string, UserStatusRecord>> {
    const rows = await this.db.query<{
      user_id: string;
      custom_status: string;
      logged_out: number;
    }>(
      `SELECT user_id, custom_status, logged_out FROM user_status
       WHERE app_id = $1 AND user_id = ANY($2::text[])
       ORDER BY user_id COLLATE "C"`,
      [app, userIDs],
    );
    return new Map(
      rows.map((r) => [
        r.user_id,
        { customStatus: r.custom_status, loggedOut: r.logged_out === 1 },
      ]),
    );
  }

  async setCustomStatus(app: number, userID: string, customStatus: string): Promise<void> {
    await this.db.run(
      `INSERT INTO user_status (app_id, user_id, custom_status) VALUES ($1, $2, $3)
       ON CONFLICT (app_id, user_id) DO UPDATE SET custom_status = excluded.custom_status`,
      [app, userID, customStatus],
    );
  }

  async setSignedOff(app: number, userID: string, loggedOut: boolean): Promise<void> {
    await this.db.run(
      `INSERT INTO user_status (app_id, user_id, custom_status, logged_out) VALUES ($1, $2, '', $3)
       ON CONFLICT (app_id, user_id) DO UPDATE SET custom_status = '', logged_out = excluded.logged_out`,
      [app, userID, loggedOut ? 1 : 0],
    );
  }

  async setSignedOn(app: number, userID: string): Promise<void> {
    await this.db.run(
      `INSERT INTO user_status (app_id, user_id, logged_out) VALUES ($1, $2, 0)
       ON CONFLICT (app_id, user_id) DO UPDATE SET logged_out = 0`,
      [app, userID],
    );
  }

  async subscribe(app: number, userID: string, targets: string[], max: number): Promise<void> {
    // SQLite deletes and re-inserts target by target, so a target listed twice ends up at its
    // last place: the list without earlier repeats, inserted in order, gives the same ids' order.
    const ordered = [...new Set([...targets].reverse())].reverse();
    await this.db.tx(async (sql) => {
      // Under the lock, the user's subscriptions seen by the eviction are all there are.
      await lock(sql, subscriptionsKey(app, userID));
      if (ordered.length > 0) {
        await sql.run(
          `DELETE FROM status_subscriptions
           WHERE app_id = $1 AND user_id = $2 AND target_id = ANY($3::text[])`,
          [app, userID, ordered],
        );
        await sql.run(
          `INSERT INTO status_subscriptions (app_id, user_id, target_id)
           SELECT $1, $2, t FROM unnest($3::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n`,
          [app, userID, ordered],
        );
      }
      await sql.run(
        `DELETE FROM status_subscriptions WHERE app_id = $1 AND user_id = $2 AND id NOT IN (
           SELECT id FROM status_subscriptions WHERE app_id = $1 AND user_id = $2
           ORDER BY id DESC LIMIT $3)`,
        [app, userID, max],
      );
    });
  }

  async unsubscribe(app: number, userID: string, targets: string[]): Promise<void> {
    if (targets.length === 0) {
      await this.db.run('DELETE FROM status_subscriptions WHERE app_id = $1 AND user_id = $2', [
        app,
        userID,
      ]);
      return;
    }
    await this.db.run(
      `DELETE FROM status_subscriptions WHERE app_id = $1 AND user_id = $2
         AND target_id = ANY($3::text[])`,
      [app, userID, targets],
    );
  }

  async subscriptionsOf(app: number, userID: string): Promise<string[]> {
    return (
      await this.db.query<{ target_id: string }>(
        `SELECT target_id FROM status_subscriptions WHERE app_id = $1 AND user_id = $2
         ORDER BY id`,
        [app, userID],
      )
    ).map((r) => r.target_id);
  }

  async subscribersOf(app: number, targetID: string): Promise<string[]> {
    // SQLite reads them from the covering unique index (app_id, user_id, target_id): by user ID.
    return (
      await this.db.query<{ user_id: string }>(
        `SELECT user_id FROM status_subscriptions WHERE app_id = $1 AND target_id = $2
         ORDER BY user_id COLLATE "C"`,
        [app, targetID],
      )
    ).map((r) => r.user_id);
  }
}
