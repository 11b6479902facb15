import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode } from '../../src/protocol/codes.js';
import type { Group, GroupMember, Message } from '../../src/protocol/types.js';
import { parseOp, type MessageListResult } from '../../src/protocol/wire.js';
import { MemoryBus } from '../../src/server/bus/memory.js';
import { createLogger } from '../../src/server/log.js';
import { Metrics } from '../../src/server/metrics.js';
import { DEFAULT_CONFIG, nowSeconds } from '../../src/server/services/deps.js';
import { GroupService } from '../../src/server/services/groups.js';
import { MessageService } from '../../src/server/services/messages.js';
import { SqliteStorage } from '../../src/server/storage/sqlite.js';
import {
  connectClient,
  groupText,
  registerUsers,
  startTestServer,
  uid,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';

describe('groups', () => {
  let server: RunningServer;
  let owner: TestClient;
  before(async () => {
    server = await startTestServer();
    owner = await connectClient(server, uid('owner'));
  });
  after(async () => {
    await owner.close();
    await server.close();
  });

  const create = (data: Record<string, unknown>) =>
    owner.request<{ group: Group; overLimitUserIDList: string[] }>('createGroup', data);

  test('createGroup defaults per type; the creator is Owner', async () => {
    const work = (await create({ name: 'work' })).group;
    assert.equal(work.type, 'Private');
    assert.match(work.groupID, /^@TGS#1[A-Z0-9]{9}$/);
    assert.equal(work.joinOption, 'DisableApply');
    assert.equal(work.maxMemberCount, 200);
    assert.equal(work.ownerID, owner.userID);
    assert.equal(work.memberCount, 1);
    assert.equal((work.selfInfo as { role: string }).role, 'Owner');
    const pub = (await create({ name: 'pub', type: 'Public' })).group;
    assert.equal(pub.joinOption, 'NeedPermission');
    assert.equal(pub.maxMemberCount, 2000);
    const meeting = (await create({ name: 'meet', type: 'ChatRoom', joinOption: 'NeedPermission' }))
      .group;
    assert.equal(meeting.joinOption, 'FreeAccess');
    assert.equal(meeting.maxMemberCount, 10000);
    const free = (
      await create({ name: 'free', type: 'Public', joinOption: 'FreeAccess', maxMemberNum: 3 })
    ).group;
    assert.equal(free.joinOption, 'FreeAccess');
    assert.equal(free.maxMemberCount, 3);
    const { groupList } = await owner.request<{ groupList: Group[] }>('getGroupList');
    assert.deepEqual(
      new Set(groupList.map((g) => g.groupID)),
      new Set([work.groupID, pub.groupID, meeting.groupID, free.groupID]),
    );
  });

  test('createGroup validation: type, lengths, joinOption, IDs, members', async () => {
    const bad = ErrorCode.INVALID_PARAMETER;
    await assert.rejects(
      create({ name: 'x', type: 'AVChatRoom', memberList: [{ userID: owner.userID + 'x' }] }),
      { code: bad, message: /without members/ },
    );
    await assert.rejects(create({ name: 'x', type: 'Nope' }), { code: bad });
    await assert.rejects(create({ name: '' }), { code: bad });
    await assert.rejects(create({ name: 'x'.repeat(31) }), { code: bad });
    await assert.rejects(create({ name: '群'.repeat(11) }), { code: bad }, '33 bytes');
    await assert.rejects(create({ name: 'x', introduction: 'x'.repeat(241) }), { code: bad });
    await assert.rejects(create({ name: 'x', notification: 'x'.repeat(301) }), { code: bad });
    await assert.rejects(create({ name: 'x', avatar: 'x'.repeat(101) }), { code: bad });
    await assert.rejects(create({ name: 'x', type: 'Public', joinOption: 'Sometimes' }), {
      code: bad,
    });
    await assert.rejects(create({ name: 'x', groupID: '@TGS#mine' }), { code: bad });
    await assert.rejects(create({ name: 'x', memberList: [{ userID: uid('ghost') }] }), {
      code: ErrorCode.ACCOUNT_NOT_FOUND,
    });
    const members = Array.from({ length: 501 }, (_, i) => ({ userID: `m${i}` }));
    await assert.rejects(create({ name: 'x', memberList: members }), { code: bad });
    const groupID = uid('g');
    await create({ name: 'mine', groupID });
    await assert.rejects(create({ name: 'again', groupID }), { code: ErrorCode.GROUP_ID_IN_USE });
    // nothing half-created
    const { groupList } = await owner.request<{ groupList: Group[] }>('getGroupList');
    assert.equal(groupList.filter((g) => g.name === 'x' || g.name === 'again').length, 0);
  });

  test('memberList members are added directly and told through groupListChanged', async () => {
    const [m1, m2] = [uid('m'), uid('m')];
    await registerUsers(server, m2);
    const c1 = await connectClient(server, m1);
    const { group } = await create({ name: 'team', memberList: [{ userID: m1 }, { userID: m2 }] });
    assert.equal(group.memberCount, 3);
    const push = await c1.nextPush('groupListChanged');
    assert.equal(push.data.groupID, group.groupID);
    const { groupList } = await c1.request<{ groupList: Group[] }>('getGroupList');
    assert.equal(groupList.length, 1);
    assert.equal((groupList[0].selfInfo as { role: string }).role, 'Member');
    const members = await c1.request<{ memberList: GroupMember[]; offset: number }>(
      'getGroupMemberList',
      { groupID: group.groupID },
    );
    assert.deepEqual(
      members.memberList.map((m) => m.userID),
      [owner.userID, m1, m2],
    );
    assert.equal(members.memberList[0].role, 'Owner');
    assert.equal(members.offset, 0);
    await c1.close();
  });

  test('Work groups: join is 10007, owner may quit and the group is left without owner', async () => {
    const m = uid('m');
    await registerUsers(server, m);
    const { group } = await create({ name: 'work', memberList: [{ userID: m }] });
    const stranger = await connectClient(server, uid('s'));
    await assert.rejects(stranger.request('joinGroup', { groupID: group.groupID }), {
      code: ErrorCode.NO_PERMISSION,
    });
    await assert.rejects(stranger.request('getGroupProfile', { groupID: group.groupID }), {
      code: ErrorCode.NO_PERMISSION,
    });
    await assert.rejects(stranger.request('getGroupMemberList', { groupID: group.groupID }), {
      code: ErrorCode.NO_PERMISSION,
    });
    await assert.rejects(stranger.request('quitGroup', { groupID: group.groupID }), {
      code: ErrorCode.NO_PERMISSION,
    });
    const member = await connectClient(server, m);
    assert.deepEqual(await owner.request('quitGroup', { groupID: group.groupID }), {
      groupID: group.groupID,
    });
    const updated = await member.nextPush('groupUpdated');
    assert.equal(updated.data.ownerID, '');
    assert.equal(updated.data.memberCount, 1);
    const profile = (
      await member.request<{ group: Group }>('getGroupProfile', { groupID: group.groupID })
    ).group;
    assert.equal(profile.ownerID, '');
    await stranger.close();
    await member.close();
  });

  test('Public groups: by joinOption; owner cannot quit (10009); missing group 10010', async () => {
    const need = (await create({ name: 'need', type: 'Public' })).group;
    const free = (
      await create({ name: 'free', type: 'Public', joinOption: 'FreeAccess', maxMemberNum: 2 })
    ).group;
    const closed = (await create({ name: 'closed', type: 'Public', joinOption: 'DisableApply' }))
      .group;
    const u = await connectClient(server, uid('u'));
    const u2 = await connectClient(server, uid('u'));
    assert.deepEqual(
      await u.request('joinGroup', { groupID: need.groupID, applyMessage: 'let me in' }),
      { status: 'WaitAdminApproval' },
    );
    assert.equal((await u.request<{ groupList: Group[] }>('getGroupList')).groupList.length, 0);
    await assert.rejects(u.request('joinGroup', { groupID: closed.groupID }), {
      code: ErrorCode.NO_PERMISSION,
    });
    // non-members may read a Public group's profile, without selfInfo
    const seen = (await u.request<{ group: Group }>('getGroupProfile', { groupID: free.groupID }))
      .group;
    assert.deepEqual(seen.selfInfo, {});
    const joined = await u.request<{ status: string; group: Group }>('joinGroup', {
      groupID: free.groupID,
    });
    assert.equal(joined.status, 'JoinedSuccess');
    assert.equal(joined.group.memberCount, 2);
    assert.equal((joined.group.selfInfo as { role: string }).role, 'Member');
    const updated = await owner.nextPush('groupUpdated');
    assert.equal(updated.data.groupID, free.groupID);
    assert.equal(updated.data.memberCount, 2);
    const again = await u.request<{ status: string }>('joinGroup', { groupID: free.groupID });
    assert.equal(again.status, 'AlreadyInGroup');
    await assert.rejects(u2.request('joinGroup', { groupID: free.groupID }), {
      code: ErrorCode.GROUP_FULL,
    });
    await assert.rejects(owner.request('quitGroup', { groupID: free.groupID }), {
      code: ErrorCode.OWNER_CANNOT_QUIT,
    });
    assert.deepEqual(await u.request('quitGroup', { groupID: free.groupID }), {
      groupID: free.groupID,
    });
    assert.equal((await owner.nextPush('groupUpdated')).data.memberCount, 1);
    await assert.rejects(u.request('quitGroup', { groupID: free.groupID }), {
      code: ErrorCode.NO_PERMISSION,
    });
    await assert.rejects(u.request('joinGroup', { groupID: '@TGS#1NOPENOPE' }), {
      code: ErrorCode.GROUP_NOT_FOUND,
    });
    await assert.rejects(u.request('getGroupProfile', { groupID: 'missing' }), {
      code: ErrorCode.GROUP_NOT_FOUND,
    });
    await assert.rejects(u.request('quitGroup', { groupID: 'missing' }), {
      code: ErrorCode.GROUP_NOT_FOUND,
    });
    await u.close();
    await u2.close();
  });

  test('Meeting groups: anyone joins; owner cannot quit', async () => {
    const { group } = await create({ name: 'meet', type: 'ChatRoom' });
    const u = await connectClient(server, uid('u'));
    const other = await connectClient(server, u.userID);
    const joined = await u.request<{ status: string }>('joinGroup', { groupID: group.groupID });
    assert.equal(joined.status, 'JoinedSuccess');
    assert.equal((await other.nextPush('groupListChanged')).data.groupID, group.groupID);
    assert.equal(await u.noPush('groupListChanged', 50), true, 'the joining socket has its answer');
    await assert.rejects(owner.request('quitGroup', { groupID: group.groupID }), {
      code: ErrorCode.OWNER_CANNOT_QUIT,
    });
    await u.close();
    await other.close();
  });

  test('member list paging: count default 15, max 100, offset', async () => {
    const ids = Array.from({ length: 20 }, () => uid('p'));
    await registerUsers(server, ...ids);
    const { group } = await create({
      name: 'big',
      type: 'Public',
      memberList: ids.map((userID) => ({ userID })),
    });
    const first = await owner.request<{ memberList: GroupMember[]; offset: number }>(
      'getGroupMemberList',
      { groupID: group.groupID },
    );
    assert.equal(first.memberList.length, 15);
    assert.equal(first.offset, 15);
    const second = await owner.request<{ memberList: GroupMember[]; offset: number }>(
      'getGroupMemberList',
      { groupID: group.groupID, offset: 15 },
    );
    assert.equal(second.memberList.length, 6);
    assert.equal(second.offset, 0);
    const all = [...first.memberList, ...second.memberList].map((m) => m.userID);
    assert.deepEqual(all, [owner.userID, ...ids]);
    await assert.rejects(
      owner.request('getGroupMemberList', { groupID: group.groupID, count: 101 }),
      { code: ErrorCode.INVALID_PARAMETER },
    );
  });

  test('group messages: members only, pushed to every member, seq per group', async () => {
    const [m1, m2] = [uid('m'), uid('m')];
    await registerUsers(server, m1, m2);
    const { group } = await create({
      name: 'chat',
      type: 'Public',
      memberList: [{ userID: m1 }, { userID: m2 }],
    });
    const c1 = await connectClient(server, m1);
    const c2 = await connectClient(server, m2);
    // Tips of earlier tests' groups may still wait unread in the owner's frames.
    while (!(await owner.noPush('message', 0))) await owner.nextPush('message');
    const ownerTab = await connectClient(server, owner.userID);
    const outsider = await connectClient(server, uid('o'));
    const { message } = await c1.request<{ message: Message }>(
      'sendMessage',
      groupText(group.groupID, 'hi all'),
    );
    assert.equal(message.conversationID, `GROUP${group.groupID}`);
    assert.equal(message.flow, 'out');
    assert.equal(message.sequence, 1);
    for (const c of [c2, owner, ownerTab]) {
      const push = await c.nextPush('message');
      assert.equal(push.data.ID, message.ID);
      assert.equal(push.data.flow, 'in');
      assert.equal(push.data.conversationID, `GROUP${group.groupID}`);
    }
    assert.equal(await c1.noPush('message', 50), true);
    assert.equal(await outsider.noPush('message', 0), true);
    await assert.rejects(outsider.request('sendMessage', groupText(group.groupID, 'let me talk')), {
      code: ErrorCode.NO_PERMISSION,
    });
    await assert.rejects(outsider.request('sendMessage', groupText('nogroup', 'x')), {
      code: ErrorCode.GROUP_NOT_FOUND,
    });
    await assert.rejects(
      outsider.request('getMessageList', { conversationID: `GROUP${group.groupID}` }),
      { code: ErrorCode.NO_PERMISSION },
    );
    const second = await c2.request<{ message: Message }>(
      'sendMessage',
      groupText(group.groupID, 'hello'),
    );
    assert.equal(second.message.sequence, 2);
    for (const c of [c1, c2, ownerTab, outsider]) await c.close();
  });
});

describe('join visibility', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  async function scenario(type: 'Public' | 'ChatRoom') {
    const owner = await connectClient(server, uid('o'));
    const { group } = await owner.request<{ group: Group }>('createGroup', {
      name: 'g',
      type,
      joinOption: 'FreeAccess',
    });
    for (let i = 0; i < 3; i++)
      await owner.request('sendMessage', groupText(group.groupID, `before ${i}`));
    const late = await connectClient(server, uid('late'));
    await late.request('joinGroup', { groupID: group.groupID });
    await owner.request('sendMessage', groupText(group.groupID, 'after'));
    await late.nextPush('message');
    const page = await late.request<MessageListResult>('getMessageList', {
      conversationID: `GROUP${group.groupID}`,
    });
    const all = await late.request<{ messages: { message: Message }[] }>('sync', { cursor: 0 });
    // The join tip (group-events.ts) is in the history too; these tests are about the texts.
    const isText = (m: Message) => m.type === 'TIMTextElem';
    assert.equal(page.messageList.filter((m) => !isText(m)).length, 1, 'the join tip');
    const history = { ...page, messageList: page.messageList.filter(isText) };
    const sync = { messages: all.messages.filter((m) => isText(m.message)) };
    const { conversationList } = await late.request('getConversationList');
    await owner.close();
    await late.close();
    return { history, sync, conversation: conversationList[0] };
  }

  test('a Public (Work-like) member does not see messages from before joining', async () => {
    const { history, sync, conversation } = await scenario('Public');
    assert.deepEqual(
      history.messageList.map((m) => m.payload),
      [{ text: 'after' }],
    );
    assert.equal(history.isCompleted, true);
    assert.deepEqual(
      sync.messages.map((m) => m.message.payload),
      [{ text: 'after' }],
    );
    assert.equal(conversation.unreadCount, 1);
    assert.equal(conversation.lastMessage.messageForShow, 'after');
  });

  test('a Meeting member sees earlier history; sync still starts at the join', async () => {
    const { history, sync, conversation } = await scenario('ChatRoom');
    assert.deepEqual(
      history.messageList.map((m) => (m.payload as { text: string }).text),
      ['before 0', 'before 1', 'before 2', 'after'],
    );
    assert.deepEqual(
      sync.messages.map((m) => m.message.payload),
      [{ text: 'after' }],
    );
    assert.equal(conversation.unreadCount, 0, 'Meeting groups have no unread count');
  });

  test('a Work member added later (storage-level invite) does not see earlier messages', async () => {
    // Work groups gain members only by invitation (addGroupMember, a later op): drive the
    // services directly with the same visibility rule the invite will use.
    const storage = new SqliteStorage({ file: ':memory:' });
    const deps = {
      storage,
      bus: new MemoryBus(),
      metrics: new Metrics(),
      log: createLogger(false),
      now: nowSeconds,
      nowMs: Date.now,
      config: DEFAULT_CONFIG,
    };
    const groups = new GroupService(deps);
    const messages = new MessageService(deps);
    const app = 1;
    const caller = (userID: string) => ({ app, userID, instanceID: 'i', connID: `c-${userID}` });
    await storage.ensureUser(app, 'o', 1);
    await storage.ensureUser(app, 'm', 1);
    const { group } = await groups.create(caller('o'), {
      name: 'w',
      type: 'Private',
      introduction: '',
      notification: '',
      avatar: '',
      memberList: [],
      isSupportTopic: false,
    });
    const send = (text: string) => {
      const parsed = parseOp('sendMessage', groupText(group.groupID, text));
      assert.ok(parsed.ok);
      return messages.send(caller('o'), parsed.value);
    };
    await send('before');
    assert.equal(await storage.addMember(app, group.groupID, 'm', 'Member', 2, false), 'added');
    await send('after');
    const page = await messages.getMessageList(caller('m'), {
      conversationID: `GROUP${group.groupID}`,
    });
    assert.deepEqual(
      page.messageList.map((x) => x.payload),
      [{ text: 'after' }],
    );
    const owner = await messages.getMessageList(caller('o'), {
      conversationID: `GROUP${group.groupID}`,
    });
    assert.equal(owner.messageList.length, 2);
    await storage.close();
  });
});
