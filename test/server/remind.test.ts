// @-mentions (groupAtInfoList), do-not-disturb per conversation and the global receive option.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode } from '../../src/protocol/codes.js';
import { TYPES } from '../../src/protocol/constants.js';
import type { Conversation, Message } from '../../src/protocol/types.js';
import type { MessageListResult } from '../../src/protocol/wire.js';
import {
  connectClient,
  createGroupWith,
  groupText,
  registerUsers,
  startTestServer,
  textMessage,
  uid,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';

const send = (client: TestClient, data: unknown) =>
  client.request<{ message: Message }>('sendMessage', data);

async function conversation(client: TestClient, conversationID: string): Promise<Conversation> {
  return (await client.request('getConversationProfile', { conversationID })).conversation;
}

describe('mentions', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('groupAtInfoList lists unread @me / @all / both, and setMessageRead clears it', async () => {
    const [o, a, b] = [uid('o'), uid('a'), uid('b')];
    await registerUsers(server, a, b);
    const owner = await connectClient(server, o);
    const groupID = await createGroupWith(owner, [a, b]);
    const cid = `GROUP${groupID}`;
    const ann = await connectClient(server, a);
    const ben = await connectClient(server, b);
    const atAnn = await send(owner, groupText(groupID, '@ann', { atUserList: [a] }));
    assert.deepEqual(atAnn.message.atUserList, [a]);
    // Tencent's createTextAtMessage puts the list in the payload
    const atAll = await send(
      owner,
      groupText(groupID, '@all', { payload: { text: '@all', atUserList: [TYPES.MSG_AT_ALL] } }),
    );
    const both = await send(
      owner,
      groupText(groupID, '@all @ann', { atUserList: [TYPES.MSG_AT_ALL, a] }),
    );
    await send(owner, groupText(groupID, 'plain'));

    const annInfo = (await conversation(ann, cid)).groupAtInfoList;
    assert.deepEqual(
      annInfo.map((i) => [i.messageID, i.messageSequence, i.atTypeArray]),
      [
        [atAnn.message.ID, atAnn.message.sequence, [TYPES.CONV_AT_ME]],
        [atAll.message.ID, atAll.message.sequence, [TYPES.CONV_AT_ALL]],
        [both.message.ID, both.message.sequence, [TYPES.CONV_AT_ALL_AT_ME]],
      ],
    );
    assert.equal(annInfo[0].groupID, groupID);
    const benInfo = (await ben.request('getConversationList')).conversationList[0]
      .groupAtInfoList as Conversation['groupAtInfoList'];
    assert.deepEqual(
      benInfo.map((i) => i.atTypeArray[0]),
      [TYPES.CONV_AT_ALL, TYPES.CONV_AT_ALL],
    );
    assert.deepEqual((await conversation(owner, cid)).groupAtInfoList, [], 'not for the sender');

    await ann.request('setMessageRead', { conversationID: cid });
    assert.deepEqual((await conversation(ann, cid)).groupAtInfoList, []);
    assert.equal((await conversation(ben, cid)).groupAtInfoList.length, 2);

    await assert.rejects(send(owner, groupText(groupID, 'x', { atUserList: ['bad id!'] })), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    for (const c of [owner, ann, ben]) await c.close();
  });
});

describe('do not disturb', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('Discard: stored, not pushed, not synced, not bumped, not unread; history keeps it', async () => {
    const [o, a] = [uid('o'), uid('a')];
    await registerUsers(server, a);
    const owner = await connectClient(server, o);
    const groupID = await createGroupWith(owner, [a]);
    const cid = `GROUP${groupID}`;
    const ann = await connectClient(server, a);
    const ann2 = await connectClient(server, a);
    const first = await send(owner, groupText(groupID, 'before'));
    await ann.nextPush('message');
    await ann2.nextPush('message');
    const before = await conversation(ann, cid);
    const cursor = (await ann.request('sync', { cursor: 0 })).cursor;

    const r = await ann.request('setMessageRemindType', {
      groupID,
      messageRemindType: TYPES.MSG_REMIND_DISCARD,
    });
    assert.deepEqual(r, { groupID, messageRemindType: 'Discard' });
    const updated = await ann2.nextPush('conversationUpdated');
    assert.equal(updated.data.messageRemindType, 'Discard');
    assert.equal(updated.data.groupProfile?.selfInfo.messageRemindType, 'Discard');
    assert.equal(await ann.noPush('conversationUpdated', 50), true);

    const during = await send(owner, groupText(groupID, 'while discarding'));
    assert.equal(await ann.noPush('message', 150), true);
    assert.equal(await ann2.noPush('message', 10), true);
    const after = await conversation(ann, cid);
    assert.equal(after.lastMessage?.ID, first.message.ID, 'not bumped');
    assert.equal(after.orderKey, before.orderKey);
    assert.equal(after.unreadCount, before.unreadCount);
    assert.equal((await ann.request('sync', { cursor })).messages.length, 0);
    const list = await ann.request<MessageListResult>('getMessageList', { conversationID: cid });
    assert.deepEqual(
      list.messageList.map((m) => m.ID),
      [first.message.ID, during.message.ID],
    );

    // back to normal: new messages flow again
    await ann.request('setMessageRemindType', {
      groupID,
      messageRemindType: TYPES.MSG_REMIND_ACPT_AND_NOTE,
    });
    const later = await send(owner, groupText(groupID, 'after'));
    assert.equal((await ann.nextPush('message')).data.ID, later.message.ID);
    for (const c of [owner, ann, ann2]) await c.close();
  });

  test('a member who set Discard, quit and was added again gets the pushes again', async () => {
    const [o, a] = [uid('o'), uid('a')];
    await registerUsers(server, a);
    const owner = await connectClient(server, o);
    const groupID = await createGroupWith(owner, [a]);
    const ann = await connectClient(server, a);
    await ann.request('setMessageRemindType', {
      groupID,
      messageRemindType: TYPES.MSG_REMIND_DISCARD,
    });
    await send(owner, groupText(groupID, 'discarded'));
    assert.equal(await ann.noPush('message', 100), true);
    await ann.request('quitGroup', { groupID });
    await owner.request('addGroupMember', { groupID, userIDList: [a] });
    const back = await send(owner, groupText(groupID, 'welcome back'));
    const got = await ann.nextFrame(
      (f) => 'push' in f && f.push === 'message' && f.data.ID === back.message.ID,
    );
    assert.ok(got, 'quitting dropped the Discard setting');
    for (const c of [owner, ann]) await c.close();
  });

  test('AcceptNotNotify is stored and pushed, messages still arrive; C2C results per user', async () => {
    const [a, b, c] = [uid('a'), uid('b'), uid('c')];
    await registerUsers(server, b, c);
    const alice = await connectClient(server, a);
    const alice2 = await connectClient(server, a);
    const bob = await connectClient(server, b);
    const missing = uid('nobody');
    const r = await alice.request('setMessageRemindType', {
      userIDList: [b, c, missing],
      messageRemindType: TYPES.MSG_REMIND_ACPT_NOT_NOTE,
    });
    assert.deepEqual(r.successUserIDList, [b, c]);
    assert.equal(r.failureUserIDList.length, 1);
    assert.equal(r.failureUserIDList[0].userID, missing);
    assert.equal(r.failureUserIDList[0].code, ErrorCode.ACCOUNT_NOT_FOUND);
    const pushes = [
      await alice2.nextPush('conversationUpdated'),
      await alice2.nextPush('conversationUpdated'),
    ];
    assert.deepEqual(
      pushes.map((p) => [p.data.conversationID, p.data.messageRemindType]),
      [
        [`C2C${b}`, 'AcceptNotNotify'],
        [`C2C${c}`, 'AcceptNotNotify'],
      ],
    );
    // a conversation without messages yet keeps the setting, and it is not listed
    assert.equal((await conversation(alice, `C2C${b}`)).messageRemindType, 'AcceptNotNotify');
    assert.equal((await alice.request('getConversationList')).conversationList.length, 0);
    await send(bob, textMessage(a, 'hi'));
    assert.equal((await alice.nextPush('message')).data.from, b);
    const conv = await conversation(alice, `C2C${b}`);
    assert.equal(conv.messageRemindType, 'AcceptNotNotify');
    assert.equal(conv.unreadCount, 1);
    // the peer's own view is untouched
    assert.equal((await conversation(bob, `C2C${a}`)).messageRemindType, 'AcceptAndNotify');
    for (const client of [alice, alice2, bob]) await client.close();
  });

  test('setMessageRemindType errors change nothing', async () => {
    const [o, a, x] = [uid('o'), uid('a'), uid('x')];
    await registerUsers(server, a);
    const owner = await connectClient(server, o);
    const groupID = await createGroupWith(owner, [a]);
    const outsider = await connectClient(server, x);
    const set = (client: TestClient, data: Record<string, unknown>) =>
      client.request('setMessageRemindType', { messageRemindType: 'Discard', ...data });
    await assert.rejects(set(outsider, { groupID }), { code: ErrorCode.NO_PERMISSION });
    await assert.rejects(set(owner, { groupID: 'nope' }), { code: ErrorCode.GROUP_NOT_FOUND });
    await assert.rejects(set(owner, {}), { code: ErrorCode.INVALID_PARAMETER });
    await assert.rejects(set(owner, { groupID, userIDList: [a] }), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    const many = Array.from({ length: 31 }, (_, i) => `u${i}`);
    await assert.rejects(set(owner, { userIDList: many }), { code: ErrorCode.INVALID_PARAMETER });
    await assert.rejects(set(owner, { groupID, messageRemindType: 'Loud' }), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    assert.equal(
      (await conversation(owner, `GROUP${groupID}`)).messageRemindType,
      'AcceptAndNotify',
    );
    assert.equal((await conversation(owner, `C2C${a}`)).messageRemindType, 'AcceptAndNotify');
    await owner.close();
    await outsider.close();
  });

  test('setAllReceiveMessageOpt / getAllReceiveMessageOpt, synced to other sockets', async () => {
    const a = uid('a');
    const alice = await connectClient(server, a);
    const alice2 = await connectClient(server, a);
    assert.deepEqual(await alice.request('getAllReceiveMessageOpt'), {
      messageRemindType: 'AcceptAndNotify',
      startHour: 0,
      startMinute: 0,
      startSecond: 0,
      duration: 0,
      isRepeated: false,
    });
    assert.deepEqual(
      await alice.request('setAllReceiveMessageOpt', {
        messageRemindType: TYPES.MSG_REMIND_ACPT_NOT_NOTE,
        startHour: 22,
        duration: 8 * 3600,
        isRepeated: true,
      }),
      {},
    );
    const push = await alice2.nextPush('allReceiveMessageOptUpdated');
    assert.equal(push.data.messageRemindType, 'AcceptNotNotify');
    assert.equal(push.data.startHour, 22);
    await alice.request('setAllReceiveMessageOpt', { startMinute: 30 });
    const opt = await alice2.request('getAllReceiveMessageOpt');
    assert.deepEqual(opt, {
      messageRemindType: 'AcceptNotNotify',
      startHour: 22,
      startMinute: 30,
      startSecond: 0,
      duration: 28800,
      isRepeated: true,
    });
    await assert.rejects(
      alice.request('setAllReceiveMessageOpt', { messageRemindType: 'Discard' }),
      { code: ErrorCode.INVALID_PARAMETER },
    );
    await assert.rejects(alice.request('setAllReceiveMessageOpt', { startHour: 24 }), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    assert.deepEqual(await alice.request('getAllReceiveMessageOpt'), opt);
    await alice.close();
    await alice2.close();
  });
});
