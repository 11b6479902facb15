/**
 * The outbox against the real server: an offline period (im:debug goOffline/goOnline), a send in
 * flight when the socket dropped, a definite error. Each message lands once, in order.
 */
import { expect } from '@open-wc/testing';
import { EVENT } from '../../src/protocol/constants.js';
import { INTERNAL_EVENT } from '../../src/protocol/rpc.js';
import type { Message } from '../../src/protocol/types.js';
import {
  destroyAll,
  readyUser,
  rejection,
  secondTab,
  waitFor,
  type LiveUser,
  type Recorder,
} from '../core/live.js';

afterEach(destroyAll);

const received = (rec: Recorder) => rec.messages(EVENT.MESSAGE_RECEIVED).map((m) => m.ID);
/**
 * The statuses `im:messageSent` carried for each message, as they arrived (the tab merges every
 * copy of a message into one object, so the recorded events would all show the latest).
 */
function sentLog(user: LiveUser) {
  const log: [string, string][] = [];
  user.client.on(INTERNAL_EVENT.MESSAGE_SENT, (e) => {
    const m = (e.data as { message: Message }).message;
    log.push([m.ID, m.status]);
  });
  return (ID: string) => log.filter(([id]) => id === ID).map(([, status]) => status);
}
const text = (from: LiveUser, to: string, t: string) =>
  from.client.createTextMessage({ to, conversationType: 'C2C', payload: { text: t } });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('outbox (live)', () => {
  it('sends while offline wait as pending in every tab and land once, in order, when back', async () => {
    const alice = await readyUser('alice', 'shared');
    const other = await secondTab(alice, 'shared');
    const sentEvents = sentLog(other);
    const bob = await readyUser('bob', 'shared');
    await alice.client.debug('goOffline');
    await waitFor(() => alice.client.getNetState() === 'disconnected', 'offline');

    const messages = [1, 2, 3].map((i) => text(alice, bob.userID, `offline ${i}`));
    const sending = messages.map((m) => alice.client.sendMessage(m));
    await waitFor(() => messages.every((m) => sentEvents(m.ID).length === 1), 'pending');
    expect(messages.map((m) => sentEvents(m.ID)[0])).to.deep.equal(['unSend', 'unSend', 'unSend']);
    expect(messages.map((m) => m.status)).to.deep.equal(['unSend', 'unSend', 'unSend']);
    const page = await other.client.getMessageList({ conversationID: `C2C${bob.userID}` });
    expect(page.data.messageList.map((m) => [m.ID, m.status])).to.deep.equal(
      messages.map((m) => [m.ID, 'unSend']),
    );
    const outbox = await alice.client.debug('outbox');
    expect(outbox.stored).to.deep.equal(messages.map((m) => m.ID));
    await pause(200);
    expect(received(bob.rec)).to.deep.equal([]);

    await alice.client.debug('goOnline');
    const results = await Promise.all(sending);
    const sequences = results.map((r) => r.data.message.sequence);
    expect(results.map((r) => r.data.message.status)).to.deep.equal([
      'success',
      'success',
      'success',
    ]);
    expect(sequences[1]).to.be.greaterThan(sequences[0]);
    expect(sequences[2]).to.be.greaterThan(sequences[1]);
    await waitFor(() => received(bob.rec).length === 3, 'bob receives');
    await waitFor(
      () => messages.every((m) => sentEvents(m.ID).length === 2),
      'the other tab sees them sent',
    );
    await pause(300);
    expect(received(bob.rec)).to.deep.equal(messages.map((m) => m.ID));
    expect(received(alice.rec).concat(received(other.rec))).to.deep.equal([]);
    expect(sentEvents(messages[0].ID)).to.deep.equal(['unSend', 'success']);
    const history = await bob.client.getMessageList({ conversationID: `C2C${alice.userID}` });
    expect(history.data.messageList.map((m) => m.ID)).to.deep.equal(messages.map((m) => m.ID));
    expect((await alice.client.debug('outbox')).stored).to.deep.equal([]);
  });

  it('a send in flight when the socket dropped lands once', async () => {
    const alice = await readyUser('alice', 'shared');
    const bob = await readyUser('bob', 'shared');
    const messages: Message[] = [];
    const sending = [];
    for (let i = 0; i < 4; i++) {
      const m = text(alice, bob.userID, `in flight ${i}`);
      messages.push(m);
      // The frame is on the socket before the drop (one port, requests handled in order).
      sending.push(alice.client.sendMessage(m));
      await alice.client.debug('dropConnection');
      await waitFor(() => alice.client.getNetState() === 'connected', 'reconnected', 10_000);
    }
    const results = await Promise.all(sending);
    expect(results.every((r) => r.data.message.status === 'success')).to.equal(true);
    await waitFor(() => received(bob.rec).length >= 4, 'bob receives all');
    await pause(300);
    expect(received(bob.rec)).to.deep.equal(messages.map((m) => m.ID));
    const history = await bob.client.getMessageList({ conversationID: `C2C${alice.userID}` });
    expect(history.data.messageList.map((m) => m.ID)).to.deep.equal(messages.map((m) => m.ID));
    expect(received(alice.rec)).to.deep.equal([]);
  });

  it('a definite error (20003) removes the message and fails it; the next one is sent', async () => {
    const alice = await readyUser('alice', 'shared');
    const other = await secondTab(alice, 'shared');
    const sentEvents = sentLog(other);
    const bob = await readyUser('bob', 'shared');
    await alice.client.debug('goOffline');
    const ghost = text(alice, `nobody_${Date.now()}`, 'to nobody');
    const fine = text(alice, bob.userID, 'to bob');
    const failing = rejection(alice.client.sendMessage(ghost));
    const sending = alice.client.sendMessage(fine);
    await waitFor(() => sentEvents(fine.ID).length === 1, 'pending');
    await alice.client.debug('goOnline');
    expect((await failing).code).to.equal(20003);
    expect(ghost.status).to.equal('fail');
    expect((await sending).data.message.status).to.equal('success');
    await waitFor(() => sentEvents(ghost.ID).length === 2, 'failure seen');
    expect(sentEvents(ghost.ID)).to.deep.equal(['unSend', 'fail']);
    expect((await alice.client.debug('outbox')).stored).to.deep.equal([]);
    await waitFor(() => received(bob.rec).includes(fine.ID), 'bob receives');
  });

  it('online-only messages are not kept: 9508 while offline', async () => {
    const alice = await readyUser('alice', 'shared');
    const bob = await readyUser('bob', 'shared');
    await alice.client.debug('goOffline');
    const m = text(alice, bob.userID, 'now or never');
    const err = await rejection(alice.client.sendMessage(m, { onlineUserOnly: true }));
    expect(err.code).to.equal(9508);
    expect((await alice.client.debug('info')).outbox).to.equal(0);
  });
});
