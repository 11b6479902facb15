import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LIMITS } from '../../src/protocol/constants.js';
import type { Message } from '../../src/protocol/types.js';
import type { SyncResult } from '../../src/protocol/wire.js';
import { SqliteStorage } from '../../src/server/storage/sqlite.js';
import {
  connectClient,
  groupText,
  startTestServer,
  textMessage,
  uid,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';

async function syncAll(client: TestClient, cursor: number) {
  const received: { cursor: number; message: Message }[] = [];
  const pages: SyncResult[] = [];
  for (;;) {
    const page = await client.request<SyncResult>('sync', { cursor });
    pages.push(page);
    received.push(...page.messages);
    cursor = page.cursor;
    if (page.isCompleted) break;
  }
  return { received, pages, cursor };
}

describe('catch-up', () => {
  let server: RunningServer;
  before(async () => {
    // the paging test sends 2 * syncPage + 17 messages as fast as it can: no send rate limit
    server = await startTestServer({ sendRate: 0 });
  });
  after(() => server.close());

  test('after a dropped socket, sync returns exactly the missed messages once, in order', async () => {
    const [a, b] = [uid('a'), uid('b')];
    const alice = await connectClient(server, a);
    let bob = await connectClient(server, b);
    const owner = await connectClient(server, uid('o'));
    const { group } = await owner.request('createGroup', {
      name: 'g',
      type: 'Public',
      memberList: [{ userID: b }],
    });
    await alice.request('sendMessage', textMessage(b, 'seen'));
    const seen = await bob.nextPush('message');
    const lastCursor = seen.cursor;
    await bob.terminate();

    const missed: string[] = [];
    for (let i = 0; i < 5; i++) {
      missed.push((await alice.request('sendMessage', textMessage(b, `c2c ${i}`))).message.ID);
      missed.push(
        (await owner.request('sendMessage', groupText(group.groupID, `group ${i}`))).message.ID,
      );
    }
    // noise that bob must not get
    await alice.request('sendMessage', textMessage(owner.userID, 'not for bob'));

    bob = await connectClient(server, b);
    assert.ok(bob.login!.cursor > lastCursor, 'login tells the newest cursor');
    const { received, pages, cursor } = await syncAll(bob, lastCursor);
    assert.equal(pages.length, 1);
    assert.deepEqual(
      received.map((r) => r.message.ID),
      missed,
    );
    const cursors = received.map((r) => r.cursor);
    assert.deepEqual(
      cursors,
      [...cursors].sort((x, y) => x - y),
    );
    assert.equal(new Set(cursors).size, cursors.length);
    assert.equal(cursor, cursors.at(-1));
    assert.equal(cursor, bob.login!.cursor);
    assert.ok(received.every((r) => r.message.flow === 'in'));
    // nothing more after the cursor
    const again = await bob.request<SyncResult>('sync', { cursor });
    assert.deepEqual(again, { messages: [], cursor, isCompleted: true });
    for (const c of [alice, bob, owner]) await c.close();
  });

  test('more than syncPage missed messages arrive in pages, without gaps or duplicates', async () => {
    const [a, b] = [uid('a'), uid('b')];
    const alice = await connectClient(server, a);
    const bob = await connectClient(server, b);
    await bob.terminate();
    const total = LIMITS.syncPage * 2 + 17;
    const sent: string[] = [];
    for (let i = 0; i < total; i++)
      sent.push((await alice.request('sendMessage', textMessage(b, `n${i}`))).message.ID);
    const back = await connectClient(server, b);
    const { received, pages } = await syncAll(back, 0);
    assert.deepEqual(
      pages.map((p) => p.messages.length),
      [LIMITS.syncPage, LIMITS.syncPage, 17],
    );
    assert.deepEqual(
      pages.map((p) => p.isCompleted),
      [false, false, true],
    );
    assert.deepEqual(
      received.map((r) => r.message.ID),
      sent,
    );
    // the sender's other device catches up on its own messages too (flow out)
    const aliceTwo = await connectClient(server, a);
    const mine = await syncAll(aliceTwo, 0);
    assert.equal(mine.received.length, total);
    assert.ok(
      mine.received.every(
        (r) => r.message.flow === 'out' && r.message.conversationID === `C2C${b}`,
      ),
    );
    for (const c of [alice, back, aliceTwo]) await c.close();
  });

  test('recalls and edits made while a device was away come back from its change cursor', async () => {
    const [a, b, c] = [uid('a'), uid('b'), uid('c')];
    const alice = await connectClient(server, a);
    const carol = await connectClient(server, c);
    let bob = await connectClient(server, b);
    const owner = await connectClient(server, uid('o'));
    const { group } = await owner.request('createGroup', {
      name: 'g',
      type: 'Public',
      memberList: [{ userID: b }],
    });
    const keep = (await alice.request('sendMessage', textMessage(b, 'keep'))).message;
    const recall = (await alice.request('sendMessage', textMessage(b, 'oops'))).message;
    const edit = (await owner.request('sendMessage', groupText(group.groupID, 'draft'))).message;
    const noise = (await alice.request('sendMessage', textMessage(c, 'not for bob'))).message;
    // bob's device last caught up after the group's notice to him (added at creation).
    const since = (await bob.request('syncChanges', { cursor: bob.login!.changeCursor! })).cursor;
    assert.equal(typeof since, 'number');
    await bob.terminate();

    await alice.request('revokeMessage', { conversationID: `C2C${b}`, messageID: recall.ID });
    const edited = await owner.request('modifyMessage', {
      conversationID: `GROUP${group.groupID}`,
      messageID: edit.ID,
      version: 0,
      payload: { text: 'final' },
    });
    await alice.request('modifyMessage', {
      conversationID: `C2C${c}`,
      messageID: noise.ID,
      version: 0,
      payload: { text: 'still not for bob' },
    });
    // An edit, then a recall of the same message: one change, its latest state.
    const twice = (await alice.request('sendMessage', textMessage(b, 'twice'))).message;
    await alice.request('modifyMessage', {
      conversationID: `C2C${b}`,
      messageID: twice.ID,
      version: 0,
      payload: { text: 'twice, edited' },
    });
    await alice.request('revokeMessage', { conversationID: `C2C${b}`, messageID: twice.ID });

    bob = await connectClient(server, b);
    assert.ok(bob.login!.changeCursor! > since, 'the login names the newest change');
    const page = await bob.request('syncChanges', { cursor: since });
    assert.equal(page.isCompleted, true);
    assert.deepEqual(
      page.changes.map((ch: { message: Message }) => [
        ch.message.ID,
        ch.message.isRevoked,
        ch.message.isModified,
        (ch.message.payload as { text?: string }).text,
      ]),
      [
        [recall.ID, true, false, undefined],
        [edit.ID, false, true, 'final'],
        [twice.ID, true, true, undefined],
      ],
    );
    const cursors = page.changes.map((ch: { cursor: number }) => ch.cursor);
    assert.deepEqual(
      cursors,
      [...cursors].sort((x, y) => x - y),
      'in change order',
    );
    assert.equal(page.cursor, cursors.at(-1));
    assert.equal(page.changes[1].message.version, edited.message.version);
    assert.equal(page.changes[0].message.conversationID, `C2C${a}`, 'as bob sees it');
    assert.ok(!page.changes.some((ch: { message: Message }) => ch.message.ID === keep.ID));
    // From the last one on, nothing; a device that has them all pages nothing.
    const after = await bob.request('syncChanges', { cursor: page.cursor });
    assert.deepEqual(after.changes, []);
    assert.equal(after.cursor, page.cursor);
    // carol sees the edit of her own conversation, none of bob's.
    const carols = await carol.request('syncChanges', { cursor: since });
    assert.deepEqual(
      carols.changes.map((ch: { message: Message }) => ch.message.ID),
      [noise.ID],
    );
    for (const client of [alice, bob, carol, owner]) await client.close();
  });

  test('a recall or edit push carries its change cursor', async () => {
    const [a, b] = [uid('a'), uid('b')];
    const alice = await connectClient(server, a);
    const bob = await connectClient(server, b);
    const m = (await alice.request('sendMessage', textMessage(b, 'hi'))).message;
    await bob.nextPush('message');
    await alice.request('modifyMessage', {
      conversationID: `C2C${b}`,
      messageID: m.ID,
      version: 0,
      payload: { text: 'hi!' },
    });
    const modified = await bob.nextPush('messageModified');
    await alice.request('revokeMessage', { conversationID: `C2C${b}`, messageID: m.ID });
    const revoked = await bob.nextPush('messageRevoked');
    const [first, second] = [modified.cursor!, revoked.cursor!];
    assert.ok(first > 0);
    assert.ok(second > first);
    const page = await bob.request('syncChanges', { cursor: first - 1 });
    assert.deepEqual(
      page.changes.map((ch: { cursor: number }) => ch.cursor),
      [second],
      'the recall moved the message to its newer change cursor',
    );
    for (const client of [alice, bob]) await client.close();
  });

  test('the change stream is an index range scan per conversation (query plan)', async () => {
    const storage = new SqliteStorage({ file: ':memory:' });
    const plan = storage.db
      .prepare(`EXPLAIN QUERY PLAN ${SqliteStorage.SYNC_CHANGES_SQL}`)
      .all(0, 1, 'u', 10) as { detail: string }[];
    const details = plan.map((p) => p.detail).join('\n');
    assert.match(details, /SEARCH uc USING PRIMARY KEY \(app_id=\? AND user_id=\?\)/);
    assert.match(
      details,
      /SEARCH m USING INDEX messages_conv_change \(conv_id=\? AND change_seq>\?\)/,
    );
    assert.doesNotMatch(details, /SCAN m\b/);
    await storage.close();
  });

  test('sync is an index range scan per conversation (query plan)', async () => {
    const storage = new SqliteStorage({ file: ':memory:' });
    const plan = storage.db
      .prepare(`EXPLAIN QUERY PLAN ${SqliteStorage.SYNC_SQL}`)
      .all(0, 1, 'u', 10) as { detail: string }[];
    const details = plan.map((p) => p.detail).join('\n');
    assert.match(details, /SEARCH uc USING PRIMARY KEY \(app_id=\? AND user_id=\?\)/);
    assert.match(details, /SEARCH m USING INDEX messages_conv_cursor \(conv_id=\? AND cursor>\?\)/);
    assert.doesNotMatch(details, /SCAN m\b/);
    await storage.close();
  });
});
