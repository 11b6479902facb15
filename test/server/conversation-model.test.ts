// The conversation model's ops (issue 4): paging and filters, pin, draft, marks (HIDE included),
// custom data, delete (with history), conversation groups and their limits, mark-all-read; every
// change reaches the user's other socket (another device) as a push, and bad input changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode as C } from '../../src/protocol/codes.js';
import { LIMITS, TYPES } from '../../src/protocol/constants.js';
import type { Conversation } from '../../src/protocol/types.js';
import {
  connectClient,
  createGroupWith,
  groupText,
  startTestServer,
  textMessage,
  uid,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';

let server: RunningServer;
const open: TestClient[] = [];

before(async () => {
  server = await startTestServer();
});
after(async () => {
  for (const c of open) await c.close();
  await server.close();
});

async function connect(userID: string): Promise<TestClient> {
  const c = await connectClient(server, userID);
  open.push(c);
  return c;
}

/** me (two sockets: two devices) with C2C conversations with peers and one group. */
async function world(peerCount = 3) {
  const me = await connect(uid('me'));
  const other = await connect(me.userID);
  const peers: TestClient[] = [];
  for (let i = 0; i < peerCount; i++) peers.push(await connect(uid('p')));
  for (const p of peers)
    await p.request('sendMessage', textMessage(me.userID, `hi from ${p.userID}`));
  const groupID = await createGroupWith(peers[0], [me.userID]);
  await peers[0].request('sendMessage', groupText(groupID, 'group hello'));
  return { me, other, peers, groupID };
}

const list = async (c: TestClient, data: Record<string, unknown> = {}) =>
  await c.request<{ conversationList: Conversation[]; nextSeq: number; isFinished: boolean }>(
    'getConversationList',
    data,
  );
const ids = (l: Conversation[]) => l.map((c) => c.conversationID);
const find = async (c: TestClient, id: string) =>
  (await list(c)).conversationList.find((x) => x.conversationID === id);

describe('conversation model', () => {
  test('getConversationList pages with nextSeq/count and filters by type and unread', async () => {
    const { me, peers, groupID } = await world(3);
    const all = await list(me);
    assert.equal(all.conversationList.length, 4);
    assert.equal(all.isFinished, true);
    const p1 = await list(me, { count: 3 });
    assert.equal(p1.conversationList.length, 3);
    assert.equal(p1.isFinished, false);
    const p2 = await list(me, { count: 3, nextSeq: p1.nextSeq });
    assert.deepEqual(
      ids([...p1.conversationList, ...p2.conversationList]),
      ids(all.conversationList),
    );
    assert.equal(p2.isFinished, true);
    assert.deepEqual(ids((await list(me, { type: 'GROUP' })).conversationList), [
      `GROUP${groupID}`,
    ]);
    await me.request('setMessageRead', { conversationID: `C2C${peers[0].userID}` });
    const unread = await list(me, { hasUnreadCount: true });
    assert.equal(unread.conversationList.length, 3);
    assert.ok(!ids(unread.conversationList).includes(`C2C${peers[0].userID}`));
    await assert.rejects(me.request('getConversationList', { count: 0 }), {
      code: C.INVALID_PARAMETER,
    });
  });

  test('pinConversation: pinned first, synced to the other device, 51007 for a stranger', async () => {
    const { me, other, peers } = await world(3);
    const oldest = `C2C${peers[0].userID}`;
    const res = await me.request('pinConversation', { conversationID: oldest, isPinned: true });
    assert.equal(res.conversationID, oldest);
    assert.equal(res.conversationList[0].isPinned, true);
    const push = await other.nextPush('conversationsChanged');
    assert.equal(push.data.conversationList[0].conversationID, oldest);
    assert.equal(push.data.conversationList[0].isPinned, true);
    assert.equal((await list(me)).conversationList[0].conversationID, oldest);
    await assert.rejects(
      me.request('pinConversation', { conversationID: `C2C${uid('nobody')}`, isPinned: true }),
      { code: C.CONVERSATION_NOT_FOUND },
    );
    await me.request('pinConversation', { conversationID: oldest, isPinned: false });
    assert.notEqual((await list(me)).conversationList[0].conversationID, oldest);
  });

  test('setConversationDraft is stored on the server and pushed to the other device', async () => {
    const { me, other, peers } = await world(1);
    const id = `C2C${peers[0].userID}`;
    await me.request('setConversationDraft', { conversationID: id, draftText: 'half a thought' });
    const push = await other.nextPush('conversationsChanged');
    assert.equal(push.data.conversationList[0].draftText, 'half a thought');
    const fresh = await connect(me.userID);
    assert.equal((await find(fresh, id))?.draftText, 'half a thought');
    await assert.rejects(
      me.request('setConversationDraft', {
        conversationID: id,
        draftText: 'x'.repeat(LIMITS.conversationDraftBytes + 1),
      }),
      { code: C.INVALID_PARAMETER },
    );
    assert.equal((await find(me, id))?.draftText, 'half a thought');
  });

  test('markConversation: built-in and custom marks, per-conversation failures, bad markType', async () => {
    const { me, other, peers } = await world(2);
    const a = `C2C${peers[0].userID}`;
    const custom = 2 ** 40;
    const res = await me.request('markConversation', {
      conversationIDList: [a, `C2C${uid('nobody')}`, 'garbage'],
      markType: TYPES.CONV_MARK_TYPE_STAR,
      enableMark: true,
    });
    assert.deepEqual(res.successConversationIDList, [a]);
    assert.deepEqual(
      res.failureConversationIDList.map((f: { code: number }) => f.code),
      [C.CONVERSATION_NOT_FOUND, C.INVALID_PARAMETER],
    );
    await other.nextPush('conversationsChanged');
    await me.request('markConversation', {
      conversationIDList: [a],
      markType: custom,
      enableMark: true,
    });
    assert.deepEqual((await find(me, a))?.markList, [TYPES.CONV_MARK_TYPE_STAR, custom]);
    assert.deepEqual(ids((await list(me, { markType: custom })).conversationList), [a]);
    for (const markType of [3, 16, 2 ** 31, 2 ** 64, -1, 0.5]) {
      await assert.rejects(
        me.request('markConversation', { conversationIDList: [a], markType, enableMark: true }),
        { code: C.INVALID_PARAMETER },
        String(markType),
      );
    }
    await me.request('markConversation', {
      conversationIDList: [a],
      markType: TYPES.CONV_MARK_TYPE_STAR,
      enableMark: false,
    });
    assert.deepEqual((await find(me, a))?.markList, [custom]);
  });

  test('HIDE mark: hidden until the next message, which brings the conversation back', async () => {
    const { me, peers } = await world(1);
    const a = `C2C${peers[0].userID}`;
    await me.request('markConversation', {
      conversationIDList: [a],
      markType: TYPES.CONV_MARK_TYPE_HIDE,
      enableMark: true,
    });
    assert.deepEqual((await find(me, a))?.markList, [TYPES.CONV_MARK_TYPE_HIDE]);
    assert.deepEqual(
      ids((await list(me, { markType: TYPES.CONV_MARK_TYPE_HIDE })).conversationList),
      [a],
    );
    await peers[0].request('sendMessage', textMessage(me.userID, 'back'));
    assert.deepEqual((await find(me, a))?.markList, []);
  });

  test('setConversationCustomData: <= 256 bytes, pushed; longer is refused and changes nothing', async () => {
    const { me, other, peers } = await world(2);
    const ab = [`C2C${peers[0].userID}`, `C2C${peers[1].userID}`];
    const res = await me.request('setConversationCustomData', {
      conversationIDList: ab,
      customData: 'x'.repeat(256),
    });
    assert.deepEqual(res.successConversationIDList, ab);
    const push = await other.nextPush('conversationsChanged');
    assert.equal(push.data.conversationList.length, 2);
    await assert.rejects(
      me.request('setConversationCustomData', {
        conversationIDList: ab,
        customData: 'é'.repeat(129),
      }),
      { code: C.INVALID_PARAMETER },
    );
    assert.equal((await find(me, ab[0]))?.customData, 'x'.repeat(256));
  });

  test('deleteConversation: gone with its history and unread on every device, back with the next message', async () => {
    const { me, other, peers } = await world(2);
    const a = `C2C${peers[0].userID}`;
    await me.request('pinConversation', { conversationID: a, isPinned: true });
    await other.nextPush('conversationsChanged');
    const res = await me.request('deleteConversation', { conversationIDList: [a] });
    assert.deepEqual(res.conversationIDList, [a]);
    const push = await other.nextPush('conversationDeleted');
    assert.deepEqual(push.data, { conversationIDList: [a], clearHistoryMessage: true });
    assert.equal(await find(me, a), undefined);
    const history = await me.request('getMessageList', { conversationID: a });
    assert.equal(history.messageList.length, 0);
    // The peer still has the history: deletion is the caller's only.
    assert.equal(
      (await peers[0].request('getMessageList', { conversationID: `C2C${me.userID}` })).messageList
        .length,
      1,
    );
    await assert.rejects(me.request('deleteConversation', { conversationIDList: [a] }), {
      code: C.CONVERSATION_NOT_FOUND,
    });
    await peers[0].request('sendMessage', textMessage(me.userID, 'again'));
    const back = await find(me, a);
    assert.equal(back?.unreadCount, 1);
    assert.equal(back?.isPinned, false);
    assert.equal(
      back?.lastMessage?.payload && (back.lastMessage.payload as { text: string }).text,
      'again',
    );
  });

  test('deleteConversation with clearHistoryMessage false keeps the history; all or nothing', async () => {
    const { me, peers } = await world(2);
    const a = `C2C${peers[0].userID}`;
    const b = `C2C${peers[1].userID}`;
    await assert.rejects(
      me.request('deleteConversation', { conversationIDList: [a, `C2C${uid('nobody')}`] }),
      { code: C.CONVERSATION_NOT_FOUND },
    );
    assert.ok(await find(me, a), 'nothing deleted when one ID fails');
    await me.request('deleteConversation', { conversationIDList: [b], clearHistoryMessage: false });
    assert.equal(await find(me, b), undefined);
    assert.equal((await me.request('getMessageList', { conversationID: b })).messageList.length, 1);
  });

  test('conversation groups: create, list, add, remove, rename, delete, with events to the other device', async () => {
    const { me, other, peers, groupID } = await world(3);
    const [a, b, c] = peers.map((p) => `C2C${p.userID}`);
    const g = `GROUP${groupID}`;
    const created = await me.request('createConversationGroup', {
      groupName: 'work',
      conversationIDList: [a, g],
    });
    assert.deepEqual(created.successConversationIDList, [a, g]);
    assert.deepEqual((await other.nextPush('conversationGroupListUpdated')).data.groupList, [
      'work',
    ]);
    assert.deepEqual((await me.request('getConversationGroupList')).groupList, ['work']);
    assert.deepEqual((await find(me, a))?.conversationGroupList, ['work']);
    assert.deepEqual(
      ids((await list(me, { groupName: 'work' })).conversationList).sort(),
      [a, g].sort(),
    );

    const added = await me.request('addConversationsToGroup', {
      groupName: 'work',
      conversationIDList: [b, `C2C${uid('nobody')}`],
    });
    assert.deepEqual(added.successConversationIDList, [b]);
    assert.equal(added.failureConversationIDList[0].code, C.CONVERSATION_NOT_FOUND);
    assert.deepEqual((await other.nextPush('conversationInGroupUpdated')).data, {
      groupName: 'work',
      conversationIDList: [b],
    });
    await me.request('deleteConversationsFromGroup', {
      groupName: 'work',
      conversationIDList: [a],
    });
    assert.deepEqual((await find(me, a))?.conversationGroupList, []);

    await me.request('renameConversationGroup', { oldName: 'work', newName: 'job' });
    assert.deepEqual((await find(me, b))?.conversationGroupList, ['job']);
    await me.request('createConversationGroup', { groupName: 'other', conversationIDList: [c] });
    await assert.rejects(
      me.request('renameConversationGroup', { oldName: 'job', newName: 'other' }),
      { code: C.CONVERSATION_GROUP_NAME_INVALID },
    );
    await me.request('deleteConversationGroup', { groupName: 'job' });
    assert.deepEqual((await me.request('getConversationGroupList')).groupList, ['other']);
    assert.deepEqual((await find(me, b))?.conversationGroupList, []);
    await assert.rejects(me.request('deleteConversationGroup', { groupName: 'job' }), {
      code: C.CONVERSATION_GROUP_NOT_FOUND,
    });
  });

  test('conversation group limits: names of 1..32 bytes (51011), at most 20 (51010)', async () => {
    const { me, peers } = await world(1);
    const a = `C2C${peers[0].userID}`;
    for (const groupName of ['', 'x'.repeat(33), 'é'.repeat(17)]) {
      await assert.rejects(
        me.request('createConversationGroup', { groupName, conversationIDList: [a] }),
        { code: C.CONVERSATION_GROUP_NAME_INVALID },
        JSON.stringify(groupName),
      );
    }
    for (let i = 0; i < LIMITS.conversationGroups; i++) {
      await me.request('createConversationGroup', { groupName: `g${i}`, conversationIDList: [a] });
    }
    await assert.rejects(
      me.request('createConversationGroup', { groupName: 'one more', conversationIDList: [a] }),
      { code: C.CONVERSATION_GROUP_LIMIT },
    );
    await assert.rejects(
      me.request('createConversationGroup', { groupName: 'g0', conversationIDList: [a] }),
      { code: C.CONVERSATION_GROUP_NAME_INVALID },
    );
    assert.equal((await me.request('getConversationGroupList')).groupList.length, 20);
    assert.equal((await find(me, a))?.conversationGroupList.length, 20);
  });

  test('setAllMessageRead by scope: C2C only, then everything; other device told per conversation', async () => {
    const { me, other, peers, groupID } = await world(2);
    await me.request('setAllMessageRead', { scope: TYPES.READ_ALL_C2C_MSG });
    const after1 = (await list(me)).conversationList;
    for (const c of after1) {
      assert.equal(c.unreadCount, c.type === 'GROUP' ? 1 : 0, c.conversationID);
    }
    await other.nextPush('conversationRead');
    await me.request('setAllMessageRead', {});
    assert.equal((await find(me, `GROUP${groupID}`))?.unreadCount, 0);
    assert.ok((await list(me)).conversationList.every((c) => c.unreadCount === 0));
    // The C2C peers learn it as a read receipt.
    const receipt = await peers[0].nextPush('messageReadByPeer');
    assert.equal(receipt.data.conversationID, `C2C${me.userID}`);
    await assert.rejects(me.request('setAllMessageRead', { scope: 'nope' }), {
      code: C.INVALID_PARAMETER,
    });
  });
});

describe('conversation model storage', () => {
  test('marks and conversation groups stop at the cap (51008 in the service), all or nothing', async () => {
    const { SqliteStorage } = await import('../../src/server/storage/sqlite.js');
    const storage = new SqliteStorage({ file: ':memory:' });
    try {
      const insert = storage.db.prepare(
        `INSERT INTO conversations (app_id, conv_key, type, last_cursor) VALUES (1, ?, 'C2C', ?)`,
      );
      const keys = ['c2c:a|b', 'c2c:a|c', 'c2c:a|d', 'c2c:a|e'];
      keys.forEach((k, i) => insert.run(k, i + 1));
      const star = { mark: { markType: TYPES.CONV_MARK_TYPE_STAR, enable: true } };
      assert.equal(
        await storage.patchConversationStates(1, 'a', keys.slice(0, 2), star, 3, 1),
        'ok',
      );
      assert.equal(
        await storage.patchConversationStates(1, 'a', keys.slice(1), star, 3, 1),
        'markLimit',
      );
      const marked = (await storage.listConversationStates(1, 'a')).filter((s) => s.marks.length);
      assert.equal(marked.length, 2, 'nothing of the refused call was written');
      const limits = { maxGroups: 20, maxMarked: 3 };
      assert.equal(
        await storage.changeConversationGroups(
          1,
          'a',
          { op: 'create', name: 'g', convKeys: keys.slice(2) },
          limits,
          1,
        ),
        'markLimit',
      );
      assert.deepEqual(
        await storage.conversationGroupNames(1, 'a'),
        [],
        'the group was not created',
      );
      assert.equal(
        await storage.changeConversationGroups(
          1,
          'a',
          { op: 'create', name: 'g', convKeys: keys.slice(0, 3) },
          limits,
          1,
        ),
        'ok',
      );
    } finally {
      await storage.close();
    }
  });
});
