/**
 * The engine's group administration handlers (spread into engine-api.ts) and group pushes.
 *
 * Each request is validated against the wire schema (6017, nothing sent), sent to the server, and
 * its effect applied to the engine's group list and broadcast to every tab: the server pushes the
 * same change to the user's other sockets but not to the one that asked, so this engine broadcasts
 * it itself (GROUP_LIST_UPDATED, GROUP_ATTRIBUTES_UPDATED, GROUP_COUNTER_UPDATED).
 */
import { EVENT } from '../protocol/constants.js';
import type { Group, Message, Topic } from '../protocol/types.js';
import type { Op, PushFrame } from '../protocol/wire.js';
import { validate, type Handler } from './api-util.js';
import type { Engine } from './engine.js';

/** Keeps the engine's copy of a group the user belongs to and tells every tab. */
function keep(e: Engine, group: Group | undefined): void {
  if (!group || !('role' in group.selfInfo)) return;
  e.data.groups.set(group.groupID, group);
  e.data.groupsChanged();
}

function drop(e: Engine, groupID: string): void {
  if (e.data.groups.delete(groupID)) e.data.groupsChanged();
  dropGroupConversations(e);
}

/**
 * The server deletes a user's conversation of a group they left, were removed from or that was
 * dismissed; the engine's list follows: GROUP conversations of groups no longer in the group list
 * go, and the tabs get CONVERSATION_LIST_UPDATED.
 */
export function dropGroupConversations(e: Engine): void {
  const all = e.data.book.all();
  const kept = all.filter(
    (c) => c.type !== 'GROUP' || e.data.groups.has(c.conversationID.slice('GROUP'.length)),
  );
  if (kept.length === all.length) return;
  e.data.book.replace(kept);
  e.data.conversationsChanged();
}

/** A request whose answer carries `group` (the group as the caller now sees it). */
const withGroup =
  (op: Op): Handler =>
  async (e, _peer, p) => {
    const res = await e.conn.request<{ group?: Group }>(op, validate(op, p));
    keep(e, res.group);
    return res;
  };

const plain =
  (op: Op): Handler =>
  (e, _peer, p) =>
    e.conn.request(op, validate(op, p));

const attributes =
  (op: Op): Handler =>
  async (e, _peer, p) => {
    const data = validate(op, p) as { groupID: string };
    const res = await e.conn.request<{ groupAttributes?: Record<string, string> }>(op, data);
    const groupAttributes =
      res.groupAttributes ??
      (
        await e.conn.request<{ groupAttributes: Record<string, string> }>('getGroupAttributes', {
          groupID: data.groupID,
          keyList: [],
        })
      ).groupAttributes;
    e.broadcast(EVENT.GROUP_ATTRIBUTES_UPDATED, { groupID: data.groupID, groupAttributes });
    return res;
  };

const counters =
  (op: Op): Handler =>
  async (e, _peer, p) => {
    const data = validate(op, p) as { groupID: string };
    const res = await e.conn.request<{
      counters?: Record<string, number>;
      key?: string;
      value?: number;
    }>(op, data);
    if (res.key !== undefined && res.value !== undefined) {
      e.broadcast(EVENT.GROUP_COUNTER_UPDATED, {
        groupID: data.groupID,
        key: res.key,
        value: res.value,
      });
    } else {
      const changed = Object.keys((data as { counters?: Record<string, number> }).counters ?? {});
      for (const key of changed) {
        e.broadcast(EVENT.GROUP_COUNTER_UPDATED, {
          groupID: data.groupID,
          key,
          value: res.counters?.[key] ?? 0,
        });
      }
    }
    return res;
  };

export const groupHandlers: Record<string, Handler> = {
  async dismissGroup(e, _peer, p) {
    const data = validate('dismissGroup', p);
    const res = await e.conn.request<{ groupID: string }>('dismissGroup', data);
    drop(e, data.groupID);
    return res;
  },
  addGroupMember: withGroup('addGroupMember'),
  deleteGroupMember: withGroup('deleteGroupMember'),
  getGroupApplicationList: plain('getGroupApplicationList'),
  handleGroupApplication: withGroup('handleGroupApplication'),
  changeGroupOwner: withGroup('changeGroupOwner'),
  updateGroupProfile: withGroup('updateGroupProfile'),
  setGroupMemberRole: withGroup('setGroupMemberRole'),
  setGroupMemberMuteTime: withGroup('setGroupMemberMuteTime'),
  setGroupMemberNameCard: withGroup('setGroupMemberNameCard'),
  setGroupMemberCustomField: withGroup('setGroupMemberCustomField'),
  getGroupMemberProfile: plain('getGroupMemberProfile'),
  searchGroupByID: plain('searchGroupByID'),
  getGroupOnlineMemberCount: plain('getGroupOnlineMemberCount'),
  initGroupAttributes: attributes('initGroupAttributes'),
  setGroupAttributes: attributes('setGroupAttributes'),
  deleteGroupAttributes: attributes('deleteGroupAttributes'),
  getGroupAttributes: plain('getGroupAttributes'),
  setGroupCounters: counters('setGroupCounters'),
  increaseGroupCounter: counters('increaseGroupCounter'),
  decreaseGroupCounter: counters('decreaseGroupCounter'),
  getGroupCounters: plain('getGroupCounters'),
  async createTopicInCommunity(e, _peer, p) {
    const data = validate('createTopicInCommunity', p);
    const res = await e.conn.request<{ topicID: string }>('createTopicInCommunity', data);
    e.broadcast(EVENT.TOPIC_CREATED, { groupID: data.groupID, topicID: res.topicID });
    return res;
  },
  getTopicList: plain('getTopicList'),
  async updateTopicProfile(e, _peer, p) {
    const data = validate('updateTopicProfile', p);
    const res = await e.conn.request<{ topic: Topic }>('updateTopicProfile', data);
    e.broadcast(EVENT.TOPIC_UPDATED, { groupID: data.groupID, topic: res.topic });
    return res;
  },
  async deleteTopicFromCommunity(e, _peer, p) {
    const data = validate('deleteTopicFromCommunity', p);
    const res = await e.conn.request<{ successTopicList: { topicID: string }[] }>(
      'deleteTopicFromCommunity',
      data,
    );
    const topicIDList = res.successTopicList.map((t) => t.topicID);
    if (topicIDList.length > 0) {
      e.broadcast(EVENT.TOPIC_DELETED, { groupID: data.groupID, topicIDList });
    }
    return res;
  },
  getJoinedCommunityList: plain('getJoinedCommunityList'),
};

const SYSTEM_CONVERSATION = '@TIM#SYSTEM';

/**
 * A group system notice, pushed or from the change stream (sync.ts): MESSAGE_RECEIVED once per
 * notice. The cached @TIM#SYSTEM list (getMessageList offline) remembers the ones delivered, so a
 * notice the catch-up reads again after a restart is not told twice.
 */
export async function applyNotice(e: Engine, raw: Message): Promise<void> {
  const m = e.data.normalize(raw);
  if (e.data.notices.has(m.ID)) return;
  e.data.notices.add(m.ID);
  const cached = await e.data.cache?.loadMessages(SYSTEM_CONVERSATION);
  if (cached?.some((x) => x.ID === m.ID)) return;
  await e.data.cache?.appendMessages(SYSTEM_CONVERSATION, [m]);
  e.broadcast(EVENT.MESSAGE_RECEIVED, [m]);
}

/** Group pushes (wire.ts GroupPush) but notices (applyNotice); true when handled. */
export function applyGroupPush(e: Engine, frame: PushFrame): boolean {
  switch (frame.push) {
    case 'groupAttributesUpdated':
      e.broadcast(EVENT.GROUP_ATTRIBUTES_UPDATED, frame.data);
      return true;
    case 'groupCounterUpdated':
      e.broadcast(EVENT.GROUP_COUNTER_UPDATED, frame.data);
      return true;
    case 'topicCreated':
      e.broadcast(EVENT.TOPIC_CREATED, frame.data);
      return true;
    case 'topicDeleted':
      e.broadcast(EVENT.TOPIC_DELETED, frame.data);
      return true;
    case 'topicUpdated':
      e.broadcast(EVENT.TOPIC_UPDATED, frame.data);
      return true;
    default:
      return false;
  }
}
