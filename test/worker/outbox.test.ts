/**
 * The outbox against a scripted server (fake socket), two tabs of one engine: sends while the
 * socket is down wait (pending in every tab, in getMessageList and in IndexedDB) and go out in order
 * after the catch-up; a send lost with the socket lands once; a definite error removes the message;
 * the outbox is bounded; it survives the engine.
 */
import { expect } from '@open-wc/testing';
import { EVENT } from '../../src/protocol/constants.js';
import { INTERNAL_EVENT } from '../../src/protocol/rpc.js';
import type { Message } from '../../src/protocol/types.js';
import type { IMError } from '../../src/core/errors.js';
import { Cache } from '../../src/worker/cache.js';
import { Host } from '../../src/worker/host.js';
import { OUTBOX_LIMIT } from '../../src/worker/outbox.js';
import { socketFactory, until, tick, type FakeSocket } from './fake-socket.js';
import { message, tab, twoTabs, type Tab } from './two-tabs.js';

type Factory = ReturnType<typeof socketFactory>;

/** Open the next socket, accept the login, answer the catch-up (sync from cursor 1) and lists. */
async function reconnect(f: Factory, count: number, me: string, synced: Message[] = []) {
  await until(() => f.sockets.length > count, 3000);
  const s = f.last();
  s.open();
  s.acceptLogin(1 + synced.length);
  await until(() => s.ops().includes('sync'));
  s.answer('sync', {
    messages: synced.map((m, i) => ({ cursor: 2 + i, message: m })),
    cursor: 1 + synced.length,
    isCompleted: true,
  });
  await until(() => s.ops().includes('getMyProfile'));
  s.answer('getConversationList', { conversationList: [] });
  s.answer('getGroupList', { groupList: [] });
  s.answer('getMyProfile', { userID: me, nick: '' });
  return s;
}

/** Answer the next `sendMessage` frame (the n-th on this socket) and return its message ID. */
async function ackSend(s: FakeSocket, n: number, over: Partial<Message> = {}, error?: any) {
  const me = (s.sent.find((x) => x.op === 'login')!.data as { userID: string }).userID;
  await until(() => s.ops().filter((o) => o === 'sendMessage').length >= n);
  const frame = s.sent.filter((x) => x.op === 'sendMessage')[n - 1];
  const sent = (frame.data as { message: Message }).message;
  s.receive(
    error
      ? { id: frame.id, ...error }
      : { id: frame.id, code: 0, data: { message: { ...sent, from: me, ...over } } },
  );
  return sent.ID;
}

const own = (me: string, n: number) =>
  message(me, 0, { ID: `own-${n}`, from: me, to: 'peer', payload: { text: `own ${n}` } });
const sentEvents = (t: Tab) => t.of(INTERNAL_EVENT.MESSAGE_SENT).map((x) => x.message as Message);
const statuses = (t: Tab, ID: string) =>
  sentEvents(t)
    .filter((m) => m.ID === ID)
    .map((m) => m.status);
const sendsOn = (s: FakeSocket) => s.ops().filter((o) => o === 'sendMessage').length;

async function storedOutbox(config: { server: string; SDKAppID: number; userID: string }) {
  const cache = await Cache.open(config);
  const records = await cache.loadOutbox();
  cache.close();
  return records.map((r) => r.message.ID);
}

describe('Outbox (scripted server)', () => {
  it('sends while reconnecting wait, show as pending everywhere, and go out in order', async () => {
    const { me, f, s, a, b, config, close } = await twoTabs();
    s.serverClose(1006);
    const sending = [1, 2, 3].map((n) =>
      a.rpc.call<{ message: Message }>('sendMessage', { message: own(me, n) }),
    );
    await until(() => sentEvents(b).length === 3);
    expect(sentEvents(b).map((m) => [m.ID, m.status, m.conversationID])).to.deep.equal([
      ['own-1', 'unSend', 'C2Cpeer'],
      ['own-2', 'unSend', 'C2Cpeer'],
      ['own-3', 'unSend', 'C2Cpeer'],
    ]);
    expect(sentEvents(a)).to.have.length(0); // the sending tab waits on its promise
    const page = await b.rpc.call<{ messageList: Message[] }>('getMessageList', {
      conversationID: 'C2Cpeer',
    });
    expect(page.messageList.map((m) => [m.ID, m.status])).to.deep.equal([
      ['own-1', 'unSend'],
      ['own-2', 'unSend'],
      ['own-3', 'unSend'],
    ]);
    const info = await a.rpc.call<{ messageList: Message[]; stored: string[] }>('im:debug', {
      action: 'outbox',
    });
    expect(info.stored).to.deep.equal(['own-1', 'own-2', 'own-3']);
    expect(await storedOutbox(config)).to.deep.equal(['own-1', 'own-2', 'own-3']);
    expect(sendsOn(s)).to.equal(0);

    const s2 = await reconnect(f, 1, me);
    // one at a time, in order
    for (let n = 1; n <= 3; n++) {
      await until(() => sendsOn(s2) >= n);
      await tick(20); // no second send goes out before the first is answered
      expect(sendsOn(s2)).to.equal(n);
      expect(await ackSend(s2, n, { sequence: n + 1 })).to.equal(`own-${n}`);
    }
    const results = await Promise.all(sending);
    expect(results.map((r) => [r.message.ID, r.message.status, r.message.sequence])).to.deep.equal([
      ['own-1', 'success', 2],
      ['own-2', 'success', 3],
      ['own-3', 'success', 4],
    ]);
    expect(results[0].message.from).to.equal(me);
    await until(() => sentEvents(b).length === 6);
    expect(statuses(b, 'own-2')).to.deep.equal(['unSend', 'success']);
    expect(a.of(EVENT.MESSAGE_RECEIVED).concat(b.of(EVENT.MESSAGE_RECEIVED))).to.have.length(0);
    await until(() => sentEvents(a).length === 0);
    expect(await storedOutbox(config)).to.deep.equal([]);
    close();
  });

  it('a send in flight when the socket dropped is sent again and lands once', async () => {
    const { me, f, s, a, b, config, close } = await twoTabs();
    const sending = a.rpc.call<{ message: Message }>('sendMessage', { message: own(me, 1) });
    await until(() => sendsOn(s) === 1);
    s.serverClose(1006); // the server committed it, but the answer is lost
    await until(() => statuses(b, 'own-1').length === 1);
    expect(statuses(b, 'own-1')).to.deep.equal(['unSend']);
    // the catch-up brings the committed copy (never MESSAGE_RECEIVED here) ...
    const committed = { ...own(me, 1), sequence: 2, time: 1_700_000_002 };
    const s2 = await reconnect(f, 1, me, [committed]);
    // ... and the outbox sends it again: the server answers the stored copy (same ID)
    expect(await ackSend(s2, 1, { sequence: 2, time: 1_700_000_002 })).to.equal('own-1');
    const { message: result } = await sending;
    expect(result).to.include({ ID: 'own-1', sequence: 2, status: 'success' });
    await until(() => statuses(b, 'own-1').length === 2);
    await tick(50);
    expect(statuses(b, 'own-1')).to.deep.equal(['unSend', 'success']);
    expect(a.of(EVENT.MESSAGE_RECEIVED).concat(b.of(EVENT.MESSAGE_RECEIVED))).to.have.length(0);
    expect(sendsOn(s2)).to.equal(1);
    const cache = await Cache.open(config);
    expect((await cache.loadMessages('C2Cpeer')).map((m) => m.ID)).to.deep.equal(['own-1']);
    cache.close();
    close();
  });

  it('a definite server error removes the message and fails its send; the next one goes on', async () => {
    const { me, f, s, a, b, config, close } = await twoTabs();
    s.serverClose(1006);
    const ghost = { ...own(me, 1), to: 'ghost', conversationID: 'C2Cghost' };
    const failing = a.rpc.call('sendMessage', { message: ghost }).catch((e: unknown) => e);
    const sending = a.rpc.call<{ message: Message }>('sendMessage', { message: own(me, 2) });
    await until(() => sentEvents(b).length === 2);
    const s2 = await reconnect(f, 1, me);
    await ackSend(s2, 1, {}, { code: 20003, message: 'user does not exist' });
    const err = (await failing) as IMError;
    expect(err.code).to.equal(20003);
    await ackSend(s2, 2, { sequence: 2 });
    expect((await sending).message.status).to.equal('success');
    await until(() => statuses(b, 'own-1').length === 2 && statuses(b, 'own-2').length === 2);
    expect(statuses(b, 'own-1')).to.deep.equal(['unSend', 'fail']);
    expect(statuses(b, 'own-2')).to.deep.equal(['unSend', 'success']);
    const left = await b.rpc.call<{ messageList: Message[] }>('im:debug', { action: 'outbox' });
    expect(left.messageList).to.deep.equal([]);
    expect(await storedOutbox(config)).to.deep.equal([]);
    close();
  });

  it(`holds at most ${OUTBOX_LIMIT} messages; online-only messages never wait`, async () => {
    const { me, s, a, close } = await twoTabs();
    s.serverClose(1006);
    const typing = (await a.rpc
      .call('sendMessage', { message: own(me, 0), options: { onlineUserOnly: true } })
      .catch((e: unknown) => e)) as IMError;
    expect(typing.code).to.equal(9508);
    const waits = Array.from({ length: OUTBOX_LIMIT }, (_, i) =>
      a.rpc.call('sendMessage', { message: own(me, i + 1) }).catch(() => undefined),
    );
    const over = (await a.rpc
      .call('sendMessage', { message: own(me, OUTBOX_LIMIT + 1) })
      .catch((e: unknown) => e)) as IMError;
    expect(over.code).to.equal(9508);
    expect(over.message).to.match(/outbox is full/);
    const info = await a.rpc.call<{ outbox: number }>('im:debug', { action: 'info' });
    expect(info.outbox).to.equal(OUTBOX_LIMIT);
    // the same message again waits for its entry instead of taking a place
    void a.rpc.call('sendMessage', { message: own(me, 1) }).catch(() => undefined);
    expect((await a.rpc.call<{ outbox: number }>('im:debug', { action: 'info' })).outbox).to.equal(
      OUTBOX_LIMIT,
    );
    close();
    await Promise.all(waits);
  });

  it('survives the engine: a new engine loads the outbox and sends it after its catch-up', async () => {
    const { me, host, s, a, b, config, close } = await twoTabs();
    s.serverClose(1006);
    const lost = a.rpc.call('sendMessage', { message: own(me, 1) }).catch((e: unknown) => e);
    await until(() => sentEvents(b).length === 1);
    await a.rpc.call('im:debug', { action: 'outbox' }); // written
    a.rpc.notify('detach');
    b.rpc.notify('detach');
    close();
    expect(((await lost) as IMError).code).to.equal(9521);
    await until(() => host.engineCount === 0);

    // malformed entries next to it are dropped on load
    const cache = await Cache.open(config);
    const [record] = await cache.loadOutbox();
    const bad = { data: { message: { ID: 'bad-1' } }, message: { ...record.message, ID: 'bad-1' } };
    await cache.set('outbox', [{ junk: true }, bad, record]);
    cache.close();

    const f2 = socketFactory();
    const host2 = new Host({ socketFactory: f2.factory, idleMs: 50 });
    const c = tab(host2);
    await c.rpc.call('attach', { rpc: 1, tabID: 'c', config });
    const login = c.rpc.call('login', { userID: me, userSig: 'sig' });
    await until(() => f2.sockets.length === 1);
    f2.last().serverClose(1006); // server unreachable: the cache (and its outbox) is served
    await login;
    const page = await c.rpc.call<{ messageList: Message[] }>('getMessageList', {
      conversationID: 'C2Cpeer',
    });
    expect(page.messageList.map((m) => [m.ID, m.status])).to.deep.equal([['own-1', 'unSend']]);
    const s2 = await reconnect(f2, 1, me);
    await ackSend(s2, 1, { sequence: 2 });
    await until(() => statuses(c, 'own-1').includes('success'));
    expect(await storedOutbox(config)).to.deep.equal([]);
    c.rpc.close();
  });
});
