// The cluster: two server nodes (child processes) on one PostgreSQL and one Redis. Users on
// different nodes chat 1:1 and in groups, read receipts and unread counts agree on both nodes,
// presence and the instance limit span the nodes, and killing a node moves its clients, through a
// load balancer, to the other with nothing lost and nothing twice.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Conversation, Message } from '../../src/protocol/types.js';
import type { MessageListResult, PushFrame, SyncResult } from '../../src/protocol/wire.js';
import { PgStorage } from '../../src/server/storage/pg.js';
import {
  clusterEnv,
  clusterOptions,
  startBalancer,
  startNode,
  throughBalancer,
  type Balancer,
  type ClusterNode,
} from '../helpers/cluster.js';
import {
  connectClient,
  createGroupWith,
  groupText,
  registerUsers,
  sleep,
  textMessage,
  uid,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';
import { textDraft } from '../helpers/drafts.js';

const env = clusterEnv();
if (!env) {
  const why = 'PostgreSQL and Redis are not available (IMKIT_TEST_PG_URL / IMKIT_TEST_REDIS_URL)';
  console.error(`\n!!! cluster suite NOT RUN: ${why}\n`);
  if (process.env.CI) throw new Error(`cluster suite must run in CI: ${why}`);
}

/** connectClient takes a RunningServer; a node or the balancer has every field it reads. */
const asServer = (node: ClusterNode) => node as unknown as RunningServer;

const send = (client: TestClient, data: unknown) =>
  client.request<{ message: Message }>('sendMessage', data);

async function conversation(client: TestClient, conversationID: string): Promise<Conversation> {
  return (await client.request('getConversationProfile', { conversationID })).conversation;
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('cluster: two nodes, one PostgreSQL, one Redis', { skip: !env }, () => {
  let a: ClusterNode;
  let b: ClusterNode;
  let options: ReturnType<typeof clusterOptions>;
  before(async () => {
    options = clusterOptions(env!, { maxInstances: 2, nodeTTLms: 1500 });
    a = await startNode({ ...options, nodeID: 'node-a' });
    b = await startNode({ ...options, nodeID: 'node-b' });
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  test('both nodes serve one app: the same SDKAppID and secret', () => {
    assert.equal(a.app.SDKAppID, b.app.SDKAppID);
    assert.equal(a.app.secretKey, b.app.secretKey);
    assert.equal(b.app.created, false);
  });

  test('1:1 across nodes: pushes, read receipts and unread counts agree on both', async () => {
    const [al, bo] = [uid('al'), uid('bo')];
    const alice = await connectClient(asServer(a), al);
    const bob = await connectClient(asServer(b), bo);
    const bob2 = await connectClient(asServer(a), bo);
    const sent: Message[] = [];
    for (const text of ['one', 'two', 'three']) {
      sent.push((await send(alice, textMessage(bo, text))).message);
    }
    for (const client of [bob, bob2]) {
      for (const message of sent) {
        const push = await client.nextPush('message');
        assert.equal(push.data.ID, message.ID, `${client.userID} on its node gets it in order`);
      }
    }
    assert.equal((await conversation(bob, `C2C${al}`)).unreadCount, 3, 'unread on node b');
    assert.equal((await conversation(bob2, `C2C${al}`)).unreadCount, 3, 'unread on node a');

    await bob.request('setMessageRead', { conversationID: `C2C${al}` });
    const read = await alice.nextPush('messageReadByPeer');
    assert.equal(read.data.readSequence, sent[2].sequence);
    const mine = await bob2.nextPush('conversationRead');
    assert.equal(mine.data.conversationID, `C2C${al}`);
    assert.equal((await conversation(bob2, `C2C${al}`)).unreadCount, 0, 'read on node a too');
    assert.equal((await conversation(bob, `C2C${al}`)).unreadCount, 0);

    // The reply, the other way round; the sender's other socket sees its own message.
    const alice2 = await connectClient(asServer(b), al);
    const reply = await send(bob, textMessage(al, 'back'));
    assert.equal((await alice.nextPush('message')).data.ID, reply.message.ID);
    assert.equal((await bob2.nextPush('message')).data.ID, reply.message.ID);
    assert.equal((await alice2.nextPush('message')).data.ID, reply.message.ID);
    const history = await alice2.request<MessageListResult>('getMessageList', {
      conversationID: `C2C${bo}`,
    });
    assert.deepEqual(
      history.messageList.map((m) => m.sequence),
      [1, 2, 3, 4],
      'one history with sequences in order',
    );
    assert.deepEqual(
      history.messageList.slice(0, 3).map((m) => m.isPeerRead),
      [true, true, true],
    );
    for (const c of [alice, alice2, bob, bob2]) await c.close();
  });

  test('groups across nodes: fan-out, group receipts and unread counts', async () => {
    const [ow, m1, m2] = [uid('ow'), uid('m1'), uid('m2')];
    await registerUsers(asServer(b), m1, m2);
    const owner = await connectClient(asServer(a), ow);
    const groupID = await createGroupWith(owner, [m1, m2]);
    const cid = `GROUP${groupID}`;
    const one = await connectClient(asServer(b), m1);
    const two = await connectClient(asServer(a), m2);
    const asked = await send(one, groupText(groupID, 'read me', { needReadReceipt: true }));
    for (const client of [owner, two]) {
      assert.equal((await client.nextPush('message')).data.ID, asked.message.ID);
    }
    assert.equal((await conversation(owner, cid)).unreadCount, 1, 'node a counts it');
    assert.equal((await conversation(two, cid)).unreadCount, 1);
    assert.equal((await conversation(one, cid)).unreadCount, 0, 'own message not unread');

    await two.request('sendMessageReadReceipt', {
      conversationID: cid,
      messageIDList: [asked.message.ID],
    });
    const receipt = await one.nextPush('messageReadReceipt');
    assert.deepEqual(
      receipt.data.map((r: { messageID: string; readCount: number; unreadCount: number }) => [
        r.messageID,
        r.readCount,
        r.unreadCount,
      ]),
      [[asked.message.ID, 1, 1]],
    );
    // The sender's socket on the other node reads the same counts.
    const oneOnA = await connectClient(asServer(a), m1);
    const list = await oneOnA.request('getMessageReadReceiptList', {
      conversationID: cid,
      messageIDList: [asked.message.ID],
    });
    assert.equal(list.messageList[0].readReceiptInfo.readCount, 1, 'the same count on node a');
    assert.equal(list.messageList[0].readReceiptInfo.unreadCount, 1);
    await oneOnA.close();
    await owner.request('setMessageRead', { conversationID: cid });
    assert.equal((await conversation(owner, cid)).unreadCount, 0);

    // Membership changes reach members on the other node.
    const [late] = [uid('late')];
    const lateClient = await connectClient(asServer(b), late);
    await owner.request('addGroupMember', { groupID, userIDList: [late] });
    const changed = await lateClient.nextPush('groupListChanged');
    assert.equal(changed.data.groupID, groupID);
    const tip = await send(owner, groupText(groupID, 'welcome'));
    const got = await lateClient.nextFrame(
      (f) => 'push' in f && f.push === 'message' && f.data.ID === tip.message.ID,
    );
    assert.ok(got);
    for (const c of [owner, one, two, lateClient]) await c.close();
  });

  test('a retry of a send its node committed but died before pushing reaches the recipient', async () => {
    const [al, bo] = [uid('al'), uid('bo')];
    const bob = await connectClient(asServer(b), bo);
    const alice = await connectClient(asServer(b), al);
    // What a node that died between its commit and its push leaves: the row, and no push.
    const request = textMessage(bo, 'committed, never pushed');
    const storage = await PgStorage.open({ url: env!.pgURL, schema: options.databaseSchema });
    try {
      const m = request.message;
      const { duplicate } = await storage.appendMessage(
        a.app.SDKAppID,
        textDraft(al, bo, m.ID, 'committed, never pushed', {
          clientTime: m.clientTime,
          random: m.random,
          time: Math.floor(Date.now() / 1000),
        }),
        [al, bo],
      );
      assert.equal(duplicate, false);
    } finally {
      await storage.close();
    }
    assert.equal(await bob.noPush('message', 100), true, 'nothing pushed it yet');
    // The sender got no ack, so it tries again on the node it reconnected to.
    const retry = await send(alice, request);
    const push = await bob.nextPush('message');
    assert.equal(push.data.ID, retry.message.ID);
    assert.equal(retry.message.sequence, 1, 'the stored message, not a second one');
    await alice.close();
    await bob.close();
  });

  test('presence spans the nodes: status, online member count, the instance limit', async () => {
    const [al, wa] = [uid('al'), uid('wa')];
    const watcher = await connectClient(asServer(b), wa);
    const alice1 = await connectClient(asServer(b), al);
    const alice2 = await connectClient(asServer(a), al);
    const status = async () =>
      (await watcher.request('getUserStatus', { userIDList: [al] })).successUserList[0]
        .statusType as number;
    assert.equal(await status(), 1, 'online');
    const groupID = await createGroupWith(watcher, [al]);
    const online = await watcher.request('getGroupOnlineMemberCount', { groupID });
    assert.equal(online.memberCount, 2, 'both members online, on different nodes');

    // maxInstances is 2: a third instance on node a kicks the oldest, which is on node b.
    const alice3 = await connectClient(asServer(a), al);
    const kicked = await alice1.closed;
    assert.equal(kicked.code, 4001);
    assert.equal((await alice2.noPush('kicked', 200)) && alice2.ws.readyState, 1, 'alice2 stays');

    await watcher.request('subscribeUserStatus', { userIDList: [al] });
    await watcher.nextPush('userStatusUpdated');
    await alice2.close();
    await alice3.close();
    const offline = await watcher.nextFrame(
      (f) =>
        'push' in f &&
        f.push === 'userStatusUpdated' &&
        f.data.userStatusList.some(
          (s: { userID: string; statusType: number }) => s.userID === al && s.statusType === 2,
        ),
    );
    assert.ok(offline, 'the watcher on node b hears alice leave node a');
    assert.equal(await status(), 2);
    await watcher.close();
  });
});

/**
 * A client that behaves like the browser engine over the wire: it reconnects through the
 * balancer when its socket dies, logs in with the same instance, pages `sync` from its catch-up
 * cursor (pushes do not move it: pushes committed on different nodes can arrive out of cursor
 * order), and retries the sends that got no answer with the same message ID.
 */
/** IDs of the sends that were tried again after a try got no answer. */
const retried = new Set<string>();

class ResilientClient {
  client!: TestClient;
  /** Where the next catch-up starts: advanced by catch-up pages only, as the engine does. */
  cursor = 0;
  /** Messages applied, by ID. */
  readonly received = new Map<string, Message>();
  /** IDs pushed more than once. Only a retried send may be (its first try may have pushed). */
  readonly repeated: string[] = [];
  reconnects = 0;
  private readonly pushed = new Set<string>();
  private stopped = false;
  private ready: Promise<void> = Promise.resolve();

  constructor(
    private readonly server: RunningServer,
    readonly userID: string,
    private readonly instanceID = uid('inst'),
  ) {}

  async start(): Promise<void> {
    this.ready = this.connect(true);
    await this.ready;
  }

  private async connect(first: boolean): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        this.client = await connectClient(this.server, this.userID, {
          instanceID: this.instanceID,
        });
        break;
      } catch (error) {
        if (attempt > 50) throw error;
        await sleep(100);
      }
    }
    const client = this.client;
    // Pushes count from the login on; a catch-up page may repeat one (that is no duplicate).
    for (const frame of client.frames) this.onFrame(frame as PushFrame);
    client.ws.on('message', (raw) => this.onFrame(JSON.parse(raw.toString()) as PushFrame));
    if (first) this.cursor = client.login!.cursor;
    else {
      this.reconnects++;
      for (;;) {
        const page = await client.request<SyncResult>('sync', { cursor: this.cursor });
        for (const { message } of page.messages) this.received.set(message.ID, message);
        this.cursor = Math.max(this.cursor, page.cursor);
        if (page.isCompleted) break;
      }
    }
    void client.closed.then(() => {
      if (!this.stopped) this.ready = this.connect(false);
    });
  }

  private onFrame(frame: PushFrame): void {
    if (!('push' in frame) || frame.push !== 'message') return;
    if (this.pushed.has(frame.data.ID)) this.repeated.push(frame.data.ID);
    this.pushed.add(frame.data.ID);
    this.received.set(frame.data.ID, frame.data);
  }

  /** Sends until acknowledged, across reconnects; answers the stored message. */
  async send(data: ReturnType<typeof textMessage>): Promise<Message> {
    for (let attempt = 0; attempt < 100; attempt++) {
      await this.ready;
      try {
        return (await this.client.request<{ message: Message }>('sendMessage', data)).message;
      } catch {
        retried.add(data.message.ID);
        await sleep(50);
      }
    }
    throw new Error(`send of ${data.message.ID} never acknowledged`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client.close();
  }
}

describe('cluster: a node dies', { skip: !env }, () => {
  let a: ClusterNode;
  let b: ClusterNode;
  let balancer: Balancer;
  before(async () => {
    const options = clusterOptions(env!, { nodeTTLms: 1500 });
    a = await startNode({ ...options, nodeID: 'node-a' });
    b = await startNode({ ...options, nodeID: 'node-b' });
    balancer = await startBalancer([a.port, b.port]);
  });
  after(async () => {
    await balancer?.close();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  test('its clients move to the other node with nothing lost and nothing twice', async () => {
    const lb = asServer(throughBalancer(balancer, a));
    const [al, bo, ca] = [uid('al'), uid('bo'), uid('ca')];
    await registerUsers(asServer(b), al, bo, ca);
    // Round robin from the first backend: alice lands on node a, bob on node b, carol on a.
    const alice = new ResilientClient(lb, al);
    await alice.start();
    const bob = new ResilientClient(lb, bo);
    await bob.start();
    const carol = new ResilientClient(lb, ca);
    await carol.start();
    assert.equal(balancer.routed.get(a.port), 2);
    assert.equal(balancer.routed.get(b.port), 1);
    const groupID = await createGroupWith(alice.client, [bo, ca]);

    const perSender = 40;
    const sentBy = new Map<string, Message[]>([
      [al, []],
      [bo, []],
    ]);
    const run = async (from: ResilientClient, to: string) => {
      for (let i = 0; i < perSender; i++) {
        const data =
          i % 2 === 0 ? textMessage(to, `${from.userID} ${i}`) : groupText(groupID, `g ${i}`);
        sentBy.get(from.userID)!.push(await from.send(data));
        await sleep(10);
      }
    };
    const traffic = Promise.all([run(alice, bo), run(bob, al)]);
    await until('some traffic', () => sentBy.get(al)!.length >= 10);
    await a.kill();
    await traffic;

    assert.ok(alice.reconnects >= 1, 'alice reconnected');
    assert.ok(carol.reconnects >= 1, 'carol reconnected');
    assert.equal(balancer.routed.get(b.port)! >= 3, true, 'to node b');

    const aliceSent = sentBy.get(al)!;
    const bobSent = sentBy.get(bo)!;
    assert.equal(new Set(aliceSent.map((m) => m.ID)).size, perSender);
    // Everyone ends up with every message meant for them, once.
    const expect = (client: ResilientClient, messages: Message[]) =>
      until(`${client.userID} to have every message`, () =>
        messages.every((m) => client.received.has(m.ID)),
      );
    await expect(bob, aliceSent);
    await expect(alice, bobSent);
    await expect(
      carol,
      [...aliceSent, ...bobSent].filter((m) => m.conversationType === 'GROUP'),
    );
    for (const client of [alice, bob, carol]) {
      assert.deepEqual(
        client.repeated.filter((ID) => !retried.has(ID)),
        [],
        `${client.userID} was pushed nothing twice but retried sends`,
      );
    }

    // The stored history: every acknowledged message once, sequences without a gap.
    const pages = async (client: TestClient, conversationID: string) => {
      const all: Message[] = [];
      let nextReqMessageID = '';
      for (;;) {
        const page = await client.request<MessageListResult>('getMessageList', {
          conversationID,
          count: 15,
          ...(nextReqMessageID ? { nextReqMessageID } : {}),
        });
        all.unshift(...page.messageList);
        if (page.isCompleted) return all;
        nextReqMessageID = page.nextReqMessageID;
      }
    };
    const c2c = await pages(bob.client, `C2C${al}`);
    assert.equal(c2c.length, perSender, 'half of each sender’s messages are C2C');
    assert.deepEqual(
      c2c.map((m) => m.sequence),
      Array.from({ length: perSender }, (_, i) => i + 1),
    );
    const group = await pages(carol.client, `GROUP${groupID}`);
    const groupIDs = group.filter((m) => m.type === 'TIMTextElem').map((m) => m.ID);
    assert.equal(new Set(groupIDs).size, groupIDs.length, 'no group message stored twice');
    assert.equal(groupIDs.length, perSender);
    const seqs = group.map((m) => m.sequence);
    assert.deepEqual(
      seqs,
      Array.from({ length: seqs.length }, (_, i) => seqs[0] + i),
    );

    // The unread count the surviving node reports is what carol has not read: every group message.
    assert.equal((await conversation(carol.client, `GROUP${groupID}`)).unreadCount, perSender);

    // alice was only on node a before: her status stayed right through the move.
    const status = await bob.client.request('getUserStatus', { userIDList: [al] });
    assert.equal(status.successUserList[0].statusType, 1);

    for (const client of [alice, bob, carol]) await client.stop();
  });
});
