/**
 * The relationship chain: friends, friend applications, friend groups and the blocklist.
 *
 * Rules (Tencent's):
 * - addFriend follows the target's allowType: AllowAny adds at once (Add_Type_Both: both lists,
 *   Add_Type_Single: the caller's only) and answers `code: 0`; NeedConfirm stores an application
 *   seen by both sides and answers `code: 30539`; DenyAny is 30516. Adding oneself or someone
 *   already in one's list is 30001, an unknown user 30003, someone one blocked 30515, someone who
 *   blocked the caller 30525, past LIMITS.friends 30010.
 * - acceptFriendApplication: Response_Action_Agree makes the applicant's list hold the caller
 *   (one-way), Response_Action_AgreeAndAdd both lists; no pending application is 30001.
 * - Blocking ends the friendship both ways and any application between the two; a blocked user's
 *   messages are dropped silently (messages.ts) and their friend requests are refused (30525).
 * - Friend groups hold friends only (others land in failureUserIDList, 30001).
 *
 * Every change is pushed to the caller's other sockets and to the other side where its lists
 * changed: friendListUpdated, friendApplicationListUpdated, friendGroupListUpdated,
 * blacklistUpdated.
 */
import { ErrorCode } from '../../protocol/codes.js';
import { LIMITS, TYPES } from '../../protocol/constants.js';
import type {
  Friend,
  FriendApplication,
  FriendApplicationList,
  FriendGroup,
  RelationFailure,
} from '../../protocol/types.js';
import type { OpData } from '../../protocol/wire.js';
import { byteLength, ImError, invalid } from '../errors.js';
import type { FriendRecord, RelationStorage } from '../storage/types.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import { profileView } from './views.js';

const FRIEND_CUSTOM_KEY = /^Tag_SNS_Custom_[A-Za-z0-9_]{1,8}$/;
const SOURCE = /^AddSource_Type_[A-Za-z]{1,8}$/;

function maxBytes(field: string, value: string, max: number): void {
  if (byteLength(value) > max) throw invalid(`${field} is longer than ${max} bytes`);
}

function relationError(message: string): ImError {
  return new ImError(ErrorCode.RELATION_INVALID, message);
}

function failure(userID: string, code: number, message: string): RelationFailure {
  return { userID, code, message };
}

export class RelationService {
  constructor(private readonly deps: ServiceDeps) {}

  private get rel(): RelationStorage {
    return this.deps.storage.relations;
  }

  // views and pushes

  async friendViews(app: number, userID: string, records: FriendRecord[]): Promise<Friend[]> {
    if (records.length === 0) return [];
    const users = new Map(
      (
        await this.deps.storage.getUsers(
          app,
          records.map((r) => r.friendID),
        )
      ).map((u) => [u.userID, u]),
    );
    const groups = await this.rel.friendGroupsOf(app, userID);
    return records.flatMap((r) => {
      const user = users.get(r.friendID);
      if (!user) return [];
      return [
        {
          userID: r.friendID,
          remark: r.remark,
          groupList: groups.filter((g) => g.userIDList.includes(r.friendID)).map((g) => g.name),
          source: r.source,
          wording: r.wording,
          profile: profileView(user),
          friendCustomField: Object.entries(r.custom).map(([key, value]) => ({ key, value })),
        },
      ];
    });
  }

  private async applicationList(app: number, userID: string): Promise<FriendApplicationList> {
    const records = await this.rel.applicationsOf(app, userID);
    const others = records.map((a) => (a.to === userID ? a.from : a.to));
    const users = new Map(
      (await this.deps.storage.getUsers(app, others)).map((u) => [u.userID, u]),
    );
    const list: FriendApplication[] = records.map((a) => {
      const incoming = a.to === userID;
      const other = users.get(incoming ? a.from : a.to);
      return {
        userID: incoming ? a.from : a.to,
        avatar: other?.avatar ?? '',
        nick: other?.nick ?? '',
        time: a.time,
        source: a.source,
        wording: a.wording,
        type: incoming ? TYPES.SNS_APPLICATION_SENT_TO_ME : TYPES.SNS_APPLICATION_SENT_BY_ME,
      };
    });
    return {
      friendApplicationList: list,
      unreadCount: records.filter((a) => a.to === userID && !a.read).length,
    };
  }

  private async groupList(app: number, userID: string): Promise<FriendGroup[]> {
    return (await this.rel.friendGroupsOf(app, userID)).map((g) => ({
      name: g.name,
      userIDList: g.userIDList,
      count: g.userIDList.length,
    }));
  }

  /** friendListUpdated to `userID` (all sockets but `except`): `added` re-read, `deleted` as given. */
  private async pushFriends(
    app: number,
    userID: string,
    added: string[],
    deleted: string[],
    except?: string,
  ): Promise<void> {
    const records = added.length > 0 ? await this.rel.friendsOf(app, userID, added) : [];
    const friends = await this.friendViews(app, userID, records);
    await pushTo(
      this.deps,
      app,
      [userID],
      { push: 'friendListUpdated', data: { added: friends, deleted } },
      except,
    );
  }

  private async pushApplications(app: number, userIDs: string[], except?: string): Promise<void> {
    for (const userID of userIDs) {
      const data = await this.applicationList(app, userID);
      await pushTo(
        this.deps,
        app,
        [userID],
        { push: 'friendApplicationListUpdated', data },
        except,
      );
    }
  }

  private async pushGroups(app: number, userID: string, except?: string): Promise<void> {
    const friendGroupList = await this.groupList(app, userID);
    await pushTo(
      this.deps,
      app,
      [userID],
      { push: 'friendGroupListUpdated', data: { friendGroupList } },
      except,
    );
  }

  private checkGroupName(name: string): void {
    if (name.length === 0) throw invalid('friend group name is empty');
    maxBytes('friend group name', name, LIMITS.friendGroupNameBytes);
  }

  // friends

  async list(caller: Caller): Promise<{ friendList: Friend[] }> {
    const records = await this.rel.friendsOf(caller.app, caller.userID);
    return { friendList: await this.friendViews(caller.app, caller.userID, records) };
  }

  async add(
    caller: Caller,
    data: OpData<'addFriend'>,
  ): Promise<{ userID: string; code: number; message: string }> {
    const { app, userID: me } = caller;
    const to = data.to;
    if (data.source && !SOURCE.test(data.source)) {
      throw invalid('source must be AddSource_Type_ followed by up to 8 letters');
    }
    maxBytes('wording', data.wording, LIMITS.addFriendWordingBytes);
    maxBytes('remark', data.remark, LIMITS.friendRemarkBytes);
    if (data.groupName) this.checkGroupName(data.groupName);
    if (to === me) throw relationError('you cannot add yourself as a friend');
    const target = await this.deps.storage.getUser(app, to);
    if (!target)
      throw new ImError(ErrorCode.RELATION_ACCOUNT_NOT_FOUND, `user ${to} does not exist`);
    if (await this.rel.isBlocked(app, me, to)) {
      throw new ImError(ErrorCode.FRIEND_TARGET_BLOCKED, `${to} is in your blocklist`);
    }
    if (await this.rel.isBlocked(app, to, me)) {
      throw new ImError(ErrorCode.FRIEND_IN_TARGET_BLACKLIST, `you are in the blocklist of ${to}`);
    }
    if ((await this.rel.friendsOf(app, me, [to])).length > 0) {
      throw relationError(`${to} is already in your friend list`);
    }
    if (target.allowType === TYPES.ALLOW_TYPE_DENY_ANY) {
      throw new ImError(ErrorCode.FRIEND_DENY_ANY, `${to} accepts no friend requests`);
    }
    if ((await this.rel.friendCount(app, me)) >= LIMITS.friends) {
      throw new ImError(ErrorCode.RELATION_LIMIT, `you have ${LIMITS.friends} friends already`);
    }
    const both = data.type === TYPES.SNS_ADD_TYPE_BOTH;
    const now = this.deps.now();
    if (target.allowType === TYPES.ALLOW_TYPE_ALLOW_ANY) {
      const theirs = both && (await this.rel.friendsOf(app, to, [me])).length === 0;
      if (theirs && (await this.rel.friendCount(app, to)) >= LIMITS.friends) {
        throw new ImError(ErrorCode.RELATION_LIMIT, `${to} has ${LIMITS.friends} friends already`);
      }
      await this.rel.addFriends(
        app,
        [
          {
            userID: me,
            friendID: to,
            remark: data.remark,
            source: data.source,
            wording: data.wording,
            groupName: data.groupName,
          },
          ...(theirs
            ? [
                {
                  userID: to,
                  friendID: me,
                  remark: '',
                  source: data.source,
                  wording: data.wording,
                  groupName: '',
                },
              ]
            : []),
        ],
        now,
      );
      await this.pushFriends(app, me, [to], []);
      if (data.groupName) await this.pushGroups(app, me);
      if (theirs) await this.pushFriends(app, to, [me], []);
      return { userID: to, code: 0, message: '' };
    }
    await this.rel.saveApplication(app, {
      from: me,
      to,
      source: data.source,
      wording: data.wording,
      remark: data.remark,
      groupName: data.groupName,
      addType: data.type,
      time: now,
    });
    await this.pushApplications(app, [me, to]);
    return { userID: to, code: ErrorCode.FRIEND_PENDING, message: 'waiting for approval' };
  }

  async delete(
    caller: Caller,
    data: OpData<'deleteFriend'>,
  ): Promise<{ successUserIDList: string[]; failureUserIDList: RelationFailure[] }> {
    const { app, userID: me } = caller;
    const ids = [...new Set(data.userIDList)];
    const mine = new Set((await this.rel.friendsOf(app, me, ids)).map((f) => f.friendID));
    const ok = ids.filter((id) => mine.has(id));
    const both = data.type === TYPES.SNS_DELETE_TYPE_BOTH;
    const pairs = ok.flatMap((id) => [
      { userID: me, friendID: id },
      ...(both ? [{ userID: id, friendID: me }] : []),
    ]);
    const theirs = both
      ? await Promise.all(
          ok.map(async (id) => ({ id, had: (await this.rel.friendsOf(app, id, [me])).length > 0 })),
        )
      : [];
    if (pairs.length > 0) await this.rel.deleteFriends(app, pairs);
    if (ok.length > 0) {
      await this.pushFriends(app, me, [], ok);
      await this.pushGroups(app, me);
    }
    for (const t of theirs) {
      if (!t.had) continue;
      await this.pushFriends(app, t.id, [], [me]);
      await this.pushGroups(app, t.id);
    }
    return {
      successUserIDList: ok,
      failureUserIDList: ids
        .filter((id) => !mine.has(id))
        .map((id) => failure(id, ErrorCode.RELATION_INVALID, `${id} is not in your friend list`)),
    };
  }

  async check(
    caller: Caller,
    data: OpData<'checkFriend'>,
  ): Promise<{
    successUserIDList: { userID: string; code: number; relation: string }[];
    failureUserIDList: RelationFailure[];
  }> {
    const { app, userID: me } = caller;
    const ids = [...new Set(data.userIDList)];
    const mine = new Set((await this.rel.friendsOf(app, me, ids)).map((f) => f.friendID));
    const theirs = new Set(
      data.type === TYPES.SNS_CHECK_TYPE_BOTH ? await this.rel.friendedBy(app, me) : [],
    );
    return {
      successUserIDList: ids.map((id) => {
        const a = mine.has(id);
        const b = theirs.has(id);
        const relation =
          a && b
            ? TYPES.SNS_TYPE_BOTH_WAY
            : a
              ? TYPES.SNS_TYPE_A_WITH_B
              : b
                ? TYPES.SNS_TYPE_B_WITH_A
                : TYPES.SNS_TYPE_NO_RELATION;
        return { userID: id, code: 0, relation };
      }),
      failureUserIDList: [],
    };
  }

  async profile(
    caller: Caller,
    data: OpData<'getFriendProfile'>,
  ): Promise<{ friendList: Friend[]; failureUserIDList: RelationFailure[] }> {
    const ids = [...new Set(data.userIDList)];
    const records = await this.rel.friendsOf(caller.app, caller.userID, ids);
    const friendList = await this.friendViews(caller.app, caller.userID, records);
    const found = new Set(friendList.map((f) => f.userID));
    return {
      friendList,
      failureUserIDList: ids
        .filter((id) => !found.has(id))
        .map((id) => failure(id, ErrorCode.RELATION_INVALID, `${id} is not in your friend list`)),
    };
  }

  async update(caller: Caller, data: OpData<'updateFriend'>): Promise<Friend> {
    const { app, userID: me } = caller;
    if (data.remark !== undefined) maxBytes('remark', data.remark, LIMITS.friendRemarkBytes);
    let custom: Record<string, string | number> | undefined;
    if (data.friendCustomField) {
      custom = {};
      for (const { key, value } of data.friendCustomField) {
        if (!FRIEND_CUSTOM_KEY.test(key)) {
          throw invalid(
            `friendCustomField key ${key} must be Tag_SNS_Custom_ plus up to 8 characters`,
          );
        }
        if (typeof value === 'string') maxBytes(key, value, LIMITS.profileCustomValueBytes);
        custom[key] = value;
      }
    }
    const [record] = await this.rel.friendsOf(app, me, [data.userID]);
    if (!record) throw relationError(`${data.userID} is not in your friend list`);
    if (custom) {
      const keys = new Set([...Object.keys(record.custom), ...Object.keys(custom)]);
      if (keys.size > LIMITS.friendCustomFields) {
        throw invalid(`a friend has at most ${LIMITS.friendCustomFields} custom fields`);
      }
    }
    await this.rel.updateFriend(app, me, data.userID, data.remark, custom);
    const [friend] = await this.friendViews(
      app,
      me,
      await this.rel.friendsOf(app, me, [data.userID]),
    );
    await pushTo(
      this.deps,
      app,
      [me],
      { push: 'friendListUpdated', data: { added: [friend], deleted: [] } },
      caller.connID,
    );
    return friend;
  }

  // applications

  async applications(caller: Caller): Promise<FriendApplicationList> {
    return this.applicationList(caller.app, caller.userID);
  }

  async accept(
    caller: Caller,
    data: OpData<'acceptFriendApplication'>,
  ): Promise<{ userID: string }> {
    const { app, userID: me } = caller;
    maxBytes('remark', data.remark, LIMITS.friendRemarkBytes);
    const application = await this.rel.getApplication(app, data.userID, me);
    if (!application || application.hiddenTo) {
      throw relationError(`there is no friend application from ${data.userID}`);
    }
    const both = data.type === TYPES.SNS_APPLICATION_AGREE_AND_ADD;
    const mineNeeded = both && (await this.rel.friendsOf(app, me, [data.userID])).length === 0;
    if (mineNeeded && (await this.rel.friendCount(app, me)) >= LIMITS.friends) {
      throw new ImError(ErrorCode.RELATION_LIMIT, `you have ${LIMITS.friends} friends already`);
    }
    await this.rel.addFriends(
      app,
      [
        {
          userID: data.userID,
          friendID: me,
          remark: application.remark,
          source: application.source,
          wording: application.wording,
          groupName: application.groupName,
        },
        ...(mineNeeded
          ? [
              {
                userID: me,
                friendID: data.userID,
                remark: data.remark,
                source: application.source,
                wording: application.wording,
                groupName: '',
              },
            ]
          : []),
      ],
      this.deps.now(),
    );
    await this.pushApplications(app, [me, data.userID]);
    await this.pushFriends(app, data.userID, [me], []);
    if (application.groupName) await this.pushGroups(app, data.userID);
    if (mineNeeded) await this.pushFriends(app, me, [data.userID], []);
    return { userID: data.userID };
  }

  async refuse(
    caller: Caller,
    data: OpData<'refuseFriendApplication'>,
  ): Promise<{ userID: string }> {
    const { app, userID: me } = caller;
    const application = await this.rel.getApplication(app, data.userID, me);
    if (!application || application.hiddenTo) {
      throw relationError(`there is no friend application from ${data.userID}`);
    }
    await this.rel.deleteApplication(app, data.userID, me);
    await this.pushApplications(app, [me, data.userID]);
    return { userID: data.userID };
  }

  async deleteApplication(
    caller: Caller,
    data: OpData<'deleteFriendApplication'>,
  ): Promise<{ userID: string }> {
    const { app, userID: me } = caller;
    const incoming = data.type === TYPES.SNS_APPLICATION_SENT_TO_ME;
    const [from, to] = incoming ? [data.userID, me] : [me, data.userID];
    const application = await this.rel.getApplication(app, from, to);
    if (!application || (incoming ? application.hiddenTo : application.hiddenFrom)) {
      throw relationError(`there is no such friend application with ${data.userID}`);
    }
    await this.rel.hideApplication(app, from, to, incoming ? 'to' : 'from');
    await this.pushApplications(app, [me], caller.connID);
    return { userID: data.userID };
  }

  async setApplicationsRead(caller: Caller): Promise<Record<string, never>> {
    await this.rel.markApplicationsRead(caller.app, caller.userID);
    await this.pushApplications(caller.app, [caller.userID], caller.connID);
    return {};
  }

  // friend groups

  async groups(caller: Caller): Promise<{ friendGroupList: FriendGroup[] }> {
    return { friendGroupList: await this.groupList(caller.app, caller.userID) };
  }

  private async findGroup(app: number, userID: string, name: string) {
    const group = (await this.rel.friendGroupsOf(app, userID)).find((g) => g.name === name);
    if (!group) throw relationError(`there is no friend group ${name}`);
    return group;
  }

  /** Splits IDs into the caller's friends and the others (failures). */
  private async splitFriends(app: number, me: string, ids: string[]) {
    const unique = [...new Set(ids)];
    const friends = new Set((await this.rel.friendsOf(app, me, unique)).map((f) => f.friendID));
    return {
      ok: unique.filter((id) => friends.has(id)),
      failed: unique
        .filter((id) => !friends.has(id))
        .map((id) => failure(id, ErrorCode.RELATION_INVALID, `${id} is not in your friend list`)),
    };
  }

  private async groupResult(caller: Caller, name: string, failed: RelationFailure[]) {
    const friendGroup = (await this.groupList(caller.app, caller.userID)).find(
      (g) => g.name === name,
    )!;
    await this.pushGroups(caller.app, caller.userID, caller.connID);
    return { friendGroup, failureUserIDList: failed };
  }

  async createGroup(caller: Caller, data: OpData<'createFriendGroup'>) {
    const { app, userID: me } = caller;
    this.checkGroupName(data.name);
    const existing = await this.rel.friendGroupsOf(app, me);
    if (existing.some((g) => g.name === data.name)) {
      throw relationError(`friend group ${data.name} exists already`);
    }
    if (existing.length >= LIMITS.friendGroups) {
      throw new ImError(ErrorCode.RELATION_LIMIT, `at most ${LIMITS.friendGroups} friend groups`);
    }
    const { ok, failed } = await this.splitFriends(app, me, data.userIDList);
    await this.rel.createFriendGroup(app, me, data.name, ok, this.deps.now());
    return this.groupResult(caller, data.name, failed);
  }

  async deleteGroup(caller: Caller, data: OpData<'deleteFriendGroup'>) {
    await this.findGroup(caller.app, caller.userID, data.name);
    await this.rel.deleteFriendGroup(caller.app, caller.userID, data.name);
    await this.pushGroups(caller.app, caller.userID, caller.connID);
    return { name: data.name };
  }

  async renameGroup(caller: Caller, data: OpData<'renameFriendGroup'>) {
    const { app, userID: me } = caller;
    this.checkGroupName(data.newName);
    await this.findGroup(app, me, data.oldName);
    if (data.newName !== data.oldName) {
      if ((await this.rel.friendGroupsOf(app, me)).some((g) => g.name === data.newName)) {
        throw relationError(`friend group ${data.newName} exists already`);
      }
      await this.rel.renameFriendGroup(app, me, data.oldName, data.newName);
    }
    return this.groupResult(caller, data.newName, []);
  }

  async addToGroup(caller: Caller, data: OpData<'addToFriendGroup'>) {
    await this.findGroup(caller.app, caller.userID, data.name);
    const { ok, failed } = await this.splitFriends(caller.app, caller.userID, data.userIDList);
    await this.rel.setFriendGroupMembers(caller.app, caller.userID, data.name, ok, true);
    return this.groupResult(caller, data.name, failed);
  }

  async removeFromGroup(caller: Caller, data: OpData<'removeFromFriendGroup'>) {
    const group = await this.findGroup(caller.app, caller.userID, data.name);
    const ids = [...new Set(data.userIDList)];
    const ok = ids.filter((id) => group.userIDList.includes(id));
    const failed = ids
      .filter((id) => !group.userIDList.includes(id))
      .map((id) => failure(id, ErrorCode.RELATION_INVALID, `${id} is not in ${data.name}`));
    await this.rel.setFriendGroupMembers(caller.app, caller.userID, data.name, ok, false);
    return this.groupResult(caller, data.name, failed);
  }

  // blocklist

  async blacklist(caller: Caller): Promise<string[]> {
    return this.rel.blacklistOf(caller.app, caller.userID);
  }

  /** Answers the userIDs added (Tencent: the blocklist entries added). */
  async block(caller: Caller, data: OpData<'addToBlacklist'>): Promise<string[]> {
    const { app, userID: me } = caller;
    const ids = [...new Set(data.userIDList)];
    if (ids.includes(me)) throw relationError('you cannot block yourself');
    const known = new Set((await this.deps.storage.getUsers(app, ids)).map((u) => u.userID));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new ImError(
        ErrorCode.RELATION_ACCOUNT_NOT_FOUND,
        `unknown users: ${unknown.join(', ')}`,
      );
    }
    const current = new Set(await this.rel.blacklistOf(app, me));
    const fresh = ids.filter((id) => !current.has(id));
    if (current.size + fresh.length > LIMITS.blacklist) {
      throw new ImError(
        ErrorCode.RELATION_LIMIT,
        `a blocklist holds at most ${LIMITS.blacklist} users`,
      );
    }
    if (fresh.length === 0) return ids;
    const mine = new Set((await this.rel.friendsOf(app, me, fresh)).map((f) => f.friendID));
    const theirs = new Set(await this.rel.friendedBy(app, me));
    const apps = await this.rel.applicationsOf(app, me);
    const hadApps = new Set(apps.map((a) => (a.from === me ? a.to : a.from)));
    await this.rel.block(app, me, fresh, this.deps.now());
    await pushTo(
      this.deps,
      app,
      [me],
      { push: 'blacklistUpdated', data: { blacklist: await this.rel.blacklistOf(app, me) } },
      caller.connID,
    );
    const unfriended = fresh.filter((id) => mine.has(id));
    if (unfriended.length > 0) {
      await this.pushFriends(app, me, [], unfriended);
      await this.pushGroups(app, me);
    }
    for (const id of fresh) {
      if (theirs.has(id)) {
        await this.pushFriends(app, id, [], [me]);
        await this.pushGroups(app, id);
      }
    }
    const touched = fresh.filter((id) => hadApps.has(id));
    if (touched.length > 0) await this.pushApplications(app, [me, ...touched]);
    return ids;
  }

  async unblock(caller: Caller, data: OpData<'removeFromBlacklist'>): Promise<string[]> {
    const { app, userID: me } = caller;
    const ids = [...new Set(data.userIDList)];
    const current = new Set(await this.rel.blacklistOf(app, me));
    const present = ids.filter((id) => current.has(id));
    if (present.length > 0) {
      await this.rel.unblock(app, me, present);
      await pushTo(
        this.deps,
        app,
        [me],
        { push: 'blacklistUpdated', data: { blacklist: await this.rel.blacklistOf(app, me) } },
        caller.connID,
      );
    }
    return ids;
  }

  /** The send path's rule: whether `receiver` blocked `sender` (the message is dropped silently). */
  isBlockedBy(app: number, receiver: string, sender: string): Promise<boolean> {
    return this.rel.isBlocked(app, receiver, sender);
  }
}
