/**
 * Scrolling of a message log: the newest page starts scrolled to the bottom, older pages load
 * when scrolled near the top (keeping what the user looks at in place, and filling a log that
 * cannot scroll yet), and new messages keep the log at the bottom when it was there.
 *
 * Past MAX_RENDERED loaded messages the log is virtualized: only a window of that many is in the
 * DOM, between two spacers standing in for the others at their average measured height. The
 * window moves by SHIFT rows when the user scrolls within EDGE rows of one of its ends, and jumps
 * when the view lands in a spacer (a dragged scrollbar). Whenever the window changes, the row at
 * the top of the view (the anchor) is put back where it was, so estimates never make the view jump.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Message } from '../../protocol/types.js';
import type { MessageListController } from './message-list-controller.js';

/** How close to the top (px) scrolling loads the previous page. */
const LOAD_OLDER_THRESHOLD = 48;
/** How close to the bottom (px) counts as "reading the newest": new messages keep it pinned. */
const STICK_THRESHOLD = 80;
/** Most messages in the DOM at once; a conversation with more loaded renders a window of them. */
export const MAX_RENDERED = 120;
/** Rows the window moves by. */
const SHIFT = 40;
/** Within this many rows of a window end (that is not the list's end), the window moves. */
const EDGE = 15;
/** Height (px) assumed for rows never measured. */
const DEFAULT_ROW_HEIGHT = 64;

export interface HistoryScrollOptions {
  log: () => HTMLElement | null | undefined;
  timeline: MessageListController;
}

/** The rows to render: messages[start, end), and the spacers' heights (px) around them. */
export interface RenderWindow {
  start: number;
  end: number;
  before: number;
  after: number;
}

interface Anchor {
  id: string;
  /** The row's top relative to the top of the view. */
  offset: number;
}

export class HistoryScrollController implements ReactiveController {
  private initialScrollDone = false;
  /** First rendered index while windowed. */
  private start = 0;
  /** The window follows the end of the list (new messages enter it). */
  private followEnd = true;
  private rowHeight = DEFAULT_ROW_HEIGHT;
  private anchor: Anchor | null = null;
  private windowed = false;
  private rendered: RenderWindow = { start: 0, end: 0, before: 0, after: 0 };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: HistoryScrollOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  reset(): void {
    this.initialScrollDone = false;
    this.start = 0;
    this.followEnd = true;
    this.anchor = null;
  }

  /** The rows of `messages` to render now; the host calls it once per render. */
  window(messages: readonly Message[]): RenderWindow {
    const len = messages.length;
    this.windowed = len > MAX_RENDERED;
    if (!this.windowed) {
      this.start = 0;
      this.rendered = { start: 0, end: len, before: 0, after: 0 };
      return this.rendered;
    }
    if (this.followEnd) this.start = len - MAX_RENDERED;
    this.start = Math.max(0, Math.min(this.start, len - MAX_RENDERED));
    const end = this.start + MAX_RENDERED;
    this.rendered = {
      start: this.start,
      end,
      before: Math.round(this.start * this.rowHeight),
      after: Math.round((len - end) * this.rowHeight),
    };
    return this.rendered;
  }

  /** Before a render that will be windowed: remember the row at the top of the view. */
  hostUpdate(): void {
    if (this.anchor || this.options.timeline.messages.length <= MAX_RENDERED) return;
    const log = this.options.log();
    if (!log || !this.initialScrollDone) return;
    const row = this.rows(log).find((r) => this.bottomOf(log, r) > log.scrollTop);
    if (row)
      this.anchor = { id: row.dataset.messageId!, offset: this.topOf(log, row) - log.scrollTop };
  }

  /** After a render: measure the rows, and put the anchor back where it was. */
  hostUpdated(): void {
    const log = this.options.log();
    const anchor = this.anchor;
    this.anchor = null;
    if (!log || !this.windowed) return;
    const rows = this.rows(log);
    if (rows.length > 1) {
      const span = this.bottomOf(log, rows[rows.length - 1]) - this.topOf(log, rows[0]);
      const measured = span / rows.length;
      if (measured > 8) this.rowHeight = measured;
    }
    if (!anchor) return;
    const row = rows.find((r) => r.dataset.messageId === anchor.id);
    if (!row) return;
    const target = this.topOf(log, row) - anchor.offset;
    if (Math.abs(target - log.scrollTop) >= 1) log.scrollTop = target;
  }

  /** Load the newest page and start at the bottom. */
  async loadFirstPage(): Promise<void> {
    const loaded = await this.options.timeline.loadNewest();
    if (!loaded) return;
    this.followEnd = true;
    await this.host.updateComplete;
    this.scrollToBottom();
    this.initialScrollDone = true;
    await this.fillViewport();
  }

  /** Load older pages until the log can scroll (or history ends). */
  private async fillViewport(): Promise<void> {
    for (let i = 0; i < 5; i++) {
      const log = this.options.log();
      if (!log || this.options.timeline.isCompleted || log.scrollHeight > log.clientHeight) return;
      if ((await this.loadOlder()) === 0) return;
    }
  }

  /** Load the previous page, keeping what the user is looking at in place. */
  private async loadOlder(): Promise<number> {
    const log = this.options.log();
    if (!log) return 0;
    const before = log.scrollHeight - log.scrollTop;
    // The window stays at the top of the list: the older messages enter it.
    this.followEnd = false;
    const added = await this.options.timeline.loadOlder();
    await this.host.updateComplete;
    // A windowed log kept its anchor (hostUpdated); a plain one keeps its distance to the end.
    if (added > 0 && !this.windowed) log.scrollTop = log.scrollHeight - before;
    if (!this.windowed) this.followEnd = this.nearBottom();
    return added;
  }

  /** Bind to the log's `scroll` event. */
  readonly onScroll = (): void => {
    const log = this.options.log();
    if (!log || !this.initialScrollDone) return;
    if (this.windowed) this.moveWindow(log);
    else this.followEnd = this.nearBottom();
    if (this.options.timeline.loadingOlder) return;
    if (log.scrollTop <= LOAD_OLDER_THRESHOLD && this.rendered.start === 0) void this.loadOlder();
  };

  /** Moves the window when the view nears one of its ends or lies outside it. */
  private moveWindow(log: HTMLElement): void {
    const len = this.options.timeline.messages.length;
    const { start, end } = this.rendered;
    const top = log.scrollTop;
    const bottom = top + log.clientHeight;
    const rows = this.rows(log);
    this.followEnd = end >= len && this.nearBottom();
    if (rows.length === 0) return;
    const first = this.topOf(log, rows[0]);
    const last = this.bottomOf(log, rows[rows.length - 1]);
    let next = start;
    if (bottom < first || top > last) {
      // The view is in a spacer: jump the window to the row the spacer's estimate puts there.
      const index =
        top < first
          ? Math.floor(top / this.rowHeight)
          : end + Math.floor((top - last) / this.rowHeight);
      const target = Math.max(0, Math.min(len - 1, index));
      next = target - EDGE;
      this.followEnd = false;
      this.setWindow(next, len);
      const id = this.options.timeline.messages[target]?.ID;
      if (id) this.anchor = { id, offset: 0 };
      return;
    }
    const firstVisible = rows.findIndex((r) => this.bottomOf(log, r) > top);
    let lastVisible = rows.length - 1;
    while (lastVisible > 0 && this.topOf(log, rows[lastVisible]) > bottom) lastVisible--;
    const firstIndex = Number(rows[Math.max(0, firstVisible)].dataset.index);
    const lastIndex = Number(rows[lastVisible].dataset.index);
    if (firstIndex - start < EDGE && start > 0) next = start - SHIFT;
    else if (end - lastIndex <= EDGE && end < len) next = start + SHIFT;
    if (next !== start) this.setWindow(next, len);
  }

  private setWindow(start: number, len: number): void {
    const clamped = Math.max(0, Math.min(start, len - MAX_RENDERED));
    if (clamped === this.start) return;
    this.start = clamped;
    this.host.requestUpdate();
  }

  /**
   * Scrolls a loaded message into the middle of the view (moving the window to it) and answers
   * its row, or null when the message is not loaded. A windowed log scrolls at once: a smooth
   * scroll would cross window moves, and each move puts the view back on its anchor.
   */
  async reveal(messageID: string): Promise<HTMLElement | null> {
    const log = this.options.log();
    const find = () =>
      log?.querySelector<HTMLElement>(`:scope > [data-message-id="${CSS.escape(messageID)}"]`) ??
      null;
    let row = find();
    if (!log || (!row && !this.windowed)) return row;
    if (!this.windowed) {
      row!.scrollIntoView({ block: 'center', behavior: 'smooth' });
      return row;
    }
    const messages = this.options.timeline.messages;
    const index = messages.findIndex((m) => m.ID === messageID);
    if (index < 0) return null;
    this.followEnd = false;
    this.setWindow(index - Math.floor(MAX_RENDERED / 2), messages.length);
    await this.host.updateComplete;
    row = find();
    if (row) {
      const offset = Math.round((log.clientHeight - row.getBoundingClientRect().height) / 2);
      log.scrollTop = this.topOf(log, row) - Math.max(0, offset);
    }
    return row;
  }

  nearBottom(): boolean {
    const log = this.options.log();
    if (this.windowed && this.rendered.end < this.options.timeline.messages.length) return false;
    return !log || log.scrollHeight - log.scrollTop - log.clientHeight < STICK_THRESHOLD;
  }

  scrollToBottom(): void {
    const log = this.options.log();
    if (!log) return;
    if (this.windowed && this.rendered.end < this.options.timeline.messages.length) {
      // The newest rows are not rendered: bring the window to the end first.
      this.followEnd = true;
      this.host.requestUpdate();
      void this.host.updateComplete.then(() => {
        log.scrollTop = log.scrollHeight;
      });
      return;
    }
    this.followEnd = true;
    log.scrollTop = log.scrollHeight;
  }

  /** Scroll to the bottom after the next render. */
  readonly scrollSoon = (): void => {
    void this.host.updateComplete.then(() => this.scrollToBottom());
  };

  /** The rendered message rows, in order. */
  private rows(log: HTMLElement): HTMLElement[] {
    return [...log.querySelectorAll<HTMLElement>(':scope > [data-index]')];
  }

  private topOf(log: HTMLElement, row: HTMLElement): number {
    return row.getBoundingClientRect().top - log.getBoundingClientRect().top + log.scrollTop;
  }

  private bottomOf(log: HTMLElement, row: HTMLElement): number {
    return row.getBoundingClientRect().bottom - log.getBoundingClientRect().top + log.scrollTop;
  }
}
