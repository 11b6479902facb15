// End to end: an image and a file travel between two users through the upload endpoint, and both
// sides render them (thumbnail image, file card with its name and a download link).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import sharp from 'sharp';
import { e2eServer, launchChromium, openUserPage, type E2EServer } from './harness.js';

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

test('an image and a file sent by alice render on both sides', async () => {
  const alice = await openUserPage(await browser.newContext(), server, 'alice', 'bob');
  const bob = await openUserPage(await browser.newContext(), server, 'bob', 'alice');

  // A string, not a function: the test runner's compiler would wrap named functions in a helper
  // that does not exist in the page.
  const progress = (await alice.evaluate(`(async () => {
    const chat = window.__chat;
    const canvas = document.createElement('canvas');
    canvas.width = 1600;
    canvas.height = 900;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#2a6';
    ctx.fillRect(0, 0, 1600, 900);
    const png = await new Promise((resolve) => canvas.toBlob((b) => resolve(b), 'image/png'));
    const steps = [];
    const image = chat.createImageMessage({
      to: 'bob',
      conversationType: 'C2C',
      payload: { file: new File([png], 'green.png', { type: 'image/png' }) },
      onProgress: (p) => steps.push(p),
    });
    await chat.sendMessage(image);
    return steps;
  })()`)) as number[];
  assert.ok(progress.length > 0, 'onProgress was called');
  assert.equal(progress[progress.length - 1], 1);

  // Through the UI: alice picks an image and a file in the composer.
  const png = await sharp({
    create: { width: 1600, height: 900, channels: 3, background: '#2a6' },
  })
    .png()
    .toBuffer();
  await alice.locator('im-chat input[type="file"]').setInputFiles([
    { name: 'green.png', mimeType: 'image/png', buffer: png },
    { name: 'report.txt', mimeType: 'text/plain', buffer: Buffer.from('quarterly numbers\n') },
  ]);

  // Bob sees the uploads: the thumbnail loads from /media/, the file card links to the file.
  // Alice sees her own image at once from the local file until the server's copy replaces it.
  for (const page of [bob, alice]) {
    const chat = page.locator('im-chat');
    const selector = page === bob ? 'img[part="image"][src*="/media/"]' : 'img[part="image"]';
    const img = chat.locator(selector).first();
    await img.waitFor({ timeout: 15000 });
    // The thumbnail actually loaded (decoded, with a size), not just an <img> with a URL.
    await page.waitForFunction(
      (el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0,
      await img.elementHandle(),
      { timeout: 15000 },
    );
    await chat.getByText('report.txt').first().waitFor({ timeout: 15000 });
  }
  const href = await bob.locator('im-chat a[href*="/media/"]').first().getAttribute('href');
  assert.ok(href, 'the file card links to the upload');
  const body = await (await fetch(new URL(href!, server.url))).text();
  assert.equal(body, 'quarterly numbers\n');

  // The thumbnail is the 198 px rendition, not the 1600 px original.
  const thumb = await bob.evaluate(async () => {
    const res = await (window as any).__chat.getMessageList({ conversationID: 'C2Calice' });
    const image = res.data.messageList.find((m: any) => m.type === 'TIMImageElem');
    return image.payload.imageInfoArray.map((i: any) => [i.type, i.width, i.height]);
  });
  assert.deepEqual(thumb, [
    [0, 1600, 900],
    [1, 1280, 720],
    [2, 352, 198],
  ]);
});
