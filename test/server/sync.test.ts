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
