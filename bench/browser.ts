// Browser figures in Debian's Chromium (playwright-core), against a server process seeded with a
// user `paint` who has 1,000 conversations and one chat of 10,000 messages:
// - first paint: page load to the first conversation row painted, cold (empty IndexedDB) and warm
//   (the cache of a previous visit; the worker gone with its last tab), and to the first message
//   of the 10,000-message chat;
// - second tab: page load to a ready client while another tab holds the worker;
// - worker memory: the SharedWorker's JS heap with 1,000 conversations loaded.
// Part of `npm run bench`; `npm run bench -- browser` runs only this. Needs `npm run build`.
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { genUserSig } from '../src/server/usersig.js';
import { launchChromium, startSite } from '../test/e2e/harness.js';
import { startChild, stopChild } from './lib.js';

type Info = {
  url: string;
  SDKAppID: number;
  secretKey: string;
  conversations: number;
  messages: number;
};

/** Polls every animation frame from the first script on, recording when things first appear. */
const PROBE = `
  window.__marks = {};
  const rows = () => document.querySelector('im-conversation-list')?.shadowRoot
    ?.querySelector('[part~="item"], [role="option"]');
  const messages = () => document.querySelector('im-chat')?.shadowRoot?.querySelector('im-message');
  const tick = () => {
    const m = window.__marks;
    if (m.row === undefined && rows()) m.row = performance.now();
    if (m.message === undefined && messages()) m.message = performance.now();
    if (m.ready === undefined && window.__chat?.isReady?.()) m.ready = performance.now();
    if (m.row === undefined || m.message === undefined || m.ready === undefined) {
      requestAnimationFrame(tick);
    }
  };
  requestAnimationFrame(tick);
`;

interface Marks {
  row?: number;
  message?: number;
  ready?: number;
}

async function open(context: BrowserContext, site: string, info: Info, peer: string) {
  const page = await context.newPage();
  await page.addInitScript(PROBE);
  const q = new URLSearchParams({
    server: info.url,
    assets: site,
    app: String(info.SDKAppID),
    user: 'paint',
    sig: genUserSig({
      SDKAppID: info.SDKAppID,
      secretKey: info.secretKey,
      userID: 'paint',
      expire: 3600,
    }),
    peer,
  });
  await page.goto(`${site}/demo/page.html?${q}`);
  return page;
}

async function marks(page: Page, want: (keyof Marks)[]): Promise<Marks> {
  await page.waitForFunction(
    `(${JSON.stringify(want)}).every((k) => window.__marks[k] !== undefined)`,
    null,
    { timeout: 60_000 },
  );
  return (await page.evaluate('window.__marks')) as Marks;
}

/** JS heap of the SharedWorker, through the browser's DevTools protocol. */
async function workerHeapMiB(cdp: CDPSession): Promise<number | null> {
  const { targetInfos } = (await cdp.send('Target.getTargets')) as {
    targetInfos: { targetId: string; type: string }[];
  };
  const worker = targetInfos.find((t) => t.type === 'shared_worker');
  if (!worker) return null;
  const { sessionId } = (await cdp.send('Target.attachToTarget', {
    targetId: worker.targetId,
    flatten: false,
  })) as { sessionId: string };
  const answer = new Promise<number>((resolve) => {
    cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
      if (event.sessionId !== sessionId) return;
      const msg = JSON.parse(event.message) as { id: number; result?: { usedSize: number } };
      if (msg.id === 2 && msg.result) resolve(msg.result.usedSize);
    });
  });
  await cdp.send('Target.sendMessageToTarget', {
    sessionId,
    message: JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }),
  });
  await cdp.send('Target.sendMessageToTarget', {
    sessionId,
    message: JSON.stringify({ id: 2, method: 'Runtime.getHeapUsage' }),
  });
  const used = await answer;
  await cdp.send('Target.detachFromTarget', { sessionId });
  return used / 2 ** 20;
}

export async function browserFigures(): Promise<void> {
  const child = await startChild('seed-child.ts', ['paint']);
  const info = child.info as Info;
  const site = await startSite();
  const browser = await launchChromium(chromium);
  try {
    const context = await browser.newContext();
    // Cold: nothing cached. The list paints once the server answered.
    const cold = await open(context, site.url, info, 'paint_p0');
    const coldMarks = await marks(cold, ['row', 'ready']);
    await new Promise((r) => setTimeout(r, 1500)); // the cache is written
    // Warm the chat's cache too.
    const chatWarm = await open(context, site.url, info, 'paint_peer');
    await marks(chatWarm, ['message', 'ready']);
    await new Promise((r) => setTimeout(r, 1000));
    await chatWarm.close();

    // Second tab: the first still holds the worker.
    const second = await open(context, site.url, info, 'paint_p0');
    const secondMarks = await marks(second, ['ready', 'row']);
    const cdp = await browser.newBrowserCDPSession();
    const heap = await workerHeapMiB(cdp);
    await second.close();
    await cold.close();
    await new Promise((r) => setTimeout(r, 1000)); // the worker ends with its last tab

    // Warm: a new visit, the worker started again, the cache of the previous visit.
    const warm = await open(context, site.url, info, 'paint_p0');
    const warmMarks = await marks(warm, ['row', 'ready']);
    await warm.close();
    await new Promise((r) => setTimeout(r, 1000));
    const warmChat = await open(context, site.url, info, 'paint_peer');
    const warmChatMarks = await marks(warmChat, ['message', 'ready']);
    await warmChat.close();

    const ms = (n: number | undefined) => (n === undefined ? '-' : `${n.toFixed(0)} ms`);
    console.log(
      `\nbrowser: Chromium, user with ${info.conversations} conversations and a chat of ${info.messages} messages; ` +
        'times from navigation start',
    );
    console.log('| figure | first row or message painted | client ready (SDK_READY) |');
    console.log('| --- | --- | --- |');
    console.log(
      `| conversation list, cold cache | ${ms(coldMarks.row)} | ${ms(coldMarks.ready)} |`,
    );
    console.log(
      `| conversation list, warm cache | ${ms(warmMarks.row)} | ${ms(warmMarks.ready)} |`,
    );
    console.log(
      `| chat of ${info.messages} messages, warm cache | ${ms(warmChatMarks.message)} | ${ms(warmChatMarks.ready)} |`,
    );
    console.log(
      `| second tab (worker running) | ${ms(secondMarks.row)} | ${ms(secondMarks.ready)} |`,
    );
    console.log(
      `\nSharedWorker JS heap with ${info.conversations} conversations: ${
        heap === null ? 'not measured (no shared_worker target)' : `${heap.toFixed(1)} MiB`
      }`,
    );
    await context.close();
  } finally {
    await browser.close();
    await site.close();
    await stopChild(child);
  }
}
