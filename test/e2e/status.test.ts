// End to end: user status follows the browser, not the tab. Two tabs of alice share one
// SharedWorker and one socket; closing one keeps her online, closing both ends the worker and its
// socket, and the server turns her offline (at the latest after the heartbeat timeout, here short).
// A watcher subscribed over the wire sees each change as USER_STATUS_UPDATED pushes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import type { UserStatus } from '../../src/protocol/types.js';
import { connectClient, type TestClient } from '../helpers/server.js';
import { e2eServer, launchChromium, openUserPage, type E2EServer } from './harness.js';

describe('user status across tabs', () => {
  let server: E2EServer;
  let browser: Browser;
  let context: BrowserContext;
  let watcher: TestClient;

  before(async () => {
    server = await e2eServer({ heartbeatMs: 1000 });
    browser = await launchChromium(chromium);
    context = await browser.newContext();
    watcher = await connectClient(server, 'status_watcher');
  });

  after(async () => {
    await watcher?.close();
    await browser?.close();
    await server?.close();
  });

  const statusOf = async (userID: string): Promise<UserStatus> =>
    (await watcher.request('getUserStatus', { userIDList: [userID] })).successUserList[0];

  test('closing one of two tabs keeps alice online; closing both turns her offline', async () => {
    const tab1 = await openUserPage(context, server, 'alice', 'bob');
    const tab2 = await openUserPage(context, server, 'alice', 'bob');
    await watcher.request('subscribeUserStatus', { userIDList: ['alice'] });
    const first = await watcher.nextPush('userStatusUpdated');
    assert.deepEqual(first.data.userStatusList, [
      { userID: 'alice', statusType: 1, customStatus: '' },
    ]);

    // A custom status set in one tab is alice's, whichever tab closes.
    await tab2.evaluate(() => (window as any).__chat.setSelfStatus({ customStatus: 'here' }));
    const custom = await watcher.nextPush('userStatusUpdated');
    assert.equal(custom.data.userStatusList[0].customStatus, 'here');

    await tab2.close();
    // Three heartbeat rounds later the one socket is still alive and alice still online.
    await new Promise((r) => setTimeout(r, 3500));
    assert.deepEqual(await statusOf('alice'), {
      userID: 'alice',
      statusType: 1,
      customStatus: 'here',
    });
    assert.equal(
      watcher.frames.filter((f) => 'push' in f && f.push === 'userStatusUpdated').length,
      2,
      'no status change while one tab is open',
    );
    assert.equal(await tab1.evaluate(() => (window as any).__chat.getLoginUser()), 'alice');

    await tab1.close();
    const off = await watcher.nextPush('userStatusUpdated', 30000);
    assert.deepEqual(off.data.userStatusList, [
      { userID: 'alice', statusType: 2, customStatus: '' },
    ]);
    assert.equal((await statusOf('alice')).statusType, 2);
  });
});
