/**
 * Groups of type Work ('Private'), Public and Meeting ('ChatRoom'), with Tencent's rule matrix:
 *
 * | rule                   | Work            | Public                         | Meeting       |
 * |------------------------|-----------------|--------------------------------|---------------|
 * | joinGroup              | 10007 (invite)  | by joinOption                  | joins at once |
 * | joinOption             | DisableApply    | NeedPermission (default) / any | FreeAccess    |
 * | owner may quit         | yes (no owner)  | no (10009)                     | no (10009)    |
 * | history before joining | no              | no                             | yes           |
 * | unread counts          | yes             | yes                            | no (always 0) |
 * | default maxMemberNum   | 200             | 2000                           | 10000         |
 *
 * Membership changes push `groupListChanged` to the user whose list changed (other sockets) and
 * `groupUpdated` (the group as that member sees it) to the other members.
 */
import { randomInt } from 'node:crypto';
import { ErrorCode } from '../../protocol/codes.js';
import {
  LIMITS,
  SUPPORTED_GROUP_TYPES,
  type GroupType,
  type JoinOption,
  type MemberRole,
} from '../../protocol/constants.js';
import type { Group, GroupMember } from '../../protocol/types.js';
import type { OpData } from '../../protocol/wire.js';
import { byteLength, ImError, invalid } from '../errors.js';
import { groupKey, type GroupRecord, type MemberRecord } from '../storage/types.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import { groupView, memberView } from './views.js';

const DEFAULT_MAX_MEMBERS: Record<string, number> = { Private: 200, Public: 2000, ChatRoom: 10000 };
const JOIN_OPTIONS: readonly JoinOption[] = ['FreeAccess', 'NeedPermission', 'DisableApply'];
const TYPE_DIGIT: Record<string, string> = { Private: '1', Public: '2', ChatRoom: '3' };
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function generateGroupID(type: GroupType): string {
  let id = `@TGS#${TYPE_DIGIT[type] ?? '0'}`;
  for (let i = 0; i < 9; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

function checkBytes(value: string, max: number, field: string): void {
  if (byteLength(value) > max) throw invalid(`${field} is longer than ${max} bytes`);
}

function joinOptionFor(type: GroupType, requested: string | undefined): JoinOption {
  if (type === 'Private') return 'DisableApply';
  if (type === 'ChatRoom') return 'FreeAccess';
  if (requested === undefined) return 'NeedPermission';
  if (!JOIN_OPTIONS.includes(requested as JoinOption))
    throw invalid(`invalid joinOption ${requested}`);
  return requested as JoinOption;
}

export type JoinResult =
  { status: 'JoinedSuccess' | 'AlreadyInGroup'; group: Group } | { status: 'WaitAdminApproval' };

export class GroupService {
  constructor(private readonly deps: ServiceDeps) {}

  private async requireGroup(app: number, groupID: string): Promise<GroupRecord> {
    const group = await this.deps.storage.getGroup(app, groupID);
    if (!group) throw new ImError(ErrorCode.GROUP_NOT_FOUND, `group ${groupID} does not exist`);
    return group;
  }

  /** The group as `member` sees it (null: a non-member). */
  private async view(app: number, group: GroupRecord, member: MemberRecord | null): Promise<Group> {
    if (!member) return groupView(group, null, null);
    const { storage } = this.deps;
    const convKey = groupKey(group.groupID);
    const last = await storage.lastMessageFor(app, member.userID, convKey);
    const settings = await storage.getConversationSettings(app, member.userID, convKey);
    return groupView(group, member, last, settings?.remindType);
  }

  private async viewFor(app: number, groupID: string, userID: string): Promise<Group> {
    const group = await this.requireGroup(app, groupID);
    return this.view(app, group, await this.deps.storage.getMember(app, groupID, userID));
  }

  /** `groupUpdated` to every member but `except`. */
  private async pushUpdated(app: number, groupID: string, except: string): Promise<void> {
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
    const type = data.type as GroupType;
    if (!SUPPORTED_GROUP_TYPES.includes(type))
      throw invalid(`group type ${data.type} not supported yet`);
    checkBytes(data.name, LIMITS.groupNameBytes, 'name');
    checkBytes(data.introduction, LIMITS.groupIntroductionBytes, 'introduction');
    checkBytes(data.notification, LIMITS.groupNotificationBytes, 'notification');
    checkBytes(data.avatar, LIMITS.groupAvatarBytes, 'avatar');
    const joinOption = joinOptionFor(type, data.joinOption);
    if (data.groupID?.startsWith('@TGS#'))
      throw invalid('a custom groupID may not start with @TGS#');
    const maxMemberCount = data.maxMemberNum ?? DEFAULT_MAX_MEMBERS[type];

    const requested = new Map<string, MemberRole>();
    for (const m of data.memberList) {
      if (m.userID === caller.userID) continue;
      if (m.role === 'Admin' && type === 'Private') throw invalid('Work groups have no admins');
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
    const group = await this.viewFor(app, groupID, caller.userID);
    await pushTo(
      this.deps,
      app,
      members.map((m) => m.userID),
      { push: 'groupListChanged', data: { groupID } },
      caller.connID,
    );
    return { group, overLimitUserIDList: [] };
  }

  async join(caller: Caller, data: OpData<'joinGroup'>): Promise<JoinResult> {
    const { storage } = this.deps;
    const app = caller.app;
    const group = await this.requireGroup(app, data.groupID);
    const existing = await storage.getMember(app, data.groupID, caller.userID);
    if (existing) return { status: 'AlreadyInGroup', group: await this.view(app, group, existing) };
    if (group.type === 'Private')
      throw new ImError(ErrorCode.NO_PERMISSION, 'Work groups are invite only');
    if (group.type === 'Public') {
      if (group.joinOption === 'DisableApply') {
        throw new ImError(ErrorCode.NO_PERMISSION, 'this group does not accept applications');
      }
      if (group.joinOption === 'NeedPermission') {
        await storage.saveGroupApplication(
          app,
          data.groupID,
          caller.userID,
          data.applyMessage,
          this.deps.now(),
        );
        return { status: 'WaitAdminApproval' };
      }
    }
    const result = await storage.addMember(
      app,
      data.groupID,
      caller.userID,
      'Member',
      this.deps.now(),
      group.type === 'ChatRoom',
    );
    if (result === 'missing')
      throw new ImError(ErrorCode.GROUP_NOT_FOUND, `group ${data.groupID} does not exist`);
    if (result === 'full') throw new ImError(ErrorCode.GROUP_FULL, 'the group is full');
    const view = await this.viewFor(app, data.groupID, caller.userID);
    if (result === 'already') return { status: 'AlreadyInGroup', group: view };
    await pushTo(
      this.deps,
      app,
      [caller.userID],
      { push: 'groupListChanged', data: { groupID: data.groupID } },
      caller.connID,
    );
    await this.pushUpdated(app, data.groupID, caller.userID);
    return { status: 'JoinedSuccess', group: view };
  }

  async quit(caller: Caller, data: OpData<'quitGroup'>): Promise<{ groupID: string }> {
    const { storage } = this.deps;
    const app = caller.app;
    const group = await this.requireGroup(app, data.groupID);
    const member = await storage.getMember(app, data.groupID, caller.userID);
    if (!member) throw new ImError(ErrorCode.NO_PERMISSION, 'not a member of this group');
    if (member.role === 'Owner' && group.type !== 'Private') {
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
    if (!member && group.type === 'Private')
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
      group.type === 'Private' &&
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
