/**
 * The engine against a scripted server (fake socket), through the real host and RPC: catch-up
 * order, dedupe, cursor persistence and the own-send rule, deterministically.
 */
import { expect } from '@open-wc/testing';
import { EVENT } from '../../src/protocol/constants.js';
import { MESSAGE_DEFAULTS, type Conversation, type Message } from '../../src/protocol/types.js';
import { RpcClient } from '../../src/core/rpc-client.js';
import { Cache } from '../../src/worker/cache.js';
import { Host } from '../../src/worker/host.js';
import { socketFactory, until, type FakeSocket } from './fake-socket.js';

const SERVER = 'http://engine.test';
const APP = 1400000001;

function msg(seq: number, from = 'peer', me = 'me'): Message {
  return {
    ...MESSAGE_DEFAULTS,
    ID: `${from}-${seq}`,
    type: 'TIMTextElem',
    payload: { text: `m${seq}` },
    conversationID: `C2C${from === me ? 'peer' : from}`,
    conversationType: 'C2C',
    to: from === me ? 'peer' : me,
    from,
    flow: from === me ? 'out' : 'in',
    time: 1_700_000_000 + seq,
    sequence: seq,
    clientTime: 1_700_000_000 + seq,
    random: seq,
  };
}

function conversation(last: Message, unreadCount: number): Conversation {
  return {
    conversationID: 'C2Cpeer',
    type: 'C2C',
    unreadCount,
    lastMessage: {
      ID: last.ID,
      lastTime: last.time,
      lastSequence: last.sequence,
      fromAccount: last.from,
      type: last.type,
      payload: last.payload,
      messageForShow: 'x',
      cloudCustomData: '',
      isRevoked: false,
      nick: '',
      nameCard: '',
    },
    groupProfile: null,
    userProfile: null,
    groupAtInfoList: [],
    remark: '',
    isPinned: false,
    messageRemindType: '',
    markList: [],
    customData: '',
    conversationGroupList: [],
    draftText: '',
    readSequence: 0,
    orderKey: last.sequence,
  };
}

async function answerLists(
  s: FakeSocket,
  conversations: Conversation[],
  me: string,
): Promise<void> {
  await until(() => s.ops().includes('getMyProfile'));
  s.answer('getConversationList', { conversationList: conversations });
  s.answer('getGroupList', { groupList: [] });
  s.answer('getMyProfile', { userID: me, nick: '' });
}

function setup(options: { pushCursorSettleMs?: number } = {}) {
  const me = `me_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const f = socketFactory();
  const host = new Host({ socketFactory: f.factory, idleMs: 50, ...options });
  const channel = new MessageChannel();
  host.connect(channel.port2);
  const rpc = new RpcClient(channel.port1);
  const events: { name: string; data: unknown }[] = [];
  rpc.onEvent((name, data) => events.push({ name, data }));
  const received = () =>
    events
      .filter((e) => e.name === EVENT.MESSAGE_RECEIVED)
      .flatMap((e) => (e.data as Message[]).map((m) => m.ID));
  const config = { server: SERVER, SDKAppID: APP, userID: me };
  return { me, f, host, rpc, events, received, config };
}

type Setup = ReturnType<typeof setup>;

/** Attaches and logs in on the first socket (protocol 2 with a change cursor); lists empty. */
async function firstLogin(t: Setup, cursor: number, changeCursor?: number): Promise<FakeSocket> {
  await t.rpc.call('attach', { rpc: 1, tabID: 't', config: t.config });
  const login = t.rpc.call('login', { userID: t.me, userSig: 'sig' });
  await until(() => t.f.sockets.length === 1);
  const s = t.f.last();
  s.open();
  s.acceptLogin(cursor, changeCursor);
  await login;
  await answerLists(s, [], t.me);
  return s;
}

/** The socket drops; the next one logs in, and its message catch-up finds nothing new. */
async function reconnect(t: Setup, cursor: number, changeCursor?: number): Promise<FakeSocket> {
  const n = t.f.sockets.length;
  t.f.last().serverClose(1006);
  await until(() => t.f.sockets.length === n + 1, 3000);
  const s = t.f.last();
  s.open();
  s.acceptLogin(cursor, changeCursor);
  await until(() => s.ops().includes('sync'));
  s.answer('sync', { messages: [], cursor, isCompleted: true });
  return s;
}

describe('Engine with a scripted server', () => {
  it('catches up once, buffers pushes during sync, dedupes, persists the cursor', async () => {
    const { me, f, rpc, events, received, config } = setup();
    const m = (seq: number) => msg(seq, 'peer', me);
    await rpc.call('attach', { rpc: 1, tabID: 't', config });
    const login = rpc.call('login', { userID: me, userSig: 'sig' });
    await until(() => f.sockets.length === 1);
    f.last().open();
    f.last().acceptLogin(5);
    expect(await login).to.include({ repeatLogin: false });
    // first login here: no sync, the server's lists
    await answerLists(f.last(), [], me);
    await until(() => events.some((e) => e.name === EVENT.SDK_READY));
    expect(f.last().ops()).to.not.include('sync');

    f.last().receive({ push: 'message', cursor: 6, data: m(6) });
    f.last().receive({ push: 'message', cursor: 6, data: m(6) }); // duplicate
    await until(() => received().length === 1);
    await until(() => events.some((e) => e.name === EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED));

    // the socket drops; on the new one, a push arrives before sync is answered
    f.last().serverClose(1006);
    await until(() => f.sockets.length === 2, 3000);
    const s = f.last();
    s.open();
    s.acceptLogin(8);
    await until(() => s.ops().includes('sync'));
    // The pushed cursor 6 had not settled (PUSH_CURSOR_SETTLE_MS) when the socket died: the
    // catch-up starts before it, and message 6 comes again, applied once.
    expect(s.sent.find((x) => x.op === 'sync')!.data).to.deep.equal({ cursor: 5 });
    s.receive({ push: 'message', cursor: 8, data: m(8) });
    await new Promise((r) => setTimeout(r, 50));
    expect(received()).to.deep.equal([m(6).ID]); // buffered until the catch-up is done
    s.answer('sync', {
      messages: [
        { cursor: 6, message: m(6) },
        { cursor: 7, message: m(7) },
        { cursor: 8, message: m(8) },
      ],
      cursor: 8,
      isCompleted: true,
    });
    await answerLists(s, [conversation(m(8), 3)], me);
    await until(() => received().length === 3);
    await new Promise((r) => setTimeout(r, 100));
    expect(received()).to.deep.equal([m(6).ID, m(7).ID, m(8).ID]);
    const total = events.filter((e) => e.name === EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED).at(-1);
    expect(total!.data).to.equal(3); // the server's count replaced the local one
    expect(events.filter((e) => e.name === EVENT.SDK_READY).length).to.equal(1);

    const info = await rpc.call<{ cursor: number }>('im:debug', { action: 'info' });
    expect(info.cursor).to.equal(8);
    const cache = await Cache.open(config);
    expect(await cache.loadCursor()).to.equal(8);
    expect((await cache.loadMessages('C2Cpeer')).map((x) => x.sequence)).to.deep.equal([6, 7, 8]);
    cache.close();
    rpc.close();
  });

  it('persists a pushed cursor once it has settled, and catches up from it', async () => {
    const { me, f, rpc, received, config } = setup({ pushCursorSettleMs: 100 });
    await rpc.call('attach', { rpc: 1, tabID: 't', config });
    const login = rpc.call('login', { userID: me, userSig: 'sig' });
    await until(() => f.sockets.length === 1);
    f.last().open();
    f.last().acceptLogin(5);
    await login;
    await answerLists(f.last(), [], me);
    f.last().receive({ push: 'message', cursor: 6, data: msg(6, 'peer', me) });
    await until(() => received().length === 1);
    const cursor = async () =>
      (await rpc.call<{ cursor: number }>('im:debug', { action: 'info' })).cursor;
    expect(await cursor()).to.equal(5, 'not at once');
    for (let i = 0; i < 100 && (await cursor()) !== 6; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await cursor()).to.equal(6, 'once settled');
    const cache = await Cache.open(config);
    expect(await cache.loadCursor()).to.equal(6);
    cache.close();

    f.last().serverClose(1006);
    await until(() => f.sockets.length === 2, 3000);
    const s = f.last();
    s.open();
    s.acceptLogin(6);
    await until(() => s.ops().includes('sync'));
    expect(s.sent.find((x) => x.op === 'sync')!.data).to.deep.equal({ cursor: 6 });
    rpc.close();
  });

  it('catches up recalls and edits made while it was away, each once', async () => {
    const t = setup();
    const { me, rpc, events, received, config } = t;
    const m = (seq: number) => msg(seq, 'peer', me);
    const changed = (name: string) =>
      events.filter((e) => e.name === name).flatMap((e) => (e.data as Message[]).map((x) => x.ID));
    const info = () =>
      rpc.call<{ cursor: number; changeCursor: number | null }>('im:debug', { action: 'info' });
    const first = await firstLogin(t, 5, 10);
    expect(first.ops()).to.not.include('syncChanges', 'a first login starts at its cursor');
    for (let i = 0; i < 100 && (await info()).changeCursor !== 10; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await info()).changeCursor).to.equal(10);
    first.receive({ push: 'message', cursor: 6, data: m(6) });
    first.receive({ push: 'message', cursor: 7, data: m(7) });
    await until(() => received().length === 2);
    // Recalled while connected: pushed with its change cursor.
    const recalled = { ...m(6), isRevoked: true, revoker: 'peer', payload: {} };
    first.receive({ push: 'messageRevoked', cursor: 11, data: { message: recalled } });
    await until(() => changed(EVENT.MESSAGE_REVOKED).length === 1);

    // Away: m(7) is edited. The pushed change cursor 11 had not settled, so the catch-up
    // starts from 10 and the recall comes again: the cache shows it already, no second event.
    const s = await reconnect(t, 7, 12);
    await until(() => s.ops().includes('syncChanges'));
    expect(s.sent.find((x) => x.op === 'syncChanges')!.data).to.deep.equal({ cursor: 10 });
    const edited = { ...m(7), isModified: true, version: 1, payload: { text: 'edited' } };
    s.answer('syncChanges', {
      changes: [
        { cursor: 11, message: recalled },
        { cursor: 12, message: edited },
      ],
      cursor: 12,
      isCompleted: true,
    });
    await answerLists(s, [conversation(m(7), 0)], me);
    await until(() => changed(EVENT.MESSAGE_MODIFIED).length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(changed(EVENT.MESSAGE_REVOKED)).to.deep.equal([m(6).ID]);
    expect(changed(EVENT.MESSAGE_MODIFIED)).to.deep.equal([m(7).ID]);
    expect((await info()).changeCursor).to.equal(12);
    const cache = await Cache.open(config);
    const cached = await cache.loadMessages('C2Cpeer');
    expect(cached.map((x) => [x.ID, x.isRevoked, x.isModified, x.payload])).to.deep.equal([
      [m(6).ID, true, false, {}],
      [m(7).ID, false, true, { text: 'edited' }],
    ]);
    cache.close();

    // The next catch-up asks from 12.
    const next = await reconnect(t, 7, 12);
    await until(() => next.ops().includes('syncChanges'));
    expect(next.sent.find((x) => x.op === 'syncChanges')!.data).to.deep.equal({ cursor: 12 });
    rpc.close();
  });

  it('tells each group system notice once, pushed or caught up', async () => {
    const t = setup();
    const { me, rpc, events, config } = t;
    const notice = (n: number): Message => ({
      ...MESSAGE_DEFAULTS,
      ID: `notice-${n}`,
      type: 'TIMGroupSystemNoticeElem',
      payload: { operationType: 4, operatorID: 'owner', groupProfile: { groupID: 'g1' } },
      conversationID: '@TIM#SYSTEM',
      conversationType: '@TIM#SYSTEM',
      to: me,
      from: '@TIM#SYSTEM',
      time: 1_700_000_000 + n,
    });
    const told = () =>
      events
        .filter((e) => e.name === EVENT.MESSAGE_RECEIVED)
        .flatMap((e) => (e.data as Message[]).map((x) => x.ID));
    const first = await firstLogin(t, 5, 10);
    first.receive({ push: 'groupSystemNotice', cursor: 11, data: notice(11) });
    await until(() => told().length === 1);

    const s = await reconnect(t, 5, 12);
    await until(() => s.ops().includes('syncChanges'));
    s.answer('syncChanges', {
      changes: [
        { cursor: 11, message: notice(11) },
        { cursor: 12, message: notice(12) },
      ],
      cursor: 12,
      isCompleted: true,
    });
    await answerLists(s, [], me);
    await until(() => told().length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(told()).to.deep.equal(['notice-11', 'notice-12']);
    const cache = await Cache.open(config);
    expect((await cache.loadMessages('@TIM#SYSTEM')).map((x) => x.ID)).to.deep.equal([
      'notice-11',
      'notice-12',
    ]);
    cache.close();
    rpc.close();
  });

  it('does not ask a protocol 1 server for changes', async () => {
    const t = setup();
    await firstLogin(t, 5);
    const s = await reconnect(t, 5);
    await answerLists(s, [], t.me);
    expect(s.ops()).to.not.include('syncChanges');
    t.rpc.close();
  });

  it('does not emit MESSAGE_RECEIVED for its own sends, even when sync returns them', async () => {
    const { me, f, rpc, received, config } = setup();
    await rpc.call('attach', { rpc: 1, tabID: 't', config });
    const login = rpc.call('login', { userID: me, userSig: 'sig' });
    await until(() => f.sockets.length === 1);
    f.last().open();
    f.last().acceptLogin(1);
    await login;
    await answerLists(f.last(), [], me);

    const own = { ...msg(2, me, me), status: 'unSend' as const, sequence: 0 };
    const sending = rpc.call<{ message: Message }>('sendMessage', { message: own });
    await until(() => f.last().ops().includes('sendMessage'));
    f.last().answer('sendMessage', { message: { ...own, sequence: 2, status: 'success' } });
    const { message } = await sending;
    expect(message.sequence).to.equal(2);
    expect(message.conversationID).to.equal('C2Cpeer');

    f.last().serverClose(1006);
    await until(() => f.sockets.length === 2, 3000);
    const s = f.last();
    s.open();
    s.acceptLogin(3);
    await until(() => s.ops().includes('sync'));
    s.answer('sync', {
      messages: [
        { cursor: 2, message: { ...own, sequence: 2 } },
        { cursor: 3, message: msg(3, 'peer', me) },
      ],
      cursor: 3,
      isCompleted: true,
    });
    await answerLists(s, [], me);
    await until(() => received().length === 1);
    expect(received()).to.deep.equal([msg(3, 'peer', me).ID]);
    rpc.close();
  });

  it('pages sync until it is complete', async () => {
    const { me, f, rpc, received, config } = setup();
    const cache = await Cache.open(config);
    await cache.saveCursor(10);
    cache.close();
    await rpc.call('attach', { rpc: 1, tabID: 't', config });
    const login = rpc.call('login', { userID: me, userSig: 'sig' });
    await until(() => f.sockets.length === 1);
    const s = f.last();
    s.open();
    s.acceptLogin(14);
    await login;
    await until(() => s.ops().includes('sync'));
    s.answer('sync', {
      messages: [11, 12].map((c) => ({ cursor: c, message: msg(c, 'peer', me) })),
      cursor: 12,
      isCompleted: false,
    });
    await until(() => s.ops().filter((o) => o === 'sync').length === 2);
    expect(s.sent.filter((x) => x.op === 'sync').map((x) => x.data)).to.deep.equal([
      { cursor: 10 },
      { cursor: 12 },
    ]);
    s.answer('sync', {
      messages: [13, 14].map((c) => ({ cursor: c, message: msg(c, 'peer', me) })),
      cursor: 14,
      isCompleted: true,
    });
    await answerLists(s, [], me);
    await until(() => received().length === 4);
    rpc.close();
  });

  it('answers from the cache before the socket is up, and only to logged-in ports', async () => {
    const { me, f, rpc, config } = setup();
    const cache = await Cache.open(config);
    await cache.saveConversations([conversation(msg(4, 'peer', me), 2)]);
    await cache.saveCursor(4);
    cache.close();
    await rpc.call('attach', { rpc: 1, tabID: 't', config });
    const denied = (await rpc.call('getConversationList').catch((e: unknown) => e)) as {
      code: number;
    };
    expect(denied.code).to.equal(6014);
    const login = rpc.call('login', { userID: me, userSig: 'sig' });
    await until(() => f.sockets.length === 1);
    f.last().serverClose(1006); // server unreachable
    expect(await login).to.include({ repeatLogin: false });
    const res = await rpc.call<{ conversationList: Conversation[] }>('getConversationList');
    expect(res.conversationList.map((c) => c.unreadCount)).to.deep.equal([2]);
    rpc.close();
  });
});
