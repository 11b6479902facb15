import { expect } from '@open-wc/testing';
import { EVENT } from '../../src/protocol/constants.js';
import { INTERNAL_EVENT } from '../../src/protocol/rpc.js';
import type { Message } from '../../src/protocol/types.js';
import { workerName } from '../../src/core/spawn.js';
import {
  destroyAll,
  devUserSig,
  newClient,
  readyUser,
  Recorder,
  testEnv,
  uniqueUser,
  waitFor,
} from '../core/live.js';

afterEach(destroyAll);

const ids = (rec: Recorder) =>
  rec
    .of<Message[]>(EVENT.MESSAGE_RECEIVED)
    .flat()
    .map((m) => m.ID);

async function send(
  from: { client: ReturnType<typeof newClient> },
  to: string,
  text: string,
): Promise<Message> {
  const m = from.client.createTextMessage({ to, conversationType: 'C2C', payload: { text } });
  await from.client.sendMessage(m);
  return m;
}

describe('SharedWorker engine shared by tabs', () => {
  it('names the worker by build, server, app and user', () => {
    expect(workerName({ server: 'http://x', SDKAppID: 5, userID: 'al' })).to.equal(
      'imkit:dev:http://x:5:al',
    );
  });

  it('two ports on one engine: the second login is a repeat login and both get events', async () => {
    const alice = await readyUser('alice', 'shared');
    const second = newClient('shared');
    const rec2 = new Recorder(second);
    const res = await second.login({ userID: alice.userID, userSig: alice.userSig });
    expect(res).to.deep.equal({ code: 0, data: { repeatLogin: true } });
    await waitFor(() => rec2.count(EVENT.SDK_READY) === 1, 'second tab SDK_READY');
    expect(second.isReady()).to.equal(true);
    expect(second.getNetState()).to.equal('connected');
    // one engine: one socket, two ports
    const info = await second.debug('info');
    expect(info.peers).to.equal(2);
    expect(info.session).to.equal(1);

    const bob = await readyUser('bob', 'shared');
    const m = await send(bob, alice.userID, 'to both tabs');
    await waitFor(
      () => ids(alice.rec).includes(m.ID) && ids(rec2).includes(m.ID),
      'both tabs receive',
    );
    await waitFor(
      () =>
        alice.client.getTotalUnreadMessageCount() === 1 &&
        second.getTotalUnreadMessageCount() === 1,
      'unread mirrored',
    );

    // read in one tab: the other tab's count follows
    await second.setMessageRead({ conversationID: `C2C${bob.userID}` });
    await waitFor(() => alice.client.getTotalUnreadMessageCount() === 0, 'read mirrored');
  });

  it('a send from one tab: result in that tab, im:messageSent in the other, MESSAGE_RECEIVED in neither', async () => {
    const alice = await readyUser('alice', 'shared');
    const bob = await readyUser('bob', 'shared');
    const other = newClient('shared');
    const recOther = new Recorder(other);
    await other.login({ userID: alice.userID, userSig: alice.userSig });
    const m = await send(alice, bob.userID, 'from tab 1');
    await waitFor(() => recOther.count(INTERNAL_EVENT.MESSAGE_SENT) === 1, 'im:messageSent');
    const sent = recOther.of<{ message: Message }>(INTERNAL_EVENT.MESSAGE_SENT)[0].message;
    expect(sent.ID).to.equal(m.ID);
    expect(sent.sequence).to.equal(m.sequence);
    // The sending tab's client tells its own handlers (not the engine): pending, then sent.
    const own = alice.rec.of<{ message: Message }>(INTERNAL_EVENT.MESSAGE_SENT);
    expect(own.map((d) => [d.message.ID, d.message.status])).to.deep.equal([
      [m.ID, 'unSend'],
      [m.ID, 'success'],
    ]);
    await new Promise((r) => setTimeout(r, 200));
    expect(ids(alice.rec)).to.deep.equal([]);
    expect(ids(recOther)).to.deep.equal([]);
    await waitFor(() => ids(bob.rec).includes(m.ID), 'bob receives');
  });

  it('a different UserSig on a second port is checked with the server', async () => {
    const alice = await readyUser('alice', 'shared');
    const intruder = newClient('shared');
    const err = await intruder
      .login({ userID: alice.userID, userSig: 'forged-user-sig' })
      .catch((e) => e);
    expect(err.code).to.be.at.least(70000).and.below(80000);
    expect(intruder.isReady()).to.equal(false);
    // the first tab keeps its session
    expect(alice.client.isReady()).to.equal(true);
    expect((await alice.client.getConversationList()).code).to.equal(0);
    expect((await intruder.getConversationList().catch((e) => e)).code).to.equal(6014);
  });

  it('logout from one tab logs out every tab', async () => {
    const alice = await readyUser('alice', 'shared');
    const second = newClient('shared');
    const rec2 = new Recorder(second);
    await second.login({ userID: alice.userID, userSig: alice.userSig });
    await alice.client.logout();
    await waitFor(() => rec2.count(EVENT.SDK_NOT_READY) === 1, 'other tab SDK_NOT_READY');
    expect(second.isReady()).to.equal(false);
    expect((await second.getConversationList().catch((e) => e)).code).to.equal(6014);
  });

  it('destroy detaches one tab only', async () => {
    const alice = await readyUser('alice', 'shared');
    const second = newClient('shared');
    await second.login({ userID: alice.userID, userSig: alice.userSig });
    expect((await alice.client.debug('info')).peers).to.equal(2);
    await second.destroy();
    await waitFor(() => second.isDestroyed, 'destroyed');
    let peers = 2;
    await waitFor(() => {
      void alice.client
        .debug('info')
        .then((i) => (peers = i.peers as number))
        .catch(() => undefined);
      return peers === 1;
    }, 'engine sees one port');
    expect(alice.client.isReady()).to.equal(true);
    expect(alice.client.getNetState()).to.equal('connected');
  });

  it('says goodbye on pagehide and logs in again on pageshow from the back/forward cache', async () => {
    const alice = await readyUser('alice', 'shared');
    const second = newClient('shared');
    await second.login({ userID: alice.userID, userSig: alice.userSig });
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    expect(alice.client.isReady()).to.equal(false);
    const third = newClient('shared');
    await third.login({ userID: alice.userID, userSig: alice.userSig });
    let peers = 0;
    await waitFor(() => {
      void third
        .debug('info')
        .then((i) => (peers = i.peers as number))
        .catch(() => undefined);
      return peers === 1;
    }, 'the engine freed both hidden ports');
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await waitFor(() => alice.client.isReady() && second.isReady(), 'back after pageshow');
  });

  it('kicked by the server: KICKED_OUT then SDK_NOT_READY in every tab, no reconnect', async () => {
    const alice = await readyUser('alice', 'shared');
    const second = newClient('shared');
    const rec2 = new Recorder(second);
    await second.login({ userID: alice.userID, userSig: alice.userSig });
    // Log in as alice from 10 other instances: the server keeps 10, the oldest (our engine) goes.
    const wsURL = `${testEnv.server.replace(/^http/, 'ws')}/ws`;
    const sockets: WebSocket[] = [];
    for (let i = 0; i < 10; i++) {
      const ws = new WebSocket(wsURL);
      sockets.push(ws);
      await new Promise((r) => (ws.onopen = r));
      const answered = new Promise((r) => (ws.onmessage = r));
      ws.send(
        JSON.stringify({
          id: 1,
          op: 'login',
          data: {
            SDKAppID: testEnv.SDKAppID,
            userID: alice.userID,
            userSig: alice.userSig,
            instanceID: `other-instance-${i}`,
            protocol: 1,
          },
        }),
      );
      await answered;
    }
    await waitFor(
      () => rec2.count(EVENT.SDK_NOT_READY) === 1 && alice.rec.count(EVENT.SDK_NOT_READY) === 1,
      'kicked',
    );
    expect(alice.rec.of(EVENT.KICKED_OUT)).to.deep.equal([{ type: 'multipleAccount' }]);
    const names = alice.rec.events.map((e) => e.name);
    expect(names.lastIndexOf(EVENT.KICKED_OUT)).to.be.below(names.lastIndexOf(EVENT.SDK_NOT_READY));
    expect(alice.client.isReady()).to.equal(false);
    await new Promise((r) => setTimeout(r, 700));
    expect(alice.client.getNetState()).to.equal('disconnected');
    expect((await alice.client.getConversationList().catch((e) => e)).code).to.equal(6014);
    for (const ws of sockets) ws.close();
  });
});

describe('engine loss', () => {
  it('re-attaches and logs in again when the port to the engine dies', async () => {
    const alice = await readyUser('alice', 'shared');
    const rpc = (alice.client as unknown as { rpc: { fail(message: string): void } }).rpc;
    rpc.fail('simulated engine crash');
    expect(alice.client.isReady()).to.equal(false);
    expect(alice.client.getNetState()).to.equal('disconnected');
    await waitFor(() => alice.client.isReady(), 'ready again after re-attach');
    expect(alice.rec.of<{ state: string }>(EVENT.NET_STATE_CHANGE).map((s) => s.state)).to.include(
      'disconnected',
    );
    expect((await alice.client.getConversationList()).code).to.equal(0);
  });
});

describe('fallback engines behind the same port protocol', () => {
  for (const mode of ['dedicated', 'inpage'] as const) {
    it(`${mode}: logs in, sends and receives`, async () => {
      const alice = await readyUser('alice', mode);
      const bob = await readyUser('bob', mode);
      const m = await send(alice, bob.userID, `via ${mode}`);
      await waitFor(() => ids(bob.rec).includes(m.ID), `${mode} delivery`);
      expect(alice.client.getNetState()).to.equal('connected');
    });
  }
});

describe('reconnect and catch-up', () => {
  it('catches up after going offline: every message exactly once, in order', async () => {
    const alice = await readyUser('alice', 'shared');
    const bob = await readyUser('bob', 'shared');
    const before = await send(bob, alice.userID, 'before');
    await waitFor(() => ids(alice.rec).includes(before.ID), 'first message');

    await alice.client.debug('goOffline');
    await waitFor(() => alice.client.getNetState() === 'disconnected', 'offline');
    const offline: string[] = [];
    for (let i = 0; i < 5; i++) offline.push((await send(bob, alice.userID, `offline ${i}`)).ID);
    await new Promise((r) => setTimeout(r, 100));
    expect(ids(alice.rec)).to.deep.equal([before.ID]);

    await alice.client.debug('goOnline');
    await waitFor(() => ids(alice.rec).length === 6, 'caught up');
    const after = await send(bob, alice.userID, 'after');
    await waitFor(() => ids(alice.rec).includes(after.ID), 'push after reconnect');
    await new Promise((r) => setTimeout(r, 200));
    expect(ids(alice.rec)).to.deep.equal([before.ID, ...offline, after.ID]);
    await waitFor(() => alice.client.getTotalUnreadMessageCount() === 7, 'unread 7');
    expect(alice.rec.count(EVENT.SDK_READY)).to.equal(1);
  });

  it('survives socket drops while messages flow: no gaps, no duplicates', async () => {
    const alice = await readyUser('alice', 'shared');
    const bob = await readyUser('bob', 'shared');
    const sentIDs: string[] = [];
    for (let i = 0; i < 24; i++) {
      if (i % 6 === 3) await alice.client.debug('dropConnection');
      sentIDs.push((await send(bob, alice.userID, `m${i}`)).ID);
    }
    await waitFor(() => ids(alice.rec).length >= sentIDs.length, 'all delivered', 20_000);
    await new Promise((r) => setTimeout(r, 300));
    const got = ids(alice.rec);
    expect(got.length).to.equal(sentIDs.length);
    expect(new Set(got).size).to.equal(sentIDs.length);
    expect([...got].sort()).to.deep.equal([...sentIDs].sort());
    const states = alice.rec.of<{ state: string }>(EVENT.NET_STATE_CHANGE).map((s) => s.state);
    expect(states).to.include('disconnected');
    expect(states.at(-1)).to.equal('connected');
    const info = await alice.client.debug('info');
    expect(info.session as number).to.be.greaterThan(1);
  });

  it('serves the cached lists when the server cannot be reached (warm cache)', async () => {
    const alice = await readyUser('alice', 'shared');
    const bob = await readyUser('bob', 'shared');
    await send(bob, alice.userID, 'cached hello');
    await waitFor(() => alice.client.getTotalUnreadMessageCount() === 1, 'unread');
    await new Promise((r) => setTimeout(r, 300)); // the list is persisted within 100 ms
    const conversations = (await alice.client.getConversationList()).data.conversationList;
    await alice.client.destroy();

    // Same user and server, engine in this page, server dropped at once: the cache answers.
    const again = newClient('inpage');
    const rec = new Recorder(again);
    await again.login({ userID: alice.userID, userSig: alice.userSig });
    await again.debug('goOffline');
    const list = (await again.getConversationList()).data.conversationList;
    expect(list.map((c) => c.conversationID)).to.deep.equal(
      conversations.map((c) => c.conversationID),
    );
    const history = (await again.getMessageList({ conversationID: `C2C${bob.userID}` })).data
      .messageList;
    expect(history.map((m) => (m.payload as { text: string }).text)).to.deep.equal([
      'cached hello',
    ]);
    expect(rec.count(EVENT.CONVERSATION_LIST_UPDATED)).to.be.greaterThan(0);
  });

  it('logs in offline from a warm cache and paints before the server answers', async () => {
    const userID = uniqueUser('offline');
    const userSig = await devUserSig(userID);
    // warm the cache for an unreachable server through a first engine that fails to connect
    const dead = 'http://127.0.0.1:9';
    const { Cache } = await import('../../src/worker/cache.js');
    const cache = await Cache.open({ server: dead, SDKAppID: testEnv.SDKAppID, userID });
    const { emptyConversation } = await import('../../src/worker/conversations.js');
    await cache.saveConversations([
      { ...emptyConversation('C2Cpeer'), unreadCount: 2, orderKey: 1 },
    ]);
    await cache.saveCursor(10);
    cache.close();

    const client = newClient('inpage', dead);
    const rec = new Recorder(client);
    const res = await client.login({ userID, userSig });
    expect(res.code).to.equal(0);
    expect(client.isReady()).to.equal(false);
    expect(client.getNetState()).to.not.equal('connected');
    const list = (await client.getConversationList()).data.conversationList;
    expect(list.map((c) => c.conversationID)).to.deep.equal(['C2Cpeer']);
    expect(client.getTotalUnreadMessageCount()).to.equal(2);
    await waitFor(() => rec.count(EVENT.CONVERSATION_LIST_UPDATED) > 0, 'list event');
  });

  it('a cold login to an unreachable server fails with 9508', async () => {
    const client = newClient('inpage', 'http://127.0.0.1:9');
    const err = await client.login({ userID: uniqueUser('cold'), userSig: 'x' }).catch((e) => e);
    expect(err.code).to.equal(9508);
  });
});
