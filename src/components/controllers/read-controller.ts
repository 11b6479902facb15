/**
 * Marks the conversation read (`setMessageRead`) when there is something unread and the chat is
 * actually visible: the document is visible and the element is on screen. Unread noticed while
 * hidden waits until the chat becomes visible again.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient } from '../../core/client-types.js';

export interface ReadControllerOptions {
  client: () => ChatClient | null;
  conversationID: () => string;
  onError?: (error: unknown) => void;
}

export class ReadController implements ReactiveController {
  private pending = false;
  private inFlight = false;
  private intersecting: boolean | null = null;
  private observer: IntersectionObserver | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: ReadControllerOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibilityChange);
    if (typeof IntersectionObserver !== 'undefined') {
      this.observer = new IntersectionObserver((entries) => {
        const entry = entries[entries.length - 1];
        if (!entry) return;
        this.intersecting = entry.isIntersecting;
        this.flush();
      });
      this.observer.observe(this.host);
    }
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    this.observer?.disconnect();
    this.observer = null;
    this.intersecting = null;
  }

  /** Another conversation: nothing is known to be unread. */
  reset(): void {
    this.pending = false;
  }

  /** Something in this conversation is unread; mark it read now or once visible. */
  markUnread(): void {
    this.pending = true;
    this.flush();
  }

  /** Whether a user can see the chat right now. */
  isVisible(): boolean {
    if (typeof document === 'undefined' || document.visibilityState !== 'visible') return false;
    if (!this.host.isConnected) return false;
    if (this.intersecting !== null) return this.intersecting;
    return this.host.checkVisibility?.() ?? true;
  }

  private readonly onVisibilityChange = (): void => this.flush();

  private flush(): void {
    if (!this.pending || this.inFlight || !this.isVisible()) return;
    const client = this.options.client();
    const conversationID = this.options.conversationID();
    if (!client || !conversationID) return;
    this.pending = false;
    this.inFlight = true;
    client
      .setMessageRead({ conversationID })
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.inFlight = false;
        this.flush();
      });
  }
}
