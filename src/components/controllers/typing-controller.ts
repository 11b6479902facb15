/**
 * Typing status in a C2C conversation, both ways:
 *
 * - in: `im:typing` `{conversationID, userID, typing}` from the client says the peer is typing;
 *   it lapses after a few seconds without a refresh, and when the peer's message arrives;
 * - out: while the user types, `sendTypingStatus({userID, typing: true})` at most every few
 *   seconds, and `typing: false` once they stop (idle, sent, left) — only where the client has
 *   `sendTypingStatus`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient } from '../../core/client-types.js';
import { parseConversationID } from '../../protocol/types.js';

/** The internal client event with a C2C peer's typing status. */
export const TYPING_EVENT = 'im:typing';

/** A peer's "typing" lapses after this long without a refresh (ms). */
const PEER_TIMEOUT = 6000;
/** Re-send "typing" at most this often while the user keeps typing (ms). */
const RESEND_AFTER = 4000;
/** The user counts as stopped after this long without input (ms). */
const IDLE_AFTER = 3000;

export interface TypingOptions {
  client: () => ChatClient | null;
  conversationID: () => string;
}

export class TypingController implements ReactiveController {
  /** The peer is typing. */
  peerTyping = false;

  private peerTimer: ReturnType<typeof setTimeout> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private lastSent = 0;
  private announced = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: TypingOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.stop();
    this.clearPeer();
  }

  private peer(): string {
    const parts = parseConversationID(this.options.conversationID());
    return parts?.type === 'C2C' ? parts.target : '';
  }

  /** Another conversation: forget both directions. */
  reset(): void {
    this.stop();
    this.clearPeer();
  }

  /** `im:typing` from the client. */
  received(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const d = data as { conversationID?: unknown; userID?: unknown; typing?: unknown };
    const peer = this.peer();
    if (!peer) return;
    const id = this.options.conversationID();
    const matches =
      typeof d.conversationID === 'string' ? d.conversationID === id : d.userID === peer;
    if (!matches) return;
    if (d.typing) {
      if (this.peerTimer) clearTimeout(this.peerTimer);
      this.peerTimer = setTimeout(() => this.clearPeer(), PEER_TIMEOUT);
      if (!this.peerTyping) {
        this.peerTyping = true;
        this.host.requestUpdate();
      }
    } else {
      this.clearPeer();
    }
  }

  /** The peer's message arrived: they are done typing it. */
  clearPeer(): void {
    if (this.peerTimer) clearTimeout(this.peerTimer);
    this.peerTimer = null;
    if (this.peerTyping) {
      this.peerTyping = false;
      this.host.requestUpdate();
    }
  }

  /** The user typed something. */
  typed(): void {
    const client = this.options.client();
    const peer = this.peer();
    if (!client?.sendTypingStatus || !peer) return;
    const now = Date.now();
    if (this.announced !== peer || now - this.lastSent > RESEND_AFTER) {
      this.announced = peer;
      this.lastSent = now;
      void client.sendTypingStatus({ userID: peer, typing: true }).catch(() => {});
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), IDLE_AFTER);
  }

  /** The user stopped (sent, cleared, left): say so once, if "typing" was said. */
  stop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const peer = this.announced;
    this.announced = '';
    this.lastSent = 0;
    const client = this.options.client();
    if (peer && client?.sendTypingStatus) {
      void client.sendTypingStatus({ userID: peer, typing: false }).catch(() => {});
    }
  }
}
