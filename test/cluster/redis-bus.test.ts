// The Redis bus on its own: what publish() promises. A send is acknowledged after its pushes were
// published, so publish must not settle before Redis has taken the event: otherwise a node that
// dies right after an ack loses a push nobody will ever send again.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { RedisBus } from '../../src/server/bus/redis.js';
import type { BusEvent } from '../../src/server/bus/types.js';
import { clusterEnv } from '../helpers/cluster.js';
import { sleep } from '../helpers/server.js';

const env = clusterEnv();

const push = (userID: string, text: string): BusEvent => ({
  kind: 'push',
  app: 1,
  userID,
  frame: { push: 'onlineMessage', data: { text } } as never,
});

describe('Redis bus', { skip: !env }, () => {
  let one: RedisBus;
  let two: RedisBus;
  let admin: Redis;
  const prefix = `bus_${randomBytes(4).toString('hex')}:`;
  before(async () => {
    one = await RedisBus.open({ url: env!.redisURL, prefix, nodeID: 'one' });
    two = await RedisBus.open({ url: env!.redisURL, prefix, nodeID: 'two' });
    admin = new Redis(env!.redisURL);
  });
  after(async () => {
    await Promise.all([one?.close(), two?.close()]);
    admin?.disconnect();
  });

  test('publish delivers on this node at once and settles once Redis has the event', async () => {
    const here: BusEvent[] = [];
    const there: BusEvent[] = [];
    const stops = [one.subscribe((e) => here.push(e)), two.subscribe((e) => there.push(e))];

    // Redis answers nobody for a second: the event cannot reach it before then.
    await admin.call('CLIENT', 'PAUSE', '1000', 'ALL');
    let settled = false;
    const published = one.publish(push('u1', 'first')).then(() => (settled = true));
    const second = one.publish(push('u2', 'second'));
    assert.equal(here.length, 2, 'delivered to this node at once');
    await sleep(200);
    assert.equal(settled, false, 'not settled while Redis cannot have it');
    assert.equal(there.length, 0);
    await Promise.all([published, second]);
    for (let i = 0; i < 100 && there.length < 2; i++) await sleep(20);
    assert.deepEqual(
      there.map((e) => e.userID),
      ['u1', 'u2'],
      'the other node gets both, in order',
    );
    for (const stop of stops) stop();
  });

  test('a stalled Redis does not stall the publisher past its timeout', async () => {
    const errors: unknown[] = [];
    const impatient = await RedisBus.open({
      url: env!.redisURL,
      prefix,
      nodeID: 'impatient',
      publishTimeoutMs: 100,
      onError: (error) => errors.push(error),
    });
    const there: BusEvent[] = [];
    const stop = two.subscribe((e) => there.push(e));
    try {
      await admin.call('CLIENT', 'PAUSE', '1000', 'ALL');
      const started = Date.now();
      await impatient.publish(push('u4', 'late'));
      assert.ok(Date.now() - started < 800, 'settled at its timeout, not when Redis came back');
      assert.match(String(errors[0]), /did not take a publish within 100 ms/);
      for (let i = 0; i < 150 && there.length === 0; i++) await sleep(20);
      assert.deepEqual(
        there.map((e) => e.userID),
        ['u4'],
        'still delivered once Redis is back',
      );
    } finally {
      stop();
      await impatient.close();
    }
  });

  test('the publishing node delivers its own event once, not again from Redis', async () => {
    const onOne: BusEvent[] = [];
    const onTwo: BusEvent[] = [];
    const stops = [one.subscribe((e) => onOne.push(e)), two.subscribe((e) => onTwo.push(e))];
    await two.publish(push('u3', 'from two'));
    for (let i = 0; i < 100 && onOne.length < 1; i++) await sleep(20);
    await sleep(100);
    for (const stop of stops) stop();
    assert.deepEqual(
      onOne.map((e) => e.userID),
      ['u3'],
    );
    assert.deepEqual(
      onTwo.map((e) => e.userID),
      ['u3'],
      'once, at publish',
    );
  });
});
