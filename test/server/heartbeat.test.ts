import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectClient, readMetric, sleep, startTestServer, uid } from '../helpers/server.js';

test('a socket that does not answer pings is terminated; one that does stays', async () => {
  const server = await startTestServer({ heartbeatMs: 100 });
  try {
    // ws README: `autoPong: false` stops the client from answering pings by itself.
    const silent = await connectClient(server, uid('silent'), { wsOptions: { autoPong: false } });
    const healthy = await connectClient(server, uid('healthy'));
    assert.equal(await readMetric(server, 'im_ws_connections'), 2);
    const closed = await silent.closed;
    assert.equal(closed.code, 1006, 'terminated: no close frame');
    await sleep(350);
    assert.deepEqual(await healthy.request('ping'), {});
    assert.equal(await readMetric(server, 'im_ws_connections'), 1);
    await healthy.close();
  } finally {
    await server.close();
  }
});
