// Browser figures in Debian's Chromium (playwright-core), against a server process seeded with a
// user `paint` who has 1,000 conversations and one chat of 10,000 messages:
// - first paint: page load to the first conversation row painted, cold (empty IndexedDB) and warm
//   (the cache of a previous visit; the worker gone with its last tab), and to the first message
//   of the 10,000-message chat;
// - second tab: page load to a ready client while another tab holds the worker;
// - worker memory: the SharedWorker's JS heap with 1,000 conversations loaded;
// - scrolling: the chat's whole history of 10,000 messages loaded (older pages as the log reaches
//   its top), then scrolled down frame by frame at a reading pace and at a fling's; frame times
//   from requestAnimationFrame, and the message rows in the DOM.
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

/** Runs in the page: loads the chat's history to `target` messages, a page at a time. */
const LOAD = `async (target) => {
  const chat = document.querySelector('im-chat');
  chat.style.display = 'block';
  chat.style.height = '640px';
  const log = chat.shadowRoot.querySelector("[part~='messages']");
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const timeline = chat.timeline;
  const t0 = performance.now();
  let pages = 0;
  while (timeline.messages.length < target && !timeline.isCompleted) {
    const before = timeline.messages.length;
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    await frame();
    while (timeline.loadingOlder) await frame();
    await chat.updateComplete;
    if (timeline.messages.length > before) pages++;
  }
  return { loaded: timeline.messages.length, loadSeconds: (performance.now() - t0) / 1000, pages };
}`;

/** Runs in the page: scrolls the loaded log down at a reading pace, then at a fling's. */
const SCROLL = `async () => {
  const chat = document.querySelector('im-chat');
  const log = chat.shadowRoot.querySelector("[part~='messages']");
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const run = async (step, frames) => {
    log.scrollTop = 0;
    for (let i = 0; i < 10; i++) await frame();
    const times = [];
    let most = 0;
    let last = await frame();
    for (let i = 0; i < frames; i++) {
      log.scrollTop += step;
      const t = await frame();
      times.push(t - last);
      last = t;
      most = Math.max(most, log.querySelectorAll(':scope > [data-index]').length);
    }
    return { times, most, scrolled: log.scrollTop };
  };
  const reading = await run(40, 600);
  const fling = await run(400, 600);
  return { reading, fling };
}`;

/** The page's main-thread time so far, by kind, in ms (DevTools protocol Performance metrics). */
async function mainThreadMs(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  const pick = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  return {
    task: pick('TaskDuration'),
    script: pick('ScriptDuration'),
    style: pick('RecalcStyleDuration'),
    layout: pick('LayoutDuration'),
  };
}

interface ScrollRun {
  times: number[];
  most: number;
  scrolled: number;
}

function frameLine(name: string, run: ScrollRun): string {
  const sorted = [...run.times].sort((a, b) => a - b);
  const total = run.times.reduce((a, b) => a + b, 0);
  const pct = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const long = run.times.filter((t) => t > 1000 / 60 + 4).length;
  return (
    `| ${name} | ${run.times.length} | ${((run.times.length * 1000) / total).toFixed(1)} | ` +
    `${pct(0.5).toFixed(1)} | ${pct(0.99).toFixed(1)} | ${long} | ${run.most} |`
  );
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
    const pageCdp = await context.newCDPSession(warmChat);
    await pageCdp.send('Performance.enable');
    const cpuBefore = await mainThreadMs(pageCdp);
    const load = (await warmChat.evaluate(`(${LOAD})(${info.messages})`)) as {
      loaded: number;
      loadSeconds: number;
      pages: number;
    };
    const cpuAfter = await mainThreadMs(pageCdp);
    const perPage = (k: string) => ((cpuAfter[k] - cpuBefore[k]) / load.pages).toFixed(1);
    const scroll = (await warmChat.evaluate(`(${SCROLL})()`)) as {
      reading: ScrollRun;
      fling: ScrollRun;
    };
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
    console.log(
      `\nolder pages: ${load.pages} pages to ${load.loaded} messages in ${load.loadSeconds.toFixed(1)} s ` +
        '(each waits for an animation frame); main-thread time of the page per older page:',
    );
    console.log('| all tasks ms | script ms | style ms | layout ms |');
    console.log('| --- | --- | --- | --- |');
    console.log(
      `| ${perPage('task')} | ${perPage('script')} | ${perPage('style')} | ${perPage('layout')} |`,
    );
    console.log(
      `\nscrolling the chat: ${load.loaded} messages loaded, log 640 px high; frames of ` +
        'requestAnimationFrame, "long" = over 20.7 ms (a missed 60 Hz frame)',
    );
    console.log(
      '| scroll | frames | fps | frame p50 ms | frame p99 ms | long frames | most rows in the DOM |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    console.log(frameLine('reading pace, 40 px a frame', scroll.reading));
    console.log(frameLine('fling, 400 px a frame', scroll.fling));
    await context.close();
  } finally {
    await browser.close();
    await site.close();
    await stopChild(child);
  }
}
