/**
 * Scrolling of a message log: the newest page starts scrolled to the bottom, older pages load
 * when scrolled near the top (keeping what the user looks at in place, and filling a log that
 * cannot scroll yet), and new messages keep the log at the bottom when it was there.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MessageListController } from './message-list-controller.js';

/** How close to the top (px) scrolling loads the previous page. */
const LOAD_OLDER_THRESHOLD = 48;
/** How close to the bottom (px) counts as "reading the newest": new messages keep it pinned. */
const STICK_THRESHOLD = 80;

export interface HistoryScrollOptions {
  log: () => HTMLElement | null | undefined;
  timeline: MessageListController;
}

export class HistoryScrollController implements ReactiveController {
  private initialScrollDone = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: HistoryScrollOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  reset(): void {
    this.initialScrollDone = false;
  }

  /** Load the newest page and start at the bottom. */
  async loadFirstPage(): Promise<void> {
    const loaded = await this.options.timeline.loadNewest();
    if (!loaded) return;
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
    const added = await this.options.timeline.loadOlder();
    await this.host.updateComplete;
    if (added > 0) log.scrollTop = log.scrollHeight - before;
    return added;
  }

  /** Bind to the log's `scroll` event. */
  readonly onScroll = (): void => {
    const log = this.options.log();
    if (!log || !this.initialScrollDone || this.options.timeline.loadingOlder) return;
    if (log.scrollTop <= LOAD_OLDER_THRESHOLD) void this.loadOlder();
  };

  nearBottom(): boolean {
    const log = this.options.log();
    return !log || log.scrollHeight - log.scrollTop - log.clientHeight < STICK_THRESHOLD;
  }

  scrollToBottom(): void {
    const log = this.options.log();
    if (log) log.scrollTop = log.scrollHeight;
  }

  /** Scroll to the bottom after the next render. */
  readonly scrollSoon = (): void => {
    void this.host.updateComplete.then(() => this.scrollToBottom());
  };
}
