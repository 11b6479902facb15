import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode } from '../../src/protocol/codes.js';
import type { Message } from '../../src/protocol/types.js';
import type { MessageListResult } from '../../src/protocol/wire.js';
import {
  connectClient,
  readMetric,
  registerUsers,
  startTestServer,
  textMessage,
  uid,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';

const text = textMessage;

describe('messages', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('1:1 send: sender gets the stored message, receiver a push, both views right', async () => {
    const [a, b] = [uid('a'), uid('b')];
    const alice = await connectClient(server, a);
    const bob = await connectClient(server, b);
    const req = text(b, 'hello bob');
    const { message } = await alice.request<{ message: Message }>('sendMessage', req);
    assert.equal(message.ID, req.message.ID);
    assert.equal(message.flow, 'out');
    assert.equal(message.status, 'success');
    assert.equal(message.conversationID, `C2C${b}`);
    assert.equal(message.from, a);
    assert.equal(message.to, b);
    assert.equal(message.sequence, 1);
    assert.ok(Math.abs(message.time - Date.now() / 1000) < 5);
    assert.deepEqual(message.payload, { text: 'hello bob' });
    const push = await bob.nextPush('message');
    assert.ok(push.cursor > 0);
    assert.equal(push.data.flow, 'in');
    assert.equal(push.data.conversationID, `C2C${a}`);
    assert.equal(push.data.ID, message.ID);
    assert.equal(push.data.sequence, 1);
    assert.equal(await alice.noPush('message', 100), true, 'the sending socket gets no push');
    await alice.close();
    await bob.close();
  });

  test('sender nick and avatar come from the profile', async () => {
    const [a, b] = [uid('a'), uid('b')];
    await registerUsers(server, b);
    const alice = await connectClient(server, a);
    await alice.request('updateMyProfile', { nick: 'Alice', avatar: 'https://x/a.png' });
    const { message } = await alice.request('sendMessage', text(b, 'hi'));
    assert.equal(message.nick, 'Alice');
    assert.equal(message.avatar, 'https://x/a.png');
    await alice.close();
  });

  test("sender's other sockets get the push (same instance too); the sending socket does not", async () => {
    const [a, b] = [uid('a'), uid('b')];
    await registerUsers(server, b);
    const tab1 = await connectClient(server, a, { instanceID: 'browser-one' });
    const tab2 = await connectClient(server, a, { instanceID: 'browser-one' });
    const other = await connectClient(server, a);
    const { message } = await tab1.request('sendMessage', text(b, 'from tab1'));
    for (const c of [tab2, other]) {
      const push = await c.nextPush('message');
      assert.equal(push.data.ID, message.ID);
      assert.equal(push.data.flow, 'out');
      assert.equal(push.data.conversationID, `C2C${b}`);
    }
    assert.equal(await tab1.noPush('message', 100), true);
    for (const c of [tab1, tab2, other]) await c.close();
  });

  test('sending to an unknown user is 20003; to the system conversation 2106; nothing stored', async () => {
    const a = uid('a');
    const alice = await connectClient(server, a);
    const before = await readMetric(server, 'im_messages_total');
    await assert.rejects(alice.request('sendMessage', text(uid('ghost'), 'x')), {
      code: ErrorCode.ACCOUNT_NOT_FOUND,
    });
    await assert.rejects(alice.request('sendMessage', text('@TIM#SYSTEM', 'x')), {
      code: ErrorCode.SEND_TO_SYSTEM_CONVERSATION,
    });
    await assert.rejects(
      alice.request('sendMessage', text('x', 'x', { conversationType: '@TIM#SYSTEM' })),
      {
        code: ErrorCode.SEND_TO_SYSTEM_CONVERSATION,
      },
    );
    assert.equal(await readMetric(server, 'im_messages_total'), before);
    const { conversationList } = await alice.request('getConversationList');
    assert.equal(conversationList.length, 0);
    await alice.close();
  });

  test('custom, face and location messages; payload type errors are 10004', async () => {
    const [a, b] = [uid('a'), uid('b')];
    await registerUsers(server, b);
    const alice = await connectClient(server, a);
    const custom = { data: '{"k":1}', description: 'desc', extension: 'ext' };
    let r = await alice.request(
      'sendMessage',
      text(b, '', { type: 'TIMCustomElem', payload: custom }),
    );
    assert.deepEqual(r.message.payload, custom);
    r = await alice.request(
      'sendMessage',
      text(b, '', { type: 'TIMFaceElem', payload: { index: 1, data: 'smile' } }),
    );
    assert.equal(r.message.type, 'TIMFaceElem');
    r = await alice.request(
      'sendMessage',
      text(b, '', {
        type: 'TIMLocationElem',
        payload: { description: 'here', longitude: 1.5, latitude: 2.5 },
      }),
    );
    assert.equal(r.message.sequence, 3);
    await assert.rejects(alice.request('sendMessage', text(b, '', { payload: { text: 5 } })), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    await assert.rejects(alice.request('sendMessage', text(b, '', { type: 'TIMImageElem' })), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    const list = await alice.request<MessageListResult>('getMessageList', {
      conversationID: `C2C${b}`,
    });
    assert.equal(list.messageList.length, 3);
    await alice.close();
  });

  test('sequence strictly increases per conversation under concurrent sends from several sockets', async () => {
    const [a, b] = [uid('a'), uid('b')];
    const alices = await Promise.all([0, 1, 2].map(() => connectClient(server, a)));
    const bobs = await Promise.all([0, 1].map(() => connectClient(server, b)));
    const sends: Promise<{ message: Message }>[] = [];
    for (let i = 0; i < 20; i++) {
      sends.push(alices[i % 3].request('sendMessage', text(b, `a${i}`)));
      sends.push(bobs[i % 2].request('sendMessage', text(a, `b${i}`)));
    }
    const results = await Promise.all(sends);
    const seqs = results.map((r) => r.message.sequence).sort((x, y) => x - y);
    assert.deepEqual(
      seqs,
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    // history order == sequence order == time order
    const all: Message[] = [];
    let next: string | undefined;
    for (;;) {
      const page: MessageListResult = await alices[0].request('getMessageList', {
        conversationID: `C2C${b}`,
        nextReqMessageID: next,
      });
      all.unshift(...page.messageList);
      if (page.isCompleted) break;
      next = page.nextReqMessageID;
    }
    assert.deepEqual(
      all.map((m) => m.sequence),
      seqs,
    );
    for (const c of [...alices, ...bobs]) await c.close();
  });

  test('a retried send (same ID) returns the stored message: one row, pushed again', async () => {
    const [a, b] = [uid('a'), uid('b')];
    const alice = await connectClient(server, a);
    const bob = await connectClient(server, b);
    const before = await readMetric(server, 'im_messages_total');
    const req = text(b, 'once');
    const first = await alice.request('sendMessage', req);
    const second = await alice.request('sendMessage', req);
    assert.deepEqual(second.message, first.message);
    // The first try may have died between its commit and its push: the retry pushes the stored
    // message again, with the same ID and cursor, for the client to drop if it has it.
    const pushes = [await bob.nextPush('message'), await bob.nextPush('message')];
    assert.deepEqual(
      pushes.map((p) => [p.data.ID, p.cursor]),
      [
        [first.message.ID, pushes[0].cursor],
        [first.message.ID, pushes[0].cursor],
      ],
    );
    assert.equal(await bob.noPush('message', 150), true, 'one push per try');
    assert.equal(await readMetric(server, 'im_messages_total'), before + 1);
    const list = await bob.request<MessageListResult>('getMessageList', {
      conversationID: `C2C${a}`,
    });
    assert.equal(list.messageList.length, 1);
    await alice.close();
    await bob.close();
  });

  test('messages to oneself are stored once and reach the other sockets', async () => {
    const a = uid('a');
    const one = await connectClient(server, a);
    const two = await connectClient(server, a);
    const { message } = await one.request('sendMessage', text(a, 'note to self'));
    assert.equal(message.conversationID, `C2C${a}`);
    const push = await two.nextPush('message');
    assert.equal(push.data.ID, message.ID);
    const { conversationList } = await one.request('getConversationList');
    assert.equal(conversationList.length, 1);
    assert.equal(conversationList[0].unreadCount, 0);
    await one.close();
    await two.close();
  });
});

describe('history paging', () => {
  let server: RunningServer;
  let alice: TestClient;
  let b: string;
  let sent: Message[];
  before(async () => {
    server = await startTestServer();
    b = uid('b');
    await registerUsers(server, b);
    alice = await connectClient(server, uid('a'));
    sent = [];
    for (let i = 0; i < 40; i++)
      sent.push((await alice.request('sendMessage', text(b, `msg ${i}`))).message);
  });
  after(async () => {
    await alice.close();
    await server.close();
  });

  test('40 messages come back as pages of 15, 15, 10, chronological, no duplicates', async () => {
    const pages: MessageListResult[] = [];
    let next: string | undefined;
    do {
      const page: MessageListResult = await alice.request('getMessageList', {
        conversationID: `C2C${b}`,
        nextReqMessageID: next,
      });
      pages.push(page);
      next = page.nextReqMessageID;
    } while (!pages.at(-1)!.isCompleted);
    assert.deepEqual(
      pages.map((p) => p.messageList.length),
      [15, 15, 10],
    );
    assert.deepEqual(
      pages.map((p) => p.isCompleted),
      [false, false, true],
    );
    for (const page of pages) {
      assert.equal(
        page.nextReqMessageID,
        page.messageList[0].ID,
        'nextReqMessageID is the oldest returned',
      );
      const seqs = page.messageList.map((m) => m.sequence);
      assert.deepEqual(
        seqs,
        [...seqs].sort((x, y) => x - y),
        'each page is oldest -> newest',
      );
    }
    const all = pages.reverse().flatMap((p) => p.messageList);
    assert.deepEqual(
      all.map((m) => m.ID),
      sent.map((m) => m.ID),
    );
    assert.equal(new Set(all.map((m) => m.ID)).size, 40);
  });

  test('count is honoured (max 15) and a bad nextReqMessageID is 10004', async () => {
    const page = await alice.request<MessageListResult>('getMessageList', {
      conversationID: `C2C${b}`,
      count: 5,
    });
    assert.deepEqual(
      page.messageList.map((m) => m.ID),
      sent.slice(35).map((m) => m.ID),
    );
    await assert.rejects(
      alice.request('getMessageList', { conversationID: `C2C${b}`, count: 16 }),
      { code: ErrorCode.INVALID_PARAMETER },
    );
    await assert.rejects(
      alice.request('getMessageList', { conversationID: `C2C${b}`, nextReqMessageID: 'nope' }),
      { code: ErrorCode.INVALID_PARAMETER },
    );
    await assert.rejects(alice.request('getMessageList', { conversationID: 'XYZ123' }), {
      code: ErrorCode.INVALID_PARAMETER,
    });
  });

  test('the receiver sees the same history with flow in; an empty conversation is completed', async () => {
    const bob = await connectClient(server, b);
    const page = await bob.request<MessageListResult>('getMessageList', {
      conversationID: `C2C${alice.userID}`,
    });
    assert.equal(page.messageList.length, 15);
    assert.ok(
      page.messageList.every((m) => m.flow === 'in' && m.conversationID === `C2C${alice.userID}`),
    );
    const empty = await bob.request<MessageListResult>('getMessageList', {
      conversationID: `C2C${uid()}`,
    });
    assert.deepEqual(empty, { messageList: [], nextReqMessageID: '', isCompleted: true });
    await bob.close();
  });
});
