/**
 * Reports which messages scroll into view: an IntersectionObserver on the host's message
 * elements (`[data-message-id]` in its shadow root) inside the scrolling log. New elements are
 * picked up after every render; each message is reported once per `reset()`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface VisibleMessagesOptions {
  /** The scrolling container (the observer's root). */
  root: () => Element | null | undefined;
  /** The elements to watch. */
  elements: () => Iterable<Element>;
  /** Message IDs that became visible for the first time. */
  onVisible: (messageIDs: string[]) => void;
}

export class VisibleMessagesController implements ReactiveController {
  private observer: IntersectionObserver | null = null;
  private observedRoot: Element | null = null;
  private observed = new WeakSet<Element>();
  private readonly seen = new Set<string>();

  constructor(
    host: ReactiveControllerHost,
    private readonly options: VisibleMessagesOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostUpdated(): void {
    if (typeof IntersectionObserver === 'undefined') return;
    const root = this.options.root() ?? null;
    if (!root) return;
    if (root !== this.observedRoot) {
      this.observer?.disconnect();
      this.observedRoot = root;
      this.observer = new IntersectionObserver((entries) => this.onEntries(entries), {
        root,
        threshold: 0.5,
      });
    }
    for (const el of this.options.elements()) {
      if (this.observed.has(el)) continue;
      this.observed.add(el);
      this.observer?.observe(el);
    }
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
    this.observedRoot = null;
  }

  /** Another conversation: report everything again. */
  reset(): void {
    this.seen.clear();
    this.observed = new WeakSet();
    this.observer?.disconnect();
    this.observer = null;
    this.observedRoot = null;
  }

  private onEntries(entries: IntersectionObserverEntry[]): void {
    const ids: string[] = [];
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const id = (entry.target as HTMLElement).dataset.messageId;
      if (id && !this.seen.has(id)) {
        this.seen.add(id);
        ids.push(id);
      }
      this.observer?.unobserve(entry.target);
    }
    if (ids.length) this.options.onVisible(ids);
  }
}
