// End to end: unread counts never drift. alice has two tabs in one browser (one SharedWorker) and a
// second browser; bob and carol send to her (C2C and in a group) while her pages mark
// conversations read, drop their socket and reload, in a random order from a fixed, printed seed
// (IMKIT_SEED overrides it). Once the dust settles, every conversation's unread count and the
// total in all three pages must equal what the server says.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Conversation } from '../../src/protocol/types.js';
import {
  connectClient,
  createGroupWith,
  groupText,
  textMessage,
  type TestClient,
} from '../helpers/server.js';
import { e2eServer, launchChromium, openUserPage, type E2EServer } from './harness.js';

const SEED = Number(process.env.IMKIT_SEED ?? 20261122);
const STEPS = 40;

/** mulberry32: a small, fixed PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type View = { unread: Record<string, number>; total: number };

async function pageView(page: Page): Promise<View> {
  return page.evaluate(async () => {
    const chat = (window as any).__chat;
    const res = await chat.getConversationList();
    const unread: Record<string, number> = {};
    for (const c of res.data.conversationList) unread[c.conversationID] = c.unreadCount;
    return { unread, total: chat.getTotalUnreadMessageCount() };
  });
}

async function serverView(alice: TestClient): Promise<View> {
  const { conversationList } = await alice.request<{ conversationList: Conversation[] }>(
    'getConversationList',
    {},
  );
  const unread: Record<string, number> = {};
  let total = 0;
  for (const c of conversationList) {
    unread[c.conversationID] = c.unreadCount;
    total += c.unreadCount;
  }
  return { unread, total };
}

describe('unread counts agree across tabs, browsers and the server', () => {
  let server: E2EServer;
  let browser: Browser;
  const clients: TestClient[] = [];

  before(async () => {
    server = await e2eServer();
    browser = await launchChromium(chromium);
  });
  after(async () => {
    for (const c of clients) await c.close();
    await browser?.close();
    await server?.close();
  });

  test(`random sends, reads, reconnects and reloads (seed ${SEED})`, async () => {
    console.log(`# unread interleaving seed: ${SEED} (set IMKIT_SEED to replay)`);
    const random = prng(SEED);
    const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
    const [alice, bob, carol] = await Promise.all(
      ['alice', 'bob', 'carol'].map((u) => connectClient(server as never, u)),
    );
    clients.push(alice, bob, carol);
    const groupID = await createGroupWith(bob, ['alice', 'carol']);
    const ctxA = await browser.newContext();
    const ctxB = await browser.newContext();
    const pages = [
      await openUserPage(ctxA, server, 'alice', 'bob'),
      await openUserPage(ctxA, server, 'alice', 'bob'),
      await openUserPage(ctxB, server, 'alice', 'bob'),
    ];
    const conversations = ['C2Cbob', 'C2Ccarol', `GROUP${groupID}`];
    const log: string[] = [];

    const send = async () => {
      const from = pick([bob, carol]);
      if (random() < 0.5) {
        log.push(`${from.userID} -> alice`);
        await from.request('sendMessage', textMessage('alice', `hi ${log.length}`));
      } else {
        log.push(`${from.userID} -> group`);
        await from.request('sendMessage', groupText(groupID, `hey ${log.length}`));
      }
    };
    const read = async () => {
      const i = Math.floor(random() * pages.length);
      const conversationID = pick(conversations);
      log.push(`page ${i} reads ${conversationID}`);
      await pages[i]
        .evaluate(
          (id) => (window as any).__chat.setMessageRead({ conversationID: id }),
          conversationID,
        )
        .catch(() => undefined); // a page may be reloading or not know the conversation yet
    };
    const reconnect = async () => {
      const i = Math.floor(random() * pages.length);
      log.push(`page ${i} drops its socket`);
      await pages[i]
        .evaluate(() => (window as any).__chat.debug('dropConnection'))
        .catch(() => undefined);
    };
    const reload = async () => {
      const i = Math.floor(random() * pages.length);
      log.push(`page ${i} reloads`);
      await pages[i].reload();
      await pages[i].waitForFunction(() => (window as any).__chat?.isReady() === true, null, {
        timeout: 15000,
      });
    };

    for (let step = 0; step < STEPS; step++) {
      // One or two actions at once, so sends race with reads, drops and reloads.
      const actions = Array.from({ length: random() < 0.4 ? 2 : 1 }, () => {
        const r = random();
        return r < 0.45 ? send : r < 0.7 ? read : r < 0.85 ? reconnect : reload;
      });
      await Promise.all(actions.map((a) => a()));
    }

    // Settle: wait (no timing assertion) until the pages agree with the server, then compare.
    let truth = await serverView(alice);
    let views: View[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      truth = await serverView(alice);
      views = await Promise.all(
        pages.map((p) => pageView(p).catch(() => ({ unread: {}, total: -1 }))),
      );
      if (views.every((v) => JSON.stringify(sorted(v)) === JSON.stringify(sorted(truth)))) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log(`# server: ${JSON.stringify(truth)}; ${log.length} actions`);
    assert.ok(truth.total > 0 || log.some((l) => l.includes('reads')), 'the run did something');
    for (const [i, v] of views.entries()) {
      assert.deepEqual(
        sorted(v),
        sorted(truth),
        `page ${i} disagrees (seed ${SEED}): ${log.join('; ')}`,
      );
    }
  });
});

function sorted(v: View): View {
  return {
    unread: Object.fromEntries(Object.entries(v.unread).sort(([a], [b]) => (a < b ? -1 : 1))),
    total: v.total,
  };
}
