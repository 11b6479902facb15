// Group administration end to end on a real server: what each operation pushes (tips in history,
// system notices, groupUpdated / groupListChanged to the other devices), first-admin-wins on
// applications, AVChatRoom attributes and their limits, counters, one AVChatRoom per user.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode } from '../../src/protocol/codes.js';
import type { Group, GroupMember, Message } from '../../src/protocol/types.js';
import type { GroupApplication, MessageListResult } from '../../src/protocol/wire.js';
import {
  connectClient,
  startTestServer,
  uid,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';

const C = ErrorCode;
let server: RunningServer;
const open: TestClient[] = [];

async function client(prefix: string, userID?: string): Promise<TestClient> {
  const c = await connectClient(server, userID ?? uid(prefix));
  open.push(c);
  return c;
}

before(async () => {
  server = await startTestServer();
});
after(async () => {
  for (const c of open) await c.close();
  await server.close();
});

const tips = async (c: TestClient, groupID: string) =>
  (
    await c.request<MessageListResult>('getMessageList', { conversationID: `GROUP${groupID}` })
  ).messageList.filter((m) => m.type === 'TIMGroupTipElem');

type Notice = Message & { payload: { operationType: number; operatorID: string } };

/** The next system notice of this operation type (invitations at creation come first). */
const noticeOf = async (c: TestClient, operationType: number): Promise<Notice> => {
  for (;;) {
    const notice = (await c.nextPush('groupSystemNotice')).data as Notice;
    if (notice.payload.operationType === operationType) return notice;
  }
};

describe('group system notices are stored', () => {
  test('a member kicked while offline gets the notice from the change stream and in @TIM#SYSTEM', async () => {
    const owner = await client('o');
    const memberID = uid('m');
    let member = await client('m', memberID);
    const { group } = await owner.request<{ group: Group }>('createGroup', {
      name: 'notices',
      type: 'Public',
      memberList: [{ userID: memberID }],
    });
    // Online: the notice of the invitation is pushed with its change cursor.
    const invited = await member.nextPush('groupSystemNotice');
    assert.ok(invited.cursor! > 0);
    const since = invited.cursor!;
    await member.terminate();

    await owner.request('deleteGroupMember', { groupID: group.groupID, userIDList: [memberID] });
    const bystander = await client('b');

    member = await client('m', memberID);
    const page = await member.request('syncChanges', { cursor: since });
    const notices = page.changes.map((ch: { cursor: number; message: Notice }) => ch.message);
    assert.deepEqual(
      notices.map((n: Notice) => [n.type, n.conversationID, n.payload.operationType, n.to]),
      [['TIMGroupSystemNoticeElem', '@TIM#SYSTEM', 4, memberID]],
    );
    assert.equal(notices[0].payload.operatorID, owner.userID);
    assert.equal(page.cursor, page.changes[0].cursor);
    // The system conversation's history holds both, oldest first, and pages.
    const history = await member.request<MessageListResult>('getMessageList', {
      conversationID: '@TIM#SYSTEM',
    });
    assert.deepEqual(
      history.messageList.map((m) => (m as Notice).payload.operationType),
      [7, 4],
    );
    assert.equal(history.isCompleted, true);
    const older = await member.request<MessageListResult>('getMessageList', {
      conversationID: '@TIM#SYSTEM',
      count: 1,
    });
    assert.deepEqual(
      older.messageList.map((m) => m.ID),
      [notices[0].ID],
    );
    assert.equal(older.isCompleted, false);
    const first = await member.request<MessageListResult>('getMessageList', {
      conversationID: '@TIM#SYSTEM',
      count: 1,
      nextReqMessageID: older.nextReqMessageID,
    });
    assert.deepEqual(
      first.messageList.map((m) => m.ID),
      [invited.data.ID],
    );
    // Nobody else's.
    const theirs = await bystander.request('syncChanges', { cursor: 0 });
    assert.ok(
      !theirs.changes.some(
        (ch: { message: Message }) => ch.message.type === 'TIMGroupSystemNoticeElem',
      ),
    );
    const none = await bystander.request<MessageListResult>('getMessageList', {
      conversationID: '@TIM#SYSTEM',
    });
    assert.deepEqual(none.messageList, []);
  });
});

describe('group administration', () => {
  test('applications: notices to owner and admins, first handler wins (10024), join tip', async () => {
    const [owner, admin, applicant] = await Promise.all(['o', 'a', 'p'].map((p) => client(p)));
    const { group } = await owner.request<{ group: Group }>('createGroup', {
      name: 'pub',
      type: 'Public',
      memberList: [{ userID: admin.userID, role: 'Admin' }],
    });
    const joined = await applicant.request<{ status: string }>('joinGroup', {
      groupID: group.groupID,
      applyMessage: 'let me in',
    });
    assert.equal(joined.status, 'WaitAdminApproval');
    for (const c of [owner, admin]) {
      const notice = await noticeOf(c, 1);
      assert.equal(notice.type, 'TIMGroupSystemNoticeElem');
      assert.equal(notice.conversationID, '@TIM#SYSTEM');
      assert.equal(notice.payload.operationType, 1);
      assert.equal(notice.payload.operatorID, applicant.userID);
    }
    const { applicationList } = await admin.request<{ applicationList: GroupApplication[] }>(
      'getGroupApplicationList',
    );
    assert.deepEqual(
      applicationList.map((a) => [a.groupID, a.applicant, a.applyMessage]),
      [[group.groupID, applicant.userID, 'let me in']],
    );
    await admin.request('handleGroupApplication', {
      groupID: group.groupID,
      userID: applicant.userID,
      handleAction: 'Agree',
    });
    await assert.rejects(
      owner.request('handleGroupApplication', {
        groupID: group.groupID,
        userID: applicant.userID,
        handleAction: 'Reject',
      }),
      { code: C.GROUP_APPLICATION_HANDLED },
    );
    assert.equal((await noticeOf(applicant, 2)).payload.operationType, 2);
    assert.equal((await applicant.nextPush('groupListChanged')).data.groupID, group.groupID);
    const joinTips = await tips(applicant, group.groupID);
    assert.deepEqual(
      joinTips.map((t) => (t.payload as { operationType: number }).operationType),
      [1],
    );
    assert.equal((joinTips[0].payload as { operatorID: string }).operatorID, admin.userID);
    const after = await owner.request<{ applicationList: GroupApplication[] }>(
      'getGroupApplicationList',
    );
    assert.deepEqual(after.applicationList, []);
  });

  test('kick: the kicked user loses the group and gets a notice; members get the tip', async () => {
    const [owner, m1, m2] = await Promise.all(['o', 'm', 'm'].map((p) => client(p)));
    const m1Tab = await client('', m1.userID);
    const { group } = await owner.request<{ group: Group }>('createGroup', {
      name: 'w',
      memberList: [{ userID: m1.userID }, { userID: m2.userID }],
    });
    const res = await owner.request<{ userIDList: string[] }>('deleteGroupMember', {
      groupID: group.groupID,
      userIDList: [m1.userID],
      reason: 'bye',
    });
    assert.deepEqual(res.userIDList, [m1.userID]);
    for (const c of [m1, m1Tab]) {
      assert.equal((await c.nextPush('groupListChanged')).data.groupID, group.groupID);
      assert.equal((await noticeOf(c, 4)).payload.operationType, 4);
    }
    const tip = (await m2.nextPush('message')).data as Message;
    assert.equal(tip.type, 'TIMGroupTipElem');
    assert.deepEqual(tip.payload, {
      operationType: 3,
      operatorID: owner.userID,
      userIDList: [m1.userID],
    });
    const { groupList } = await m1.request<{ groupList: Group[] }>('getGroupList');
    assert.equal(groupList.length, 0);
    await assert.rejects(
      m1.request('getMessageList', { conversationID: `GROUP${group.groupID}` }),
      { code: C.NO_PERMISSION },
    );
  });

  test('roles, mute, name cards: tips, pushes to other devices, member fields', async () => {
    const [owner, m1] = await Promise.all(['o', 'm'].map((p) => client(p)));
    const ownerTab = await client('', owner.userID);
    const { group } = await owner.request<{ group: Group }>('createGroup', {
      name: 'c',
      type: 'Community',
      memberList: [{ userID: m1.userID }],
    });
    await ownerTab.nextPush('groupListChanged');
    const role = await owner.request<{ member: GroupMember }>('setGroupMemberRole', {
      groupID: group.groupID,
      userID: m1.userID,
      role: 'Admin',
    });
    assert.equal(role.member.role, 'Admin');
    assert.equal((await noticeOf(m1, 9)).payload.operationType, 9);
    const pushed = (await ownerTab.nextPush('groupUpdated')).data as Group;
    assert.equal(pushed.groupID, group.groupID);
    const muted = await owner.request<{ member: GroupMember }>('setGroupMemberMuteTime', {
      groupID: group.groupID,
      userID: m1.userID,
      muteTime: 300,
    });
    assert.ok(muted.member.muteUntil > Date.now() / 1000 + 290);
    const card = await m1.request<{ member: GroupMember }>('setGroupMemberNameCard', {
      groupID: group.groupID,
      nameCard: 'Boss',
    });
    assert.equal(card.member.nameCard, 'Boss');
    await assert.rejects(
      m1.request('setGroupMemberNameCard', { groupID: group.groupID, nameCard: 'x'.repeat(51) }),
      { code: C.INVALID_PARAMETER },
    );
    const custom = await m1.request<{ member: GroupMember }>('setGroupMemberCustomField', {
      groupID: group.groupID,
      memberCustomField: [{ key: 'level', value: 'gold' }],
    });
    assert.deepEqual(custom.member.memberCustomField, [{ key: 'level', value: 'gold' }]);
    await assert.rejects(
      m1.request('setGroupMemberCustomField', {
        groupID: group.groupID,
        memberCustomField: [{ key: 'k'.repeat(17), value: 'x' }],
      }),
      { code: C.INVALID_PARAMETER },
    );
    const { memberList } = await owner.request<{ memberList: GroupMember[] }>(
      'getGroupMemberProfile',
      { groupID: group.groupID, userIDList: [m1.userID, 'nobody_here'] },
    );
    assert.deepEqual(
      memberList.map((m) => [m.userID, m.role, m.nameCard, m.memberCustomField]),
      [[m1.userID, 'Admin', 'Boss', [{ key: 'level', value: 'gold' }]]],
    );
    const ops = (await tips(owner, group.groupID)).map(
      (t) => (t.payload as { operationType: number }).operationType,
    );
    assert.deepEqual(ops, [4, 7]);
  });

  test('updateGroupProfile: validation changes nothing; the tip carries the new fields', async () => {
    const owner = await client('o');
    const { group } = await owner.request<{ group: Group }>('createGroup', {
      name: 'p',
      type: 'Public',
    });
    await assert.rejects(
      owner.request('updateGroupProfile', { groupID: group.groupID, name: 'x'.repeat(31) }),
      { code: C.INVALID_PARAMETER },
    );
    await assert.rejects(owner.request('updateGroupProfile', { groupID: group.groupID }), {
      code: C.INVALID_PARAMETER,
    });
    const res = await owner.request<{ group: Group }>('updateGroupProfile', {
      groupID: group.groupID,
      name: 'renamed',
      notification: 'read the rules',
      joinOption: 'FreeAccess',
    });
    assert.equal(res.group.name, 'renamed');
    assert.equal(res.group.joinOption, 'FreeAccess');
    assert.equal(res.group.infoSequence, group.infoSequence + 1);
    const t = await tips(owner, group.groupID);
    assert.equal(t.length, 1, 'the failed updates left no tip');
    assert.deepEqual((t[0].payload as { newGroupProfile: unknown }).newGroupProfile, {
      name: 'renamed',
      notification: 'read the rules',
      joinOption: 'FreeAccess',
    });
  });

  test('dismiss: every member loses the group and gets a notice', async () => {
    const [owner, m1] = await Promise.all(['o', 'm'].map((p) => client(p)));
    const { group } = await owner.request<{ group: Group }>('createGroup', {
      name: 'm',
      type: 'ChatRoom',
      memberList: [{ userID: m1.userID }],
    });
    await owner.request('dismissGroup', { groupID: group.groupID });
    assert.equal((await m1.nextPush('groupListChanged')).data.groupID, group.groupID);
    assert.equal((await noticeOf(m1, 5)).payload.operationType, 5);
    assert.equal((await m1.request<{ groupList: Group[] }>('getGroupList')).groupList.length, 0);
  });

  test('AVChatRoom: attributes with limits and full-map pushes; one room per user', async () => {
    const [owner, viewer] = await Promise.all(['o', 'v'].map((p) => client(p)));
    const { group } = await owner.request<{ group: Group }>('createGroup', {
      name: 'live',
      type: 'AVChatRoom',
    });
    const { group: other } = await owner.request<{ group: Group }>('createGroup', {
      name: 'live2',
      type: 'AVChatRoom',
    });
    await viewer.request('joinGroup', { groupID: group.groupID });
    await owner.request('initGroupAttributes', {
      groupID: group.groupID,
      groupAttributes: { seat1: 'a', seat2: 'b' },
    });
    const push = await viewer.nextPush('groupAttributesUpdated');
    assert.deepEqual(push.data, {
      groupID: group.groupID,
      groupAttributes: { seat1: 'a', seat2: 'b' },
    });
    await viewer.request('setGroupAttributes', {
      groupID: group.groupID,
      groupAttributes: { seat2: 'viewer' },
    });
    const tooMany = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    for (const groupAttributes of [tooMany, { ['k'.repeat(33)]: 'v' }, { k: 'v'.repeat(4097) }]) {
      await assert.rejects(
        viewer.request('setGroupAttributes', { groupID: group.groupID, groupAttributes }),
        { code: C.INVALID_PARAMETER },
      );
    }
    const got = await owner.request<{ groupAttributes: Record<string, string> }>(
      'getGroupAttributes',
      { groupID: group.groupID, keyList: [] },
    );
    assert.deepEqual(got.groupAttributes, { seat1: 'a', seat2: 'viewer' });
    const del = await owner.request<{ keyList: string[] }>('deleteGroupAttributes', {
      groupID: group.groupID,
      keyList: ['seat1', 'nope'],
    });
    assert.deepEqual(del.keyList, ['seat1']);
    // The owner removes a viewer with a ban: no rejoin before it ends.
    const banned = await client('b');
    await banned.request('joinGroup', { groupID: group.groupID });
    await owner.request('deleteGroupMember', {
      groupID: group.groupID,
      userIDList: [banned.userID],
      duration: 600,
    });
    await assert.rejects(banned.request('joinGroup', { groupID: group.groupID }), {
      code: C.NO_PERMISSION,
      message: /banned/,
    });
    // Joining a second AVChatRoom leaves the first.
    await viewer.request('joinGroup', { groupID: other.groupID });
    const { groupList } = await viewer.request<{ groupList: Group[] }>('getGroupList');
    assert.deepEqual(
      groupList.map((g) => g.groupID),
      [other.groupID],
    );
    // No history is stored in an AVChatRoom.
    const page = await owner.request<MessageListResult>('getMessageList', {
      conversationID: `GROUP${other.groupID}`,
    });
    assert.deepEqual(page.messageList, []);
  });

  test('counters: set, increase, decrease, pushed to the other members', async () => {
    const [owner, m1] = await Promise.all(['o', 'm'].map((p) => client(p)));
    const { group } = await owner.request<{ group: Group }>('createGroup', {
      name: 'w',
      memberList: [{ userID: m1.userID }],
    });
    await owner.request('setGroupCounters', { groupID: group.groupID, counters: { likes: 5 } });
    assert.deepEqual((await m1.nextPush('groupCounterUpdated')).data, {
      groupID: group.groupID,
      key: 'likes',
      value: 5,
    });
    const inc = await m1.request<{ value: number }>('increaseGroupCounter', {
      groupID: group.groupID,
      key: 'likes',
      value: 3,
    });
    assert.equal(inc.value, 8);
    const dec = await m1.request<{ value: number }>('decreaseGroupCounter', {
      groupID: group.groupID,
      key: 'fresh',
      value: 2,
    });
    assert.equal(dec.value, -2, 'a missing key starts at 0');
    const { counters } = await owner.request<{ counters: Record<string, number> }>(
      'getGroupCounters',
      { groupID: group.groupID },
    );
    assert.deepEqual(counters, { fresh: -2, likes: 8 });
    const many = Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`c${i}`, i]));
    await assert.rejects(
      owner.request('setGroupCounters', { groupID: group.groupID, counters: many }),
      { code: C.INVALID_PARAMETER },
    );
  });

  test('community topics: create, list, update, delete; events to the members', async () => {
    const [owner, m1] = await Promise.all(['o', 'm'].map((p) => client(p)));
    await assert.rejects(
      owner.request('createGroup', { name: 'x', type: 'Public', isSupportTopic: true }),
      { code: C.INVALID_PARAMETER },
    );
    const { group } = await owner.request<{ group: Group }>('createGroup', {
      name: 'com',
      type: 'Community',
      isSupportTopic: true,
      memberList: [{ userID: m1.userID }],
    });
    assert.equal(group.isSupportTopic, true);
    const { topicID } = await owner.request<{ topicID: string }>('createTopicInCommunity', {
      groupID: group.groupID,
      topicName: 'general',
    });
    assert.ok(topicID.startsWith(`${group.groupID}@TOPIC#`));
    assert.deepEqual((await m1.nextPush('topicCreated')).data, {
      groupID: group.groupID,
      topicID,
    });
    const custom = `${group.groupID}@TOPIC#_news`;
    await owner.request('createTopicInCommunity', {
      groupID: group.groupID,
      topicName: 'news',
      topicID: custom,
    });
    await assert.rejects(
      owner.request('createTopicInCommunity', {
        groupID: group.groupID,
        topicName: 'dup',
        topicID: custom,
      }),
      { code: C.GROUP_ID_IN_USE },
    );
    await assert.rejects(
      owner.request('createTopicInCommunity', {
        groupID: group.groupID,
        topicName: 'bad',
        topicID: 'elsewhere@TOPIC#_x',
      }),
      { code: C.INVALID_PARAMETER },
    );
    await assert.rejects(
      m1.request('createTopicInCommunity', { groupID: group.groupID, topicName: 'mine' }),
      { code: C.NO_PERMISSION },
    );
    const list = await m1.request<{
      successTopicList: { topicID: string; topicName: string }[];
      failureTopicList: { topicID: string; code: number }[];
    }>('getTopicList', { groupID: group.groupID, topicIDList: [custom, `${custom}_gone`] });
    assert.deepEqual(
      list.successTopicList.map((t) => t.topicName),
      ['news'],
    );
    assert.deepEqual(
      list.failureTopicList.map((f) => f.code),
      [C.GROUP_NOT_FOUND],
    );
    const updated = await owner.request<{ topic: { topicName: string; muteAllMembers: boolean } }>(
      'updateTopicProfile',
      { groupID: group.groupID, topicID: custom, topicName: 'News', muteAllMembers: true },
    );
    assert.deepEqual([updated.topic.topicName, updated.topic.muteAllMembers], ['News', true]);
    assert.equal((await m1.nextPush('topicUpdated')).data.topic.topicName, 'News');
    const del = await owner.request<{ successTopicList: { topicID: string }[] }>(
      'deleteTopicFromCommunity',
      { groupID: group.groupID },
    );
    assert.equal(del.successTopicList.length, 2);
    assert.equal((await m1.nextPush('topicDeleted')).data.topicIDList.length, 2);
    const joined = await m1.request<{ groupList: Group[] }>('getJoinedCommunityList');
    assert.deepEqual(
      joined.groupList.map((g) => g.groupID),
      [group.groupID],
    );
  });
});
