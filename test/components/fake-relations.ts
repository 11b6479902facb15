/**
 * The users-and-relationships part of FakeChatClient (fake-client.ts installs it): friends, friend
 * applications, friend groups, blocklist, user status and follows held in memory, with the same
 * events the engine broadcasts. Tests seed `fakeRelations(client)` and drive it with `emit()`.
 */
import type { ChatClient } from '../../src/core/client-types.js';
import { EVENT } from '../../src/protocol/constants.js';
import type {
  Friend,
  FriendApplication,
  FriendGroup,
  IMResponse,
  Profile,
  UserStatus,
} from '../../src/protocol/types.js';

export interface RelationState {
  friends: Friend[];
  applications: FriendApplication[];
  unreadCount: number;
  groups: FriendGroup[];
  blacklist: string[];
  statuses: Map<string, UserStatus>;
  subscribed: Set<string>;
  /** userIDs that exist (addFriend / addToBlacklist / getUserProfile of others fail otherwise). */
  known: Map<string, Profile>;
  /** allowType per known user (default NeedConfirm). */
  allowType: Map<string, string>;
}

const states = new WeakMap<object, RelationState>();

export function fakeRelations(client: object): RelationState {
  let s = states.get(client);
  if (!s) {
    s = {
      friends: [],
      applications: [],
      unreadCount: 0,
      groups: [],
      blacklist: [],
      statuses: new Map(),
      subscribed: new Set(),
      known: new Map(),
      allowType: new Map(),
    };
    states.set(client, s);
  }
  return s;
}

const ok = <T>(data: T): IMResponse<T> => ({ code: 0, data });

class FakeError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

interface Host {
  userID: string;
  calls: { method: string; args: unknown[] }[];
  emit(name: string, data?: unknown): void;
}

export function makeFriend(profile: Profile, partial: Partial<Friend> = {}): Friend {
  return {
    userID: profile.userID,
    remark: '',
    groupList: [],
    source: '',
    wording: '',
    profile,
    friendCustomField: [],
    ...partial,
  };
}

type RelationApi = Pick<
  ChatClient,
  | 'getUserStatus'
  | 'setSelfStatus'
  | 'subscribeUserStatus'
  | 'unsubscribeUserStatus'
  | 'getFriendList'
  | 'addFriend'
  | 'deleteFriend'
  | 'checkFriend'
  | 'getFriendProfile'
  | 'updateFriend'
  | 'getFriendApplicationList'
  | 'acceptFriendApplication'
  | 'refuseFriendApplication'
  | 'deleteFriendApplication'
  | 'setFriendApplicationRead'
  | 'getFriendGroupList'
  | 'createFriendGroup'
  | 'deleteFriendGroup'
  | 'addToFriendGroup'
  | 'removeFromFriendGroup'
  | 'renameFriendGroup'
  | 'getBlacklist'
  | 'addToBlacklist'
  | 'removeFromBlacklist'
  | 'followUser'
  | 'unfollowUser'
  | 'getMyFollowersList'
  | 'getMyFollowingList'
  | 'getMutualFollowersList'
  | 'getUserFollowInfo'
  | 'checkFollowType'
>;

export type FakeRelationsApi = RelationApi;

function s(h: Host): RelationState {
  return fakeRelations(h);
}
function rec(h: Host, method: string, ...args: unknown[]) {
  h.calls.push({ method, args });
}
function friendsChanged(h: Host) {
  h.emit(EVENT.FRIEND_LIST_UPDATED, [...s(h).friends]);
}
function appsChanged(h: Host) {
  h.emit(EVENT.FRIEND_APPLICATION_LIST_UPDATED, {
    friendApplicationList: [...s(h).applications],
    unreadCount: s(h).unreadCount,
  });
}
function groupsChanged(h: Host) {
  for (const f of s(h).friends) {
    f.groupList = s(h)
      .groups.filter((g) => g.userIDList.includes(f.userID))
      .map((g) => g.name);
  }
  h.emit(EVENT.FRIEND_GROUP_LIST_UPDATED, [...s(h).groups]);
  friendsChanged(h);
}
function profileOf(h: Host, userID: string): Profile {
  const p = s(h).known.get(userID);
  if (!p) throw new FakeError(30003, `user ${userID} does not exist`);
  return p;
}
function groupResult(h: Host, name: string) {
  const friendGroup = s(h).groups.find((g) => g.name === name)!;
  return ok({ friendGroup: { ...friendGroup }, failureUserIDList: [] });
}

const api: {
  [K in keyof RelationApi]: (this: Host, ...args: any[]) => ReturnType<RelationApi[K]>;
} = {
  async getUserStatus(options: { userIDList: string[] }) {
    rec(this, 'getUserStatus', options);
    const successUserList = options.userIDList.map(
      (id) => s(this).statuses.get(id) ?? { userID: id, statusType: 0 as const, customStatus: '' },
    );
    return ok({ successUserList, failureUserList: [] });
  },
  async setSelfStatus(options: { customStatus?: string }) {
    rec(this, 'setSelfStatus', options);
    const status: UserStatus = {
      userID: this.userID,
      statusType: 1,
      customStatus: options.customStatus ?? '',
    };
    s(this).statuses.set(this.userID, status);
    this.emit(EVENT.USER_STATUS_UPDATED, [status]);
    return ok(status);
  },
  async subscribeUserStatus(options: { userIDList: string[] }) {
    rec(this, 'subscribeUserStatus', options);
    for (const id of options.userIDList) s(this).subscribed.add(id);
    return ok({ failureUserList: [] });
  },
  async unsubscribeUserStatus(options?: { userIDList?: string[] }) {
    rec(this, 'unsubscribeUserStatus', options);
    const ids = options?.userIDList ?? [];
    if (ids.length === 0) s(this).subscribed.clear();
    for (const id of ids) s(this).subscribed.delete(id);
    return ok({ failureUserList: [] });
  },
  async getFriendList() {
    rec(this, 'getFriendList');
    return ok([...s(this).friends]);
  },
  async addFriend(options: { to: string; wording?: string; remark?: string }) {
    rec(this, 'addFriend', options);
    const profile = profileOf(this, options.to);
    const allow = s(this).allowType.get(options.to) ?? 'AllowType_Type_NeedConfirm';
    if (allow === 'AllowType_Type_DenyAny') throw new FakeError(30516, 'accepts no requests');
    if (allow === 'AllowType_Type_AllowAny') {
      s(this).friends.push(makeFriend(profile, { remark: options.remark ?? '' }));
      friendsChanged(this);
      return ok({ userID: options.to, code: 0, message: '' });
    }
    s(this).applications.push({
      userID: options.to,
      avatar: profile.avatar,
      nick: profile.nick,
      time: Math.floor(Date.now() / 1000),
      source: '',
      wording: options.wording ?? '',
      type: 'Pendency_Type_SendOut',
    });
    appsChanged(this);
    return ok({ userID: options.to, code: 30539, message: 'waiting for approval' });
  },
  async deleteFriend(options: { userIDList: string[] }) {
    rec(this, 'deleteFriend', options);
    s(this).friends = s(this).friends.filter((f) => !options.userIDList.includes(f.userID));
    friendsChanged(this);
    return ok({ successUserIDList: options.userIDList, failureUserIDList: [] });
  },
  async checkFriend(options: { userIDList: string[] }) {
    rec(this, 'checkFriend', options);
    const ids = new Set(s(this).friends.map((f) => f.userID));
    return ok({
      successUserIDList: options.userIDList.map((userID) => ({
        userID,
        code: 0,
        relation: ids.has(userID) ? 'CheckResult_Type_BothWay' : 'CheckResult_Type_NoRelation',
      })),
      failureUserIDList: [],
    });
  },
  async getFriendProfile(options: { userIDList: string[] }) {
    rec(this, 'getFriendProfile', options);
    return ok({
      friendList: s(this).friends.filter((f) => options.userIDList.includes(f.userID)),
      failureUserIDList: [],
    });
  },
  async updateFriend(options: { userID: string; remark?: string }) {
    rec(this, 'updateFriend', options);
    const f = s(this).friends.find((x) => x.userID === options.userID);
    if (!f) throw new FakeError(30001, 'not a friend');
    if (options.remark !== undefined) f.remark = options.remark;
    friendsChanged(this);
    return ok({ ...f });
  },
  async getFriendApplicationList() {
    rec(this, 'getFriendApplicationList');
    return ok({
      friendApplicationList: [...s(this).applications],
      unreadCount: s(this).unreadCount,
    });
  },
  async acceptFriendApplication(options: { userID: string }) {
    rec(this, 'acceptFriendApplication', options);
    const a = s(this).applications.find((x) => x.userID === options.userID);
    if (!a) throw new FakeError(30001, 'no such application');
    s(this).applications = s(this).applications.filter((x) => x !== a);
    s(this).friends.push(makeFriend(profileOf(this, options.userID)));
    appsChanged(this);
    friendsChanged(this);
    return ok({ userID: options.userID });
  },
  async refuseFriendApplication(options: { userID: string }) {
    rec(this, 'refuseFriendApplication', options);
    s(this).applications = s(this).applications.filter((x) => x.userID !== options.userID);
    appsChanged(this);
    return ok({ userID: options.userID });
  },
  async deleteFriendApplication(options: { userID: string; type: string }) {
    rec(this, 'deleteFriendApplication', options);
    s(this).applications = s(this).applications.filter(
      (x) => !(x.userID === options.userID && x.type === options.type),
    );
    appsChanged(this);
    return ok({ userID: options.userID });
  },
  async setFriendApplicationRead() {
    rec(this, 'setFriendApplicationRead');
    s(this).unreadCount = 0;
    appsChanged(this);
    return ok({} as Record<string, never>);
  },
  async getFriendGroupList() {
    rec(this, 'getFriendGroupList');
    return ok([...s(this).groups]);
  },
  async createFriendGroup(options: { name: string; userIDList?: string[] }) {
    rec(this, 'createFriendGroup', options);
    const ids = options.userIDList ?? [];
    s(this).groups.push({ name: options.name, userIDList: ids, count: ids.length });
    groupsChanged(this);
    return groupResult(this, options.name);
  },
  async deleteFriendGroup(options: { name: string }) {
    rec(this, 'deleteFriendGroup', options);
    s(this).groups = s(this).groups.filter((g) => g.name !== options.name);
    groupsChanged(this);
    return ok({ name: options.name });
  },
  async addToFriendGroup(options: { name: string; userIDList: string[] }) {
    rec(this, 'addToFriendGroup', options);
    const g = s(this).groups.find((x) => x.name === options.name)!;
    g.userIDList = [...new Set([...g.userIDList, ...options.userIDList])];
    g.count = g.userIDList.length;
    groupsChanged(this);
    return groupResult(this, options.name);
  },
  async removeFromFriendGroup(options: { name: string; userIDList: string[] }) {
    rec(this, 'removeFromFriendGroup', options);
    const g = s(this).groups.find((x) => x.name === options.name)!;
    g.userIDList = g.userIDList.filter((id) => !options.userIDList.includes(id));
    g.count = g.userIDList.length;
    groupsChanged(this);
    return groupResult(this, options.name);
  },
  async renameFriendGroup(options: { oldName: string; newName: string }) {
    rec(this, 'renameFriendGroup', options);
    const g = s(this).groups.find((x) => x.name === options.oldName)!;
    g.name = options.newName;
    groupsChanged(this);
    return groupResult(this, options.newName);
  },
  async getBlacklist() {
    rec(this, 'getBlacklist');
    return ok([...s(this).blacklist]);
  },
  async addToBlacklist(options: { userIDList: string[] }) {
    rec(this, 'addToBlacklist', options);
    s(this).blacklist = [...new Set([...s(this).blacklist, ...options.userIDList])];
    s(this).friends = s(this).friends.filter((f) => !options.userIDList.includes(f.userID));
    this.emit(EVENT.BLACKLIST_UPDATED, [...s(this).blacklist]);
    friendsChanged(this);
    return ok(options.userIDList);
  },
  async removeFromBlacklist(options: { userIDList: string[] }) {
    rec(this, 'removeFromBlacklist', options);
    s(this).blacklist = s(this).blacklist.filter((id) => !options.userIDList.includes(id));
    this.emit(EVENT.BLACKLIST_UPDATED, [...s(this).blacklist]);
    return ok(options.userIDList);
  },
  async followUser(userIDList: string[]) {
    rec(this, 'followUser', userIDList);
    return ok({ successUserIDList: userIDList, failureUserIDList: [] });
  },
  async unfollowUser(userIDList: string[]) {
    rec(this, 'unfollowUser', userIDList);
    return ok({ successUserIDList: userIDList, failureUserIDList: [] });
  },
  async getMyFollowersList() {
    rec(this, 'getMyFollowersList');
    return ok({ resultList: [], nextCursor: '' });
  },
  async getMyFollowingList() {
    rec(this, 'getMyFollowingList');
    return ok({ resultList: [], nextCursor: '' });
  },
  async getMutualFollowersList() {
    rec(this, 'getMutualFollowersList');
    return ok({ resultList: [], nextCursor: '' });
  },
  async getUserFollowInfo(userIDList?: string[]) {
    rec(this, 'getUserFollowInfo', userIDList);
    return ok(
      (userIDList?.length ? userIDList : [this.userID]).map((userID) => ({
        userID,
        followersCount: 0,
        followingCount: 0,
        mutualFollowersCount: 0,
      })),
    );
  },
  async checkFollowType(userIDList: string[]) {
    rec(this, 'checkFollowType', userIDList);
    return ok(userIDList.map((userID) => ({ userID, followType: 0 })));
  },
};

/** Adds the relation methods to the fake client's prototype. */
export function installFakeRelations(target: { prototype: object }): void {
  Object.assign(target.prototype, api);
}
