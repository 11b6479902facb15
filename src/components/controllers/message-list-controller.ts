/**
 * The message timeline of one conversation: the newest page, older pages on demand, live
 * additions, and sending with pending / success / failed states, retry, upload progress and
 * cancelled uploads. Messages are kept in server-sequence order; messages not yet acknowledged
 * (sequence 0) stay at the end.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient } from '../../core/client-types.js';
import { ErrorCode } from '../../protocol/codes.js';
import { LIMITS, type ConversationType } from '../../protocol/constants.js';
import { parseConversationID, type Message } from '../../protocol/types.js';
import { isMediaMessage } from '../base/message-utils.js';

/** Where a message of this conversation goes: `to` and `conversationType` of the create calls. */
export interface SendTarget {
  to: string;
  conversationType: ConversationType;
}

/** Builds a message with the client; `progress` feeds the upload progress of that message. */
export type MessageFactory = (
  client: ChatClient,
  target: SendTarget,
  progress: (percent: number) => void,
) => Message;

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

  /** Upload progress (0..1) of media messages being sent, by message ID. */
  readonly progress = new Map<string, number>();
  /** Local previews (object URLs) of media being sent, by message ID. */
  readonly previews = new Map<string, string>();

  private nextReqMessageID = '';
  private token = 0;
  /** The newest-page load under way, for the token it was started with. */
  private newest: { token: number; promise: Promise<boolean> } | null = null;
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
    this.progress.clear();
    for (const url of this.previews.values()) URL.revokeObjectURL(url);
    this.previews.clear();
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    for (const url of this.previews.values()) URL.revokeObjectURL(url);
    this.previews.clear();
  }

  /** The loaded message with this ID. */
  get(messageID: string): Message | undefined {
    return this.messages.find((m) => m.ID === messageID);
  }

  /** Change fields of loaded messages in place (read receipts and the like). */
  patch(update: (m: Message) => Partial<Message> | null): void {
    let changed = false;
    this.messages = this.messages.map((m) => {
      const fields = update(m);
      if (!fields) return m;
      changed = true;
      return { ...m, ...fields };
    });
    if (changed) this.host.requestUpdate();
  }

  /** Drop messages (deleted for me, cancelled uploads). */
  remove(messageIDs: readonly string[]): void {
    const ids = new Set(messageIDs);
    const before = this.messages.length;
    this.messages = this.messages.filter((m) => !ids.has(m.ID));
    for (const id of ids) this.forget(id);
    if (this.messages.length !== before) this.host.requestUpdate();
  }

  /**
   * Load the newest page. Resolves false when it could not be loaded (yet). Calls while one load
   * of the same conversation is under way share it.
   */
  loadNewest(): Promise<boolean> {
    if (this.newest?.token === this.token) return this.newest.promise;
    const token = this.token;
    const promise = this.fetchNewest().finally(() => {
      if (this.newest?.token === token) this.newest = null;
    });
    this.newest = { token, promise };
    return promise;
  }

  private async fetchNewest(): Promise<boolean> {
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
    const mine = list.filter((m) => m.conversationID === id);
    const added = this.merge(mine);
    // A known message may have changed too (a pending send acknowledged elsewhere).
    if (mine.length) this.host.requestUpdate();
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

  /** Where messages of this conversation go, or null (no client, system conversation). */
  target(): SendTarget | null {
    const parts = parseConversationID(this.options.conversationID());
    if (!parts || parts.type === '@TIM#SYSTEM') return null;
    return { to: parts.target, conversationType: parts.type };
  }

  /** Create and send a text message; it shows as pending at once. */
  async sendText(text: string): Promise<Message | null> {
    return this.send((client, target) =>
      client.createTextMessage({ ...target, payload: { text } }),
    );
  }

  /**
   * Create a message with `factory` and send it; it shows as pending at once, with upload
   * progress for media. `preview` is a local object URL shown until the upload is done (it is
   * revoked when no longer needed). Resolves with the acknowledged message, or null.
   */
  async send(factory: MessageFactory, preview?: string): Promise<Message | null> {
    const client = this.options.client();
    const target = this.target();
    if (!client || !target) {
      if (preview) URL.revokeObjectURL(preview);
      return null;
    }
    let message: Message;
    let id = '';
    try {
      message = factory(client, target, (percent) => {
        if (!id || !this.created.has(id)) return;
        this.progress.set(id, Math.max(0, Math.min(1, Number(percent) || 0)));
        this.host.requestUpdate();
      });
    } catch (error) {
      if (preview) URL.revokeObjectURL(preview);
      this.options.onError?.(error);
      return null;
    }
    id = message.ID;
    this.created.set(message.ID, message);
    if (preview) this.previews.set(message.ID, preview);
    return this.deliver(client, message);
  }

  /** Send a failed message again (same ID, so the server deduplicates). */
  async retry(messageID: string): Promise<void> {
    const client = this.options.client();
    const message = this.created.get(messageID);
    if (!client || !message) return;
    await this.deliver(client, message);
  }

  /** Whether this tab created the message and has not seen it acknowledged yet. */
  isOwnPending(messageID: string): boolean {
    return this.created.has(messageID);
  }

  private async deliver(client: ChatClient, message: Message): Promise<Message | null> {
    const token = this.token;
    // Media show an upload bar (with Cancel) from the start.
    if (isMediaMessage(message)) this.progress.set(message.ID, 0);
    this.put({ ...message, status: 'unSend' });
    try {
      const res = await client.sendMessage(message);
      if (token !== this.token) return null;
      this.forget(message.ID);
      const sent: Message = { ...message, ...res.data.message, status: 'success' };
      this.put(sent);
      this.options.onSent?.(res.data.message);
      return sent;
    } catch (error) {
      if (token !== this.token) return null;
      if ((error as { code?: unknown })?.code === ErrorCode.UPLOAD_CANCELLED) {
        // Cancelled by the user: the message goes away instead of failing.
        this.remove([message.ID]);
        return null;
      }
      this.progress.delete(message.ID);
      this.put({ ...message, status: 'fail' });
      this.options.onError?.(error);
      return null;
    }
  }

  private forget(messageID: string): void {
    this.created.delete(messageID);
    this.progress.delete(messageID);
    const preview = this.previews.get(messageID);
    if (preview) {
      URL.revokeObjectURL(preview);
      this.previews.delete(messageID);
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
      // A pending local copy must not hide the acknowledged one, and vice versa. Kept as a copy:
      // the client updates its message objects in place (findMessage), and a new object is what
      // tells <im-message> to render again.
      if (!existing || !(existing.status === 'success' && m.status === 'unSend')) {
        byID.set(m.ID, { ...m });
      }
    }
    this.messages = [...byID.values()].sort(compare);
    return added;
  }
}
