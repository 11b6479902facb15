/**
 * Tabs and the worker coming and going, against the real server: a tab whose Web Locks lease ends
 * (closed or crashed) is freed by the worker while the others keep working; a worker that dies
 * (terminated, or its engine disposed) is replaced: the tabs attach to a new one, log in again and
 * catch up with nothing lost or duplicated, and its outbox is sent once.
 */
import { expect } from '@open-wc/testing';
import { EVENT } from '../../src/protocol/constants.js';
import type { Message } from '../../src/protocol/types.js';
import type { ChatClientImpl } from '../../src/core/client.js';
import type { SpawnMode } from '../../src/core/spawn.js';
import {
  destroyAll,
  readyUser,
  secondTab,
  waitFor,
  type LiveUser,
  type Recorder,
} from '../core/live.js';

afterEach(destroyAll);

const received = (rec: Recorder) => rec.messages(EVENT.MESSAGE_RECEIVED).map((m) => m.ID);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function send(from: LiveUser, to: string, t: string): Promise<Message> {
  const m = from.client.createTextMessage({ to, conversationType: 'C2C', payload: { text: t } });
  await from.client.sendMessage(m);
  return m;
}

/** The engine's view, polled until `check` holds (the answer may come from a new engine). */
async function infoUntil(
  client: ChatClientImpl,
  check: (info: Record<string, unknown>) => boolean,
  what: string,
): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> = {};
  await waitFor(() => {
    void client
      .debug('info')
      .then((i) => (last = i))
      .catch(() => undefined);
    return check(last);
  }, what);
  return last;
}

describe('tab lifecycle (live)', () => {
  it('a tab whose lease ends is freed by the worker; the other tab keeps receiving', async () => {
    const alice = await readyUser('alice', 'shared');
    const other = await secondTab(alice, 'shared');
    const bob = await readyUser('bob', 'shared');
    const mine = await alice.client.debug('info');
    const theirs = await other.client.debug('info');
    expect(mine.peers).to.equal(2);
    // The tab crashes: its lock is released without a goodbye.
    const lease = (other.client as unknown as { lease: { release(): void } }).lease;
    lease.release();
    await infoUntil(
      alice.client,
      (i) => Array.isArray(i.peerIDs) && !i.peerIDs.includes(theirs.peerID),
      'the worker dropped the port of the closed tab',
    );
    expect(alice.client.isReady()).to.equal(true);
    const m = await send(bob, alice.userID, 'still here?');
    await waitFor(() => received(alice.rec).includes(m.ID), 'the remaining tab receives');
    expect(alice.client.getNetState()).to.equal('connected');
    expect((await alice.client.debug('info')).peerIDs).to.include(mine.peerID);
  });
});

describe('worker restart (live)', () => {
  for (const [mode, action] of [
    ['shared', 'terminateWorker'],
    ['dedicated', 'terminateWorker'],
    ['inpage', 'disposeEngine'],
  ] as [SpawnMode, 'terminateWorker' | 'disposeEngine'][]) {
    it(`${mode} (${action}): tabs re-attach, catch up once, and the outbox is sent once`, async () => {
      const alice = await readyUser('alice', mode);
      const other = mode === 'shared' ? await secondTab(alice, mode) : null;
      const tabs = other ? [alice, other] : [alice];
      const bob = await readyUser('bob', 'shared');
      const before = await send(bob, alice.userID, 'before');
      await waitFor(() => tabs.every((t) => received(t.rec).includes(before.ID)), 'before');
      const firstInstance = (await alice.client.debug('info')).instanceID;

      // Offline: one message waits in the outbox, bob sends one alice will have to catch up.
      await alice.client.debug('goOffline');
      const pending = alice.client.createTextMessage({
        to: bob.userID,
        conversationType: 'C2C',
        payload: { text: 'across the restart' },
      });
      const sending = alice.client.sendMessage(pending);
      await waitFor(() => pending.status === 'unSend', 'pending');
      expect((await alice.client.debug('outbox')).stored).to.deep.equal([pending.ID]);
      const missed = await send(bob, alice.userID, 'while the worker restarts');

      await alice.client.debug(action);
      await waitFor(() => !alice.client.isReady(), 'the tab noticed', 10_000);
      await waitFor(() => tabs.every((t) => t.client.isReady()), 'ready again', 15_000);
      const info = await alice.client.debug('info');
      expect(info.instanceID).to.equal(firstInstance); // the same cache, a new engine
      expect((await sending).data.message.status).to.equal('success');
      await waitFor(() => tabs.every((t) => received(t.rec).includes(missed.ID)), 'caught up');
      await waitFor(() => received(bob.rec).includes(pending.ID), 'bob receives');
      const after = await send(bob, alice.userID, 'after');
      await waitFor(() => tabs.every((t) => received(t.rec).includes(after.ID)), 'after');
      await pause(300);
      for (const t of tabs) expect(received(t.rec)).to.deep.equal([before.ID, missed.ID, after.ID]);
      expect(received(bob.rec)).to.deep.equal([pending.ID]);
      const history = await bob.client.getMessageList({ conversationID: `C2C${alice.userID}` });
      expect(history.data.messageList.filter((m) => m.ID === pending.ID)).to.have.length(1);
    });
  }
});
