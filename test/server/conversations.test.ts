import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode } from '../../src/protocol/codes.js';
import type { Conversation, Group } from '../../src/protocol/types.js';
import {
  connectClient,
  groupText,
  registerUsers,
  startTestServer,
  textMessage,
  uid,
  type RunningServer,
} from '../helpers/server.js';

type List = { conversationList: Conversation[] };

describe('conversations', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('both sides of a C2C chat get the conversation, with server-side unread counts', async () => {
    const [a, b] = [uid('a'), uid('b')];
    const alice = await connectClient(server, a);
    const bob = await connectClient(server, b);
    await alice.request('updateMyProfile', { nick: 'Alice' });
    for (let i = 0; i < 3; i++) await alice.request('sendMessage', textMessage(b, `hi ${i}`));
    await bob.request('sendMessage', textMessage(a, 'yo'));

    const bobs = (await bob.request<List>('getConversationList')).conversationList;
    assert.equal(bobs.length, 1);
    const conv = bobs[0];
    assert.equal(conv.conversationID, `C2C${a}`);
    assert.equal(conv.type, 'C2C');
    assert.equal(conv.unreadCount, 3, "bob's own message is not unread");
    assert.equal(conv.lastMessage?.messageForShow, 'yo');
    assert.equal(conv.lastMessage?.fromAccount, b);
    assert.equal(conv.lastMessage?.lastSequence, 4);
    assert.equal(conv.userProfile?.userID, a);
    assert.equal(conv.userProfile?.nick, 'Alice');
    assert.equal(conv.groupProfile, null);
    assert.equal(conv.readSequence, 0);

    const alices = (await alice.request<List>('getConversationList')).conversationList;
    assert.equal(alices[0].conversationID, `C2C${b}`);
    assert.equal(alices[0].unreadCount, 1);
    await alice.close();
    await bob.close();
  });

  test('setMessageRead zeroes unread, answers {}, pushes conversationRead to the other sockets', async () => {
    const [a, b] = [uid('a'), uid('b')];
    const alice = await connectClient(server, a);
    const bob1 = await connectClient(server, b);
    const bob2 = await connectClient(server, b);
    for (let i = 0; i < 5; i++) await alice.request('sendMessage', textMessage(b, `m${i}`));
    assert.deepEqual(await bob1.request('setMessageRead', { conversationID: `C2C${a}` }), {});
    const push = await bob2.nextPush('conversationRead');
    assert.deepEqual(push.data, { conversationID: `C2C${a}`, readSequence: 5 });
    assert.equal(await bob1.noPush('conversationRead', 50), true);
    const { conversation } = await bob2.request<{ conversation: Conversation }>(
      'getConversationProfile',
      { conversationID: `C2C${a}` },
    );
    assert.equal(conversation.unreadCount, 0);
    assert.equal(conversation.readSequence, 5);
    await alice.request('sendMessage', textMessage(b, 'one more'));
    const list = (await bob1.request<List>('getConversationList')).conversationList;
    assert.equal(list[0].unreadCount, 1);
    for (const c of [alice, bob1, bob2]) await c.close();
  });

  test('the list is ordered by activity (orderKey desc)', async () => {
    const me = uid('me');
    const [p1, p2, p3] = [uid('p'), uid('p'), uid('p')];
    await registerUsers(server, p1, p2, p3);
    const client = await connectClient(server, me);
    for (const p of [p1, p2, p3]) await client.request('sendMessage', textMessage(p, 'x'));
    await client.request('sendMessage', textMessage(p1, 'again'));
    const list = (await client.request<List>('getConversationList')).conversationList;
    assert.deepEqual(
      list.map((c) => c.conversationID),
      [`C2C${p1}`, `C2C${p3}`, `C2C${p2}`],
    );
    const keys = list.map((c) => c.orderKey);
    assert.deepEqual(
      keys,
      [...keys].sort((x, y) => y - x),
    );
    await client.close();
  });

  test('group conversations: all members, unread, groupProfile; Meeting unread is always 0', async () => {
    const owner = await connectClient(server, uid('o'));
    const m = uid('m');
    await registerUsers(server, m);
    const work = (
      await owner.request<{ group: Group }>('createGroup', {
        name: 'work',
        memberList: [{ userID: m }],
      })
    ).group;
    const meet = (
      await owner.request<{ group: Group }>('createGroup', {
        name: 'meet',
        type: 'ChatRoom',
        memberList: [{ userID: m }],
      })
    ).group;
    const member = await connectClient(server, m);
    let list = (await member.request<List>('getConversationList')).conversationList;
    assert.equal(list.length, 2, 'a new group shows up before any message');
    assert.ok(list.every((c) => c.lastMessage === null && c.unreadCount === 0));
    for (let i = 0; i < 2; i++) {
      await owner.request('sendMessage', groupText(work.groupID, `w${i}`));
      await owner.request('sendMessage', groupText(meet.groupID, `m${i}`));
    }
    list = (await member.request<List>('getConversationList')).conversationList;
    const byID = new Map(list.map((c) => [c.conversationID, c]));
    const w = byID.get(`GROUP${work.groupID}`)!;
    const mt = byID.get(`GROUP${meet.groupID}`)!;
    assert.equal(w.unreadCount, 2);
    assert.equal(w.type, 'GROUP');
    assert.equal(w.groupProfile?.groupID, work.groupID);
    assert.equal(w.groupProfile?.name, 'work');
    assert.equal(w.userProfile, null);
    assert.equal(w.lastMessage?.messageForShow, 'w1');
    assert.equal(mt.unreadCount, 0);
    assert.equal(mt.lastMessage?.messageForShow, 'm1');
    assert.equal(list[0].conversationID, `GROUP${meet.groupID}`, 'newest activity first');
    await member.request('setMessageRead', { conversationID: `GROUP${work.groupID}` });
    const { conversation } = await member.request<{ conversation: Conversation }>(
      'getConversationProfile',
      { conversationID: `GROUP${work.groupID}` },
    );
    assert.equal(conversation.unreadCount, 0);
    assert.equal(conversation.readSequence, 2);
    // owner's list: own messages are never unread
    const ownerList = (await owner.request<List>('getConversationList')).conversationList;
    assert.ok(ownerList.every((c) => c.unreadCount === 0));
    // quitting removes the conversation
    await member.request('quitGroup', { groupID: work.groupID });
    list = (await member.request<List>('getConversationList')).conversationList;
    assert.deepEqual(
      list.map((c) => c.conversationID),
      [`GROUP${meet.groupID}`],
    );
    await owner.close();
    await member.close();
  });

  test('getConversationProfile and setMessageRead errors', async () => {
    const client = await connectClient(server, uid('x'));
    const bad = ErrorCode.INVALID_PARAMETER;
    await assert.rejects(client.request('getConversationProfile', { conversationID: 'nonsense' }), {
      code: bad,
    });
    await assert.rejects(
      client.request('getConversationProfile', { conversationID: 'C2Cbad user' }),
      { code: bad },
    );
    await assert.rejects(
      client.request('getConversationProfile', { conversationID: `C2C${uid('ghost')}` }),
      { code: ErrorCode.ACCOUNT_NOT_FOUND },
    );
    await assert.rejects(
      client.request('getConversationProfile', { conversationID: 'GROUPnope' }),
      { code: ErrorCode.GROUP_NOT_FOUND },
    );
    await assert.rejects(client.request('setMessageRead', { conversationID: 'nonsense' }), {
      code: bad,
    });
    await assert.rejects(client.request('setMessageRead', { conversationID: 'GROUPnope' }), {
      code: ErrorCode.GROUP_NOT_FOUND,
    });
    const sys = await client.request<{ conversation: Conversation }>('getConversationProfile', {
      conversationID: '@TIM#SYSTEM',
    });
    assert.equal(sys.conversation.type, '@TIM#SYSTEM');
    assert.deepEqual(await client.request('setMessageRead', { conversationID: '@TIM#SYSTEM' }), {});
    const peer = uid('p');
    await registerUsers(server, peer);
    const empty = await client.request<{ conversation: Conversation }>('getConversationProfile', {
      conversationID: `C2C${peer}`,
    });
    assert.equal(empty.conversation.lastMessage, null);
    assert.equal(empty.conversation.userProfile?.userID, peer);
    await client.close();
  });
});
