// End to end: the IndexedDB cache paints the list with the server down, the UI says it is
// disconnected, and when the server comes back the client reconnects and catches up by itself.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { e2eServer, launchChromium, openUserPage, startSite, type E2EServer } from './harness.js';

let dataDir: string;
let server: E2EServer | undefined;
let browser: Browser;
let site: Awaited<ReturnType<typeof startSite>>;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'imkit-e2e-'));
  browser = await launchChromium(chromium);
  site = await startSite();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await site?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('cached list survives a server outage and the client catches up after it', async () => {
  server = await e2eServer({ dbFile: undefined, dataDir });
  const port = server.port;
  const aliceCtx = await browser.newContext();
  const bobCtx = await browser.newContext();
  // alice's page and bundle come from the site, so they stay reachable when the IM server is down
  const alice = await openUserPage(aliceCtx, server, 'alice', 'bob', site.url, site.url);
  const bob = await openUserPage(bobCtx, server, 'bob', 'alice');

  await bob.locator('im-chat textarea').fill('before the outage');
  await bob.locator('im-chat textarea').press('Enter');
  await alice.locator('im-conversation-list').getByText('before the outage').waitFor();

  await server.close();
  server = undefined;
  await alice.waitForFunction(() => (window as any).__chat.getNetState() !== 'connected');
  // The open page keeps its list and says it is disconnected.
  await alice
    .locator('im-conversation-list')
    .getByText(/disconnected|connecting/i)
    .first()
    .waitFor();
  await alice.locator('im-conversation-list').getByText('before the outage').waitFor();

  // Reload with the server down: the list comes from IndexedDB, and the UI says so.
  await alice.reload();
  await alice.locator('im-conversation-list').getByText('before the outage').waitFor();
  await alice
    .locator('im-conversation-list')
    .getByText(/disconnected|connecting/i)
    .first()
    .waitFor();
  assert.equal(await alice.evaluate(() => (window as any).__chat.isReady()), false);

  // Same port, same data: both clients come back by themselves.
  server = await e2eServer({ dbFile: undefined, dataDir, port });
  await bob.waitForFunction(() => (window as any).__chat.isReady() === true, null, {
    timeout: 40000,
  });
  await bob.evaluate(async () => {
    const chat = (window as any).__chat;
    const msg = chat.createTextMessage({
      to: 'alice',
      conversationType: 'C2C',
      payload: { text: 'after the outage' },
    });
    await chat.sendMessage(msg);
  });
  await alice.waitForFunction(() => (window as any).__chat.isReady() === true, null, {
    timeout: 40000,
  });
  await alice.locator('im-chat').getByText('after the outage').waitFor({ timeout: 20000 });
  const shown = await alice
    .locator('im-chat')
    .getByText('after the outage', { exact: true })
    .count();
  assert.equal(shown, 1);
  const history = await alice.evaluate(async () => {
    const res = await (window as any).__chat.getMessageList({ conversationID: 'C2Cbob' });
    return res.data.messageList.map((m: any) => m.payload.text);
  });
  assert.deepEqual(history, ['before the outage', 'after the outage']);
});
