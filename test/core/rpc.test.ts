import { expect } from '@open-wc/testing';
import { ErrorCode } from '../../src/protocol/codes.js';
import { IMError } from '../../src/core/errors.js';
import { RpcClient } from '../../src/core/rpc-client.js';
import { PortPeer } from '../../src/worker/port-peer.js';

type Handler = (peer: PortPeer, method: string, payload: unknown) => unknown;

function pair(handler: Handler, options: { timeoutMs?: number; probeTimeoutMs?: number } = {}) {
  const channel = new MessageChannel();
  const gone: PortPeer[] = [];
  const peer = new PortPeer(channel.port2, { request: handler, gone: (p) => gone.push(p) });
  const client = new RpcClient(channel.port1, options);
  return { client, peer, channel, gone };
}

async function rejection(promise: Promise<unknown>): Promise<IMError> {
  try {
    await promise;
  } catch (err) {
    return err as IMError;
  }
  throw new Error('expected a rejection');
}

const never = () => new Promise(() => undefined);

describe('RPC over a MessageChannel', () => {
  it('answers requests with the handler result', async () => {
    const { client } = pair((_peer, method, payload) => ({ method, echo: payload }));
    const res = await client.call<{ method: string; echo: unknown }>('getThing', { a: 1 });
    expect(res).to.deep.equal({ method: 'getThing', echo: { a: 1 } });
    expect(client.pendingCount).to.equal(0);
    client.close();
  });

  it('matches concurrent responses to their calls', async () => {
    const { client } = pair(async (_p, _m, payload) => {
      const n = payload as number;
      await new Promise((r) => setTimeout(r, 30 - n * 10));
      return n * 2;
    });
    const results = await Promise.all([0, 1, 2].map((n) => client.call<number>('double', n)));
    expect(results).to.deep.equal([0, 2, 4]);
    client.close();
  });

  it('carries errors as {code, message, data} and rebuilds an IMError', async () => {
    const { client } = pair((_p, method) => {
      if (method === 'typed')
        throw new IMError(ErrorCode.GROUP_NOT_FOUND, 'no such group', { groupID: 'g' });
      throw new TypeError('boom');
    });
    const typed = await rejection(client.call('typed'));
    expect(typed).to.be.instanceOf(IMError);
    expect(typed.code).to.equal(10010);
    expect(typed.message).to.equal('no such group');
    expect(typed.data).to.deep.equal({ groupID: 'g' });
    const other = await rejection(client.call('other'));
    expect(other).to.be.instanceOf(IMError);
    expect(other.code).to.equal(ErrorCode.SERVER_INTERNAL);
    expect(other.message).to.equal('boom');
    client.close();
  });

  it('delivers events to every subscriber until unsubscribed', async () => {
    const { client, peer } = pair(() => ({}));
    const a: unknown[] = [];
    const b: unknown[] = [];
    client.onEvent((method, payload) => a.push([method, payload]));
    const offB = client.onEvent((method, payload) => b.push([method, payload]));
    peer.emit('onMessageReceived', [{ ID: 'm1' }]);
    await client.call('sync-point');
    offB();
    peer.emit('netStateChange', { state: 'connected' });
    await client.call('sync-point');
    expect(a).to.deep.equal([
      ['onMessageReceived', [{ ID: 'm1' }]],
      ['netStateChange', { state: 'connected' }],
    ]);
    expect(b).to.deep.equal([['onMessageReceived', [{ ID: 'm1' }]]]);
    client.close();
  });

  it('times out a call with 9520', async () => {
    const { client } = pair(never, { probeTimeoutMs: 0 });
    const err = await rejection(client.call('slow', {}, { timeoutMs: 50 }));
    expect(err.code).to.equal(ErrorCode.NET_WAIT_ACK_TIMEOUT);
    expect(client.closed).to.equal(false);
    client.close();
  });

  it('rejects every pending call with 9521 when closed locally', async () => {
    const { client } = pair(never);
    const calls = [client.call('a'), client.call('b'), client.call('c')];
    client.close();
    const errors = await Promise.all(calls.map(rejection));
    expect(errors.map((e) => e.code)).to.deep.equal([9521, 9521, 9521]);
    const after = await rejection(client.call('d'));
    expect(after.code).to.equal(9521);
  });

  it('rejects every pending call with 9521 when the engine reports a failure', async () => {
    const { client } = pair(never);
    const closes: boolean[] = [];
    client.onClose((_e, local) => closes.push(local));
    const calls = [client.call('a'), client.call('b')];
    client.fail('worker script failed');
    const errors = await Promise.all(calls.map(rejection));
    expect(errors.map((e) => e.code)).to.deep.equal([9521, 9521]);
    expect(errors[0].message).to.equal('worker script failed');
    expect(closes).to.deep.equal([false]);
  });

  it('rejects pending calls with 9521 when the other side closes its port', async () => {
    const { client, peer } = pair(never, { timeoutMs: 10_000, probeTimeoutMs: 200 });
    const long = client.call('long');
    const short = client.call('short', {}, { timeoutMs: 100 });
    peer.close();
    const started = Date.now();
    // Either the MessagePort 'close' event or the liveness probe after `short` timed out.
    const errors = await Promise.all([rejection(long), rejection(short)]);
    expect(errors[0].code).to.equal(9521);
    expect([9520, 9521]).to.include(errors[1].code);
    expect(Date.now() - started).to.be.below(2000);
    expect(client.closed).to.equal(true);
  });

  it('notices a closed port through the close event where the browser has it', async () => {
    const { client, peer } = pair(never, { timeoutMs: 10_000, probeTimeoutMs: 0 });
    const pending = client.call('long');
    const supportsClose = await new Promise<boolean>((resolve) => {
      client.onClose(() => resolve(true));
      peer.close();
      setTimeout(() => resolve(false), 1000);
    });
    if (!supportsClose) {
      client.close();
      await rejection(pending);
      return;
    }
    expect((await rejection(pending)).code).to.equal(9521);
  });

  it('hands over ports sent with imkit:connect', async () => {
    const control = new MessageChannel();
    const accepted: MessagePort[] = [];
    new PortPeer(control.port2, {
      request: () => ({}),
      gone: () => undefined,
      connect: (p) => accepted.push(p),
    });
    const inner = new MessageChannel();
    control.port1.postMessage({ type: 'imkit:connect' }, [inner.port2]);
    await new Promise((r) => setTimeout(r, 50));
    expect(accepted.length).to.equal(1);
  });

  it("frees a port when the tab's Web Lock is released", async () => {
    const name = `imkit-test-lock-${Math.random()}`;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await new Promise<void>((granted) => {
      void navigator.locks.request(name, () => {
        granted();
        return held;
      });
    });
    const { peer, gone } = pair(() => ({}));
    peer.watchLock(name);
    await new Promise((r) => setTimeout(r, 50));
    expect(gone.length).to.equal(0);
    release();
    const start = Date.now();
    while (gone.length === 0 && Date.now() - start < 2000)
      await new Promise((r) => setTimeout(r, 10));
    expect(gone).to.deep.equal([peer]);
  });

  it('stops watching the lock once the port is closed normally', async () => {
    const name = `imkit-test-lock-${Math.random()}`;
    const { peer, gone } = pair(() => ({}));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await new Promise<void>((granted) => {
      void navigator.locks.request(name, () => {
        granted();
        return held;
      });
    });
    peer.watchLock(name);
    peer.close();
    release();
    await new Promise((r) => setTimeout(r, 100));
    expect(gone.length).to.equal(0);
    const state = await navigator.locks.query();
    expect((state.pending ?? []).some((l) => l.name === name)).to.equal(false);
  });

  it('ignores messages that are not envelopes', async () => {
    const { client, channel } = pair(() => 'ok');
    channel.port2.postMessage({ junk: true });
    channel.port2.postMessage('text');
    expect(await client.call('x')).to.equal('ok');
    client.close();
  });
});

describe('Web Lock lease guard', () => {
  it('does not watch a lock nobody holds (it would look free at once)', async () => {
    const channel = new MessageChannel();
    const gone: PortPeer[] = [];
    const peer = new PortPeer(channel.port2, { request: () => ({}), gone: (p) => gone.push(p) });
    peer.watchLock(`imkit-never-held-${Math.random()}`);
    await new Promise((r) => setTimeout(r, 100));
    expect(gone.length).to.equal(0);
    peer.close();
  });
});
