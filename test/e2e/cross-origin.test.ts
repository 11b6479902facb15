// End to end: a page on another origin than the IM server (localhost vs 127.0.0.1) loads the
// script tag; the worker is reached through the server's same-origin bridge iframe, and two tabs
// still share one socket.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { e2eServer, launchChromium, metric, openUserPage, type E2EServer } from './harness.js';

let server: E2EServer;
let browser: Browser;

before(async () => {
  server = await e2eServer();
  browser = await launchChromium(chromium);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('two tabs on a third-party origin share one socket through the bridge', async () => {
  const thirdParty = server.url.replace('127.0.0.1', 'localhost');
  const ctx = await browser.newContext();
  const tab1 = await openUserPage(ctx, server, 'carol', 'dave', thirdParty);
  const tab2 = await openUserPage(ctx, server, 'carol', 'dave', thirdParty);
  assert.equal(new URL(tab1.url()).hostname, 'localhost');
  assert.equal(await metric(server, 'im_ws_connections'), 1);

  const daveCtx = await browser.newContext();
  const dave = await openUserPage(daveCtx, server, 'dave', 'carol');
  await dave.locator('im-chat textarea').fill('across origins');
  await dave.locator('im-chat textarea').press('Enter');
  await tab1.locator('im-chat').getByText('across origins').waitFor({ timeout: 10000 });
  await tab2.locator('im-chat').getByText('across origins').waitFor({ timeout: 10000 });
  assert.equal(await metric(server, 'im_ws_connections'), 2);
});

test('where third-party storage is blocked, each tab falls back to an engine of its own', async () => {
  const blocked = await launchChromium(chromium, { thirdPartyStorage: false });
  try {
    const thirdParty = server.url.replace('127.0.0.1', 'localhost');
    const before = await metric(server, 'im_ws_connections');
    const ctx = await blocked.newContext();
    const erin = await openUserPage(ctx, server, 'erin', 'frank', thirdParty);
    assert.equal(await metric(server, 'im_ws_connections'), before + 1);
    const frankCtx = await browser.newContext();
    const frank = await openUserPage(frankCtx, server, 'frank', 'erin');
    await frank.locator('im-chat textarea').fill('no bridge needed');
    await frank.locator('im-chat textarea').press('Enter');
    await erin.locator('im-chat').getByText('no bridge needed').waitFor({ timeout: 10000 });
    await frankCtx.close();
  } finally {
    await blocked.close();
  }
});
