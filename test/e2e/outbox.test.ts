// End to end: a message sent while the IM server is down waits in the worker's outbox (IndexedDB),
// still shows as pending after a reload, and when the server is back (same port, same data) it is
// sent once: bob receives it exactly once and alice's tab shows it as sent.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { e2eServer, launchChromium, openUserPage, startSite, type E2EServer } from './harness.js';

let dataDir: string;
let server: E2EServer | undefined;
let browser: Browser;
let site: Awaited<ReturnType<typeof startSite>>;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'imkit-e2e-outbox-'));
  browser = await launchChromium(chromium);
  site = await startSite();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await site?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const TEXT = 'sent while the server was down';

/** alice's messages with bob as the engine has them: [text, status]. Code as a string (no tsx helpers). */
function history(page: Page): Promise<[string, string][]> {
  return page.evaluate(`(async () => {
    const res = await window.__chat.getMessageList({ conversationID: 'C2Cbob' });
    return res.data.messageList.map((m) => [m.payload.text, m.status]);
  })()`);
}

test('a message sent offline survives a reload and is delivered once when the server is back', async () => {
  server = await e2eServer({ dbFile: undefined, dataDir });
  const port = server.port;
  const aliceCtx = await browser.newContext();
  const bobCtx = await browser.newContext();
  // alice's page and bundle come from the site, so they stay reachable when the IM server is down
  const alice = await openUserPage(aliceCtx, server, 'alice', 'bob', site.url, site.url);
  const bob = await openUserPage(bobCtx, server, 'bob', 'alice');

  await bob.locator('im-chat textarea').fill('hello before');
  await bob.locator('im-chat textarea').press('Enter');
  await alice.locator('im-chat').getByText('hello before').waitFor();

  await server.close();
  server = undefined;
  await alice.waitForFunction(() => (window as any).__chat.getNetState() !== 'connected');

  // Send in alice's tab: it shows as pending (the component and the engine agree).
  await alice.locator('im-chat textarea').fill(TEXT);
  await alice.locator('im-chat textarea').press('Enter');
  await alice.locator('im-chat im-message[status="unSend"]').getByText(TEXT).waitFor();
  assert.deepEqual((await history(alice)).at(-1), [TEXT, 'unSend']);
  // The outbox is written (the worker may not outlive the reload).
  await alice.evaluate(`window.__chat.debug('outbox')`);

  // Reload with the server still down: still pending, from IndexedDB.
  await alice.reload();
  await alice.waitForFunction(() => (window as any).__chat?.getLoginUser() === 'alice', null, {
    timeout: 15000,
  });
  assert.deepEqual((await history(alice)).at(-1), [TEXT, 'unSend']);
  // The chat shows the cached history and the pending message while the server is down.
  await alice.locator('im-chat').getByText('hello before').waitFor({ timeout: 15000 });
  await alice.locator('im-chat im-message[status="unSend"]').getByText(TEXT).waitFor();

  // Same port, same data: alice reconnects, catches up and sends the outbox.
  server = await e2eServer({ dbFile: undefined, dataDir, port });
  await alice.waitForFunction(() => (window as any).__chat.isReady() === true, null, {
    timeout: 40000,
  });
  await bob.waitForFunction(() => (window as any).__chat.isReady() === true, null, {
    timeout: 40000,
  });
  await bob.locator('im-chat').getByText(TEXT).waitFor({ timeout: 20000 });
  await alice.locator('im-chat im-message[status="success"]').getByText(TEXT).waitFor({
    timeout: 20000,
  });
  await new Promise((r) => setTimeout(r, 500));

  // Exactly once at bob's: on screen, in the events, in the history.
  assert.equal(await bob.locator('im-chat').getByText(TEXT, { exact: true }).count(), 1);
  const bobEvents = await bob.evaluate(
    `window.__events.filter((e) => e.name === 'MESSAGE_RECEIVED')
      .flatMap((e) => e.data).filter((m) => m.payload.text === ${JSON.stringify(TEXT)}).length`,
  );
  assert.equal(bobEvents, 1);
  const bobHistory: string[] = await bob.evaluate(`(async () => {
    const res = await window.__chat.getMessageList({ conversationID: 'C2Calice' });
    return res.data.messageList.map((m) => m.payload.text);
  })()`);
  assert.deepEqual(bobHistory, ['hello before', TEXT]);

  // alice's tab shows it as sent, once.
  assert.equal(await alice.locator('im-chat').getByText(TEXT, { exact: true }).count(), 1);
  assert.deepEqual(await history(alice), [
    ['hello before', 'success'],
    [TEXT, 'success'],
  ]);
  const outbox = await alice.evaluate(`window.__chat.debug('outbox').then((o) => o.stored)`);
  assert.deepEqual(outbox, []);
});
