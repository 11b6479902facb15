/**
 * Users and relationships in the engine: the friend list, friend applications, friend groups and
 * blocklist kept in memory (refetched after every catch-up, kept current by pushes), and the
 * handlers of the public methods (status, friends, applications, friend groups, blocklist, follow).
 *
 * Events broadcast to every tab (Tencent's names):
 * - FRIEND_LIST_UPDATED: the whole friend list (Friend[]);
 * - FRIEND_APPLICATION_LIST_UPDATED: `{friendApplicationList, unreadCount}`;
 * - FRIEND_GROUP_LIST_UPDATED: the friend groups (FriendGroup[]);
 * - BLACKLIST_UPDATED: the blocked userIDs (string[]);
 * - USER_STATUS_UPDATED: `[{userID, statusType, customStatus}]` (Tencent's shape; the push carries
 *   it as `{userStatusList}`);
 * - MY_FOLLOWERS_LIST_UPDATED / MY_FOLLOWING_LIST_UPDATED / MUTUAL_FOLLOWERS_LIST_UPDATED:
 *   `{userIDList, isAdd}`.
 * After a change made through this engine the lists it touches are read again from the server (the
 * authority), so the answer, the cache and every tab agree even where the server does not push to
 * the socket that asked. The four lists are also kept in the IndexedDB cache (keys `rel:*`), so a
 * tab opened while the server is unreachable still gets the last known ones.
 */
import { EVENT } from '../protocol/constants.js';
import type { Friend, FriendApplicationList, FriendGroup, UserStatus } from '../protocol/types.js';
import type { PushFrame } from '../protocol/wire.js';
import { validate, type Handler } from './api-util.js';
import type { Engine } from './engine.js';
import { errorText } from './util.js';

interface UserState {
  friends: Friend[] | null;
  applications: FriendApplicationList | null;
  groups: FriendGroup[] | null;
  blacklist: string[] | null;
}

const states = new WeakMap<Engine, UserState>();

function state(e: Engine): UserState {
  let s = states.get(e);
  if (!s) states.set(e, (s = { friends: null, applications: null, groups: null, blacklist: null }));
  return s;
}

type List = 'friends' | 'applications' | 'groups' | 'blacklist';

const CACHE_KEY: Record<List, string> = {
  friends: 'rel:friends',
  applications: 'rel:applications',
  groups: 'rel:friendGroups',
  blacklist: 'rel:blacklist',
};

const isArray = (v: unknown): v is unknown => Array.isArray(v);
const isApplications = (v: unknown): v is unknown =>
  typeof v === 'object' &&
  v !== null &&
  Array.isArray((v as FriendApplicationList).friendApplicationList);

function remember(e: Engine, list: List, value: unknown): void {
  void e.data.cache?.set(CACHE_KEY[list], value);
}

/**
 * A list for a tab: from memory while it is current (this session caught up, or no connection),
 * else from the cache while disconnected, else from the server.
 */
async function current<K extends List>(e: Engine, list: K): Promise<UserState[K]> {
  const s = state(e);
  const fresh = e.conn.state !== 'connected' || e.syncedSession === e.session;
  if (s[list] && fresh) return s[list];
  if (!s[list] && e.conn.state !== 'connected') {
    const cached = await e.data.cache?.get(
      CACHE_KEY[list],
      list === 'applications' ? isApplications : isArray,
    );
    if (cached) {
      (s as Record<List, unknown>)[list] = cached;
      return cached as UserState[K];
    }
  }
  await FETCH[list](e);
  return state(e)[list];
}

async function fetchFriends(e: Engine): Promise<void> {
  const res = await e.conn.request<{ friendList: Friend[] }>('getFriendList', {});
  state(e).friends = res.friendList;
  remember(e, 'friends', res.friendList);
  e.broadcast(EVENT.FRIEND_LIST_UPDATED, res.friendList);
}
async function fetchApplications(e: Engine): Promise<void> {
  const res = await e.conn.request<FriendApplicationList>('getFriendApplicationList', {});
  state(e).applications = res;
  remember(e, 'applications', res);
  e.broadcast(EVENT.FRIEND_APPLICATION_LIST_UPDATED, res);
}
async function fetchGroups(e: Engine): Promise<void> {
  const res = await e.conn.request<{ friendGroupList: FriendGroup[] }>('getFriendGroupList', {});
  state(e).groups = res.friendGroupList;
  remember(e, 'groups', res.friendGroupList);
  e.broadcast(EVENT.FRIEND_GROUP_LIST_UPDATED, res.friendGroupList);
}
async function fetchBlacklist(e: Engine): Promise<void> {
  const res = await e.conn.request<string[]>('getBlacklist', {});
  state(e).blacklist = res;
  remember(e, 'blacklist', res);
  e.broadcast(EVENT.BLACKLIST_UPDATED, res);
}

const FETCH: Record<List, (e: Engine) => Promise<void>> = {
  friends: fetchFriends,
  applications: fetchApplications,
  groups: fetchGroups,
  blacklist: fetchBlacklist,
};

async function refresh(e: Engine, lists: List[]): Promise<void> {
  await Promise.all(lists.map((l) => FETCH[l](e)));
}

/** Catch-up (sync.ts): the server's lists replace the cached ones; every tab hears of them. */
export async function refetchUserLists(e: Engine): Promise<void> {
  try {
    await refresh(e, ['friends', 'applications', 'groups', 'blacklist']);
  } catch (err) {
    console.warn(`[imkit] refreshing the relationship lists failed: ${errorText(err)}`);
  }
}

/** A pass-through op, then the lists it changes read again. */
function mutating(op: Parameters<typeof validate>[0], lists: List[]): Handler {
  return async (e, _peer, p) => {
    const res = await e.conn.request<unknown>(op, validate(op, p));
    await refresh(e, lists);
    return res;
  };
}

function read(op: Parameters<typeof validate>[0]): Handler {
  return (e, _peer, p) => e.conn.request<unknown>(op, validate(op, p));
}

const FOLLOW_EVENTS = {
  followers: EVENT.MY_FOLLOWERS_LIST_UPDATED,
  following: EVENT.MY_FOLLOWING_LIST_UPDATED,
  mutual: EVENT.MUTUAL_FOLLOWERS_LIST_UPDATED,
} as const;

export const userHandlers: Record<string, Handler> = {
  getUserStatus: read('getUserStatus'),
  async setSelfStatus(e, _peer, p) {
    const res = await e.conn.request<UserStatus>('setSelfStatus', validate('setSelfStatus', p));
    e.broadcast(EVENT.USER_STATUS_UPDATED, [res]);
    return res;
  },
  subscribeUserStatus: read('subscribeUserStatus'),
  unsubscribeUserStatus: read('unsubscribeUserStatus'),

  getFriendList: (e) => current(e, 'friends'),
  addFriend: mutating('addFriend', ['friends', 'applications', 'groups']),
  deleteFriend: mutating('deleteFriend', ['friends', 'groups']),
  checkFriend: read('checkFriend'),
  getFriendProfile: read('getFriendProfile'),
  updateFriend: mutating('updateFriend', ['friends']),

  getFriendApplicationList: (e) => current(e, 'applications'),
  acceptFriendApplication: mutating('acceptFriendApplication', ['friends', 'applications']),
  refuseFriendApplication: mutating('refuseFriendApplication', ['applications']),
  deleteFriendApplication: mutating('deleteFriendApplication', ['applications']),
  setFriendApplicationRead: mutating('setFriendApplicationRead', ['applications']),

  getFriendGroupList: (e) => current(e, 'groups'),
  createFriendGroup: mutating('createFriendGroup', ['groups', 'friends']),
  deleteFriendGroup: mutating('deleteFriendGroup', ['groups', 'friends']),
  addToFriendGroup: mutating('addToFriendGroup', ['groups', 'friends']),
  removeFromFriendGroup: mutating('removeFromFriendGroup', ['groups', 'friends']),
  renameFriendGroup: mutating('renameFriendGroup', ['groups', 'friends']),

  getBlacklist: (e) => current(e, 'blacklist'),
  addToBlacklist: mutating('addToBlacklist', ['blacklist', 'friends', 'groups', 'applications']),
  removeFromBlacklist: mutating('removeFromBlacklist', ['blacklist']),

  async followUser(e, _peer, p) {
    const res = await e.conn.request<{ successUserIDList: string[] }>(
      'followUser',
      validate('followUser', p),
    );
    if (res.successUserIDList.length > 0) {
      e.broadcast(EVENT.MY_FOLLOWING_LIST_UPDATED, {
        userIDList: res.successUserIDList,
        isAdd: true,
      });
    }
    return res;
  },
  async unfollowUser(e, _peer, p) {
    const res = await e.conn.request<{ successUserIDList: string[] }>(
      'unfollowUser',
      validate('unfollowUser', p),
    );
    if (res.successUserIDList.length > 0) {
      e.broadcast(EVENT.MY_FOLLOWING_LIST_UPDATED, {
        userIDList: res.successUserIDList,
        isAdd: false,
      });
    }
    return res;
  },
  getMyFollowersList: read('getMyFollowersList'),
  getMyFollowingList: read('getMyFollowingList'),
  getMutualFollowersList: read('getMutualFollowersList'),
  getUserFollowInfo: read('getUserFollowInfo'),
  checkFollowType: read('checkFollowType'),
};

/** Applies a push of users and relationships; false for any other push. */
export function applyUserPush(e: Engine, frame: PushFrame): boolean {
  const s = state(e);
  switch (frame.push) {
    case 'userStatusUpdated':
      e.broadcast(EVENT.USER_STATUS_UPDATED, frame.data.userStatusList);
      return true;
    case 'friendListUpdated': {
      const { added, deleted } = frame.data;
      const gone = new Set([...deleted, ...added.map((f) => f.userID)]);
      const next = [...(s.friends ?? []).filter((f) => !gone.has(f.userID)), ...added];
      s.friends = next;
      remember(e, 'friends', next);
      e.broadcast(EVENT.FRIEND_LIST_UPDATED, next);
      return true;
    }
    case 'friendApplicationListUpdated':
      s.applications = frame.data;
      remember(e, 'applications', frame.data);
      e.broadcast(EVENT.FRIEND_APPLICATION_LIST_UPDATED, frame.data);
      return true;
    case 'friendGroupListUpdated':
      s.groups = frame.data.friendGroupList;
      remember(e, 'groups', frame.data.friendGroupList);
      e.broadcast(EVENT.FRIEND_GROUP_LIST_UPDATED, frame.data.friendGroupList);
      // Friends carry the names of their groups.
      void fetchFriends(e).catch(() => undefined);
      return true;
    case 'blacklistUpdated':
      s.blacklist = frame.data.blacklist;
      remember(e, 'blacklist', frame.data.blacklist);
      e.broadcast(EVENT.BLACKLIST_UPDATED, frame.data.blacklist);
      return true;
    case 'followListUpdated':
      for (const change of frame.data) {
        e.broadcast(FOLLOW_EVENTS[change.list], {
          userIDList: change.userIDList,
          isAdd: change.isAdd,
        });
      }
      return true;
    default:
      return false;
  }
}
