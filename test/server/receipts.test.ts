// Read state: C2C messageReadByPeer, read receipts (needReadReceipt) and who read a group message.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode } from '../../src/protocol/codes.js';
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

describe('read receipts', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('C2C setMessageRead pushes messageReadByPeer to the peer, once per advance', async () => {
    const [a, b] = [uid('a'), uid('b')];
    const alice = await connectClient(server, a);
    const bob = await connectClient(server, b);
    await send(alice, textMessage(b, 'one'));
    const two = await send(alice, textMessage(b, 'two'));
    await bob.request('setMessageRead', { conversationID: `C2C${a}` });
    const push = await alice.nextPush('messageReadByPeer');
    assert.equal(push.data.conversationID, `C2C${b}`);
    assert.equal(push.data.readSequence, two.message.sequence);
    assert.ok(Math.abs(push.data.time - Date.now() / 1000) < 5);
    assert.equal(await bob.noPush('messageReadByPeer', 50), true);
    await bob.request('setMessageRead', { conversationID: `C2C${a}` });
    assert.equal(await alice.noPush('messageReadByPeer', 100), true, 'nothing new read');
    const list = await alice.request<MessageListResult>('getMessageList', {
      conversationID: `C2C${b}`,
    });
    assert.deepEqual(
      list.messageList.map((m) => m.isPeerRead),
      [true, true],
    );
    const three = await send(alice, textMessage(b, 'three'));
    const again = await alice.request<MessageListResult>('getMessageList', {
      conversationID: `C2C${b}`,
    });
    assert.equal(again.messageList.find((m) => m.ID === three.message.ID)?.isPeerRead, false);
    await alice.close();
    await bob.close();
  });

  test('group receipts: counted per member, pushed to the sender, unread untouched', async () => {
    const [o, a, b, c] = [uid('o'), uid('a'), uid('b'), uid('c')];
    await registerUsers(server, a, b, c);
    const owner = await connectClient(server, o);
    const groupID = await createGroupWith(owner, [a, b, c]);
    const cid = `GROUP${groupID}`;
    const ann = await connectClient(server, a);
    const ben = await connectClient(server, b);
    const asked = await send(owner, groupText(groupID, 'read me', { needReadReceipt: true }));
    const plain = await send(owner, groupText(groupID, 'plain'));
    const own = await send(ann, groupText(groupID, 'mine', { needReadReceipt: true }));

    await ann.request('sendMessageReadReceipt', {
      conversationID: cid,
      messageIDList: [asked.message.ID, plain.message.ID, own.message.ID],
    });
    const push = await owner.nextPush('messageReadReceipt');
    assert.deepEqual(push.data, [
      {
        conversationID: cid,
        groupID,
        userID: a,
        messageID: asked.message.ID,
        readCount: 1,
        unreadCount: 2,
        isPeerRead: false,
      },
    ]);
    assert.equal(await ann.noPush('messageReadReceipt', 50), true, 'own message ignored');
    assert.equal((await conversation(ann, cid)).unreadCount, 2, 'receipts do not change unread');

    // a repeat changes nothing
    await ann.request('sendMessageReadReceipt', {
      conversationID: cid,
      messageIDList: [asked.message.ID],
    });
    assert.equal(await owner.noPush('messageReadReceipt', 100), true);
    await ben.request('sendMessageReadReceipt', {
      conversationID: cid,
      messageIDList: [asked.message.ID],
    });
    assert.equal((await owner.nextPush('messageReadReceipt')).data[0].readCount, 2);

    const receipts = await owner.request('getMessageReadReceiptList', {
      conversationID: cid,
      messageIDList: [asked.message.ID],
    });
    assert.deepEqual(receipts.messageList[0].readReceiptInfo, {
      readCount: 2,
      unreadCount: 1,
      isPeerRead: false,
    });
    await assert.rejects(
      ann.request('getMessageReadReceiptList', {
        conversationID: cid,
        messageIDList: [asked.message.ID],
      }),
      { code: ErrorCode.NO_PERMISSION },
    );
    await assert.rejects(
      owner.request('getMessageReadReceiptList', {
        conversationID: cid,
        messageIDList: [plain.message.ID],
      }),
      { code: ErrorCode.READ_RECEIPT_NOT_FOUND },
    );
    await assert.rejects(
      ann.request('sendMessageReadReceipt', { conversationID: cid, messageIDList: ['nope'] }),
      { code: ErrorCode.MESSAGE_NOT_FOUND },
    );
    await assert.rejects(
      ann.request('sendMessageReadReceipt', {
        conversationID: cid,
        messageIDList: Array.from({ length: 31 }, (_, i) => `m${i}`),
      }),
      { code: ErrorCode.INVALID_PARAMETER },
    );

    // who read it, paged by userID
    const members = async (filter: 0 | 1, cursor = '', count = 100) =>
      owner.request('getGroupMessageReadMemberList', {
        conversationID: cid,
        messageID: asked.message.ID,
        filter,
        cursor,
        count,
      });
    const read = await members(0);
    assert.deepEqual(read.readUserIDList, [a, b].sort());
    assert.equal(read.isCompleted, true);
    assert.equal(read.cursor, '');
    assert.equal(read.messageID, asked.message.ID);
    const unread = await members(1);
    assert.deepEqual(unread.unreadUserIDList, [c]);
    const page1 = await members(0, '', 1);
    assert.equal(page1.readUserIDList.length, 1);
    assert.equal(page1.isCompleted, false);
    const page2 = await members(0, page1.cursor, 1);
    assert.deepEqual([...page1.readUserIDList, ...page2.readUserIDList], [a, b].sort());
    assert.equal(page2.isCompleted, true);
    await assert.rejects(
      ann.request('getGroupMessageReadMemberList', {
        conversationID: cid,
        messageID: asked.message.ID,
        filter: 0,
      }),
      { code: ErrorCode.NO_PERMISSION },
    );
    await assert.rejects(
      owner.request('getGroupMessageReadMemberList', {
        conversationID: cid,
        messageID: plain.message.ID,
        filter: 0,
      }),
      { code: ErrorCode.READ_RECEIPT_NOT_FOUND },
    );
    await assert.rejects(
      owner.request('getGroupMessageReadMemberList', {
        conversationID: cid,
        messageID: asked.message.ID,
        filter: 0,
        count: 101,
      }),
      { code: ErrorCode.INVALID_PARAMETER },
    );
    // a member who leaves no longer counts
    await ben.request('quitGroup', { groupID });
    const after = await owner.request('getMessageReadReceiptList', {
      conversationID: cid,
      messageIDList: [asked.message.ID],
    });
    assert.deepEqual(after.messageList[0].readReceiptInfo, {
      readCount: 1,
      unreadCount: 1,
      isPeerRead: false,
    });
    for (const client of [owner, ann, ben]) await client.close();
  });

  test('C2C receipts: isPeerRead; a non-participant cannot send receipts', async () => {
    const [a, b, x] = [uid('a'), uid('b'), uid('x')];
    const alice = await connectClient(server, a);
    const bob = await connectClient(server, b);
    const outsider = await connectClient(server, x);
    const { message } = await send(alice, textMessage(b, 'receipt?', { needReadReceipt: true }));
    const before = await alice.request('getMessageReadReceiptList', {
      conversationID: `C2C${b}`,
      messageIDList: [message.ID],
    });
    assert.deepEqual(before.messageList[0].readReceiptInfo, {
      readCount: 0,
      unreadCount: 1,
      isPeerRead: false,
    });
    // the outsider's C2C conversation with alice does not hold bob's message
    await assert.rejects(
      outsider.request('sendMessageReadReceipt', {
        conversationID: `C2C${a}`,
        messageIDList: [message.ID],
      }),
      { code: ErrorCode.MESSAGE_NOT_FOUND },
    );
    await bob.request('sendMessageReadReceipt', {
      conversationID: `C2C${a}`,
      messageIDList: [message.ID],
    });
    const push = await alice.nextPush('messageReadReceipt');
    assert.equal(push.data[0].conversationID, `C2C${b}`);
    assert.equal(push.data[0].isPeerRead, true);
    assert.equal(push.data[0].groupID, '');
    const list = await alice.request('getMessageReadReceiptList', {
      conversationID: `C2C${b}`,
      messageIDList: [message.ID],
    });
    assert.equal(list.messageList[0].isPeerRead, true);
    assert.deepEqual(list.messageList[0].readReceiptInfo, {
      readCount: 1,
      unreadCount: 0,
      isPeerRead: true,
    });
    assert.equal((await conversation(bob, `C2C${a}`)).unreadCount, 1);
    for (const c of [alice, bob, outsider]) await c.close();
  });
});
