/**
 * Community topics: a Community created with `isSupportTopic` holds topics (profile objects:
 * name, avatar, introduction, notification, customData, mute-all). Owner and admins create,
 * update and delete them; every member lists them. Changes push `topicCreated`, `topicDeleted`,
 * `topicUpdated` to every member (TOPIC_CREATED / TOPIC_DELETED / TOPIC_UPDATED).
 *
 * Codes: 10010 group missing; 10007 not a member, or a plain member changing topics; 10004 not a
 * topic-enabled community, bad field, topicID not `<groupID>@TOPIC#...`, over 1000 topics;
 * 10021 topicID in use; in failureTopicList: 10010 for a topic that does not exist.
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../../protocol/codes.js';
import { LIMITS } from '../../protocol/constants.js';
import { allows } from '../../protocol/group-rules.js';
import type { Group, Topic } from '../../protocol/types.js';
import type { OpData } from '../../protocol/wire.js';
import { ImError, invalid } from '../errors.js';
import type { GroupRecord, TopicPatch, TopicRecord } from '../storage/types.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import { checkBytes, type GroupService } from './groups.js';

const topicView = (t: TopicRecord): Topic => ({
  topicID: t.topicID,
  topicName: t.topicName,
  avatar: t.avatar,
  introduction: t.introduction,
  notification: t.notification,
  customData: t.customData,
  muteAllMembers: t.muteAllMembers,
  createTime: t.createTime,
});

function checkFields(d: {
  topicName?: string;
  avatar?: string;
  introduction?: string;
  notification?: string;
  customData?: string;
}): void {
  if (d.topicName !== undefined) checkBytes(d.topicName, LIMITS.groupNameBytes, 'topicName');
  if (d.avatar !== undefined) checkBytes(d.avatar, LIMITS.groupAvatarBytes, 'avatar');
  if (d.introduction !== undefined)
    checkBytes(d.introduction, LIMITS.groupIntroductionBytes, 'introduction');
  if (d.notification !== undefined)
    checkBytes(d.notification, LIMITS.groupNotificationBytes, 'notification');
  if (d.customData !== undefined)
    checkBytes(d.customData, LIMITS.topicCustomDataBytes, 'customData');
}

export class TopicService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly groups: GroupService,
  ) {}

  /** The community (10010 / 10004) and the caller's role (10007 for non-members). */
  private async community(
    caller: Caller,
    groupID: string,
    needAdmin: boolean,
  ): Promise<GroupRecord> {
    const group = await this.groups.requireGroup(caller.app, groupID);
    const member = await this.deps.storage.getMember(caller.app, groupID, caller.userID);
    if (!member) throw new ImError(ErrorCode.NO_PERMISSION, 'not a member of this group');
    if (group.type !== 'Community' || !group.isSupportTopic) {
      throw invalid('the group is not a community with topics');
    }
    if (needAdmin && !allows('admin', member.role)) {
      throw new ImError(ErrorCode.NO_PERMISSION, 'only the owner and admins manage topics');
    }
    return group;
  }

  private async members(app: number, groupID: string): Promise<string[]> {
    return (await this.deps.storage.allMembers(app, groupID)).map((m) => m.userID);
  }

  async create(
    caller: Caller,
    data: OpData<'createTopicInCommunity'>,
  ): Promise<{ topicID: string }> {
    await this.community(caller, data.groupID, true);
    checkFields(data);
    const prefix = `${data.groupID}@TOPIC#`;
    if (data.topicID !== undefined && !data.topicID.startsWith(prefix)) {
      throw invalid(`a custom topicID must start with ${prefix}`);
    }
    const topicID = data.topicID ?? `${prefix}_${randomBytes(6).toString('hex')}`;
    const result = await this.deps.storage.createTopic(
      caller.app,
      {
        topicID,
        groupID: data.groupID,
        topicName: data.topicName,
        avatar: data.avatar,
        introduction: data.introduction,
        notification: data.notification,
        customData: data.customData,
        muteAllMembers: false,
        createTime: this.deps.now(),
      },
      LIMITS.topicsPerCommunity,
    );
    if (result === 'taken') {
      throw new ImError(ErrorCode.GROUP_ID_IN_USE, `topic ID ${topicID} is already in use`);
    }
    if (result === 'limit') {
      throw invalid(`a community has at most ${LIMITS.topicsPerCommunity} topics`);
    }
    await pushTo(
      this.deps,
      caller.app,
      await this.members(caller.app, data.groupID),
      { push: 'topicCreated', data: { groupID: data.groupID, topicID } },
      caller.connID,
    );
    return { topicID };
  }

  async list(
    caller: Caller,
    data: OpData<'getTopicList'>,
  ): Promise<{
    successTopicList: Topic[];
    failureTopicList: { topicID: string; code: number; message: string }[];
  }> {
    await this.community(caller, data.groupID, false);
    const all = await this.deps.storage.listTopics(caller.app, data.groupID);
    if (!data.topicIDList) return { successTopicList: all.map(topicView), failureTopicList: [] };
    const byID = new Map(all.map((t) => [t.topicID, t]));
    const wanted = [...new Set(data.topicIDList)];
    return {
      successTopicList: wanted.filter((id) => byID.has(id)).map((id) => topicView(byID.get(id)!)),
      failureTopicList: wanted
        .filter((id) => !byID.has(id))
        .map((topicID) => ({
          topicID,
          code: ErrorCode.GROUP_NOT_FOUND,
          message: 'topic does not exist',
        })),
    };
  }

  async update(caller: Caller, data: OpData<'updateTopicProfile'>): Promise<{ topic: Topic }> {
    await this.community(caller, data.groupID, true);
    checkFields(data);
    const patch: TopicPatch = {};
    for (const k of [
      'topicName',
      'avatar',
      'introduction',
      'notification',
      'customData',
      'muteAllMembers',
    ] as const) {
      if (data[k] !== undefined) (patch as Record<string, unknown>)[k] = data[k];
    }
    if (Object.keys(patch).length === 0) throw invalid('nothing to update');
    const stored = await this.deps.storage.updateTopic(
      caller.app,
      data.groupID,
      data.topicID,
      patch,
    );
    if (!stored) throw invalid(`topic ${data.topicID} does not exist in this community`);
    const topic = topicView(stored);
    await pushTo(
      this.deps,
      caller.app,
      await this.members(caller.app, data.groupID),
      { push: 'topicUpdated', data: { groupID: data.groupID, topic } },
      caller.connID,
    );
    return { topic };
  }

  async delete(
    caller: Caller,
    data: OpData<'deleteTopicFromCommunity'>,
  ): Promise<{
    successTopicList: { topicID: string }[];
    failureTopicList: { topicID: string; code: number; message: string }[];
  }> {
    await this.community(caller, data.groupID, true);
    const ids =
      data.topicIDList ??
      (await this.deps.storage.listTopics(caller.app, data.groupID)).map((t) => t.topicID);
    const success: { topicID: string }[] = [];
    const failure: { topicID: string; code: number; message: string }[] = [];
    for (const topicID of new Set(ids)) {
      if (await this.deps.storage.deleteTopic(caller.app, data.groupID, topicID)) {
        success.push({ topicID });
      } else {
        failure.push({
          topicID,
          code: ErrorCode.GROUP_NOT_FOUND,
          message: 'topic does not exist',
        });
      }
    }
    if (success.length > 0) {
      await pushTo(
        this.deps,
        caller.app,
        await this.members(caller.app, data.groupID),
        {
          push: 'topicDeleted',
          data: { groupID: data.groupID, topicIDList: success.map((t) => t.topicID) },
        },
        caller.connID,
      );
    }
    return { successTopicList: success, failureTopicList: failure };
  }

  async joinedCommunities(caller: Caller): Promise<{ groupList: Group[] }> {
    const groupList: Group[] = [];
    for (const { group, member } of await this.deps.storage.listUserGroups(
      caller.app,
      caller.userID,
    )) {
      if (group.type === 'Community' && group.isSupportTopic) {
        groupList.push(await this.groups.view(caller.app, group, member));
      }
    }
    return { groupList };
  }
}
