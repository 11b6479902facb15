// The demo `npm start` serves, as someone trying imkit first meets it: two browsers sign in from
// the quick buttons as alice and bob, alice opens a chat with bob and sends a message from the
// composer, bob sees the conversation arrive with its unread badge, opens it, reads the message
// and answers; alice sees the answer. Then alice creates a Public group and bob joins it by ID.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { e2eServer, launchChromium, type E2EServer } from './harness.js';

const demoDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'demo');

let server: E2EServer;
let browser: Browser;

before(async () => {
  server = await e2eServer({ demoDir });
  browser = await launchChromium(chromium);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(userID: 'alice' | 'bob'): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${userID}] page error:`, err));
  await page.goto(`${server.url}/demo/`);
  await page.getByRole('button', { name: userID, exact: true }).click();
  await page.locator('#me').getByText(userID, { exact: true }).waitFor();
  await page.locator('#net').getByText('Online').waitFor({ timeout: 15000 });
  return page;
}

async function say(page: Page, text: string): Promise<void> {
  const input = page.locator('im-chat').getByRole('textbox', { name: 'Message' });
  await input.fill(text);
  await input.press('Enter');
}

test('two people chat in the demo, then meet in a group', async () => {
  const alice = await signIn('alice');
  const bob = await signIn('bob');

  await alice.locator('#new-chat-user').fill('bob');
  await alice.getByRole('button', { name: 'Open', exact: true }).click();
  await say(alice, 'hello from the demo');
  await alice.locator('im-chat').getByText('hello from the demo').waitFor();

  const row = bob.locator('im-conversation-list [part~="item"]', { hasText: 'alice' });
  await row.waitFor({ timeout: 15000 });
  assert.match((await row.locator('[part~="badge"]').textContent()) ?? '', /^\s*1 unread/);
  await row.click();
  await bob.locator('im-chat').getByText('hello from the demo').waitFor();
  await bob.locator('im-chat').getByText('alice', { exact: true }).first().waitFor();
  await row.locator('[part~="badge"]').waitFor({ state: 'detached', timeout: 10000 });
  await say(bob, 'hi alice');
  await alice.locator('im-chat').getByText('hi alice').waitFor({ timeout: 15000 });

  // A Public group: alice creates it, bob joins by its ID, alice sees his message there.
  await alice.locator('details', { hasText: 'Groups' }).locator('summary').click();
  await alice.locator('#group-name').fill('demo room');
  await alice.getByRole('button', { name: 'Create group' }).click();
  const created = await alice
    .locator('#notice')
    .getByText(/Created demo room \(ID /)
    .textContent();
  const groupID = /\(ID ([^)]+)\)/.exec(created ?? '')?.[1];
  assert.ok(groupID, `the notice names the group ID: ${created}`);
  await bob.locator('details', { hasText: 'Groups' }).locator('summary').click();
  await bob.locator('#join-group-id').fill(groupID);
  await bob.getByRole('button', { name: 'Join', exact: true }).click();
  await bob.locator('#notice').getByText(`Joined ${groupID}.`).waitFor({ timeout: 15000 });
  await say(bob, 'bob joined the room');
  await alice.locator('im-chat').getByText('bob joined the room').waitFor({ timeout: 15000 });
  await alice.context().close();
  await bob.context().close();
});
