/**
 * Read receipts in one conversation:
 *
 * - incoming messages sent with `needReadReceipt` are acknowledged (`sendMessageReadReceipt`,
 *   at most 30 per call) once they have been on screen while the page is visible;
 * - own group messages sent with `needReadReceipt` get their counts (`getMessageReadReceiptList`)
 *   when they first scroll into view;
 * - `MESSAGE_READ_BY_PEER` (C2C: the peer read up to a point) and
 *   `MESSAGE_READ_RECEIPT_RECEIVED` (per-message counts) update the loaded messages.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient } from '../../core/client-types.js';
import { LIMITS } from '../../protocol/constants.js';
import type { Message, ReadReceiptInfo } from '../../protocol/types.js';
import type { MessageListController } from './message-list-controller.js';

export interface ReceiptOptions {
  client: () => ChatClient | null;
  conversationID: () => string;
  timeline: MessageListController;
  /** Whether a user can see the chat now (document visible, element on screen). */
  isVisible: () => boolean;
  onError?: (error: unknown) => void;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

export class ReceiptController implements ReactiveController {
  private readonly acked = new Set<string>();
  private readonly queried = new Set<string>();
  private waiting: Message[] = [];
  private token = 0;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: ReceiptOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.flush);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.flush);
  }

  reset(): void {
    this.token++;
    this.acked.clear();
    this.queried.clear();
    this.waiting = [];
  }

  /** Messages that came into view. */
  visible(messages: readonly Message[]): void {
    for (const m of messages) {
      if (m.flow === 'in' && m.needReadReceipt && !m.isRevoked && m.sequence > 0) {
        if (!this.acked.has(m.ID)) {
          this.acked.add(m.ID);
          this.waiting.push(m);
        }
      }
    }
    this.flush();
    const own = messages.filter(
      (m) =>
        m.flow === 'out' &&
        m.needReadReceipt &&
        m.conversationType === 'GROUP' &&
        m.status === 'success' &&
        !m.isRevoked &&
        !this.queried.has(m.ID),
    );
    if (own.length) void this.query(own);
  }

  /** Send the receipts that wait for the page to be visible. */
  readonly flush = (): void => {
    const client = this.options.client();
    if (!client || this.waiting.length === 0 || !this.options.isVisible()) return;
    const list = this.waiting.splice(0);
    for (let i = 0; i < list.length; i += LIMITS.readReceiptsPerCall) {
      client
        .sendMessageReadReceipt(list.slice(i, i + LIMITS.readReceiptsPerCall))
        .catch((error: unknown) => this.options.onError?.(error));
    }
  };

  private async query(own: Message[]): Promise<void> {
    const client = this.options.client();
    if (!client) return;
    const token = this.token;
    for (const m of own) this.queried.add(m.ID);
    for (let i = 0; i < own.length; i += LIMITS.readReceiptsPerCall) {
      try {
        const res = await client.getMessageReadReceiptList(
          own.slice(i, i + LIMITS.readReceiptsPerCall),
        );
        if (token !== this.token) return;
        const byID = new Map(res.data.messageList.map((m) => [m.ID, m] as const));
        this.options.timeline.patch((m) => {
          const info = byID.get(m.ID)?.readReceiptInfo;
          return info ? { readReceiptInfo: { ...m.readReceiptInfo, ...info } } : null;
        });
      } catch {
        // Counts stay as they came with the message; the receipt events still update them.
      }
    }
  }

  /**
   * `MESSAGE_READ_BY_PEER`: Tencent's `Message[]` (those now read), or `{conversationID,
   * readSequence}` (everything up to that sequence), one or a list.
   */
  readByPeer(data: unknown): void {
    const conversationID = this.options.conversationID();
    const ids = new Set<string>();
    let upTo = 0;
    for (const item of Array.isArray(data) ? data : [data]) {
      if (!isObj(item) || item.conversationID !== conversationID) continue;
      if (typeof item.ID === 'string') ids.add(item.ID);
      else if (typeof item.readSequence === 'number') upTo = Math.max(upTo, item.readSequence);
    }
    if (ids.size === 0 && upTo === 0) return;
    this.options.timeline.patch((m) =>
      m.flow === 'out' && !m.isPeerRead && (ids.has(m.ID) || (m.sequence > 0 && m.sequence <= upTo))
        ? { isPeerRead: true, readReceiptInfo: { ...m.readReceiptInfo, isPeerRead: true } }
        : null,
    );
  }

  /** `MESSAGE_READ_RECEIPT_RECEIVED`: `[{messageID, readCount, unreadCount, isPeerRead}]`. */
  receiptReceived(data: unknown): void {
    const updates = new Map<string, Obj>();
    for (const item of Array.isArray(data) ? data : [data]) {
      if (isObj(item) && typeof item.messageID === 'string') updates.set(item.messageID, item);
    }
    if (updates.size === 0) return;
    this.options.timeline.patch((m) => {
      const u = updates.get(m.ID);
      if (!u) return null;
      const info: ReadReceiptInfo = {
        readCount: typeof u.readCount === 'number' ? u.readCount : m.readReceiptInfo.readCount,
        unreadCount:
          typeof u.unreadCount === 'number' ? u.unreadCount : m.readReceiptInfo.unreadCount,
        isPeerRead: u.isPeerRead === true || m.readReceiptInfo.isPeerRead,
      };
      return { readReceiptInfo: info, isPeerRead: m.isPeerRead || info.isPeerRead };
    });
  }
}
