// Recall, modify, delete for me, clear history, hopping, by-ID reads, schema migration.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '../../src/protocol/codes.js';
import type { Conversation, Message } from '../../src/protocol/types.js';
import type { MessageListResult } from '../../src/protocol/wire.js';
import { SCHEMA, SCHEMA_VERSION } from '../../src/server/storage/schema.js';
import { SqliteStorage } from '../../src/server/storage/sqlite.js';
import {
  connectClient,
  createGroupWith,
  groupText,
  registerUsers,
  RequestError,
  startTestServer,
  textMessage,
  uid,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';

const send = (client: TestClient, data: unknown) =>
  client.request<{ message: Message }>('sendMessage', data);

async function history(client: TestClient, conversationID: string): Promise<Message[]> {
  const r = await client.request<MessageListResult>('getMessageList', { conversationID });
  return r.messageList;
}

async function conversation(client: TestClient, conversationID: string): Promise<Conversation> {
  return (await client.request('getConversationProfile', { conversationID })).conversation;
}

describe('revokeMessage', () => {
  let server: RunningServer;
  let clock = Math.floor(Date.now() / 1000);
  before(async () => {
    server = await startTestServer({ now: () => clock, recallWindowSeconds: 60 });
  });
  after(() => server.close());

  test('the sender recalls: tombstone in history and lastMessage, pushes to the others', async () => {
    const [a, b] = [uid('a'), uid('b')];
    const alice = await connectClient(server, a);
    const alice2 = await connectClient(server, a);
    const bob = await connectClient(server, b);
    const { message } = await send(alice, textMessage(b, 'oops', { cloudCustomData: 'cd' }));
    await bob.nextPush('message');
    await alice2.nextPush('message');
    clock += 30;
    const r = await alice.request<{ message: Message }>('revokeMessage', {
      conversationID: `C2C${b}`,
      messageID: message.ID,
    });
    assert.equal(r.message.isRevoked, true);
    assert.equal(r.message.revoker, a);
    assert.deepEqual(r.message.payload, {});
    const pushed = await bob.nextPush('messageRevoked');
    assert.equal(pushed.data.message.ID, message.ID);
    assert.equal(pushed.data.message.flow, 'in');
    assert.equal(pushed.data.message.conversationID, `C2C${a}`);
    assert.equal(pushed.data.message.isRevoked, true);
    assert.equal((await alice2.nextPush('messageRevoked')).data.message.flow, 'out');
    assert.equal(await alice.noPush('messageRevoked', 50), true);

    const [stored] = await history(bob, `C2C${a}`);
    assert.equal(stored.isRevoked, true);
    assert.equal(stored.revoker, a);
    assert.deepEqual(stored.payload, {});
    assert.equal(stored.cloudCustomData, '');
    const conv = await conversation(bob, `C2C${a}`);
    assert.equal(conv.lastMessage?.isRevoked, true);
    assert.equal(conv.lastMessage?.messageForShow, '[Recalled]');
    assert.equal(conv.unreadCount, 0, 'a recalled message is not unread');

    // idempotent: again is fine, pushes nothing
    const again = await alice.request('revokeMessage', {
      conversationID: `C2C${b}`,
      messageID: message.ID,
    });
    assert.equal(again.message.isRevoked, true);
    assert.equal(await bob.noPush('messageRevoked', 100), true);
    for (const c of [alice, alice2, bob]) await c.close();
  });

  test('errors: not the sender, missing, other conversation, window, online-only, non-member', async () => {
    const [a, b, c] = [uid('a'), uid('b'), uid('c')];
    await registerUsers(server, c);
    const alice = await connectClient(server, a);
    const bob = await connectClient(server, b);
    const { message } = await send(alice, textMessage(b, 'keep'));
    const revoke = (client: TestClient, conversationID: string, messageID: string) =>
      client.request('revokeMessage', { conversationID, messageID });
    await assert.rejects(revoke(bob, `C2C${a}`, message.ID), { code: ErrorCode.NO_PERMISSION });
    await assert.rejects(revoke(alice, `C2C${b}`, 'nope'), { code: ErrorCode.RECALL_NOT_FOUND });
    // the message exists, but not in the conversation with c
    await assert.rejects(revoke(alice, `C2C${c}`, message.ID), {
      code: ErrorCode.RECALL_NOT_FOUND,
    });
    const online = await send(alice, {
      ...textMessage(b, 'typing'),
      options: { onlineUserOnly: true },
    });
    await assert.rejects(revoke(alice, `C2C${b}`, online.message.ID), {
      code: ErrorCode.RECALL_NOT_ALLOWED,
    });
    clock += 61;
    await assert.rejects(revoke(alice, `C2C${b}`, message.ID), {
      code: ErrorCode.RECALL_TIME_LIMIT,
    });
    const [stored] = await history(bob, `C2C${a}`);
    assert.equal(stored.isRevoked, false);
    assert.deepEqual(stored.payload, { text: 'keep' });

    const owner = await connectClient(server, uid('o'));
    const groupID = await createGroupWith(owner, []);
    const g = await send(owner, groupText(groupID, 'group'));
    await assert.rejects(revoke(alice, `GROUP${groupID}`, g.message.ID), {
      code: ErrorCode.NO_PERMISSION,
    });
    await assert.rejects(revoke(alice, `GROUP${uid('none')}`, g.message.ID), {
      code: ErrorCode.GROUP_NOT_FOUND,
    });
    await assert.rejects(revoke(alice, '@TIM#SYSTEM', g.message.ID), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    assert.equal((await history(owner, `GROUP${groupID}`))[0].isRevoked, false);
    for (const client of [alice, bob, owner]) await client.close();
  });

  test('group recall reaches every member', async () => {
    const [o, a, b] = [uid('o'), uid('a'), uid('b')];
    await registerUsers(server, o, b);
    const ann = await connectClient(server, a);
    const groupID = await createGroupWith(ann, [o, b]);
    const owner = await connectClient(server, o);
    const ben = await connectClient(server, b);
    const { message } = await send(ann, groupText(groupID, 'x'));
    await ann.request('revokeMessage', {
      conversationID: `GROUP${groupID}`,
      messageID: message.ID,
    });
    for (const c of [owner, ben]) {
      const push = await c.nextPush('messageRevoked');
      assert.equal(push.data.message.ID, message.ID);
      assert.equal(push.data.message.conversationID, `GROUP${groupID}`);
    }
    for (const c of [ann, owner, ben]) await c.close();
  });
});

describe('modifyMessage', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('any participant modifies; version compare-and-swap; pushes to the others', async () => {
    const [a, b] = [uid('a'), uid('b')];
    const alice = await connectClient(server, a);
    const bob = await connectClient(server, b);
    const bob2 = await connectClient(server, b);
    const { message } = await send(alice, textMessage(b, 'draft'));
    await bob.nextPush('message');
    const r = await bob.request<{ message: Message }>('modifyMessage', {
      conversationID: `C2C${a}`,
      messageID: message.ID,
      version: 0,
      payload: { text: 'final' },
      cloudCustomData: 'edited',
    });
    assert.equal(r.message.version, 1);
    assert.equal(r.message.isModified, true);
    assert.deepEqual(r.message.payload, { text: 'final' });
    const pushed = await alice.nextPush('messageModified');
    assert.equal(pushed.data.message.flow, 'out');
    assert.equal(pushed.data.message.version, 1);
    assert.equal(pushed.data.message.cloudCustomData, 'edited');
    assert.equal((await bob2.nextPush('messageModified')).data.message.version, 1);
    assert.equal(await bob.noPush('messageModified', 50), true);

    // alice still holds version 0: conflict, with the latest in data.message
    const err = await alice
      .request('modifyMessage', {
        conversationID: `C2C${b}`,
        messageID: message.ID,
        version: 0,
        payload: { text: 'mine' },
      })
      .then(
        () => assert.fail('expected 2480'),
        (e: unknown) => e as RequestError,
      );
    assert.equal(err.code, ErrorCode.MODIFY_CONFLICT);
    const latest = (err.data as { message: Message }).message;
    assert.equal(latest.version, 1);
    assert.deepEqual(latest.payload, { text: 'final' });
    assert.equal(latest.flow, 'out');
    const [stored] = await history(alice, `C2C${b}`);
    assert.deepEqual(stored.payload, { text: 'final' });
    assert.equal(stored.version, 1);
    // rebased: fine
    const rebased = await alice.request('modifyMessage', {
      conversationID: `C2C${b}`,
      messageID: message.ID,
      version: 1,
      payload: { text: 'mine' },
    });
    assert.equal(rebased.message.version, 2);
    assert.equal(rebased.message.cloudCustomData, 'edited', 'untouched fields stay');
    for (const c of [alice, bob, bob2]) await c.close();
  });

  test('errors: media payloads, missing, recalled, too large, non-member, nothing to do', async () => {
    const [a, b, o] = [uid('a'), uid('b'), uid('o')];
    await registerUsers(server, b);
    const alice = await connectClient(server, a);
    const { message } = await send(alice, textMessage(b, 'x'));
    const modify = (client: TestClient, data: Record<string, unknown>) =>
      client.request('modifyMessage', {
        conversationID: `C2C${b}`,
        messageID: message.ID,
        version: 0,
        ...data,
      });
    await assert.rejects(modify(alice, { payload: { text: 5 } }), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    await assert.rejects(modify(alice, {}), { code: ErrorCode.INVALID_PARAMETER });
    await assert.rejects(modify(alice, { messageID: 'nope', payload: { text: 'y' } }), {
      code: ErrorCode.MESSAGE_NOT_FOUND,
    });
    await assert.rejects(modify(alice, { payload: { text: 'y'.repeat(13000) } }), {
      code: ErrorCode.MESSAGE_BODY_TOO_LARGE,
    });
    const owner = await connectClient(server, o);
    const groupID = await createGroupWith(owner, []);
    const g = await send(owner, groupText(groupID, 'g'));
    await assert.rejects(
      modify(alice, {
        conversationID: `GROUP${groupID}`,
        messageID: g.message.ID,
        payload: { text: 'y' },
      }),
      { code: ErrorCode.NO_PERMISSION },
    );
    // a custom message cannot become something else's payload shape, a file cannot change at all
    const file = await send(
      owner,
      groupText(groupID, '', {
        type: 'TIMLocationElem',
        payload: { description: 'a', longitude: 1, latitude: 1 },
      }),
    );
    await assert.rejects(
      owner.request('modifyMessage', {
        conversationID: `GROUP${groupID}`,
        messageID: file.message.ID,
        version: 0,
        payload: { description: 'b', longitude: 500, latitude: 1 },
      }),
      { code: ErrorCode.INVALID_PARAMETER },
    );
    await alice.request('revokeMessage', { conversationID: `C2C${b}`, messageID: message.ID });
    await assert.rejects(modify(alice, { payload: { text: 'y' } }), {
      code: ErrorCode.MESSAGE_OPERATION_UNSUPPORTED,
    });
    const [stored] = await history(alice, `C2C${b}`);
    assert.equal(stored.version, 0);
    assert.equal(stored.isModified, false);
    assert.equal((await history(owner, `GROUP${groupID}`))[0].version, 0);
    await alice.close();
    await owner.close();
  });

  test('image messages: only cloudCustomData (the unchanged payload may come along)', async () => {
    const [a, b] = [uid('a'), uid('b')];
    await registerUsers(server, b);
    const alice = await connectClient(server, a);
    const sharp = (await import('sharp')).default;
    const png = await sharp({
      create: { width: 10, height: 10, channels: 3, background: '#000' },
    })
      .png()
      .toBuffer();
    const { uploadFile } = await import('../helpers/server.js');
    const up = (await uploadFile(server, a, { kind: 'image', name: 'p.png', body: png })).body
      .data!;
    const payload = {
      uuid: up.uuid,
      imageFormat: up.imageFormat,
      imageInfoArray: up.imageInfoArray,
    };
    const { message } = await send(alice, textMessage(b, '', { type: 'TIMImageElem', payload }));
    const ok = await alice.request('modifyMessage', {
      conversationID: `C2C${b}`,
      messageID: message.ID,
      version: 0,
      payload,
      cloudCustomData: 'caption',
    });
    assert.equal(ok.message.cloudCustomData, 'caption');
    await assert.rejects(
      alice.request('modifyMessage', {
        conversationID: `C2C${b}`,
        messageID: message.ID,
        version: 1,
        payload: { ...payload, imageFormat: 'gif' },
      }),
      { code: ErrorCode.INVALID_PARAMETER },
    );
    assert.equal((await history(alice, `C2C${b}`))[0].version, 1);
    await alice.close();
  });
});

describe('deleteMessage and clearHistoryMessage', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('delete for me: hidden in history, sync, lastMessage and unread for the caller only', async () => {
    const [a, b] = [uid('a'), uid('b')];
    const alice = await connectClient(server, a);
    const bob = await connectClient(server, b);
    const bob2 = await connectClient(server, b);
    const sent: Message[] = [];
    for (const t of ['one', 'two', 'three'])
      sent.push((await send(alice, textMessage(b, t))).message);
    assert.equal((await conversation(bob, `C2C${a}`)).unreadCount, 3);
    const r = await bob.request('deleteMessage', {
      conversationID: `C2C${a}`,
      messageIDList: [sent[1].ID, sent[2].ID],
    });
    assert.deepEqual(
      r.messageList.map((m: Message) => [m.ID, m.isDeleted]),
      [
        [sent[1].ID, true],
        [sent[2].ID, true],
      ],
    );
    const pushed = await bob2.nextPush('conversationUpdated');
    assert.equal(pushed.data.lastMessage?.ID, sent[0].ID);
    assert.equal(pushed.data.unreadCount, 1);
    assert.deepEqual(
      (await history(bob, `C2C${a}`)).map((m) => m.ID),
      [sent[0].ID],
    );
    const synced = await bob.request('sync', { cursor: 0 });
    assert.deepEqual(
      synced.messages.map((m: { message: Message }) => m.message.ID),
      [sent[0].ID],
    );
    const conv = await conversation(bob, `C2C${a}`);
    assert.equal(conv.lastMessage?.ID, sent[0].ID);
    assert.equal(conv.unreadCount, 1);
    assert.equal((await history(alice, `C2C${b}`)).length, 3, 'the peer keeps them');
    for (const c of [alice, bob, bob2]) await c.close();
  });

  test('delete errors: a message of another conversation (20026) deletes nothing; > 30 is 10004', async () => {
    const [a, b, c] = [uid('a'), uid('b'), uid('c')];
    await registerUsers(server, b, c);
    const alice = await connectClient(server, a);
    const mine = await send(alice, textMessage(b, 'with b'));
    const other = await send(alice, textMessage(c, 'with c'));
    await assert.rejects(
      alice.request('deleteMessage', {
        conversationID: `C2C${b}`,
        messageIDList: [mine.message.ID, other.message.ID],
      }),
      { code: ErrorCode.MESSAGE_NOT_FOUND },
    );
    await assert.rejects(
      alice.request('deleteMessage', {
        conversationID: `C2C${b}`,
        messageIDList: Array.from({ length: 31 }, (_, i) => `m${i}`),
      }),
      { code: ErrorCode.INVALID_PARAMETER },
    );
    assert.equal((await history(alice, `C2C${b}`)).length, 1);
    assert.equal((await history(alice, `C2C${c}`)).length, 1);
    await alice.close();
  });

  test('clear history: empty for the caller, conversation kept, peer untouched, new messages show', async () => {
    const [o, a] = [uid('o'), uid('a')];
    await registerUsers(server, a);
    const owner = await connectClient(server, o);
    const groupID = await createGroupWith(owner, [a]);
    const cid = `GROUP${groupID}`;
    const ann = await connectClient(server, a);
    const ann2 = await connectClient(server, a);
    for (let i = 0; i < 3; i++) await send(owner, groupText(groupID, `m${i}`));
    const before = await conversation(ann, cid);
    assert.equal(before.unreadCount, 3);
    assert.deepEqual(await ann.request('clearHistoryMessage', { conversationID: cid }), {});
    const pushed = await ann2.nextPush('conversationUpdated');
    assert.equal(pushed.data.lastMessage, null);
    const conv = await conversation(ann, cid);
    assert.equal(conv.lastMessage, null);
    assert.equal(conv.unreadCount, 0);
    assert.equal(conv.orderKey, before.orderKey, 'the list order is kept');
    assert.equal((await history(ann, cid)).length, 0);
    assert.equal((await ann.request('sync', { cursor: 0 })).messages.length, 0);
    const list = (await ann.request('getConversationList')).conversationList as Conversation[];
    assert.ok(list.some((c) => c.conversationID === cid));
    assert.equal((await history(owner, cid)).length, 3);
    const next = await send(owner, groupText(groupID, 'new'));
    assert.deepEqual(
      (await history(ann, cid)).map((m) => m.ID),
      [next.message.ID],
    );
    const outsider = await connectClient(server, uid('x'));
    await assert.rejects(outsider.request('clearHistoryMessage', { conversationID: cid }), {
      code: ErrorCode.NO_PERMISSION,
    });
    assert.equal((await history(owner, cid)).length, 4);
    for (const c of [owner, ann, ann2, outsider]) await c.close();
  });
});

describe('getMessageListHopping and getMessagesByID', () => {
  let server: RunningServer;
  let clock = Math.floor(Date.now() / 1000);
  before(async () => {
    server = await startTestServer({ now: () => clock });
  });
  after(() => server.close());

  test('group by sequence, both directions, inclusive, chronological', async () => {
    const owner = await connectClient(server, uid('o'));
    const groupID = await createGroupWith(owner, []);
    for (let i = 1; i <= 20; i++) await send(owner, groupText(groupID, `m${i}`));
    const hop = (data: Record<string, unknown>) =>
      owner.request('getMessageListHopping', { conversationID: `GROUP${groupID}`, ...data });
    const older = await hop({ sequence: 10, direction: 0, count: 5 });
    assert.deepEqual(
      older.messageList.map((m: Message) => m.sequence),
      [6, 7, 8, 9, 10],
    );
    assert.equal(older.isCompleted, false);
    const newer = await hop({ sequence: 10, direction: 1, count: 5 });
    assert.deepEqual(
      newer.messageList.map((m: Message) => m.sequence),
      [10, 11, 12, 13, 14],
    );
    const tail = await hop({ sequence: 18, direction: 1 });
    assert.deepEqual(
      tail.messageList.map((m: Message) => m.sequence),
      [18, 19, 20],
    );
    assert.equal(tail.isCompleted, true);
    const first = await hop({ sequence: 2, direction: 0 });
    assert.deepEqual(
      first.messageList.map((m: Message) => m.sequence),
      [1, 2],
    );
    await assert.rejects(hop({ direction: 0 }), { code: ErrorCode.INVALID_PARAMETER });
    await assert.rejects(hop({ sequence: 1, count: 16 }), { code: ErrorCode.INVALID_PARAMETER });
    const outsider = await connectClient(server, uid('x'));
    await assert.rejects(
      outsider.request('getMessageListHopping', {
        conversationID: `GROUP${groupID}`,
        sequence: 1,
      }),
      { code: ErrorCode.NO_PERMISSION },
    );
    await owner.close();
    await outsider.close();
  });

  test('C2C by time', async () => {
    const [a, b] = [uid('a'), uid('b')];
    await registerUsers(server, b);
    const alice = await connectClient(server, a);
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      clock += 10;
      times.push(clock);
      await send(alice, textMessage(b, `t${i}`));
    }
    const hop = (data: Record<string, unknown>) =>
      alice.request('getMessageListHopping', { conversationID: `C2C${b}`, ...data });
    const older = await hop({ time: times[2], direction: 0 });
    assert.deepEqual(
      older.messageList.map((m: Message) => (m.payload as { text: string }).text),
      ['t0', 't1', 't2'],
    );
    const newer = await hop({ time: times[3] - 5, direction: 1, count: 2 });
    assert.deepEqual(
      newer.messageList.map((m: Message) => (m.payload as { text: string }).text),
      ['t3', 't4'],
    );
    await alice.close();
  });

  test('getMessagesByID: found ones in order, unknown ones left out, other conversations too', async () => {
    const [a, b, c] = [uid('a'), uid('b'), uid('c')];
    await registerUsers(server, b, c);
    const alice = await connectClient(server, a);
    const m1 = (await send(alice, textMessage(b, '1'))).message;
    const m2 = (await send(alice, textMessage(b, '2'))).message;
    const other = (await send(alice, textMessage(c, 'c'))).message;
    const r = await alice.request('getMessagesByID', {
      conversationID: `C2C${b}`,
      messageIDList: [m2.ID, 'nope', m1.ID, other.ID],
    });
    assert.deepEqual(
      r.messageList.map((m: Message) => m.ID),
      [m1.ID, m2.ID],
    );
    await assert.rejects(
      alice.request('getMessagesByID', { conversationID: `C2C${b}`, messageIDList: [] }),
      { code: ErrorCode.INVALID_PARAMETER },
    );
    await alice.close();
  });
});

describe('schema migration', () => {
  test('a version 1 database is migrated in place and keeps its messages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imkit-migrate-'));
    try {
      const file = join(dir, 'imkit.sqlite');
      const db = new Database(file);
      db.exec(SCHEMA);
      db.prepare(`INSERT INTO meta (key, value) VALUES ('schema_version', '1')`).run();
      db.prepare(
        `INSERT INTO conversations (app_id, conv_key, type, last_seq) VALUES (1, 'c2c:a|b', 'C2C', 1)`,
      ).run();
      db.prepare(
        `INSERT INTO messages (app_id, conv_id, seq, msg_id, sender, conv_type, target, type, payload,
           priority, cloud_custom_data, client_time, random, time, nick, avatar)
         VALUES (1, 1, 1, 'm1', 'a', 'C2C', 'b', 'TIMTextElem', '{"text":"old"}', 'Normal', '', 1, 1, 1, '', '')`,
      ).run();
      db.close();
      const storage = new SqliteStorage({ file });
      assert.equal(storage.schemaVersion(), SCHEMA_VERSION);
      const m = await storage.findMessage(1, 'c2c:a|b', 'm1');
      assert.ok(m);
      assert.deepEqual(m.payload, { text: 'old' });
      assert.equal(m.isRevoked, false);
      assert.equal(m.version, 0);
      assert.deepEqual(m.receiverList, []);
      assert.equal(m.changeSeq, 0, 'never changed');
      assert.equal(await storage.latestChangeCursor(), 0);
      await storage.close();
      // opening again is a no-op
      const again = new SqliteStorage({ file });
      assert.equal(again.schemaVersion(), SCHEMA_VERSION);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
