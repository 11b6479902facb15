/**
 * The storage contract: one suite that every Storage implementation passes (sqlite.test.ts and
 * pg.test.ts run it). Each case gets two handles on ONE database, as two server nodes would have,
 * and the cases that matter for several writers run their calls on both at once: cursors visible in
 * order, sequences without gaps, idempotent retries racing each other, capacity and first-wins
 * checks under contention, all-or-nothing changes.
 *
 * The whole server suite also runs on PostgreSQL (the `server-pg` stage of `npm test`); this
 * suite pins down what that one cannot: concurrency between nodes and the storage API itself.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { c2cKey, groupKey, type NewMessage, type Storage } from '../../src/server/storage/types.js';
import { textDraft } from '../helpers/drafts.js';

export interface StoragePair {
  /** Two handles on one database. */
  one: Storage;
  two: Storage;
  /** Closes both handles and opens a new one on the same database (restart). */
  reopen(): Promise<Storage>;
  close(): Promise<void>;
}

const APP = 1400000001;

let counter = 0;

function draft(from: string, to: string, extra: Partial<NewMessage> = {}): NewMessage {
  counter++;
  return textDraft(
    from,
    to,
    `m-${counter}-${Math.floor(Math.random() * 1e9)}`,
    `hello ${counter}`,
    {
      random: counter,
      time: 1_700_000_000 + counter,
      ...extra,
    },
  );
}

function groupDraft(from: string, groupID: string, extra: Partial<NewMessage> = {}): NewMessage {
  return draft(from, groupID, {
    convKey: groupKey(groupID),
    conversationType: 'GROUP',
    to: groupID,
    ...extra,
  });
}

async function newGroup(
  storage: Storage,
  groupID: string,
  ownerID: string,
  members: string[],
  maxMemberCount = 200,
): Promise<boolean> {
  return storage.createGroup(APP, {
    groupID,
    type: 'Public',
    name: groupID,
    introduction: '',
    notification: '',
    avatar: '',
    ownerID,
    maxMemberCount,
    joinOption: 'NeedPermission',
    createTime: 1_700_000_000,
    members: [
      { userID: ownerID, role: 'Owner' },
      ...members.map((userID) => ({ userID, role: 'Member' as const })),
    ],
  });
}

export function storageContract(name: string, open: () => Promise<StoragePair>): void {
  describe(`storage contract: ${name}`, () => {
    let pair: StoragePair;
    let one: Storage;
    let two: Storage;
    beforeEach(async () => {
      pair = await open();
      ({ one, two } = pair);
      for (const userID of ['alice', 'bob', 'carol', 'dave', 'erin']) {
        await one.ensureUser(APP, userID, 1_700_000_000);
      }
    });
    afterEach(() => pair.close());

    test('apps: one default app, even when two nodes create one at once', async () => {
      const base = { secretKey: 'k', maxInstances: 10, createdAt: 1_700_000_000 };
      await Promise.all([
        one.createApp({ ...base, SDKAppID: 1400000100 }),
        two.createApp({ ...base, SDKAppID: 1400000200 }),
      ]);
      const [d1, d2] = [await one.getDefaultApp(), await two.getDefaultApp()];
      assert.ok(d1);
      assert.equal(d1.SDKAppID, d2?.SDKAppID, 'both nodes see the same default');
      assert.ok(await two.getApp(1400000100));
      assert.ok(await one.getApp(1400000200));
    });

    test('users: registered once, profile changes visible to the other node at once', async () => {
      const [a, b] = await Promise.all([
        one.ensureUser(APP, 'fred', 1_700_000_001),
        two.ensureUser(APP, 'fred', 1_700_000_002),
      ]);
      assert.equal(a.tinyID, b.tinyID);
      assert.equal((await two.getUser(APP, 'fred'))?.nick, '');
      await one.updateUser(
        APP,
        'fred',
        { nick: 'Fred', customFields: { Tag_Profile_Custom_a: 1 } },
        5,
      );
      const seen = await two.getUser(APP, 'fred');
      assert.equal(seen?.nick, 'Fred', 'no stale copy on the other node');
      assert.deepEqual(seen?.customFields, { Tag_Profile_Custom_a: 1 });
      assert.deepEqual(
        (await two.getUsers(APP, ['fred', 'nobody', 'alice'])).map((u) => u.userID).sort(),
        ['alice', 'fred'],
      );
    });

    test('appends from two nodes: per-conversation sequences without gaps, unique cursors', async () => {
      const convs: [string, string][] = [
        ['alice', 'bob'],
        ['bob', 'carol'],
        ['alice', 'carol'],
      ];
      const results = await Promise.all(
        Array.from({ length: 150 }, (_, i) => {
          const [from, to] = convs[i % convs.length];
          const node = i % 2 === 0 ? one : two;
          return node.appendMessage(APP, draft(from, to), [from, to]);
        }),
      );
      const cursors = results.map((r) => r.message.cursor);
      assert.equal(new Set(cursors).size, cursors.length, 'cursors are unique');
      for (const [from, to] of convs) {
        const mine = results
          .map((r) => r.message)
          .filter((m) => m.convKey === c2cKey(from, to))
          .sort((x, y) => x.seq - y.seq);
        assert.deepEqual(
          mine.map((m) => m.seq),
          Array.from({ length: 50 }, (_, i) => i + 1),
          'sequences 1..50',
        );
        const byCursor = [...mine].sort((x, y) => x.cursor - y.cursor).map((m) => m.seq);
        assert.deepEqual(
          byCursor,
          mine.map((m) => m.seq),
          'cursor order is sequence order',
        );
      }
    });

    test('cursors become visible in order: a catch-up running during the appends skips none', async () => {
      const total = 120;
      const seen = new Map<string, number>();
      let cursor = await one.latestCursor(APP, 'bob');
      let done = false;
      const poll = (async () => {
        for (;;) {
          const finished = done;
          for (;;) {
            const page = await two.syncMessages(APP, 'bob', cursor, 50);
            for (const m of page) {
              assert.ok(m.cursor > cursor);
              seen.set(m.ID, (seen.get(m.ID) ?? 0) + 1);
              cursor = m.cursor;
            }
            if (page.length < 50) break;
          }
          if (finished) return;
          await new Promise((r) => setImmediate(r));
        }
      })();
      const sent = await Promise.all(
        Array.from({ length: total }, async (_, i) => {
          const node = i % 2 === 0 ? one : two;
          const from = i % 3 === 0 ? 'carol' : 'alice';
          if (i % 4 === 0) await new Promise((r) => setImmediate(r));
          return (await node.appendMessage(APP, draft(from, 'bob'), [from, 'bob'])).message;
        }),
      );
      done = true;
      await poll;
      assert.equal(seen.size, total, 'every message was caught up');
      for (const m of sent) assert.equal(seen.get(m.ID), 1, `${m.ID} exactly once`);
    });

    test('a retried send racing itself on two nodes is stored once', async () => {
      const message = draft('alice', 'bob');
      const results = await Promise.all([
        one.appendMessage(APP, message, ['alice', 'bob']),
        two.appendMessage(APP, message, ['alice', 'bob']),
        one.appendMessage(APP, message, ['alice', 'bob']),
      ]);
      assert.equal(new Set(results.map((r) => r.message.cursor)).size, 1, 'one stored message');
      assert.equal(results.filter((r) => !r.duplicate).length, 1, 'one of them wrote it');
      const history = await two.getHistory(APP, {
        convKey: message.convKey,
        viewer: 'bob',
        afterSeq: 0,
        limit: 10,
      });
      assert.deepEqual(
        history.map((m) => m.ID),
        [message.ID],
      );
      const next = await two.appendMessage(APP, draft('alice', 'bob'), ['alice', 'bob']);
      assert.equal(next.message.seq, 2, 'no sequence was burnt by the duplicates');
    });

    test('an append that fails in a batch fails alone: the others commit, sequences stay whole', async () => {
      const merger = { downloadKey: `dk-${counter}-${Math.random()}`, messageList: '[]' };
      const first = await one.appendMessage(APP, draft('dave', 'erin', { merger }), [
        'dave',
        'erin',
      ]);
      // Appended in one turn, so in one batch; the middle one reuses the stored download key.
      const settled = await Promise.allSettled([
        one.appendMessage(APP, draft('dave', 'erin'), ['dave', 'erin']),
        one.appendMessage(APP, draft('dave', 'erin', { merger }), ['dave', 'erin']),
        one.appendMessage(APP, draft('erin', 'dave'), ['dave', 'erin']),
      ]);
      assert.deepEqual(
        settled.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      const seqs = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value.message.seq] : []));
      assert.deepEqual(seqs, [first.message.seq + 1, first.message.seq + 2]);
      const history = await two.getHistory(APP, {
        convKey: first.message.convKey,
        viewer: 'dave',
        afterSeq: 0,
        limit: 10,
      });
      assert.deepEqual(
        history.map((m) => m.seq).sort((x, y) => x - y),
        [1, 2, 3],
        'nothing of the failed append was written',
      );
    });

    test('history, sync and unread follow the viewer rules on either node', async () => {
      const convKey = c2cKey('alice', 'bob');
      for (let i = 0; i < 5; i++)
        await one.appendMessage(APP, draft('alice', 'bob'), ['alice', 'bob']);
      const mine = await one.appendMessage(APP, draft('bob', 'alice'), ['alice', 'bob']);
      const conv = await two.getConversation(APP, 'bob', convKey);
      assert.equal(conv?.unreadCount, 5, "the peer's five, not bob's own");
      assert.equal(conv?.lastSeq, 6);
      const read = await two.markRead(APP, 'bob', convKey);
      assert.deepEqual(read, { readSeq: 6, previous: 0 });
      assert.equal((await one.getConversation(APP, 'bob', convKey))?.unreadCount, 0);
      await one.deleteMessagesFor(APP, 'bob', [mine.message.cursor]);
      const history = await two.getHistory(APP, { convKey, viewer: 'bob', afterSeq: 0, limit: 3 });
      assert.deepEqual(
        history.map((m) => m.seq),
        [5, 4, 3],
        'newest first, the deleted one gone for bob',
      );
      const forAlice = await two.getHistory(APP, {
        convKey,
        viewer: 'alice',
        afterSeq: 0,
        limit: 1,
      });
      assert.equal(forAlice[0].seq, 6, 'still there for alice');
      const list = await one.listConversations(APP, 'alice');
      assert.deepEqual(
        list.map((c) => c.convKey),
        [convKey],
      );
    });

    test('modify is a compare-and-swap across nodes; recall empties the message', async () => {
      const { message } = await one.appendMessage(APP, draft('alice', 'bob'), ['alice', 'bob']);
      const [x, y] = await Promise.all([
        one.modifyMessage(APP, message.cursor, 0, { payload: { text: 'x' } }),
        two.modifyMessage(APP, message.cursor, 0, { payload: { text: 'y' } }),
      ]);
      assert.equal([x?.ok, y?.ok].filter(Boolean).length, 1, 'one of the two wins');
      const winner = x?.ok ? x : y;
      assert.equal(winner?.message.version, 1);
      const revoked = await two.revokeMessage(APP, message.cursor, 'alice');
      assert.equal(revoked?.message.isRevoked, true);
      assert.deepEqual(revoked?.message.payload, {});
      assert.equal(
        (await one.modifyMessage(APP, message.cursor, 1, { cloudCustomData: 'z' }))?.ok,
        false,
      );
    });

    test('the last seat of a group goes to one of two nodes racing for it', async () => {
      assert.equal(await newGroup(one, 'full', 'alice', ['bob'], 3), true);
      const results = await Promise.all([
        one.addMember(APP, 'full', 'carol', 'Member', 1_700_000_010, false),
        two.addMember(APP, 'full', 'dave', 'Member', 1_700_000_010, false),
      ]);
      assert.deepEqual([...results].sort(), ['added', 'full']);
      assert.equal((await two.getGroup(APP, 'full'))?.memberCount, 3);
      assert.equal((await one.allMembers(APP, 'full')).length, 3);
      assert.equal(
        await one.addMember(APP, 'full', 'bob', 'Member', 1_700_000_011, false),
        'already',
      );
      assert.equal(await two.addMember(APP, 'nope', 'bob', 'Member', 1, false), 'missing');
    });

    test('a group ID taken at the same time on two nodes: one creates it, the other is told', async () => {
      const results = await Promise.all([
        newGroup(one, 'same', 'alice', ['bob']),
        newGroup(two, 'same', 'carol', ['dave']),
      ]);
      assert.deepEqual([...results].sort(), [false, true]);
      const group = await one.getGroup(APP, 'same');
      const members = (await two.allMembers(APP, 'same')).map((m) => m.userID).sort();
      assert.ok(
        (group?.ownerID === 'alice' && members.join() === 'alice,bob') ||
          (group?.ownerID === 'carol' && members.join() === 'carol,dave'),
        'the members of the winner only',
      );
    });

    test('group messages: one row, whatever the member count; members in join order', async () => {
      await newGroup(one, 'g1', 'alice', ['bob', 'carol']);
      await two.addMember(APP, 'g1', 'dave', 'Member', 1_700_000_020, false);
      assert.deepEqual(
        (await one.listMembers(APP, 'g1', 0, 10)).map((m) => m.userID),
        ['alice', 'bob', 'carol', 'dave'],
      );
      const sent = await two.appendMessage(APP, groupDraft('bob', 'g1'), []);
      assert.equal(sent.message.seq, 1);
      const forDave = await one.syncMessages(APP, 'dave', 0, 10);
      assert.deepEqual(
        forDave.map((m) => m.ID),
        [sent.message.ID],
      );
      assert.equal((await one.getConversation(APP, 'carol', groupKey('g1')))?.unreadCount, 1);
      assert.equal(await one.removeMember(APP, 'g1', 'carol'), true);
      assert.equal(await two.getConversation(APP, 'carol', groupKey('g1')), null);
      assert.equal((await two.getGroup(APP, 'g1'))?.memberCount, 3);
    });

    test('a join application is handled once: the first admin wins', async () => {
      await newGroup(one, 'g2', 'alice', ['bob']);
      await one.saveGroupApplication(APP, 'g2', 'erin', 'let me in', 1_700_000_030);
      const results = await Promise.all([
        one.resolveGroupApplication(APP, 'g2', 'erin', 'Agree'),
        two.resolveGroupApplication(APP, 'g2', 'erin', 'Reject'),
      ]);
      assert.deepEqual([...results].sort(), [false, true]);
    });

    test('group attributes change all or nothing, serialized across nodes', async () => {
      await newGroup(one, 'g3', 'alice', []);
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? one : two).changeGroupCounters(APP, 'g3', (current) => ({
            ...current,
            n: String(Number(current.n ?? '0') + 1),
          })),
        ),
      );
      assert.deepEqual(await one.getGroupCounters(APP, 'g3'), { n: '10' }, 'no lost update');
      await one.changeGroupAttributes(APP, 'g3', () => ({ a: '1' }));
      await assert.rejects(
        two.changeGroupAttributes(APP, 'g3', () => {
          throw new Error('refused');
        }),
        /refused/,
      );
      assert.deepEqual(await one.getGroupAttributes(APP, 'g3'), { a: '1' }, 'unchanged');
    });

    test('conversation marks: the limit holds when two nodes mark at once', async () => {
      const keys: string[] = [];
      for (const peer of ['bob', 'carol', 'dave', 'erin']) {
        await one.appendMessage(APP, draft(peer, 'alice'), [peer, 'alice']);
        keys.push(c2cKey('alice', peer));
      }
      const results = await Promise.all(
        keys.map((key, i) =>
          (i % 2 ? one : two).patchConversationStates(
            APP,
            'alice',
            [key],
            { mark: { markType: 1, enable: true } },
            2,
            1_700_000_040,
          ),
        ),
      );
      assert.equal(results.filter((r) => r === 'ok').length, 2);
      const states = await one.listConversationStates(APP, 'alice');
      assert.equal(states.filter((s) => s.marks.includes(1)).length, 2);
    });

    test('reactions and extensions: limits and conflicts across nodes', async () => {
      const { message } = await one.appendMessage(
        APP,
        draft('alice', 'bob', { isSupportExtension: true }),
        ['alice', 'bob'],
      );
      const added = await Promise.all([
        one.addReaction(message.cursor, 'like', 'bob', 1, 20),
        two.addReaction(message.cursor, 'like', 'bob', 1, 20),
      ]);
      assert.deepEqual([...added].sort(), ['added', 'already']);
      assert.equal(await two.addReaction(message.cursor, 'wow', 'bob', 1, 1), 'limit');
      const rows = (await one.listReactions([message.cursor])).get(message.cursor) ?? [];
      assert.deepEqual(
        rows.map((r) => [r.reactionID, r.userID]),
        [['like', 'bob']],
      );
      const first = await one.writeExtensions(
        message.cursor,
        [{ key: 'k', value: 'v1' }],
        'alice',
        10_000,
        9_000,
        300,
      );
      assert.equal(first.applied.length, 1);
      const clash = await two.writeExtensions(
        message.cursor,
        [{ key: 'k', value: 'v2' }],
        'bob',
        10_500,
        9_500,
        300,
      );
      assert.equal(clash.conflicts.length, 1, 'changed by someone else within the window');
      assert.deepEqual(
        (await two.getExtensions(message.cursor)).map((e) => [e.key, e.value]),
        [['k', 'v1']],
      );
    });

    test('relations: friendship both ways, blocking ends it, subscriptions capped', async () => {
      await one.relations.addFriends(
        APP,
        [
          {
            userID: 'alice',
            friendID: 'bob',
            remark: '',
            source: 'AddSource_Type_Web',
            wording: '',
            groupName: 'work',
          },
          {
            userID: 'bob',
            friendID: 'alice',
            remark: '',
            source: 'AddSource_Type_Web',
            wording: '',
            groupName: '',
          },
        ],
        1_700_000_050,
      );
      assert.deepEqual(
        (await two.relations.friendsOf(APP, 'alice')).map((f) => f.friendID),
        ['bob'],
      );
      assert.deepEqual(await two.relations.friendGroupsOf(APP, 'alice'), [
        { name: 'work', userIDList: ['bob'] },
      ]);
      await two.relations.block(APP, 'bob', ['alice'], 1_700_000_051);
      assert.equal(await one.relations.isBlocked(APP, 'bob', 'alice'), true);
      assert.equal(await one.relations.friendCount(APP, 'alice'), 0);
      await Promise.all([
        one.relations.subscribe(APP, 'erin', ['alice', 'bob'], 3),
        two.relations.subscribe(APP, 'erin', ['carol', 'dave'], 3),
      ]);
      const subs = await one.relations.subscriptionsOf(APP, 'erin');
      assert.equal(subs.length, 3, 'the cap holds with two writers');
    });

    test('a restart keeps everything and migrates nothing twice', async () => {
      const { message } = await one.appendMessage(APP, draft('alice', 'bob'), ['alice', 'bob']);
      await newGroup(two, 'kept', 'alice', ['bob']);
      const again = await pair.reopen();
      assert.equal((await again.getGroup(APP, 'kept'))?.memberCount, 2);
      assert.equal(
        (await again.findMessage(APP, message.convKey, message.ID))?.cursor,
        message.cursor,
      );
      const next = await again.appendMessage(APP, draft('alice', 'bob'), ['alice', 'bob']);
      assert.equal(next.message.seq, 2);
      assert.ok(next.message.cursor > message.cursor, 'cursors go on from where they were');
    });
  });
}
