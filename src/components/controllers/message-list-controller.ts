/**
 * The message timeline of one conversation: the newest page, older pages on demand, live
 * additions, and sending with pending / success / failed states and retry. Messages are kept in
 * server-sequence order; messages not yet acknowledged (sequence 0) stay at the end.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient } from '../../core/client-types.js';
import { LIMITS } from '../../protocol/constants.js';
import { parseConversationID, type Message } from '../../protocol/types.js';

export interface MessageListOptions {
  client: () => ChatClient | null;
  conversationID: () => string;
  onSent?: (message: Message) => void;
  onError?: (error: unknown) => void;
}

function orderKey(m: Message): number {
  return m.sequence > 0 ? m.sequence : Number.MAX_SAFE_INTEGER;
}

function compare(a: Message, b: Message): number {
  return (
    orderKey(a) - orderKey(b) ||
    (a.time || a.clientTime) - (b.time || b.clientTime) ||
    a.clientTime - b.clientTime
  );
}

export class MessageListController implements ReactiveController {
  messages: Message[] = [];
  /** The newest page has been loaded. */
  loaded = false;
  /** No older messages are left on the server. */
  isCompleted = false;
  loadingOlder = false;

  private nextReqMessageID = '';
  private token = 0;
  /** The message objects the client created, kept so a failed send can be retried as-is. */
  private readonly created = new Map<string, Message>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: MessageListOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Forget everything (another conversation or client). */
  reset(): void {
    this.token++;
    this.messages = [];
    this.loaded = false;
    this.isCompleted = false;
    this.loadingOlder = false;
    this.nextReqMessageID = '';
    this.created.clear();
    this.host.requestUpdate();
  }

  /** Load the newest page. Resolves false when it could not be loaded (yet). */
  async loadNewest(): Promise<boolean> {
    const client = this.options.client();
    const conversationID = this.options.conversationID();
    if (!client || !conversationID) return false;
    const token = this.token;
    try {
      const res = await client.getMessageList({ conversationID, count: LIMITS.messageListPage });
      if (token !== this.token) return false;
      this.merge(res.data.messageList);
      this.nextReqMessageID = res.data.nextReqMessageID;
      this.isCompleted = res.data.isCompleted;
      this.loaded = true;
      this.host.requestUpdate();
      return true;
    } catch (error) {
      if (token === this.token && client.isReady()) this.options.onError?.(error);
      return false;
    }
  }

  /** Load the page before the oldest loaded message; resolves with how many were added. */
  async loadOlder(): Promise<number> {
    const client = this.options.client();
    const conversationID = this.options.conversationID();
    if (!client || !this.loaded || this.isCompleted || this.loadingOlder) return 0;
    const token = this.token;
    this.loadingOlder = true;
    this.host.requestUpdate();
    try {
      const res = await client.getMessageList({
        conversationID,
        nextReqMessageID: this.nextReqMessageID || this.messages[0]?.ID,
        count: LIMITS.messageListPage,
      });
      if (token !== this.token) return 0;
      const added = this.merge(res.data.messageList);
      this.nextReqMessageID = res.data.nextReqMessageID;
      this.isCompleted = res.data.isCompleted || res.data.messageList.length === 0;
      return added.length;
    } catch (error) {
      if (token === this.token) this.options.onError?.(error);
      return 0;
    } finally {
      if (token === this.token) {
        this.loadingOlder = false;
        this.host.requestUpdate();
      }
    }
  }

  /** Add live messages that belong to this conversation; returns the ones that were new. */
  receive(list: readonly Message[]): Message[] {
    const id = this.options.conversationID();
    const added = this.merge(list.filter((m) => m.conversationID === id));
    if (added.length) this.host.requestUpdate();
    return added;
  }

  /** Replace messages already shown (modified, revoked). */
  replace(list: readonly Message[]): void {
    const ids = new Set(this.messages.map((m) => m.ID));
    const known = list.filter((m) => ids.has(m.ID));
    if (known.length) {
      this.merge(known);
      this.host.requestUpdate();
    }
  }

  /** Create and send a text message; it shows as pending at once. */
  async sendText(text: string): Promise<void> {
    const client = this.options.client();
    const parts = parseConversationID(this.options.conversationID());
    if (!client || !parts || parts.type === '@TIM#SYSTEM') return;
    let message: Message;
    try {
      message = client.createTextMessage({
        to: parts.target,
        conversationType: parts.type,
        payload: { text },
      });
    } catch (error) {
      this.options.onError?.(error);
      return;
    }
    this.created.set(message.ID, message);
    await this.deliver(client, message);
  }

  /** Send a failed message again (same ID, so the server deduplicates). */
  async retry(messageID: string): Promise<void> {
    const client = this.options.client();
    const message = this.created.get(messageID);
    if (!client || !message) return;
    await this.deliver(client, message);
  }

  private async deliver(client: ChatClient, message: Message): Promise<void> {
    const token = this.token;
    this.put({ ...message, status: 'unSend' });
    try {
      const res = await client.sendMessage(message);
      if (token !== this.token) return;
      this.created.delete(message.ID);
      this.put({ ...message, ...res.data.message, status: 'success' });
      this.options.onSent?.(res.data.message);
    } catch (error) {
      if (token !== this.token) return;
      this.put({ ...message, status: 'fail' });
      this.options.onError?.(error);
    }
  }

  private put(message: Message): void {
    this.merge([message]);
    this.host.requestUpdate();
  }

  /** Insert or replace by ID, keep the order; returns the messages that were not there before. */
  private merge(list: readonly Message[]): Message[] {
    if (list.length === 0) return [];
    const byID = new Map(this.messages.map((m) => [m.ID, m] as const));
    const added: Message[] = [];
    for (const m of list) {
      const existing = byID.get(m.ID);
      if (!existing) added.push(m);
      // A pending local copy must not hide the acknowledged one, and vice versa.
      if (!existing || !(existing.status === 'success' && m.status === 'unSend')) {
        byID.set(m.ID, m);
      }
    }
    this.messages = [...byID.values()].sort(compare);
    return added;
  }
}
