/**
 * Groups of the five types (Work = 'Private', Public, Meeting = 'ChatRoom', AVChatRoom, Community),
 * each with Tencent's rules from the one table in src/protocol/group-rules.ts: who may apply and
 * how (joinOption), whether the owner may quit, whether new members see earlier history, the
 * default and largest maxMemberNum, one AVChatRoom per user (joining another quits the first).
 *
 * Membership changes push `groupListChanged` to the user whose list changed (other sockets),
 * `groupUpdated` (the group as that member sees it) to the other members, and leave a group tip
 * (group-events.ts) in the group's history. Administration (kick, mute, roles, profile, owner,
 * dismissal, applications, attributes, counters) lives in group-admin.ts.
 */
import { randomInt } from 'node:crypto';
import { ErrorCode } from '../../protocol/codes.js';
import {
  LIMITS,
  type GroupType,
  type JoinOption,
  type MemberRole,
} from '../../protocol/constants.js';
import { GROUP_RULES } from '../../protocol/group-rules.js';
import type { Group, GroupMember } from '../../protocol/types.js';
import type { OpData } from '../../protocol/wire.js';
import { byteLength, ImError, invalid } from '../errors.js';
import { groupKey, type GroupRecord, type MemberRecord } from '../storage/types.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import { groupNotice, groupTip, NOTICE, TIP } from './group-events.js';
import { groupView, memberView } from './views.js';

const TYPE_DIGIT: Record<string, string> = {
  Private: '1',
  Public: '2',
  ChatRoom: '3',
  AVChatRoom: '4',
  Community: '5',
};
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function generateGroupID(type: GroupType): string {
  let id = `@TGS#${TYPE_DIGIT[type] ?? '0'}`;
  for (let i = 0; i < 9; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export function checkBytes(value: string, max: number, field: string): void {
  if (byteLength(value) > max) throw invalid(`${field} is longer than ${max} bytes`);
}

/** The join option of a new group: the type's default, or the requested one where changeable. */
function joinOptionFor(type: GroupType, requested: string | undefined): JoinOption {
  const rules = GROUP_RULES[type];
  if (requested === undefined || !rules.joinOptionChangeable) return rules.joinOptions[0];
  if (!rules.joinOptions.includes(requested as JoinOption))
    throw invalid(`invalid joinOption ${requested}`);
  return requested as JoinOption;
}

export type JoinResult =
  { status: 'JoinedSuccess' | 'AlreadyInGroup'; group: Group } | { status: 'WaitAdminApproval' };

export class GroupService {
  constructor(private readonly deps: ServiceDeps) {}

  async requireGroup(app: number, groupID: string): Promise<GroupRecord> {
    const group = await this.deps.storage.getGroup(app, groupID);
    if (!group) throw new ImError(ErrorCode.GROUP_NOT_FOUND, `group ${groupID} does not exist`);
    return group;
  }

  /** The group as `member` sees it (null: a non-member). */
  async view(app: number, group: GroupRecord, member: MemberRecord | null): Promise<Group> {
    if (!member) return groupView(group, null, null);
    const { storage } = this.deps;
    const convKey = groupKey(group.groupID);
    const last = await storage.lastMessageFor(app, member.userID, convKey);
    const settings = await storage.getConversationSettings(app, member.userID, convKey);
    return groupView(group, member, last, settings?.remindType);
  }

  async viewFor(app: number, groupID: string, userID: string): Promise<Group> {
    const group = await this.requireGroup(app, groupID);
    return this.view(app, group, await this.deps.storage.getMember(app, groupID, userID));
  }

  /** `groupUpdated` to every member but `except`. */
  async pushUpdated(app: number, groupID: string, except: string): Promise<void> {
    const { storage } = this.deps;
    const group = await storage.getGroup(app, groupID);
    if (!group) return;
    for (const member of await storage.allMembers(app, groupID)) {
      if (member.userID === except) continue;
      await pushTo(this.deps, app, [member.userID], {
        push: 'groupUpdated',
        data: await this.view(app, group, member),
      });
    }
  }

  async create(
    caller: Caller,
    data: OpData<'createGroup'>,
  ): Promise<{ group: Group; overLimitUserIDList: string[] }> {
    const { storage } = this.deps;
    const app = caller.app;
    if (!Object.hasOwn(GROUP_RULES, data.type)) throw invalid(`invalid group type ${data.type}`);
    const type = data.type as GroupType;
    const rules = GROUP_RULES[type];
    checkBytes(data.name, LIMITS.groupNameBytes, 'name');
    checkBytes(data.introduction, LIMITS.groupIntroductionBytes, 'introduction');
    checkBytes(data.notification, LIMITS.groupNotificationBytes, 'notification');
    checkBytes(data.avatar, LIMITS.groupAvatarBytes, 'avatar');
    const joinOption = joinOptionFor(type, data.joinOption);
    if (data.groupID?.startsWith('@TGS#'))
      throw invalid('a custom groupID may not start with @TGS#');
    const maxMemberCount = data.maxMemberNum ?? rules.defaultMaxMembers;
    if (maxMemberCount > rules.maxMembersLimit) {
      throw invalid(`maxMemberNum of a ${type} group is at most ${rules.maxMembersLimit}`);
    }
    if (data.isSupportTopic && type !== 'Community') {
      throw invalid('only Community groups have topics');
    }
    if (!rules.initialMembers && data.memberList.length > 0) {
      throw invalid(`a ${type} group is created without members: they join`);
    }

    const requested = new Map<string, MemberRole>();
    for (const m of data.memberList) {
      if (m.userID === caller.userID) continue;
      if (m.role === 'Admin' && !rules.hasAdmins) throw invalid(`${type} groups have no admins`);
      requested.set(m.userID, m.role ?? 'Member');
    }
    if (requested.size > LIMITS.createGroupMembers) {
      throw invalid(`memberList has more than ${LIMITS.createGroupMembers} users`);
    }
    const known = new Set(
      (await storage.getUsers(app, [...requested.keys()])).map((u) => u.userID),
    );
    const missing = [...requested.keys()].filter((id) => !known.has(id));
    if (missing.length > 0) {
      throw new ImError(ErrorCode.ACCOUNT_NOT_FOUND, `users do not exist: ${missing.join(', ')}`);
    }
    if (requested.size + 1 > maxMemberCount)
      throw new ImError(ErrorCode.GROUP_FULL, 'memberList exceeds maxMemberNum');

    const members = [
      { userID: caller.userID, role: 'Owner' as MemberRole },
      ...[...requested].map(([userID, role]) => ({ userID, role })),
    ];
    const base = {
      type,
      name: data.name,
      introduction: data.introduction,
      notification: data.notification,
      avatar: data.avatar,
      ownerID: caller.userID,
      maxMemberCount,
      joinOption,
      createTime: this.deps.now(),
      members,
    };
    let groupID = data.groupID;
    if (groupID !== undefined) {
      if (!(await storage.createGroup(app, { ...base, groupID }))) {
        throw new ImError(ErrorCode.GROUP_ID_IN_USE, `group ID ${groupID} is already in use`);
      }
    } else {
      for (let attempt = 0; ; attempt++) {
        const candidate = generateGroupID(type);
        if (await storage.createGroup(app, { ...base, groupID: candidate })) {
          groupID = candidate;
          break;
        }
        if (attempt >= 5)
          throw new ImError(ErrorCode.SERVER_INTERNAL, 'could not allocate a group ID');
      }
    }
    if (data.isSupportTopic) await storage.setSupportTopic(app, groupID);
    const group = await this.viewFor(app, groupID, caller.userID);
    await pushTo(
      this.deps,
      app,
      members.map((m) => m.userID),
      { push: 'groupListChanged', data: { groupID } },
      caller.connID,
    );
    await groupNotice(this.deps, app, [...requested.keys()], group, {
      operationType: NOTICE.INVITED,
      operatorID: caller.userID,
    });
    return { group, overLimitUserIDList: [] };
  }

  async join(caller: Caller, data: OpData<'joinGroup'>): Promise<JoinResult> {
    const { storage } = this.deps;
    const app = caller.app;
    const group = await this.requireGroup(app, data.groupID);
    const rules = GROUP_RULES[group.type];
    const existing = await storage.getMember(app, data.groupID, caller.userID);
    if (existing) return { status: 'AlreadyInGroup', group: await this.view(app, group, existing) };
    if (!rules.canApply) {
      throw new ImError(ErrorCode.NO_PERMISSION, `${group.type} groups are invite only`);
    }
    if (group.joinOption === 'DisableApply') {
      throw new ImError(ErrorCode.NO_PERMISSION, 'this group does not accept applications');
    }
    const banned = await storage.bannedUntil(app, data.groupID, caller.userID);
    if (banned > this.deps.now()) {
      throw new ImError(ErrorCode.NO_PERMISSION, `banned from this group until ${banned}`);
    }
    if (group.joinOption === 'NeedPermission') {
      await storage.saveGroupApplication(
        app,
        data.groupID,
        caller.userID,
        data.applyMessage,
        this.deps.now(),
      );
      const admins = (await storage.allMembers(app, data.groupID))
        .filter((m) => m.role === 'Owner' || m.role === 'Admin')
        .map((m) => m.userID);
      await groupNotice(this.deps, app, admins, group, {
        operationType: NOTICE.JOIN_APPLICATION,
        operatorID: caller.userID,
        handleMessage: data.applyMessage,
      });
      return { status: 'WaitAdminApproval' };
    }
    const status = await this.admit(app, group, caller.userID, caller.userID, caller.connID);
    const view = await this.viewFor(app, data.groupID, caller.userID);
    return { status, group: view };
  }

  /**
   * Adds `userID` (a join, an approved application or an invitation by `operatorID`): capacity
   * checked in the storage transaction, one AVChatRoom per user, pushes and the join tip.
   */
  async admit(
    app: number,
    group: GroupRecord,
    userID: string,
    operatorID: string,
    exceptConnID?: string,
  ): Promise<'JoinedSuccess' | 'AlreadyInGroup'> {
    const { storage } = this.deps;
    const rules = GROUP_RULES[group.type];
    const result = await storage.addMember(
      app,
      group.groupID,
      userID,
      'Member',
      this.deps.now(),
      rules.historyBeforeJoin,
    );
    if (result === 'missing')
      throw new ImError(ErrorCode.GROUP_NOT_FOUND, `group ${group.groupID} does not exist`);
    if (result === 'full') throw new ImError(ErrorCode.GROUP_FULL, 'the group is full');
    if (result === 'already') return 'AlreadyInGroup';
    if (rules.single) {
      for (const other of await storage.listUserGroups(app, userID)) {
        if (other.group.type !== group.type || other.group.groupID === group.groupID) continue;
        if (other.member.role === 'Owner') continue;
        if (await storage.removeMember(app, other.group.groupID, userID)) {
          await groupTip(this.deps, app, other.group, {
            operationType: TIP.MEMBER_QUIT,
            operatorID: userID,
            userIDList: [userID],
          });
          await this.pushUpdated(app, other.group.groupID, userID);
        }
      }
    }
    await pushTo(
      this.deps,
      app,
      [userID],
      { push: 'groupListChanged', data: { groupID: group.groupID } },
      exceptConnID,
    );
    await this.pushUpdated(app, group.groupID, userID);
    await groupTip(this.deps, app, group, {
      operationType: TIP.MEMBER_JOIN,
      operatorID,
      userIDList: [userID],
    });
    return 'JoinedSuccess';
  }

  async quit(caller: Caller, data: OpData<'quitGroup'>): Promise<{ groupID: string }> {
    const { storage } = this.deps;
    const app = caller.app;
    const group = await this.requireGroup(app, data.groupID);
    const member = await storage.getMember(app, data.groupID, caller.userID);
    if (!member) throw new ImError(ErrorCode.NO_PERMISSION, 'not a member of this group');
    if (member.role === 'Owner' && !GROUP_RULES[group.type].ownerMayQuit) {
      throw new ImError(ErrorCode.OWNER_CANNOT_QUIT, 'the owner cannot quit this group');
    }
    if (await storage.removeMember(app, data.groupID, caller.userID)) {
      await pushTo(
        this.deps,
        app,
        [caller.userID],
        { push: 'groupListChanged', data: { groupID: data.groupID } },
        caller.connID,
      );
      await this.pushUpdated(app, data.groupID, caller.userID);
      await groupTip(this.deps, app, group, {
        operationType: TIP.MEMBER_QUIT,
        operatorID: caller.userID,
        userIDList: [caller.userID],
      });
    }
    return { groupID: data.groupID };
  }

  async list(caller: Caller): Promise<{ groupList: Group[] }> {
    const groupList: Group[] = [];
    for (const { group, member } of await this.deps.storage.listUserGroups(
      caller.app,
      caller.userID,
    )) {
      groupList.push(await this.view(caller.app, group, member));
    }
    return { groupList };
  }

  async profile(caller: Caller, data: OpData<'getGroupProfile'>): Promise<{ group: Group }> {
    const group = await this.requireGroup(caller.app, data.groupID);
    const member = await this.deps.storage.getMember(caller.app, data.groupID, caller.userID);
    if (!member && !GROUP_RULES[group.type].searchable)
      throw new ImError(ErrorCode.NO_PERMISSION, 'not a member of this group');
    return { group: await this.view(caller.app, group, member) };
  }

  async members(
    caller: Caller,
    data: OpData<'getGroupMemberList'>,
  ): Promise<{ memberList: GroupMember[]; offset: number }> {
    const { storage } = this.deps;
    const group = await this.requireGroup(caller.app, data.groupID);
    if (
      !GROUP_RULES[group.type].searchable &&
      !(await storage.getMember(caller.app, data.groupID, caller.userID))
    ) {
      throw new ImError(ErrorCode.NO_PERMISSION, 'not a member of this group');
    }
    const count = data.count ?? LIMITS.groupMemberListDefault;
    const rows = await storage.listMembers(caller.app, data.groupID, data.offset, count + 1);
    return {
      memberList: rows.slice(0, count).map(memberView),
      offset: rows.length > count ? data.offset + count : 0,
    };
  }
}
