// <im-chat> past MAX_RENDERED loaded messages: only a window of them is in the DOM, scrolling
// through the whole history shows every message in order with no blank view, the view never jumps
// when the window moves, and quotes and new messages reach rows outside the window.
import { expect, waitUntil } from '@open-wc/testing';
import type { ImChat } from '../../src/components/chat/chat.js';
import { MAX_RENDERED } from '../../src/components/controllers/history-scroll-controller.js';
import { ImMessageActionEvent } from '../../src/components/events.js';
import { c2cFake, mountChat } from './chat-fixtures.js';
import { makeMessage, type FakeChatClient } from './fake-client.js';
import { part, parts, resetClientFactory } from './setup.js';

const TOTAL = 400;

function history(count: number) {
  return Array.from({ length: count }, (_, i) =>
    makeMessage({
      conversationID: 'C2Cbob',
      from: i % 3 === 0 ? 'alice' : 'bob',
      flow: i % 3 === 0 ? 'out' : 'in',
      time: 1_700_000_000 + i * 60,
      // Rows of different heights: the window must not assume one.
      payload: { text: `line ${i}${i % 4 === 0 ? '\nsecond line\nthird line' : ''}` },
    }),
  );
}

/**
 * Empty comments (lit's part markers) directly in the log: two per rendered row and a few more.
 * lit-html 3.3.1 to 3.3.3 left one behind for every row that left the window (scripts/lit-fixes.mjs).
 */
function markerCount(log: HTMLElement): number {
  let n = 0;
  for (const node of log.childNodes) {
    if (node.nodeType === Node.COMMENT_NODE && (node as Comment).data === '') n++;
  }
  return n;
}

function expectBoundedMarkers(log: HTMLElement): void {
  const rows = log.querySelectorAll(':scope > [data-index]').length;
  expect(markerCount(log), `part markers for ${rows} rows`).to.be.at.most(2 * rows + 8);
}

const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));

/** Indexes (data-index) of the rows the view shows now. */
function visibleIndexes(el: ImChat): number[] {
  const log = part(el, 'messages')!;
  const box = log.getBoundingClientRect();
  return [...log.querySelectorAll<HTMLElement>(':scope > [data-index]')]
    .filter((row) => {
      const r = row.getBoundingClientRect();
      return r.bottom > box.top && r.top < box.bottom;
    })
    .map((row) => Number(row.dataset.index));
}

async function scrolled(el: ImChat): Promise<void> {
  part(el, 'messages')!.dispatchEvent(new Event('scroll'));
  await el.updateComplete;
  await frame();
  await el.updateComplete;
}

/** Scrolls to the top until the oldest message is loaded, checking the DOM stays bounded. */
async function loadAll(el: ImChat, fake: FakeChatClient, oldestID: string): Promise<void> {
  const log = part(el, 'messages')!;
  const oldest = () => log.querySelector(`:scope > [data-message-id='${oldestID}']`);
  for (let i = 0; i < 60 && !oldest(); i++) {
    const calls = fake.callsOf('getMessageList').length;
    log.scrollTop = 0;
    await scrolled(el);
    await waitUntil(() => fake.callsOf('getMessageList').length > calls, 'no older page');
    await el.updateComplete;
    await frame();
    expect(log.querySelectorAll(':scope > [data-index]').length).to.be.at.most(MAX_RENDERED);
    expectBoundedMarkers(log);
  }
  expect(oldest(), 'the oldest message').to.not.equal(null);
}

describe('im-chat: a long history', () => {
  afterEach(() => resetClientFactory());

  it('keeps a bounded window in the DOM and shows every message when scrolling through', async () => {
    const fake = c2cFake();
    const messages = history(TOTAL);
    fake.addMessages('C2Cbob', messages);
    const el = await mountChat(fake, 'C2Cbob', { height: 360 });
    const log = part(el, 'messages')!;
    await waitUntil(() => log.scrollTop > 0, 'should start at the bottom');

    // Loading older pages keeps what the user looks at in place, windowed or not.
    const first = visibleIndexes(el);
    log.scrollTop = 0;
    const anchorID = log.querySelector<HTMLElement>(':scope > [data-index]')!.dataset.messageId!;
    const anchor = () =>
      log.querySelector<HTMLElement>(`:scope > [data-message-id='${anchorID}']`)!;
    const topBefore = anchor().getBoundingClientRect().top;
    await scrolled(el);
    await waitUntil(() => fake.callsOf('getMessageList').length === 2, 'older page');
    await el.updateComplete;
    expect(Math.abs(anchor().getBoundingClientRect().top - topBefore)).to.be.below(2);
    expect(first.length).to.be.above(0);

    await loadAll(el, fake, messages[0].ID);
    expect(log.querySelectorAll(':scope > im-message').length).to.be.at.most(MAX_RENDERED);
    expect(log.querySelectorAll(':scope > .spacer').length).to.equal(1, 'a spacer below');
    expect(visibleIndexes(el)[0]).to.equal(0, 'at the oldest message');

    // Down through the whole history, a view at a time: every row is seen, in order, and the
    // view is never empty.
    const seen = new Set<number>();
    let last = -1;
    for (let step = 0; step < 400; step++) {
      const shown = visibleIndexes(el);
      expect(shown.length, `rows in view at step ${step}`).to.be.above(0);
      expect(shown[0]).to.be.at.most(last + 1, 'no row skipped');
      for (const i of shown) seen.add(i);
      last = shown[shown.length - 1];
      if (last === TOTAL - 1 && log.scrollHeight - log.scrollTop - log.clientHeight < 2) break;
      // A little less than a view: the row at the bottom stays in view.
      log.scrollTop += log.clientHeight - 40;
      await scrolled(el);
      expect(log.querySelectorAll(':scope > [data-index]').length).to.be.at.most(MAX_RENDERED);
    }
    expectBoundedMarkers(log);
    expect(seen.size).to.equal(TOTAL);
    expect(log.querySelectorAll(':scope > .spacer').length).to.equal(1, 'a spacer above');
  });

  it('lands on rows when the scrollbar is dragged into the middle', async () => {
    const fake = c2cFake();
    const messages = history(TOTAL);
    fake.addMessages('C2Cbob', messages);
    const el = await mountChat(fake, 'C2Cbob', { height: 360 });
    const log = part(el, 'messages')!;
    await waitUntil(() => log.scrollTop > 0);
    await loadAll(el, fake, messages[0].ID);
    log.scrollTop = Math.round(log.scrollHeight / 2);
    await scrolled(el);
    const shown = visibleIndexes(el);
    expect(shown.length).to.be.above(0);
    expect(shown[0]).to.be.within(TOTAL / 4, (3 * TOTAL) / 4);
  });

  it('jumps to a quoted message outside the window, and new messages return to the bottom', async () => {
    const fake = c2cFake();
    const all = history(TOTAL);
    fake.addMessages('C2Cbob', all);
    const el = await mountChat(fake, 'C2Cbob', { height: 360 });
    const log = part(el, 'messages')!;
    await waitUntil(() => log.scrollTop > 0);
    await loadAll(el, fake, all[0].ID);
    // From the top, quote the newest message but one (far below the window).
    const target = all[TOTAL - 2];
    expect(log.querySelector(`:scope > [data-message-id='${target.ID}']`)).to.equal(null);
    log.dispatchEvent(
      new ImMessageActionEvent({ action: 'quote', message: all[0], messageID: target.ID }),
    );
    await waitUntil(
      () => log.querySelector(`:scope > [data-message-id='${target.ID}']`) !== null,
      'the quoted message was not brought in',
    );
    await el.updateComplete;
    await frame();
    expect(visibleIndexes(el)).to.include(TOTAL - 2, 'and is in view');

    // Scroll back to the top, then a new message arrives from this user: the log goes to it.
    log.scrollTop = 0;
    await scrolled(el);
    const mine = makeMessage({
      conversationID: 'C2Cbob',
      from: 'alice',
      flow: 'out',
      time: 1_800_000_000,
      payload: { text: 'the newest' },
    });
    fake.receive([mine]);
    await waitUntil(
      () => {
        const row = log.querySelector(`:scope > [data-message-id='${mine.ID}']`);
        return row !== null && log.scrollHeight - log.scrollTop - log.clientHeight < 2;
      },
      'not at the newest message',
      { timeout: 3000 },
    );
    expect(parts(el, 'message').length).to.be.at.most(MAX_RENDERED);
  });
});
