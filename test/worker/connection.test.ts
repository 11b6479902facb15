import { expect } from '@open-wc/testing';
import { ErrorCode } from '../../src/protocol/codes.js';
import type { IMError } from '../../src/core/errors.js';
import {
  Connection,
  type ConnState,
  type ConnectionHooks,
  type ConnectionOptions,
} from '../../src/worker/connection.js';
import { socketFactory, tick, until } from './fake-socket.js';

function setup(options: Partial<ConnectionOptions> = {}, hooks: Partial<ConnectionHooks> = {}) {
  const f = socketFactory();
  const states: ConnState[] = [];
  const stopped: { code: number; reason: string }[] = [];
  const pushes: unknown[] = [];
  const conn = new Connection(
    {
      url: 'ws://test/ws',
      socketFactory: f.factory,
      baseDelayMs: 20,
      maxDelayMs: 200,
      random: () => 1,
      ...options,
    },
    {
      loginData: () => ({
        SDKAppID: 1,
        userID: 'u',
        userSig: 'sig',
        instanceID: 'instance-1',
        protocol: 1,
      }),
      onStateChange: (s) => states.push(s),
      onStopped: (info) => stopped.push(info),
      onPush: (p) => pushes.push(p),
      ...hooks,
    },
  );
  return { conn, ...f, states, stopped, pushes };
}

async function rejection(p: Promise<unknown>): Promise<IMError> {
  try {
    await p;
  } catch (err) {
    return err as IMError;
  }
  throw new Error('expected a rejection');
}

describe('Connection state machine', () => {
  it('connects, logs in first, then is connected', async () => {
    const { conn, last, states } = setup();
    conn.start();
    expect(conn.state).to.equal('connecting');
    last().open();
    expect(last().ops()).to.deep.equal(['login']);
    expect(last().sent[0].data).to.include({ userID: 'u', instanceID: 'instance-1', protocol: 1 });
    expect(conn.state).to.equal('connecting');
    last().acceptLogin();
    expect(conn.state).to.equal('connected');
    expect(states).to.deep.equal(['connecting', 'connected']);
    conn.stop();
    expect(states).to.deep.equal(['connecting', 'connected', 'disconnected']);
  });

  it('queues requests while connecting and sends them after login', async () => {
    const { conn, last } = setup();
    conn.start();
    const res = conn.request('getConversationList', {});
    last().open();
    expect(last().ops()).to.deep.equal(['login']);
    last().acceptLogin();
    expect(last().ops()).to.deep.equal(['login', 'getConversationList']);
    last().answer('getConversationList', { conversationList: [] });
    expect(await res).to.deep.equal({ conversationList: [] });
    conn.stop();
  });

  it('bounds the queue', async () => {
    const { conn } = setup({ queueLimit: 2 });
    conn.start();
    const a = conn.request('ping');
    const b = conn.request('ping');
    const c = await rejection(conn.request('ping'));
    expect(c.code).to.equal(ErrorCode.NET_DISCONNECTED);
    conn.stop();
    expect((await rejection(a)).code).to.equal(ErrorCode.NET_DISCONNECTED);
    expect((await rejection(b)).code).to.equal(ErrorCode.NET_DISCONNECTED);
  });

  it('passes server errors as IMError and times requests out with 9520', async () => {
    const { conn, last } = setup();
    conn.start();
    last().open();
    last().acceptLogin();
    const bad = conn.request('joinGroup', { groupID: 'x' });
    last().answer('joinGroup', undefined, { code: 10010, message: 'group not found' });
    const err = await rejection(bad);
    expect(err.code).to.equal(10010);
    expect(err.message).to.equal('group not found');
    const slow = await rejection(conn.request('getGroupList', {}, 30));
    expect(slow.code).to.equal(ErrorCode.NET_WAIT_ACK_TIMEOUT);
    conn.stop();
  });

  it('reconnects with full-jitter exponential backoff, capped', async () => {
    const { conn, sockets, last } = setup({ baseDelayMs: 10, maxDelayMs: 40 });
    conn.start();
    for (let i = 0; i < 5; i++) {
      const before = sockets.length;
      last().serverClose(1006);
      expect(conn.state).to.equal('disconnected');
      await until(() => sockets.length === before + 1);
    }
    // random() = 1: the delay is the ceiling itself: 10, 20, 40, 40, 40
    expect(conn.backoffHistory).to.deep.equal([10, 20, 40, 40, 40]);
    last().open();
    last().acceptLogin();
    last().serverClose(1006);
    // a successful login resets the attempt counter
    expect(conn.backoffHistory[conn.backoffHistory.length - 1]).to.equal(10);
    conn.stop();
  });

  it('draws each delay uniformly below the ceiling (full jitter)', async () => {
    const { conn, last, sockets } = setup({
      baseDelayMs: 100,
      maxDelayMs: 1000,
      random: () => 0.25,
    });
    conn.start();
    last().serverClose(1006);
    expect(conn.backoffHistory).to.deep.equal([25]);
    await until(() => sockets.length === 2);
    last().serverClose(1006);
    expect(conn.backoffHistory).to.deep.equal([25, 50]);
    conn.stop();
  });

  it('rejects requests in flight with 9508 when the socket drops, and reconnects', async () => {
    const { conn, last, sockets, states } = setup();
    conn.start();
    last().open();
    last().acceptLogin();
    const pending = conn.request('sendMessage', {});
    last().serverClose(1006, 'network');
    expect((await rejection(pending)).code).to.equal(ErrorCode.NET_DISCONNECTED);
    await until(() => sockets.length === 2);
    last().open();
    last().acceptLogin();
    expect(states).to.deep.equal([
      'connecting',
      'connected',
      'disconnected',
      'connecting',
      'connected',
    ]);
    conn.stop();
  });

  it('closes and reconnects when a ping goes unanswered', async () => {
    const { conn, last, sockets } = setup({ pingIntervalMs: 40, pingTimeoutMs: 40 });
    conn.start();
    last().open();
    last().acceptLogin();
    const first = last();
    await until(() => first.ops().includes('ping'));
    first.answer('ping');
    await until(() => first.ops().filter((o) => o === 'ping').length === 2);
    // no answer to the second ping: the socket is closed and a new one opened
    await until(() => sockets.length === 2, 1000);
    expect(first.closedWith).to.not.equal(null);
    expect(conn.state).to.equal('connecting');
    conn.stop();
  });

  it('does not reconnect after 4001 (kicked) and reports it', async () => {
    const { conn, last, sockets, stopped, pushes } = setup();
    conn.start();
    last().open();
    last().acceptLogin();
    last().receive({ push: 'kicked', data: { type: 'multipleAccount' } });
    last().serverClose(4001, 'kicked');
    await tick(100);
    expect(sockets.length).to.equal(1);
    expect(conn.state).to.equal('disconnected');
    expect(conn.isRunning).to.equal(false);
    expect(stopped).to.deep.equal([{ code: 4001, reason: 'kicked' }]);
    expect(pushes).to.deep.equal([{ push: 'kicked', data: { type: 'multipleAccount' } }]);
  });

  it('does not reconnect after 4002 (auth failed)', async () => {
    const { conn, last, sockets, stopped } = setup();
    conn.start();
    last().open();
    last().serverClose(4002, 'auth');
    await tick(100);
    expect(sockets.length).to.equal(1);
    expect(stopped.map((s) => s.code)).to.deep.equal([4002]);
    expect(conn.state).to.equal('disconnected');
  });

  it('stops on a fatal login error and reconnects after a transient one', async () => {
    const failures: [number, boolean][] = [];
    const { conn, last, sockets, stopped } = setup(
      {},
      { onLoginFailed: (e, fatal) => failures.push([e.code, fatal]) },
    );
    conn.start();
    last().open();
    last().answer('login', undefined, { code: ErrorCode.SERVER_INTERNAL, message: 'busy' });
    await until(() => sockets.length === 2);
    last().open();
    last().answer('login', undefined, { code: ErrorCode.USER_SIG_EXPIRED, message: 'expired' });
    await tick(100);
    expect(sockets.length).to.equal(2);
    expect(failures).to.deep.equal([
      [10002, false],
      [70001, true],
    ]);
    expect(stopped.length).to.equal(1);
    expect(conn.isRunning).to.equal(false);
  });

  it('reconnects after a server shutdown close (4501)', async () => {
    const { conn, last, sockets } = setup();
    conn.start();
    last().open();
    last().acceptLogin();
    last().serverClose(4501, 'shutdown');
    await until(() => sockets.length === 2);
    conn.stop();
  });

  it('ignores malformed frames and delivers valid pushes only when connected', async () => {
    const { conn, last, pushes } = setup();
    conn.start();
    last().open();
    last().onmessage?.({ data: 'not json' });
    last().receive({ push: 'profileUpdated', data: { userID: 'u' } });
    last().acceptLogin();
    last().receive({ push: 'nonsense', data: {} });
    last().receive({ push: 'groupListChanged', data: { groupID: 'g1' } });
    expect(pushes).to.deep.equal([{ push: 'groupListChanged', data: { groupID: 'g1' } }]);
    conn.stop();
  });

  it('fails a connect attempt that does not finish in time', async () => {
    const attempts: string[] = [];
    const { conn, sockets } = setup(
      { connectTimeoutMs: 50 },
      { onAttemptFailed: (r) => attempts.push(r) },
    );
    conn.start();
    await until(() => sockets.length === 2, 1000);
    expect(attempts[0]).to.equal('connect timeout');
    conn.stop();
  });
});
