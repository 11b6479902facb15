import { expect } from '@open-wc/testing';
import { ChatClientImpl, create, getClient } from '../../src/core/chat-client.js';
import { defaultWorkerURL } from '../../src/core/spawn.js';
import { IMError } from '../../src/core/errors.js';
import { EVENT, TYPES } from '../../src/protocol/constants.js';
import type { Conversation, Group, Message } from '../../src/protocol/types.js';
import {
  destroyAll,
  devUserSig,
  newClient,
  readyUser,
  rejection,
  testEnv,
  uniqueUser,
  waitFor,
  WORKER_URL,
} from './live.js';

afterEach(destroyAll);

describe('ChatClient before login', () => {
  it('rejects calls that need login with 6014 and has empty getters', async () => {
    const client = newClient();
    expect(client.isReady()).to.equal(false);
    expect(client.getLoginUser()).to.equal('');
    expect(client.getTotalUnreadMessageCount()).to.equal(0);
    expect(client.getNetState()).to.equal(TYPES.NET_STATE_DISCONNECTED);
    expect(Math.abs(client.getServerTime() - Date.now() / 1000)).to.be.below(2);
    for (const call of [
      () => client.getConversationList(),
      () => client.getMessageList({ conversationID: 'C2Cbob' }),
      () => client.setMessageRead({ conversationID: 'C2Cbob' }),
      () => client.getGroupList(),
      () => client.getMyProfile(),
      () => client.logout(),
    ]) {
      const err = await rejection(call);
      expect(err).to.be.instanceOf(IMError);
      expect(err.code).to.equal(6014);
    }
    expect(() =>
      client.createTextMessage({ to: 'bob', conversationType: 'C2C', payload: { text: 'x' } }),
    )
      .to.throw(IMError)
      .with.property('code', 6014);
  });

  it('rejects with 6013 after destroy', async () => {
    const client = newClient();
    await client.destroy();
    expect((await rejection(client.getConversationList())).code).to.equal(6013);
    expect((await rejection(client.login({ userID: 'a', userSig: 'b' }))).code).to.equal(6013);
  });

  it('validates login input with 6017', async () => {
    const client = newClient();
    expect((await rejection(client.login({ userID: '', userSig: 'x' }))).code).to.equal(6017);
    expect((await rejection(client.login({ userID: 'a', userSig: '' }))).code).to.equal(6017);
  });

  it('rejects a forged UserSig with the server code', async () => {
    const client = newClient();
    const err = await rejection(
      client.login({ userID: uniqueUser('forged'), userSig: 'not-a-real-usersig' }),
    );
    expect(err).to.be.instanceOf(IMError);
    expect(err.code).to.be.at.least(70000).and.below(80000);
    expect(client.isReady()).to.equal(false);
  });
});

describe('engine start failures', () => {
  for (const mode of ['shared', 'dedicated'] as const) {
    it(`${mode}: a worker script that fails to load rejects login with 9521`, async () => {
      const client = new ChatClientImpl(testEnv.SDKAppID, testEnv.server, {
        workerURL: new URL('./no-such-worker.js', import.meta.url),
        mode,
      });
      const started = Date.now();
      const err = await rejection(client.login({ userID: uniqueUser('nw'), userSig: 'x' }));
      expect(err.code).to.equal(9521);
      expect(Date.now() - started).to.be.below(10_000);
      await client.destroy();
    });
  }

  it('resolves the default worker URL next to the bundle, also from a chunk', () => {
    const g = globalThis as { __IMKIT_BASE_URL__?: string };
    g.__IMKIT_BASE_URL__ = 'https://im.example.com/static/im.js';
    try {
      expect(defaultWorkerURL().href).to.equal('https://im.example.com/static/im-worker.js');
    } finally {
      delete g.__IMKIT_BASE_URL__;
    }
    expect(defaultWorkerURL().pathname.endsWith('/im-worker.js')).to.equal(true);
  });
});

describe('create() and getClient()', () => {
  it('returns one instance per (SDKAppID, server)', async () => {
    const a = create({ SDKAppID: testEnv.SDKAppID, server: testEnv.server, workerURL: WORKER_URL });
    const b = create({ SDKAppID: testEnv.SDKAppID, server: `${testEnv.server}/` });
    const c = create({ SDKAppID: testEnv.SDKAppID + 1, server: testEnv.server });
    expect(a).to.equal(b);
    expect(a).to.not.equal(c);
    expect(a.server).to.equal(testEnv.server);
    await a.destroy();
    await c.destroy();
    const d = create({ SDKAppID: testEnv.SDKAppID, server: testEnv.server, workerURL: WORKER_URL });
    expect(d).to.not.equal(a);
    await d.destroy();
    expect(() => create({ SDKAppID: 0 })).to.throw(IMError);
  });

  it('getClient shares one logged-in client per (server, app, user)', async () => {
    const userID = uniqueUser('reg');
    const userSig = await devUserSig(userID);
    const config = { server: testEnv.server, SDKAppID: testEnv.SDKAppID, userID, userSig };
    const a = getClient(config, { workerURL: WORKER_URL });
    const b = getClient(config, { workerURL: WORKER_URL });
    expect(a).to.equal(b);
    const res = await a.loginPromise!;
    expect(res.code).to.equal(0);
    expect(a.getLoginUser()).to.equal(userID);
    await a.destroy();
    const c = getClient(config, { workerURL: WORKER_URL });
    expect(c).to.not.equal(a);
    await c.loginPromise;
    await c.destroy();
  });
});

describe('ChatClient against the server', () => {
  it('logs in, mirrors state and answers profile calls', async () => {
    const alice = await readyUser('alice');
    const { client, rec, userID } = alice;
    expect(client.getLoginUser()).to.equal(userID);
    expect(client.getNetState()).to.equal('connected');
    expect(rec.count(EVENT.SDK_READY)).to.equal(1);
    expect(rec.of<{ state: string }>(EVENT.NET_STATE_CHANGE).map((d) => d.state)).to.include(
      'connected',
    );
    const me = await client.getMyProfile();
    expect(me.code).to.equal(0);
    expect(me.data.userID).to.equal(userID);
    const updated = await client.updateMyProfile({ nick: 'Alice A.' });
    expect(updated.data.nick).to.equal('Alice A.');
    await waitFor(() => rec.count(EVENT.PROFILE_UPDATED) > 0, 'PROFILE_UPDATED');
    const again = await client.login({ userID, userSig: alice.userSig });
    expect(again.data.repeatLogin).to.equal(true);
  });

  it('sends and receives a text message; unread count and setMessageRead', async () => {
    const alice = await readyUser('alice');
    const bob = await readyUser('bob');
    const message = alice.client.createTextMessage({
      to: bob.userID,
      conversationType: TYPES.CONV_C2C,
      payload: { text: 'hello bob' },
    });
    expect(message.status).to.equal('unSend');
    expect(message.flow).to.equal('out');
    expect(message.from).to.equal(alice.userID);
    expect(message.conversationID).to.equal(`C2C${bob.userID}`);
    expect(message.ID).to.match(/^\d+-\d+-\d+$/);

    const sent = await alice.client.sendMessage(message);
    expect(sent.code).to.equal(0);
    expect(sent.data.message).to.equal(message);
    expect(message.status).to.equal('success');
    expect(message.sequence).to.be.greaterThan(0);

    await waitFor(() => bob.rec.count(EVENT.MESSAGE_RECEIVED) > 0, 'bob receives');
    const received = bob.rec.of<Message[]>(EVENT.MESSAGE_RECEIVED).flat();
    expect(received.map((m) => m.ID)).to.deep.equal([message.ID]);
    expect(received[0].flow).to.equal('in');
    expect(received[0].conversationID).to.equal(`C2C${alice.userID}`);
    expect((received[0].payload as { text: string }).text).to.equal('hello bob');
    // the sender's instance never gets MESSAGE_RECEIVED for its own message
    expect(alice.rec.count(EVENT.MESSAGE_RECEIVED)).to.equal(0);

    await waitFor(() => bob.client.getTotalUnreadMessageCount() === 1, 'bob unread 1');
    expect(bob.rec.of<number>(EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED)).to.include(1);
    const { data } = await bob.client.getConversationList();
    const conv = data.conversationList.find((c) => c.conversationID === `C2C${alice.userID}`)!;
    expect(conv.unreadCount).to.equal(1);
    expect(conv.lastMessage?.messageForShow).to.equal('hello bob');
    const lists = bob.rec.of<Conversation[]>(EVENT.CONVERSATION_LIST_UPDATED);
    expect(
      lists.at(-1)!.find((c) => c.conversationID === `C2C${alice.userID}`)?.unreadCount,
    ).to.equal(1);

    const aliceConv = (await alice.client.getConversationList()).data.conversationList[0];
    expect(aliceConv.conversationID).to.equal(`C2C${bob.userID}`);
    expect(aliceConv.unreadCount).to.equal(0);

    const read = await bob.client.setMessageRead({ conversationID: `C2C${alice.userID}` });
    expect(read).to.deep.equal({ code: 0, data: {} });
    expect(bob.client.getTotalUnreadMessageCount()).to.equal(0);
    expect(bob.rec.of<number>(EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED).at(-1)).to.equal(0);
    const after = await bob.client.getConversationProfile(`C2C${alice.userID}`);
    expect(after.data.conversation.unreadCount).to.equal(0);
  });

  it('pages getMessageList in chronological order without gaps', async () => {
    const alice = await readyUser('alice');
    const bob = await readyUser('bob');
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const m = alice.client.createTextMessage({
        to: bob.userID,
        conversationType: 'C2C',
        payload: { text: `#${i}` },
      });
      await alice.client.sendMessage(m);
      ids.push(m.ID);
    }
    const first = await bob.client.getMessageList({ conversationID: `C2C${alice.userID}` });
    expect(first.data.messageList.length).to.equal(15);
    expect(first.data.isCompleted).to.equal(false);
    expect(first.data.messageList.map((m) => m.ID)).to.deep.equal(ids.slice(5));
    const second = await bob.client.getMessageList({
      conversationID: `C2C${alice.userID}`,
      nextReqMessageID: first.data.nextReqMessageID,
    });
    expect(second.data.messageList.map((m) => m.ID)).to.deep.equal(ids.slice(0, 5));
    expect(second.data.isCompleted).to.equal(true);
    const seqs = [...second.data.messageList, ...first.data.messageList].map((m) => m.sequence);
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
    expect(first.data.messageList.every((m) => m.flow === 'in')).to.equal(true);
    const bad = await rejection(bob.client.getMessageList({ conversationID: 'x' }));
    expect(bad.code).to.equal(6017);
  });

  it('creates, joins and lists groups, and delivers group messages', async () => {
    const alice = await readyUser('alice');
    const bob = await readyUser('bob');
    const created = await alice.client.createGroup({
      name: 'Team',
      type: TYPES.GRP_PUBLIC,
      joinOption: 'FreeAccess',
    });
    const group = created.data.group;
    expect(group.type).to.equal('Public');
    expect(group.ownerID).to.equal(alice.userID);
    await waitFor(() => alice.rec.count(EVENT.GROUP_LIST_UPDATED) > 0, 'alice group list event');
    expect((await alice.client.getGroupList()).data.groupList.map((g) => g.groupID)).to.include(
      group.groupID,
    );

    const joined = await bob.client.joinGroup({ groupID: group.groupID });
    expect(joined.data.status).to.equal(TYPES.JOIN_STATUS_SUCCESS);
    const bobGroups = (await bob.client.getGroupList()).data.groupList;
    expect(bobGroups.map((g) => g.groupID)).to.include(group.groupID);
    await waitFor(
      () =>
        bob.rec
          .of<Group[]>(EVENT.GROUP_LIST_UPDATED)
          .some((l) => l.some((g) => g.groupID === group.groupID)),
      'bob GROUP_LIST_UPDATED',
    );
    const members = await alice.client.getGroupMemberList({ groupID: group.groupID, count: 10 });
    expect(members.data.memberList.map((m) => m.userID).sort()).to.deep.equal(
      [alice.userID, bob.userID].sort(),
    );
    const profile = await bob.client.getGroupProfile({ groupID: group.groupID });
    expect(profile.data.group.name).to.equal('Team');

    const m = alice.client.createTextMessage({
      to: group.groupID,
      conversationType: 'GROUP',
      payload: { text: 'hi team' },
    });
    await alice.client.sendMessage(m);
    await waitFor(
      () =>
        bob.rec
          .of<Message[]>(EVENT.MESSAGE_RECEIVED)
          .flat()
          .some((x) => x.ID === m.ID),
      'group msg',
    );
    const got = bob.rec
      .of<Message[]>(EVENT.MESSAGE_RECEIVED)
      .flat()
      .find((x) => x.ID === m.ID)!;
    expect(got.conversationID).to.equal(`GROUP${group.groupID}`);
    await waitFor(() => bob.client.getTotalUnreadMessageCount() === 1, 'group unread');

    const quit = await bob.client.quitGroup(group.groupID);
    expect(quit.data.groupID).to.equal(group.groupID);
    expect((await bob.client.getGroupList()).data.groupList.map((g) => g.groupID)).to.not.include(
      group.groupID,
    );
    const missing = await rejection(bob.client.joinGroup({ groupID: 'no_such_group_here' }));
    expect(missing.code).to.equal(10010);
  });

  it('does not count Meeting group messages as unread', async () => {
    const alice = await readyUser('alice');
    const bob = await readyUser('bob');
    const { group } = (await alice.client.createGroup({ name: 'Meet', type: TYPES.GRP_MEETING }))
      .data;
    await bob.client.joinGroup({ groupID: group.groupID });
    await waitFor(
      () =>
        bob.rec
          .of<Group[]>(EVENT.GROUP_LIST_UPDATED)
          .some((l) => l.some((g) => g.groupID === group.groupID)),
      'bob sees meeting group',
    );
    const m = alice.client.createTextMessage({
      to: group.groupID,
      conversationType: 'GROUP',
      payload: { text: 'meet' },
    });
    await alice.client.sendMessage(m);
    await waitFor(
      () =>
        bob.rec
          .of<Message[]>(EVENT.MESSAGE_RECEIVED)
          .flat()
          .some((x) => x.ID === m.ID),
      'meeting msg',
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(bob.client.getTotalUnreadMessageCount()).to.equal(0);
  });

  it('rejects bad input with a clear error and sends nothing', async () => {
    const alice = await readyUser('alice');
    expect(() =>
      alice.client.createTextMessage({ to: '', conversationType: 'C2C', payload: { text: 'x' } }),
    )
      .to.throw(IMError)
      .with.property('code', 6017);
    expect(() =>
      alice.client.createTextMessage({
        to: 'bob',
        conversationType: 'C2C',
        payload: { text: 'x'.repeat(13_000) },
      }),
    )
      .to.throw(IMError)
      .with.property('code', 80002);
    const toNobody = alice.client.createTextMessage({
      to: uniqueUser('ghost'),
      conversationType: 'C2C',
      payload: { text: 'x' },
    });
    const err = await rejection(alice.client.sendMessage(toNobody));
    expect(err.code).to.equal(20003);
    expect(toNobody.status).to.equal('fail');
    expect((await alice.client.getConversationList()).data.conversationList).to.deep.equal([]);
  });

  it('logout ends the session: SDK_NOT_READY, calls need login again', async () => {
    const alice = await readyUser('alice');
    const res = await alice.client.logout();
    expect(res).to.deep.equal({ code: 0, data: {} });
    await waitFor(() => alice.rec.count(EVENT.SDK_NOT_READY) === 1, 'SDK_NOT_READY');
    expect(alice.client.isReady()).to.equal(false);
    expect(alice.client.getLoginUser()).to.equal('');
    expect((await rejection(alice.client.getConversationList())).code).to.equal(6014);
    // and can log in again
    await alice.client.login({ userID: alice.userID, userSig: alice.userSig });
    await waitFor(() => alice.client.isReady(), 'ready again');
  });
});
