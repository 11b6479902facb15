/**
 * Group administration: invite, kick, mute, roles, name cards and custom fields, profile, owner
 * transfer, dismissal, join applications (attributes and counters: group-kv.ts; topics:
 * group-topics.ts). Every check reads the rule table of
 * src/protocol/group-rules.ts; every refusal changes nothing.
 *
 * Codes: 10010 group missing; 10007 not a member, or the caller's role / the group type does not
 * allow it; 10004 bad input (target not a member, over a limit); 10014 group full; 10024 the
 * application was already handled.
 *
 * Every change is pushed: `groupUpdated` to each member (the group as they see it; the calling
 * socket gets the answer instead), `groupListChanged` to users who entered or left, a group tip in
 * the group's history, and system notices to the users concerned (group-events.ts).
 */
import { ErrorCode } from '../../protocol/codes.js';
import { LIMITS } from '../../protocol/constants.js';
import { allows, allowsOn, GROUP_RULES, type Who } from '../../protocol/group-rules.js';
import type { Group, GroupMember } from '../../protocol/types.js';
import type { GroupApplication, OpData } from '../../protocol/wire.js';
import { ImError, invalid } from '../errors.js';
import type { GroupPatch, GroupRecord, MemberRecord } from '../storage/types.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import { groupNotice, groupTip, NOTICE, TIP } from './group-events.js';
import { checkBytes, type GroupService } from './groups.js';
import { memberView } from './views.js';

const denied = (what: string) => new ImError(ErrorCode.NO_PERMISSION, what);

interface Membership {
  group: GroupRecord;
  member: MemberRecord;
}

export class GroupAdminService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly groups: GroupService,
  ) {}

  /** The group (10010) and the caller's membership (10007). */
  private async membership(caller: Caller, groupID: string): Promise<Membership> {
    const group = await this.groups.requireGroup(caller.app, groupID);
    const member = await this.deps.storage.getMember(caller.app, groupID, caller.userID);
    if (!member) throw denied('not a member of this group');
    return { group, member };
  }

  /** 10007 unless the rule lets the caller's role do it. */
  private require(who: Who, m: Membership, what: string): void {
    if (!allows(who, m.member.role)) {
      throw denied(`${what}: not allowed for a ${m.member.role} of a ${m.group.type} group`);
    }
  }

  private async target(app: number, groupID: string, userID: string): Promise<MemberRecord> {
    const target = await this.deps.storage.getMember(app, groupID, userID);
    if (!target) throw invalid(`${userID} is not a member of the group`);
    return target;
  }

  /** `groupUpdated` to every member (the calling socket excepted). */
  private async pushGroup(app: number, groupID: string, exceptConnID?: string): Promise<void> {
    const group = await this.deps.storage.getGroup(app, groupID);
    if (!group) return;
    for (const member of await this.deps.storage.allMembers(app, groupID)) {
      await pushTo(
        this.deps,
        app,
        [member.userID],
        { push: 'groupUpdated', data: await this.groups.view(app, group, member) },
        exceptConnID,
      );
    }
  }

  private async memberOut(app: number, groupID: string, userID: string): Promise<GroupMember> {
    const member = await this.target(app, groupID, userID);
    const user = await this.deps.storage.getUser(app, userID);
    return memberView({ ...member, nick: user?.nick ?? '', avatar: user?.avatar ?? '' });
  }

  async dismiss(caller: Caller, data: OpData<'dismissGroup'>): Promise<{ groupID: string }> {
    const m = await this.membership(caller, data.groupID);
    this.require(GROUP_RULES[m.group.type].dismiss, m, 'dismissGroup');
    const members = await this.deps.storage.dismissGroup(caller.app, data.groupID);
    await pushTo(
      this.deps,
      caller.app,
      members,
      { push: 'groupListChanged', data: { groupID: data.groupID } },
      caller.connID,
    );
    await groupNotice(
      this.deps,
      caller.app,
      members.filter((u) => u !== caller.userID),
      m.group,
      { operationType: NOTICE.DISMISSED, operatorID: caller.userID },
    );
    return { groupID: data.groupID };
  }

  async addMembers(
    caller: Caller,
    data: OpData<'addGroupMember'>,
  ): Promise<{
    successUserIDList: string[];
    failureUserIDList: string[];
    existedUserIDList: string[];
    group: Group;
  }> {
    const { storage } = this.deps;
    const app = caller.app;
    const m = await this.membership(caller, data.groupID);
    this.require(GROUP_RULES[m.group.type].invite, m, 'addGroupMember');
    const wanted = [...new Set(data.userIDList)];
    const known = new Set((await storage.getUsers(app, wanted)).map((u) => u.userID));
    const existed: string[] = [];
    const fresh: string[] = [];
    for (const userID of wanted) {
      if (!known.has(userID)) continue;
      if (await storage.getMember(app, data.groupID, userID)) existed.push(userID);
      else fresh.push(userID);
    }
    if (m.group.memberCount + fresh.length > m.group.maxMemberCount) {
      throw new ImError(ErrorCode.GROUP_FULL, 'the group cannot take that many members');
    }
    const success: string[] = [];
    for (const userID of fresh) {
      const status = await this.groups.admit(app, m.group, userID, caller.userID, caller.connID);
      if (status === 'JoinedSuccess') success.push(userID);
      else existed.push(userID);
    }
    await groupNotice(this.deps, app, success, m.group, {
      operationType: NOTICE.INVITED,
      operatorID: caller.userID,
    });
    return {
      successUserIDList: success,
      failureUserIDList: wanted.filter((u) => !known.has(u)),
      existedUserIDList: existed,
      group: await this.groups.viewFor(app, data.groupID, caller.userID),
    };
  }

  async deleteMembers(
    caller: Caller,
    data: OpData<'deleteGroupMember'>,
  ): Promise<{ group: Group; userIDList: string[] }> {
    const { storage } = this.deps;
    const app = caller.app;
    const m = await this.membership(caller, data.groupID);
    const rule = GROUP_RULES[m.group.type].kick;
    this.require(rule, m, 'deleteGroupMember');
    const targets = [...new Set(data.userIDList)];
    if (targets.includes(caller.userID)) throw invalid('use quitGroup to leave a group');
    if (data.duration !== undefined && m.group.type !== 'AVChatRoom') {
      throw invalid('a ban duration is for AVChatRoom groups only');
    }
    for (const userID of targets) {
      const target = await this.target(app, data.groupID, userID);
      if (!allowsOn(rule, m.member.role, target.role)) {
        throw denied(`a ${m.member.role} may not remove the ${target.role} ${userID}`);
      }
    }
    const removed: string[] = [];
    for (const userID of targets) {
      if (data.duration !== undefined) {
        await storage.banMember(app, data.groupID, userID, this.deps.now() + data.duration);
      }
      if (await storage.removeMember(app, data.groupID, userID)) removed.push(userID);
    }
    if (removed.length > 0) {
      await pushTo(this.deps, app, removed, {
        push: 'groupListChanged',
        data: { groupID: data.groupID },
      });
      await groupNotice(this.deps, app, removed, m.group, {
        operationType: NOTICE.KICKED,
        operatorID: caller.userID,
        handleMessage: data.reason,
      });
      await this.pushGroup(app, data.groupID, caller.connID);
      await groupTip(this.deps, app, m.group, {
        operationType: TIP.MEMBER_KICKED,
        operatorID: caller.userID,
        userIDList: removed,
      });
    }
    return {
      group: await this.groups.viewFor(app, data.groupID, caller.userID),
      userIDList: removed,
    };
  }

  async applications(caller: Caller): Promise<{ applicationList: GroupApplication[] }> {
    const { storage } = this.deps;
    const rows = await storage.pendingApplicationsFor(caller.app, caller.userID);
    const users = await storage.getUsers(caller.app, [...new Set(rows.map((r) => r.userID))]);
    const nick = new Map(users.map((u) => [u.userID, u.nick]));
    return {
      applicationList: rows.map((r) => ({
        groupID: r.groupID,
        applicant: r.userID,
        applicantNick: nick.get(r.userID) ?? '',
        applyMessage: r.message,
        time: r.time,
      })),
    };
  }

  async handleApplication(
    caller: Caller,
    data: OpData<'handleGroupApplication'>,
  ): Promise<{ group: Group }> {
    const { storage } = this.deps;
    const app = caller.app;
    const m = await this.membership(caller, data.groupID);
    this.require('admin', m, 'handleGroupApplication');
    const application = await storage.getGroupApplication(app, data.groupID, data.userID);
    if (!application) throw invalid(`${data.userID} has not applied to join this group`);
    if (application.status !== 'pending') {
      throw new ImError(
        ErrorCode.GROUP_APPLICATION_HANDLED,
        'the application was already handled by another admin',
      );
    }
    const agree = data.handleAction === 'Agree';
    if (agree && m.group.memberCount >= m.group.maxMemberCount) {
      throw new ImError(ErrorCode.GROUP_FULL, 'the group is full');
    }
    if (
      !(await storage.resolveGroupApplication(app, data.groupID, data.userID, data.handleAction))
    ) {
      throw new ImError(
        ErrorCode.GROUP_APPLICATION_HANDLED,
        'the application was already handled by another admin',
      );
    }
    if (agree) await this.groups.admit(app, m.group, data.userID, caller.userID);
    await groupNotice(this.deps, app, [data.userID], m.group, {
      operationType: agree ? NOTICE.APPLICATION_ACCEPTED : NOTICE.APPLICATION_REFUSED,
      operatorID: caller.userID,
      handleMessage: data.handleMessage,
    });
    return { group: await this.groups.viewFor(app, data.groupID, caller.userID) };
  }

  async changeOwner(caller: Caller, data: OpData<'changeGroupOwner'>): Promise<{ group: Group }> {
    const { storage } = this.deps;
    const app = caller.app;
    const m = await this.membership(caller, data.groupID);
    this.require(GROUP_RULES[m.group.type].transfer, m, 'changeGroupOwner');
    if (data.newOwnerID === caller.userID) throw invalid('the caller already owns the group');
    await this.target(app, data.groupID, data.newOwnerID);
    if (!(await storage.transferOwner(app, data.groupID, caller.userID, data.newOwnerID))) {
      throw invalid(`${data.newOwnerID} is not a member of the group`);
    }
    const group = await storage.updateGroup(app, data.groupID, {}, this.deps.now());
    await this.pushGroup(app, data.groupID, caller.connID);
    if (group) {
      await groupTip(this.deps, app, group, {
        operationType: TIP.PROFILE_UPDATED,
        operatorID: caller.userID,
        userIDList: [],
        newGroupProfile: { ownerID: data.newOwnerID },
      });
    }
    return { group: await this.groups.viewFor(app, data.groupID, caller.userID) };
  }

  async updateProfile(
    caller: Caller,
    data: OpData<'updateGroupProfile'>,
  ): Promise<{ group: Group }> {
    const app = caller.app;
    const m = await this.membership(caller, data.groupID);
    const rules = GROUP_RULES[m.group.type];
    const patch: GroupPatch = {};
    const profile = ['name', 'introduction', 'notification', 'avatar', 'maxMemberNum'] as const;
    if (profile.some((k) => data[k] !== undefined)) {
      this.require(rules.editProfile, m, 'updateGroupProfile');
    }
    if (data.name !== undefined) {
      checkBytes(data.name, LIMITS.groupNameBytes, 'name');
      patch.name = data.name;
    }
    if (data.introduction !== undefined) {
      checkBytes(data.introduction, LIMITS.groupIntroductionBytes, 'introduction');
      patch.introduction = data.introduction;
    }
    if (data.notification !== undefined) {
      checkBytes(data.notification, LIMITS.groupNotificationBytes, 'notification');
      patch.notification = data.notification;
    }
    if (data.avatar !== undefined) {
      checkBytes(data.avatar, LIMITS.groupAvatarBytes, 'avatar');
      patch.avatar = data.avatar;
    }
    if (data.maxMemberNum !== undefined) {
      if (data.maxMemberNum > rules.maxMembersLimit || data.maxMemberNum < m.group.memberCount) {
        throw invalid(`maxMemberNum must be between the member count and ${rules.maxMembersLimit}`);
      }
      patch.maxMemberCount = data.maxMemberNum;
    }
    if (data.joinOption !== undefined) {
      this.require(rules.editProfile, m, 'updateGroupProfile');
      if (!rules.joinOptionChangeable) {
        throw denied(`the join option of a ${m.group.type} group cannot be changed`);
      }
      if (!rules.joinOptions.includes(data.joinOption)) {
        throw invalid(`invalid joinOption ${data.joinOption}`);
      }
      patch.joinOption = data.joinOption;
    }
    if (data.muteAllMembers !== undefined) {
      this.require(rules.mute, m, 'muteAllMembers');
      patch.muteAllMembers = data.muteAllMembers;
    }
    if (Object.keys(patch).length === 0) throw invalid('nothing to update');
    const group = await this.deps.storage.updateGroup(app, data.groupID, patch, this.deps.now());
    if (!group)
      throw new ImError(ErrorCode.GROUP_NOT_FOUND, `group ${data.groupID} does not exist`);
    await this.pushGroup(app, data.groupID, caller.connID);
    const newGroupProfile: Record<string, unknown> = { ...data };
    delete newGroupProfile.groupID;
    await groupTip(this.deps, app, group, {
      operationType: TIP.PROFILE_UPDATED,
      operatorID: caller.userID,
      userIDList: [],
      newGroupProfile,
    });
    return { group: await this.groups.view(app, group, m.member) };
  }

  async setRole(
    caller: Caller,
    data: OpData<'setGroupMemberRole'>,
  ): Promise<{ group: Group; member: GroupMember }> {
    const app = caller.app;
    const m = await this.membership(caller, data.groupID);
    this.require(GROUP_RULES[m.group.type].setRole, m, 'setGroupMemberRole');
    const target = await this.target(app, data.groupID, data.userID);
    if (target.role === 'Owner') throw invalid('the owner’s role changes only by changeGroupOwner');
    if (target.role !== data.role) {
      await this.deps.storage.updateMember(app, data.groupID, data.userID, { role: data.role });
      const admin = data.role === 'Admin';
      await this.pushGroup(app, data.groupID, caller.connID);
      await groupTip(this.deps, app, m.group, {
        operationType: admin ? TIP.SET_ADMIN : TIP.CANCEL_ADMIN,
        operatorID: caller.userID,
        userIDList: [data.userID],
      });
      await groupNotice(this.deps, app, [data.userID], m.group, {
        operationType: admin ? NOTICE.SET_ADMIN : NOTICE.CANCEL_ADMIN,
        operatorID: caller.userID,
      });
    }
    return {
      group: await this.groups.viewFor(app, data.groupID, caller.userID),
      member: await this.memberOut(app, data.groupID, data.userID),
    };
  }

  async setMuteTime(
    caller: Caller,
    data: OpData<'setGroupMemberMuteTime'>,
  ): Promise<{ group: Group; member: GroupMember }> {
    const app = caller.app;
    const m = await this.membership(caller, data.groupID);
    const rule = GROUP_RULES[m.group.type].mute;
    this.require(rule, m, 'setGroupMemberMuteTime');
    const target = await this.target(app, data.groupID, data.userID);
    if (!allowsOn(rule, m.member.role, target.role)) {
      throw denied(`a ${m.member.role} may not mute the ${target.role} ${data.userID}`);
    }
    const muteUntil = data.muteTime === 0 ? 0 : this.deps.now() + data.muteTime;
    await this.deps.storage.updateMember(app, data.groupID, data.userID, { muteUntil });
    await this.pushGroup(app, data.groupID, caller.connID);
    await groupTip(this.deps, app, m.group, {
      operationType: TIP.MEMBER_PROFILE_UPDATED,
      operatorID: caller.userID,
      userIDList: [data.userID],
      memberList: [{ userID: data.userID, muteTime: data.muteTime }],
    });
    return {
      group: await this.groups.viewFor(app, data.groupID, caller.userID),
      member: await this.memberOut(app, data.groupID, data.userID),
    };
  }

  async setNameCard(
    caller: Caller,
    data: OpData<'setGroupMemberNameCard'>,
  ): Promise<{ group: Group; member: GroupMember }> {
    const app = caller.app;
    const m = await this.membership(caller, data.groupID);
    if (!GROUP_RULES[m.group.type].memberProfiles) {
      throw denied(`${m.group.type} groups store no member profiles`);
    }
    checkBytes(data.nameCard, LIMITS.groupNameCardBytes, 'nameCard');
    const userID = data.userID ?? caller.userID;
    const target = await this.target(app, data.groupID, userID);
    if (userID !== caller.userID && !allowsOn('admin', m.member.role, target.role)) {
      throw denied('only the owner and admins set other members’ name cards');
    }
    await this.deps.storage.updateMember(app, data.groupID, userID, { nameCard: data.nameCard });
    await this.pushGroup(app, data.groupID, caller.connID);
    return {
      group: await this.groups.viewFor(app, data.groupID, caller.userID),
      member: await this.memberOut(app, data.groupID, userID),
    };
  }

  async setCustomField(
    caller: Caller,
    data: OpData<'setGroupMemberCustomField'>,
  ): Promise<{ group: Group; member: GroupMember }> {
    const app = caller.app;
    const m = await this.membership(caller, data.groupID);
    if (!GROUP_RULES[m.group.type].memberProfiles) {
      throw denied(`${m.group.type} groups store no member profiles`);
    }
    const userID = data.userID ?? caller.userID;
    const target = await this.target(app, data.groupID, userID);
    if (userID !== caller.userID && !allowsOn('admin', m.member.role, target.role)) {
      throw denied('only the owner and admins set other members’ custom fields');
    }
    const fields = { ...target.customFields };
    for (const { key, value } of data.memberCustomField) {
      checkBytes(key, LIMITS.memberCustomFieldKeyBytes, 'memberCustomField key');
      checkBytes(value, LIMITS.memberCustomFieldValueBytes, `memberCustomField ${key}`);
      fields[key] = value;
    }
    if (Object.keys(fields).length > LIMITS.memberCustomFields) {
      throw invalid(`a member has at most ${LIMITS.memberCustomFields} custom fields`);
    }
    await this.deps.storage.updateMember(app, data.groupID, userID, { customFields: fields });
    await this.pushGroup(app, data.groupID, caller.connID);
    return {
      group: await this.groups.viewFor(app, data.groupID, caller.userID),
      member: await this.memberOut(app, data.groupID, userID),
    };
  }

  async memberProfile(
    caller: Caller,
    data: OpData<'getGroupMemberProfile'>,
  ): Promise<{ memberList: GroupMember[] }> {
    const { storage } = this.deps;
    const app = caller.app;
    const group = await this.groups.requireGroup(app, data.groupID);
    const self = await storage.getMember(app, data.groupID, caller.userID);
    if (!self && !GROUP_RULES[group.type].searchable) throw denied('not a member of this group');
    const ids = [...new Set(data.userIDList)].slice(0, LIMITS.groupMemberProfileBatch);
    const users = new Map((await storage.getUsers(app, ids)).map((u) => [u.userID, u]));
    const memberList: GroupMember[] = [];
    for (const userID of ids) {
      const member = await storage.getMember(app, data.groupID, userID);
      if (!member) continue;
      const user = users.get(userID);
      memberList.push(
        memberView({ ...member, nick: user?.nick ?? '', avatar: user?.avatar ?? '' }),
      );
    }
    return { memberList };
  }

  async search(caller: Caller, data: OpData<'searchGroupByID'>): Promise<{ group: Group }> {
    const group = await this.groups.requireGroup(caller.app, data.groupID);
    const member = await this.deps.storage.getMember(caller.app, data.groupID, caller.userID);
    if (!member && !GROUP_RULES[group.type].searchable) {
      throw denied(`${group.type} groups cannot be found by ID`);
    }
    return { group: await this.groups.view(caller.app, group, member) };
  }
}
