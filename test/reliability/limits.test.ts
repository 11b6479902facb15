// Limits enforced by the server (src/server/limits.ts): each refusal has its documented code and
// changes nothing (no message stored, pushed, counted unread; no socket opened). The rate limits
// run on a clock the tests move by hand (`limitClockMs`), so nothing here depends on timing.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { ErrorCode } from '../../src/protocol/codes.js';
import type { Message } from '../../src/protocol/types.js';
import {
  GroupRateLimiter,
  SEND_FREQUENCY_LIMIT,
  TokenBuckets,
  DEFAULT_LIMITS,
} from '../../src/server/limits.js';
import { addressKey, isLoopbackHost } from '../../src/server/net.js';
import {
  connectClient,
  createGroupWith,
  groupText,
  readMetric,
  registerUsers,
  sleep,
  startTestServer,
  textMessage,
  uid,
  uploadFile,
  wsURL,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';

/** A hand-driven millisecond clock. */
function manualClock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const pushes = (client: TestClient, push: string) =>
  client.frames.filter((f) => 'push' in f && f.push === push).length;

async function history(client: TestClient, conversationID: string): Promise<string[]> {
  const { messageList } = await client.request<{ messageList: Message[] }>('getMessageList', {
    conversationID,
    count: 15,
  });
  return messageList.map((m) => (m.payload as { text: string }).text);
}

async function unread(client: TestClient, conversationID: string): Promise<number> {
  const { conversation } = await client.request('getConversationProfile', { conversationID });
  return conversation.unreadCount as number;
}

async function refused(promise: Promise<unknown>, code: number): Promise<void> {
  await assert.rejects(promise, { code });
}

describe('per-user send rate (token bucket) -> 10023', () => {
  const clock = manualClock();
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({ sendRate: 2, sendBurst: 3, limitClockMs: clock.now });
  });
  after(() => server.close());

  test('the burst passes, the next send is refused and changes nothing; tokens come back', async () => {
    const [a, b] = [uid('a'), uid('b')];
    const alice = await connectClient(server, a);
    const aliceTab = await connectClient(server, a, { instanceID: alice.instanceID });
    const bob = await connectClient(server, b);
    const sent: Message[] = [];
    for (let i = 0; i < 3; i++) {
      sent.push((await alice.request('sendMessage', textMessage(b, `m${i}`))).message);
    }
    const messagesBefore = await readMetric(server, 'im_messages_total');

    // over the burst: refused, from any socket of the same user, whatever the conversation
    await refused(alice.request('sendMessage', textMessage(b, 'too fast')), SEND_FREQUENCY_LIMIT);
    await refused(aliceTab.request('sendMessage', textMessage(b, 'tab')), SEND_FREQUENCY_LIMIT);
    const groupID = await createGroupWith(alice, [b]);
    await refused(alice.request('sendMessage', groupText(groupID, 'group')), SEND_FREQUENCY_LIMIT);

    // nothing changed: history, unread, pushes, counters
    assert.deepEqual(await history(bob, `C2C${a}`), ['m0', 'm1', 'm2']);
    assert.deepEqual(await history(bob, `GROUP${groupID}`), []);
    assert.equal(await unread(bob, `C2C${a}`), 3);
    await sleep(50);
    assert.equal(pushes(bob, 'message'), 3);
    assert.equal(await readMetric(server, 'im_messages_total'), messagesBefore);
    assert.equal(await readMetric(server, 'im_rate_limited_total{limit="send"}'), 3);

    // a retry of a committed message is not refused and creates nothing
    const retry = textMessage(b, 'm0');
    retry.message.ID = sent[0].ID;
    retry.message.clientTime = sent[0].clientTime;
    retry.message.random = sent[0].random;
    const again = await alice.request('sendMessage', retry);
    assert.equal(again.message.sequence, sent[0].sequence);
    assert.deepEqual(await history(bob, `C2C${a}`), ['m0', 'm1', 'm2']);

    // other users have their own bucket
    await bob.request('sendMessage', textMessage(a, 'bob is fine'));

    // 2 tokens per second: after 500 ms one more send passes, then it is refused again
    clock.advance(500);
    await alice.request('sendMessage', textMessage(b, 'm3'));
    await refused(alice.request('sendMessage', textMessage(b, 'm4')), SEND_FREQUENCY_LIMIT);
    clock.advance(10_000); // refills to the burst, not beyond
    for (let i = 5; i < 8; i++) await alice.request('sendMessage', textMessage(b, `m${i}`));
    await refused(alice.request('sendMessage', textMessage(b, 'm8')), SEND_FREQUENCY_LIMIT);
    assert.deepEqual(await history(bob, `C2C${a}`), [
      'm0',
      'm1',
      'm2',
      'bob is fine',
      'm3',
      'm5',
      'm6',
      'm7',
    ]);
    for (const c of [alice, aliceTab, bob]) await c.close();
  });

  test('token bucket arithmetic', () => {
    const c = manualClock();
    const buckets = new TokenBuckets(4, 2, c.now);
    assert.deepEqual(
      [buckets.take('k'), buckets.take('k'), buckets.take('k'), buckets.take('other')],
      [true, true, false, true],
    );
    c.advance(249);
    assert.equal(buckets.take('k'), false, 'less than one token back');
    c.advance(1);
    assert.equal(buckets.take('k'), true);
    assert.equal(new TokenBuckets(0, 1, c.now).take('k'), true, 'rate 0: no limit');
  });
});

describe('per-group message rate, admitted by priority -> 10023', () => {
  const clock = manualClock();
  let server: RunningServer;
  // groupRate 8: Lowest < 4, Low < 6, Normal < 8, High < 12 messages in the last second
  before(async () => {
    server = await startTestServer({
      sendRate: 0,
      groupRate: 8,
      groupHighCap: 12,
      limitClockMs: clock.now,
    });
  });
  after(() => server.close());

  test('the ceilings of each priority', () => {
    const limiter = new GroupRateLimiter(40, 80);
    assert.deepEqual(
      (['Lowest', 'Low', 'Normal', 'High'] as const).map((p) => limiter.ceiling(p)),
      [20, 30, 40, 80],
    );
    assert.deepEqual(DEFAULT_LIMITS, {
      sendRate: 20,
      sendBurst: 40,
      groupRate: 40,
      groupHighCap: 80,
      connectionsPerIP: 30,
      connectionWindowMs: 10_000,
    });
  });

  test('Lowest is shed first, then Low, then Normal; High goes through up to the cap', async () => {
    const owner = await connectClient(server, uid('o'));
    const [m1, m2] = [uid('m'), uid('m')];
    const member = await connectClient(server, m1);
    const watcher = await connectClient(server, m2);
    const groupID = await createGroupWith(owner, [m1, m2]);
    const conv = `GROUP${groupID}`;
    const send = (client: TestClient, text: string, priority: string) =>
      client.request('sendMessage', groupText(groupID, text, { priority }));
    const admitted: string[] = [];
    const ok = async (client: TestClient, text: string, priority: string) => {
      await send(client, text, priority);
      admitted.push(text);
    };

    for (let i = 0; i < 4; i++) await ok(member, `lowest${i}`, 'Lowest');
    await refused(send(member, 'lowest shed', 'Lowest'), SEND_FREQUENCY_LIMIT);
    for (let i = 0; i < 2; i++) await ok(owner, `low${i}`, 'Low');
    await refused(send(owner, 'low shed', 'Low'), SEND_FREQUENCY_LIMIT);
    await refused(send(member, 'lowest shed 2', 'Lowest'), SEND_FREQUENCY_LIMIT);
    for (let i = 0; i < 2; i++) await ok(member, `normal${i}`, 'Normal');
    await refused(send(member, 'normal shed', 'Normal'), SEND_FREQUENCY_LIMIT);
    for (let i = 0; i < 4; i++) await ok(owner, `high${i}`, 'High');
    await refused(send(owner, 'high over the cap', 'High'), SEND_FREQUENCY_LIMIT);

    // nothing of the refused ones anywhere
    const expected = admitted.slice();
    const seen: string[] = [];
    const { messageList, isCompleted } = await watcher.request('getMessageList', {
      conversationID: conv,
    });
    assert.equal(isCompleted, true);
    for (const m of messageList as Message[]) seen.push((m.payload as { text: string }).text);
    assert.deepEqual(seen, expected);
    assert.equal(await unread(watcher, conv), expected.length);
    await sleep(50);
    assert.equal(pushes(watcher, 'message'), expected.length);
    assert.equal(
      await readMetric(server, 'im_rate_limited_total{limit="group"}'),
      5,
      'each shed message is counted',
    );

    // the window slides: a second later the group takes Lowest again
    clock.advance(1000);
    await send(member, 'lowest again', 'Lowest');
    for (const c of [owner, member, watcher]) await c.close();
  });

  test('under a flood of Low messages, High messages still get through', async () => {
    const owner = await connectClient(server, uid('o'));
    const members = [uid('m'), uid('m'), uid('m')];
    const clients = await Promise.all(members.map((m) => connectClient(server, m)));
    const groupID = await createGroupWith(owner, members);
    const results: { priority: string; code: number }[] = [];
    // the members flood Low while the owner keeps sending High, interleaved
    for (let round = 0; round < 6; round++) {
      for (const client of clients) {
        const code = await client
          .request('sendMessage', groupText(groupID, `low ${round}`, { priority: 'Low' }))
          .then(
            () => 0,
            (err: { code: number }) => err.code,
          );
        results.push({ priority: 'Low', code });
      }
      await owner.request('sendMessage', groupText(groupID, `high ${round}`, { priority: 'High' }));
      results.push({ priority: 'High', code: 0 });
    }
    // Low stops once the group admitted 6 (3/4 of 8) in the last second, High included
    const low = results.filter((r) => r.priority === 'Low');
    assert.deepEqual(
      low.map((r) => r.code),
      [0, 0, 0, 0, 0, ...new Array<number>(13).fill(SEND_FREQUENCY_LIMIT)],
    );
    // every High was admitted (5 Low + 6 High = 11, under the cap of 12)
    const page = await owner.request('getMessageList', {
      conversationID: `GROUP${groupID}`,
    });
    const texts = (page.messageList as Message[]).map((m) => (m.payload as { text: string }).text);
    assert.equal(texts.filter((t) => t.startsWith('high')).length, 6);
    assert.equal(texts.filter((t) => t.startsWith('low')).length, 5);
    for (const c of [owner, ...clients]) await c.close();
    clock.advance(1000);
  });

  test('non-members do not use up a group budget; groups do not share one', async () => {
    const owner = await connectClient(server, uid('o'));
    const stranger = await connectClient(server, uid('s'));
    const member = uid('m');
    await registerUsers(server, member);
    const groupID = await createGroupWith(owner, [member]);
    const other = await createGroupWith(owner, [member]);
    for (let i = 0; i < 10; i++) {
      await refused(
        stranger.request('sendMessage', groupText(groupID, `spam ${i}`, { priority: 'High' })),
        ErrorCode.NO_PERMISSION,
      );
    }
    for (let i = 0; i < 4; i++) {
      await owner.request('sendMessage', groupText(groupID, `a${i}`, { priority: 'Lowest' }));
      await owner.request('sendMessage', groupText(other, `b${i}`, { priority: 'Lowest' }));
    }
    await refused(
      owner.request('sendMessage', groupText(groupID, 'a4', { priority: 'Lowest' })),
      SEND_FREQUENCY_LIMIT,
    );
    await refused(
      owner.request('sendMessage', groupText(other, 'b4', { priority: 'Lowest' })),
      SEND_FREQUENCY_LIMIT,
    );
    // online-only messages (typing) count as well: 4 more fill Normal's 8
    for (let i = 0; i < 4; i++) {
      await owner.request('sendMessage', {
        ...groupText(groupID, `typing ${i}`),
        options: { onlineUserOnly: true },
      });
    }
    await refused(owner.request('sendMessage', groupText(groupID, 'normal')), SEND_FREQUENCY_LIMIT);
    await owner.request('sendMessage', groupText(groupID, 'high', { priority: 'High' }));
    for (const c of [owner, stranger]) await c.close();
    clock.advance(1000);
  });
});

/** Opens a WebSocket; resolves 'open' or the HTTP status of a refused upgrade. */
function tryConnect(
  server: RunningServer,
  headers: Record<string, string> = {},
): Promise<{ ws?: WebSocket; status?: number; body?: string; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsURL(server), { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          body,
          retryAfter: res.headers['retry-after'] as string | undefined,
        }),
      );
    });
    ws.once('error', reject);
  });
}

describe('connection attempts per client address -> HTTP 429, no socket', () => {
  test('loopback is not exempt: over the limit the upgrade is refused, later it passes', async () => {
    const clock = manualClock();
    const server = await startTestServer({
      connectionsPerIP: 3,
      connectionWindowMs: 10_000,
      limitClockMs: clock.now,
    });
    try {
      const open: WebSocket[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await tryConnect(server);
        assert.ok(r.ws, `attempt ${i} opens`);
        open.push(r.ws);
      }
      const socketsBefore = await readMetric(server, 'im_ws_sockets');
      assert.equal(socketsBefore, 3);
      const refusedAttempt = await tryConnect(server);
      assert.equal(refusedAttempt.status, 429);
      assert.equal(refusedAttempt.retryAfter, '10');
      assert.deepEqual(JSON.parse(refusedAttempt.body!).code, ErrorCode.RATE_LIMITED);
      assert.equal(await readMetric(server, 'im_ws_sockets'), 3, 'no socket was opened');
      assert.equal(await readMetric(server, 'im_rate_limited_total{limit="connection"}'), 1);
      // plain HTTP is not limited
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);

      // the open sockets are not affected: one of them logs in and works
      for (const ws of open) ws.close();
      clock.advance(9_999);
      assert.equal((await tryConnect(server)).status, 429, 'the window has not passed yet');
      clock.advance(1);
      const later = await connectClient(server, uid('a'));
      await later.request('getMyProfile', {});
      await later.close();
    } finally {
      await server.close();
    }
  });

  test('X-Forwarded-For counts only with trustProxy (the last entry is the client)', async () => {
    const clock = manualClock();
    const spoofable = await startTestServer({ connectionsPerIP: 1, limitClockMs: clock.now });
    const proxied = await startTestServer({
      connectionsPerIP: 1,
      trustProxy: true,
      limitClockMs: clock.now,
    });
    try {
      // without trustProxy the header changes nothing: a client cannot pick its own key
      const first = await tryConnect(spoofable, { 'X-Forwarded-For': '203.0.113.1' });
      assert.ok(first.ws);
      const second = await tryConnect(spoofable, { 'X-Forwarded-For': '203.0.113.2' });
      assert.equal(second.status, 429);
      first.ws.close();

      // behind a proxy: one budget per forwarded client; the proxy appends the real one last
      const a = await tryConnect(proxied, { 'X-Forwarded-For': '198.51.100.7, 203.0.113.1' });
      const b = await tryConnect(proxied, { 'X-Forwarded-For': '198.51.100.7, 203.0.113.2' });
      const a2 = await tryConnect(proxied, { 'X-Forwarded-For': '10.9.9.9, 203.0.113.1' });
      assert.ok(a.ws && b.ws);
      assert.equal(a2.status, 429);
      // IPv6 clients share a budget per /64
      const v6 = await tryConnect(proxied, { 'X-Forwarded-For': '2001:db8:1:2::1' });
      const v6same64 = await tryConnect(proxied, { 'X-Forwarded-For': '2001:db8:1:2:ffff::9' });
      assert.ok(v6.ws);
      assert.equal(v6same64.status, 429);
      for (const ws of [a.ws, b.ws, v6.ws]) ws.close();
    } finally {
      await spoofable.close();
      await proxied.close();
    }
  });

  test('address keys and loopback hosts', () => {
    assert.equal(addressKey('127.0.0.1'), '127.0.0.1');
    assert.equal(addressKey('::ffff:10.1.2.3'), '10.1.2.3');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('2001:db8:0:0:1::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('2001:db8:0:1::1'), '2001:db8:0:1::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com', '128.0.0.1']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });
});

describe('instances, message size and upload size', () => {
  test('maxInstances: a newer instance kicks the oldest (4001), the others stay', async () => {
    const server = await startTestServer({ maxInstances: 2 });
    try {
      const userID = uid('u');
      const first = await connectClient(server, userID);
      const second = await connectClient(server, userID);
      const third = await connectClient(server, userID);
      assert.equal((await first.nextPush('kicked')).data.type, 'multipleAccount');
      assert.equal((await first.closed).code, 4001);
      await second.request('ping', {});
      await third.request('ping', {});
      await second.close();
      await third.close();
    } finally {
      await server.close();
    }
  });

  test('a message over 12 KB is 80002 and is not stored', async () => {
    const server = await startTestServer();
    try {
      const [a, b] = [uid('a'), uid('b')];
      const alice = await connectClient(server, a);
      const bob = await connectClient(server, b);
      await refused(
        alice.request('sendMessage', textMessage(b, 'x'.repeat(12 * 1024))),
        ErrorCode.MESSAGE_BODY_TOO_LARGE,
      );
      assert.deepEqual(await history(bob, `C2C${a}`), []);
      await sleep(50);
      assert.equal(pushes(bob, 'message'), 0);
      await alice.close();
      await bob.close();
    } finally {
      await server.close();
    }
  });

  test('maxUploadBytes lowers every kind: 413 7005 over it, nothing stored', async () => {
    const mediaDir = mkdtempSync(join(tmpdir(), 'imkit-limits-media-'));
    const server = await startTestServer({ maxUploadBytes: 1000, mediaDir });
    const stored = () => readdirSync(mediaDir).filter((f) => f !== '.tmp');
    try {
      const user = uid('u');
      for (const kind of ['file', 'audio', 'video']) {
        const over = await uploadFile(server, user, {
          kind,
          name: 'x.bin',
          body: new Uint8Array(1001),
        });
        assert.equal(over.status, 413, kind);
        assert.equal(over.body.code, ErrorCode.UPLOAD_TOO_LARGE);
      }
      assert.deepEqual(stored(), []);
      const fits = await uploadFile(server, user, {
        kind: 'file',
        name: 'x.bin',
        body: new Uint8Array(1000),
      });
      assert.equal(fits.status, 200);
      assert.equal(stored().length, 1);
    } finally {
      await server.close();
      rmSync(mediaDir, { recursive: true, force: true });
    }
  });
});
