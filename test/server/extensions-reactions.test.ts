// Message extensions (key-value, conflicts) and reactions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode } from '../../src/protocol/codes.js';
import { LIMITS } from '../../src/protocol/constants.js';
import type { Message, Reaction } from '../../src/protocol/types.js';
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

describe('message extensions', () => {
  let server: RunningServer;
  let clock = Math.floor(Date.now() / 1000);
  before(async () => {
    server = await startTestServer({ now: () => clock, extensionConflictWindowMs: 60_000 });
  });
  after(() => server.close());

  test('set, get, delete; pushes to both sides; conflicts per key', async () => {
    const [a, b] = [uid('a'), uid('b')];
    const alice = await connectClient(server, a);
    const bob = await connectClient(server, b);
    const bob2 = await connectClient(server, b);
    const { message } = await send(alice, textMessage(b, 'poll', { isSupportExtension: true }));
    const aConv = { conversationID: `C2C${b}`, messageID: message.ID };
    const bConv = { conversationID: `C2C${a}`, messageID: message.ID };

    const set1 = await bob.request('setMessageExtensions', {
      ...bConv,
      extensionList: [
        { key: 'k1', value: 'v1' },
        { key: 'k2', value: 'v2' },
      ],
    });
    assert.deepEqual(set1, {
      successExtensionList: [
        { key: 'k1', value: 'v1' },
        { key: 'k2', value: 'v2' },
      ],
      failureExtensionList: [],
    });
    const pushed = await alice.nextPush('messageExtensionsUpdated');
    assert.deepEqual(pushed.data, {
      conversationID: `C2C${b}`,
      messageID: message.ID,
      extensionList: set1.successExtensionList,
    });
    assert.equal((await bob2.nextPush('messageExtensionsUpdated')).data.conversationID, `C2C${a}`);
    assert.equal(await bob.noPush('messageExtensionsUpdated', 50), true);

    // alice races on k1 (bob wrote it a moment ago): refused with bob's value; k3 goes through
    const race = await alice.request('setMessageExtensions', {
      ...aConv,
      extensionList: [
        { key: 'k1', value: 'alice' },
        { key: 'k3', value: 'v3' },
      ],
    });
    assert.deepEqual(race.successExtensionList, [{ key: 'k3', value: 'v3' }]);
    assert.deepEqual(race.failureExtensionList, [
      { key: 'k1', value: 'v1', code: ErrorCode.EXTENSION_CONFLICT },
    ]);
    const racePush = await bob.nextPush('messageExtensionsUpdated');
    assert.deepEqual(racePush.data.extensionList, [{ key: 'k3', value: 'v3' }]);
    // bob may rewrite his own key at once
    const own = await bob.request('setMessageExtensions', {
      ...bConv,
      extensionList: [{ key: 'k1', value: 'v1b' }],
    });
    assert.equal(own.failureExtensionList.length, 0);
    // the same key twice in one call: the first wins
    const dup = await bob.request('setMessageExtensions', {
      ...bConv,
      extensionList: [
        { key: 'k4', value: 'first' },
        { key: 'k4', value: 'second' },
      ],
    });
    assert.deepEqual(dup.successExtensionList, [{ key: 'k4', value: 'first' }]);
    assert.deepEqual(dup.failureExtensionList, [
      { key: 'k4', value: 'first', code: ErrorCode.EXTENSION_CONFLICT },
    ]);
    // once the window has passed, alice may overwrite k1
    clock += 61;
    const later = await alice.request('setMessageExtensions', {
      ...aConv,
      extensionList: [{ key: 'k1', value: 'alice' }],
    });
    assert.deepEqual(later.successExtensionList, [{ key: 'k1', value: 'alice' }]);

    const got = await alice.request('getMessageExtensions', aConv);
    assert.deepEqual(
      Object.fromEntries(
        got.extensionList.map((e: { key: string; value: string }) => [e.key, e.value]),
      ),
      { k1: 'alice', k2: 'v2', k3: 'v3', k4: 'first' },
    );

    clock += 61;
    const del = await alice.request('deleteMessageExtensions', { ...aConv, keyList: ['k2'] });
    assert.deepEqual(del.successExtensionList, [{ key: 'k2', value: '' }]);
    const delPush = await bob.nextPush('messageExtensionsDeleted');
    assert.deepEqual(delPush.data, {
      conversationID: `C2C${a}`,
      messageID: message.ID,
      keyList: ['k2'],
    });
    // bob deleting k1 right after alice wrote it... is a conflict only within the window
    const all = await bob.request('deleteMessageExtensions', bConv);
    assert.deepEqual(all.successExtensionList.map((e: { key: string }) => e.key).sort(), [
      'k1',
      'k3',
      'k4',
    ]);
    assert.deepEqual((await alice.request('getMessageExtensions', aConv)).extensionList, []);
    for (const c of [alice, bob, bob2]) await c.close();
  });

  test('errors: not enabled, sizes, per call, per message, recalled, strangers', async () => {
    const [a, b] = [uid('a'), uid('b')];
    await registerUsers(server, b);
    const alice = await connectClient(server, a);
    const plain = await send(alice, textMessage(b, 'no ext'));
    const ext = await send(alice, textMessage(b, 'ext', { isSupportExtension: true }));
    const set = (messageID: string, extensionList: unknown[], conversationID = `C2C${b}`) =>
      alice.request('setMessageExtensions', { conversationID, messageID, extensionList });
    await assert.rejects(set(plain.message.ID, [{ key: 'k', value: 'v' }]), {
      code: ErrorCode.MESSAGE_OPERATION_UNSUPPORTED,
    });
    await assert.rejects(set(ext.message.ID, [{ key: '字'.repeat(34), value: 'v' }]), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    await assert.rejects(set(ext.message.ID, [{ key: 'k', value: 'v'.repeat(1025) }]), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    const many = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ key: `key${from + i}`, value: 'v' }));
    await assert.rejects(set(ext.message.ID, many(0, LIMITS.extensionsPerCall + 1)), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    await assert.rejects(set('nope', [{ key: 'k', value: 'v' }]), {
      code: ErrorCode.MESSAGE_NOT_FOUND,
    });
    for (let i = 0; i < LIMITS.extensionsPerMessage; i += LIMITS.extensionsPerCall) {
      await set(ext.message.ID, many(i, LIMITS.extensionsPerCall));
    }
    await assert.rejects(set(ext.message.ID, [...many(0, 1), ...many(1000, 1)]), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    const get = () =>
      alice.request('getMessageExtensions', {
        conversationID: `C2C${b}`,
        messageID: ext.message.ID,
      });
    assert.equal((await get()).extensionList.length, LIMITS.extensionsPerMessage);
    // overwriting existing keys is fine at the limit
    const rewrite = await set(ext.message.ID, many(0, 2));
    assert.equal(rewrite.successExtensionList.length, 2);

    const owner = await connectClient(server, uid('o'));
    const groupID = await createGroupWith(owner, []);
    const g = await send(owner, groupText(groupID, 'g', { isSupportExtension: true }));
    await assert.rejects(set(g.message.ID, [{ key: 'k', value: 'v' }], `GROUP${groupID}`), {
      code: ErrorCode.NO_PERMISSION,
    });

    await alice.request('revokeMessage', { conversationID: `C2C${b}`, messageID: ext.message.ID });
    await assert.rejects(set(ext.message.ID, [{ key: 'k', value: 'v' }]), {
      code: ErrorCode.MESSAGE_OPERATION_UNSUPPORTED,
    });
    await assert.rejects(get(), { code: ErrorCode.MESSAGE_OPERATION_UNSUPPORTED });
    await alice.close();
    await owner.close();
  });
});

describe('reactions', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const byID = (list: Reaction[]) => Object.fromEntries(list.map((r) => [r.reactionID, r]));

  test('add / remove, idempotent, pushed per recipient, listed and paged', async () => {
    const [o, a, b] = [uid('o'), uid('a'), uid('b')];
    await registerUsers(server, a, b);
    const owner = await connectClient(server, o);
    await owner.request('updateMyProfile', { nick: 'Owner' });
    const groupID = await createGroupWith(owner, [a, b]);
    const cid = `GROUP${groupID}`;
    const ann = await connectClient(server, a);
    const ann2 = await connectClient(server, a);
    const ben = await connectClient(server, b);
    const { message } = await send(owner, groupText(groupID, 'react to me'));
    const target = { conversationID: cid, messageID: message.ID };

    const r = await ann.request('addMessageReaction', { ...target, reactionID: 'like' });
    assert.equal(r.reactionID, 'like');
    assert.equal(r.message.ID, message.ID);
    const toOwner = await owner.nextPush('messageReactionsUpdated');
    assert.equal(toOwner.data.conversationID, cid);
    assert.deepEqual(toOwner.data.reactionList, [
      {
        reactionID: 'like',
        totalUserCount: 1,
        partialUserList: [{ userID: a, nick: '', avatar: '' }],
        reactedByMyself: false,
      },
    ]);
    assert.equal(
      (await ann2.nextPush('messageReactionsUpdated')).data.reactionList[0].reactedByMyself,
      true,
    );
    assert.equal(
      (await ben.nextPush('messageReactionsUpdated')).data.reactionList[0].reactedByMyself,
      false,
    );
    assert.equal(await ann.noPush('messageReactionsUpdated', 50), true);
    await ann.request('addMessageReaction', { ...target, reactionID: 'like' });
    assert.equal(await owner.noPush('messageReactionsUpdated', 100), true, 'idempotent');

    await ben.request('addMessageReaction', { ...target, reactionID: 'like' });
    await ben.request('addMessageReaction', { ...target, reactionID: 'heart' });
    await owner.request('addMessageReaction', { ...target, reactionID: 'heart' });
    const listed = await ben.request('getMessageReactions', {
      conversationID: cid,
      messageIDList: [message.ID],
      maxUserCountPerReaction: 1,
    });
    assert.equal(listed.resultList[0].messageID, message.ID);
    const reactions = byID(listed.resultList[0].reactionList);
    assert.deepEqual(Object.keys(reactions), ['like', 'heart']);
    assert.equal(reactions.like.totalUserCount, 2);
    assert.equal(reactions.like.partialUserList.length, 1);
    assert.equal(reactions.like.reactedByMyself, true);
    assert.equal(reactions.heart.totalUserCount, 2);
    const fromOwner = await owner.request('getMessageReactions', {
      conversationID: cid,
      messageIDList: [message.ID],
    });
    assert.equal(byID(fromOwner.resultList[0].reactionList).like.reactedByMyself, false);
    assert.deepEqual(byID(fromOwner.resultList[0].reactionList).heart.partialUserList, [
      { userID: b, nick: '', avatar: '' },
      { userID: o, nick: 'Owner', avatar: '' },
    ]);

    const page1 = await owner.request('getAllUserListOfMessageReaction', {
      ...target,
      reactionID: 'like',
      count: 1,
    });
    assert.deepEqual(
      page1.userList.map((u: { userID: string }) => u.userID),
      [a],
    );
    assert.equal(page1.isCompleted, false);
    const page2 = await owner.request('getAllUserListOfMessageReaction', {
      ...target,
      reactionID: 'like',
      count: 1,
      nextSeq: page1.nextSeq,
    });
    assert.deepEqual(
      page2.userList.map((u: { userID: string }) => u.userID),
      [b],
    );
    assert.equal(page2.isCompleted, true);
    assert.equal(page2.nextSeq, 0);

    for (const c of [owner, ann2, ben]) {
      while (!(await c.noPush('messageReactionsUpdated', 30)))
        await c.nextPush('messageReactionsUpdated');
    }
    await ann.request('removeMessageReaction', { ...target, reactionID: 'like' });
    const removed = await owner.nextPush('messageReactionsUpdated');
    assert.equal(byID(removed.data.reactionList).like.totalUserCount, 1);
    await ann.request('removeMessageReaction', { ...target, reactionID: 'like' });
    assert.equal(await owner.noPush('messageReactionsUpdated', 100), true, 'idempotent');
    for (const c of [owner, ann, ann2, ben]) await c.close();
  });

  test('limits and errors change nothing', async () => {
    const [a, b] = [uid('a'), uid('b')];
    await registerUsers(server, b);
    const alice = await connectClient(server, a);
    const bob = await connectClient(server, b);
    const { message } = await send(alice, textMessage(b, 'x'));
    const target = { conversationID: `C2C${b}`, messageID: message.ID };
    for (let i = 0; i < LIMITS.reactionsPerMessage; i++) {
      await alice.request('addMessageReaction', { ...target, reactionID: `r${i}` });
    }
    await assert.rejects(
      alice.request('addMessageReaction', { ...target, reactionID: 'one-more' }),
      {
        code: ErrorCode.INVALID_PARAMETER,
      },
    );
    // joining an existing reaction is fine at the limit
    await bob.request('addMessageReaction', {
      conversationID: `C2C${a}`,
      messageID: message.ID,
      reactionID: 'r0',
    });
    await assert.rejects(
      alice.request('addMessageReaction', { ...target, reactionID: '字'.repeat(22) }),
      { code: ErrorCode.INVALID_PARAMETER },
    );
    await assert.rejects(
      alice.request('addMessageReaction', { ...target, messageID: 'nope', reactionID: 'x' }),
      { code: ErrorCode.MESSAGE_NOT_FOUND },
    );
    const list = async () =>
      (
        await alice.request('getMessageReactions', {
          conversationID: `C2C${b}`,
          messageIDList: [message.ID],
        })
      ).resultList[0].reactionList as Reaction[];
    assert.equal((await list()).length, LIMITS.reactionsPerMessage);
    assert.equal(byID(await list()).r0.totalUserCount, 2);
    await assert.rejects(
      alice.request('getMessageReactions', { conversationID: `C2C${b}`, messageIDList: ['nope'] }),
      { code: ErrorCode.MESSAGE_NOT_FOUND },
    );

    await alice.request('revokeMessage', target);
    await assert.rejects(alice.request('addMessageReaction', { ...target, reactionID: 'r0' }), {
      code: ErrorCode.MESSAGE_OPERATION_UNSUPPORTED,
    });
    await assert.rejects(alice.request('removeMessageReaction', { ...target, reactionID: 'r0' }), {
      code: ErrorCode.MESSAGE_OPERATION_UNSUPPORTED,
    });
    assert.deepEqual(await list(), [], 'a recalled message loses its reactions');

    const owner = await connectClient(server, uid('o'));
    const groupID = await createGroupWith(owner, []);
    const g = await send(owner, groupText(groupID, 'g'));
    await assert.rejects(
      alice.request('addMessageReaction', {
        conversationID: `GROUP${groupID}`,
        messageID: g.message.ID,
        reactionID: 'x',
      }),
      { code: ErrorCode.NO_PERMISSION },
    );
    for (const c of [alice, bob, owner]) await c.close();
  });
});
