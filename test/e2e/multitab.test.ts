// End to end: the built bundle served by a real server, driven in Debian's Chromium.
// Two tabs of alice share one browser profile (one SharedWorker, one WebSocket); bob has his own.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { e2eServer, launchChromium, metric, openUserPage, type E2EServer } from './harness.js';

describe('multi-tab, one connection per user per browser', () => {
  let server: E2EServer;
  let browser: Browser;
  let aliceCtx: BrowserContext;
  let bobCtx: BrowserContext;
  let alice1: Page;
  let alice2: Page;
  let bob: Page;

  before(async () => {
    server = await e2eServer();
    browser = await launchChromium(chromium);
    aliceCtx = await browser.newContext();
    bobCtx = await browser.newContext();
    alice1 = await openUserPage(aliceCtx, server, 'alice', 'bob');
    alice2 = await openUserPage(aliceCtx, server, 'alice', 'bob');
    bob = await openUserPage(bobCtx, server, 'bob', 'alice');
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('three tabs of two users hold two sockets', async () => {
    assert.equal(await metric(server, 'im_ws_connections'), 2);
    const repeat = await alice2.evaluate(() => (window as any).__chat.getLoginUser());
    assert.equal(repeat, 'alice');
  });

  test("bob's message appears in both of alice's tabs", async () => {
    await bob.locator('im-chat textarea').fill('hello alice from bob');
    await bob.locator('im-chat textarea').press('Enter');
    await alice1.locator('im-chat').getByText('hello alice from bob').waitFor({ timeout: 10000 });
    await alice2.locator('im-chat').getByText('hello alice from bob').waitFor({ timeout: 10000 });
    // and the conversation list of both tabs shows it
    await alice1.locator('im-conversation-list').getByText('hello alice from bob').waitFor();
    await alice2.locator('im-conversation-list').getByText('hello alice from bob').waitFor();
  });

  test("a message sent in one of alice's tabs appears in her other tab and at bob's", async () => {
    await alice1.locator('im-chat textarea').fill('sent from tab one');
    await alice1.locator('im-chat textarea').press('Enter');
    await alice2.locator('im-chat').getByText('sent from tab one').waitFor({ timeout: 10000 });
    await bob.locator('im-chat').getByText('sent from tab one').waitFor({ timeout: 10000 });
    const count = await alice2
      .locator('im-chat')
      .getByText('sent from tab one', { exact: true })
      .count();
    assert.equal(count, 1, 'shown once, not twice');
  });

  test('closing one tab keeps the other connected', async () => {
    await alice2.close();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await metric(server, 'im_ws_connections'), 2);
    await bob.locator('im-chat textarea').fill('still there?');
    await bob.locator('im-chat textarea').press('Enter');
    await alice1.locator('im-chat').getByText('still there?').waitFor({ timeout: 10000 });
  });
});
