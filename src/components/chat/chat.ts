import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatClient, IMEvent } from '../../core/client-types.js';
import { EVENT } from '../../protocol/constants.js';
import { INTERNAL_EVENT } from '../../protocol/rpc.js';
import { parseConversationID, type Conversation, type Message } from '../../protocol/types.js';
import {
  dayKey,
  formatClock,
  formatDay,
  isoTime,
  messageBody,
  senderName,
} from '../base/format.js';
import { ImElement } from '../base/im-element.js';
import { ClientEventsController } from '../controllers/client-events-controller.js';
import { MessageListController } from '../controllers/message-list-controller.js';
import { ReadController } from '../controllers/read-controller.js';
import { ImMessageSentEvent } from '../events.js';
import { chatStyles } from './chat.styles.js';

/** How close to the top (px) scrolling loads the previous page. */
const LOAD_OLDER_THRESHOLD = 48;
/** How close to the bottom (px) counts as "reading the newest": new messages keep it pinned. */
const STICK_THRESHOLD = 80;

/**
 * @tagname im-chat
 * @summary One conversation: header, message history and a composer.
 *
 * Loads the newest page, loads older pages when scrolled to the top (keeping the scroll position),
 * appends live messages, and marks the conversation read while it is visible. Enter sends,
 * Shift+Enter adds a line. Message text is always rendered as text, never as HTML.
 *
 * @attr conversation-id - `C2C<userID>` or `GROUP<groupID>`.
 * @attr theme - `light` or `dark`; unset follows `prefers-color-scheme`.
 * @attr server - Standalone only (ignored inside `<im-provider>`): IM server base URL.
 * @attr app-id - Standalone only: SDKAppID.
 * @attr user-id - Standalone only: the user to log in as.
 * @attr user-sig - Standalone only: that user's UserSig.
 *
 * @event im-message-sent - The server acknowledged a message sent from this composer. `detail: {conversationID, message}`.
 * @event im-error - Loading, sending or marking read failed. `detail: {code, message}`.
 *
 * @csspart base - The wrapper.
 * @csspart header - Title and subtitle.
 * @csspart title - Peer nick or group name.
 * @csspart subtitle - Member count (groups).
 * @csspart messages - The scrolling message log.
 * @csspart loading - "Loading earlier messages" row.
 * @csspart empty - Shown when there are no messages.
 * @csspart day-separator - The date between days.
 * @csspart notice - A group tip (system line).
 * @csspart message - One message; also `message-in` / `message-out`, `message-pending`, `message-failed`.
 * @csspart sender - Sender name (group messages from others).
 * @csspart bubble - The message text.
 * @csspart meta - Time and status under the bubble.
 * @csspart message-time - The time.
 * @csspart status - "Sending…" / "Failed" (also `status-failed`).
 * @csspart retry-button - Resend a failed message.
 * @csspart composer - The form at the bottom.
 * @csspart input - The textarea.
 * @csspart send-button - The send button.
 *
 * @cssprop [--im-color-primary=#1560d4] - Own bubbles, send button, focus ring.
 * @cssprop [--im-color-on-primary=#ffffff] - Text on own bubbles.
 * @cssprop [--im-color-bg=#ffffff] - Background.
 * @cssprop [--im-color-surface=#f1f3f6] - Other people's bubbles.
 * @cssprop [--im-color-text=#1a1d23] - Text.
 * @cssprop [--im-color-muted=#59616d] - Times, names, separators.
 * @cssprop [--im-color-border=#d8dde4] - Borders.
 * @cssprop [--im-color-danger=#b3261e] - Failed sends.
 * @cssprop [--im-radius=10px] - Bubble corner radius.
 * @cssprop [--im-font-family=system-ui] - Font family.
 * @cssprop [--im-font-size=14px] - Base font size.
 * @cssprop [--im-spacing=8px] - Spacing unit.
 */
export class ImChat extends ImElement {
  static override styles = chatStyles;

  /** The conversation to show: `C2C<userID>` or `GROUP<groupID>`. */
  @property({ attribute: 'conversation-id', reflect: true }) conversationId?: string;

  @state() private heading = '';
  @state() private subheading = '';
  @state() private ready = false;
  @state() private draft = '';

  @query("[part~='messages']") private log?: HTMLElement;

  private openedClient: ChatClient | null = null;
  private openedID = '';
  private headerToken = 0;
  private initialScrollDone = false;

  private readonly timeline = new MessageListController(this, {
    client: () => this.client,
    conversationID: () => this.conversationId ?? '',
    onSent: (message) =>
      this.dispatchEvent(
        new ImMessageSentEvent({ conversationID: message.conversationID, message }),
      ),
    onError: (error) => this.fail(error),
  });

  private readonly reader = new ReadController(this, {
    client: () => this.client,
    conversationID: () => this.conversationId ?? '',
    onError: (error) => this.fail(error),
  });

  constructor() {
    super();
    new ClientEventsController(this, this.clients, {
      [EVENT.MESSAGE_RECEIVED]: (event: IMEvent<Message[]>) => this.onReceived(event.data ?? []),
      // A message another tab of this browser sent (this tab gets its own as the send result).
      [INTERNAL_EVENT.MESSAGE_SENT]: (event: IMEvent<{ message?: Message }>) => {
        if (event.data?.message) this.onReceived([event.data.message]);
      },
      [EVENT.MESSAGE_MODIFIED]: (event: IMEvent<Message[]>) =>
        this.timeline.replace(event.data ?? []),
      [EVENT.MESSAGE_REVOKED]: (event: IMEvent<Message[]>) =>
        this.timeline.replace(event.data ?? []),
      [EVENT.CONVERSATION_LIST_UPDATED]: (event: IMEvent<Conversation[]>) => {
        const mine = Array.isArray(event.data)
          ? event.data.find((c) => c.conversationID === this.conversationId)
          : undefined;
        if (mine && mine.unreadCount > 0) this.reader.markUnread();
      },
      [EVENT.GROUP_LIST_UPDATED]: () => {
        if (this.conversationId?.startsWith('GROUP')) void this.loadHeader();
      },
      [EVENT.SDK_READY]: () => {
        this.ready = true;
        if (!this.timeline.loaded) void this.loadFirstPage();
        if (!this.heading) void this.loadHeader();
      },
      [EVENT.SDK_NOT_READY]: () => {
        this.ready = false;
      },
    });
  }

  protected override clientChanged(_client: ChatClient | null): void {
    this.open();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversationId') && (this.conversationId ?? '') !== this.openedID) this.open();
  }

  /** Show the conversation from scratch (new conversation, new client, or reconnected). */
  private open(): void {
    const client = this.client;
    this.openedClient = client;
    this.openedID = this.conversationId ?? '';
    this.timeline.reset();
    this.reader.reset();
    this.initialScrollDone = false;
    this.heading = '';
    this.subheading = '';
    this.ready = client?.isReady() ?? false;
    if (!client || !this.openedID) return;
    void this.loadHeader();
    void this.loadFirstPage();
  }

  private async loadHeader(): Promise<void> {
    const client = this.client;
    const id = this.conversationId ?? '';
    const parts = parseConversationID(id);
    if (!client || !parts) return;
    const token = ++this.headerToken;
    const current = () => token === this.headerToken && client === this.openedClient;
    let title = parts.target || 'System';
    let subtitle = '';
    try {
      const { conversation } = (await client.getConversationProfile(id)).data;
      if (!current()) return;
      title = conversation.groupProfile?.name || conversation.userProfile?.nick || title;
      if (conversation.unreadCount > 0) this.reader.markUnread();
    } catch {
      // A conversation with no messages yet has no profile; the lookups below still name it.
    }
    try {
      if (parts.type === 'GROUP') {
        const { group } = (await client.getGroupProfile({ groupID: parts.target })).data;
        title = group.name || title;
        subtitle = `${group.memberCount} ${group.memberCount === 1 ? 'member' : 'members'}`;
      } else if (parts.type === 'C2C' && title === parts.target) {
        const [profile] = (await client.getUserProfile({ userIDList: [parts.target] })).data;
        title = profile?.nick || title;
      }
    } catch {
      // Keep the ID as the title.
    }
    if (!current()) return;
    this.heading = title;
    this.subheading = subtitle;
  }

  private async loadFirstPage(): Promise<void> {
    const loaded = await this.timeline.loadNewest();
    if (!loaded) return;
    await this.updateComplete;
    this.scrollToBottom();
    this.initialScrollDone = true;
    await this.fillViewport();
  }

  /** Load older pages until the log can scroll (or history ends). */
  private async fillViewport(): Promise<void> {
    for (let i = 0; i < 5; i++) {
      const log = this.log;
      if (!log || this.timeline.isCompleted || log.scrollHeight > log.clientHeight) return;
      if ((await this.loadOlder()) === 0) return;
    }
  }

  /** Load the previous page, keeping what the user is looking at in place. */
  private async loadOlder(): Promise<number> {
    const log = this.log;
    if (!log) return 0;
    const before = log.scrollHeight - log.scrollTop;
    const added = await this.timeline.loadOlder();
    await this.updateComplete;
    if (added > 0) log.scrollTop = log.scrollHeight - before;
    return added;
  }

  private onScroll(): void {
    const log = this.log;
    if (!log || !this.initialScrollDone || this.timeline.loadingOlder) return;
    if (log.scrollTop <= LOAD_OLDER_THRESHOLD) void this.loadOlder();
  }

  private nearBottom(): boolean {
    const log = this.log;
    return !log || log.scrollHeight - log.scrollTop - log.clientHeight < STICK_THRESHOLD;
  }

  private scrollToBottom(): void {
    const log = this.log;
    if (log) log.scrollTop = log.scrollHeight;
  }

  private onReceived(list: Message[]): void {
    const stick = this.nearBottom();
    const added = this.timeline.receive(list);
    if (added.length === 0) return;
    if (added.some((m) => m.flow === 'in')) this.reader.markUnread();
    if (stick || added.some((m) => m.flow === 'out')) {
      void this.updateComplete.then(() => this.scrollToBottom());
    }
  }

  private send(): void {
    const text = this.draft;
    if (!this.ready || !text.trim()) return;
    this.draft = '';
    void this.timeline.sendText(text);
    void this.updateComplete.then(() => this.scrollToBottom());
  }

  private onInput(event: Event): void {
    this.draft = (event.target as HTMLTextAreaElement).value;
  }

  private onComposerKeyDown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229)
      return;
    event.preventDefault();
    this.send();
  }

  private onSubmit(event: Event): void {
    event.preventDefault();
    this.send();
  }

  private renderMessage(m: Message, previous: Message | undefined) {
    const newDay = !previous || dayKey(previous.time) !== dayKey(m.time);
    const separator = newDay ? html`<div part="day-separator">${formatDay(m.time)}</div>` : nothing;
    if (m.type === 'TIMGroupTipElem' || m.type === 'TIMGroupSystemNoticeElem') {
      return html`${separator}
        <div part="notice">${messageBody(m)}</div>`;
    }
    const showSender =
      m.conversationType === 'GROUP' && m.flow === 'in' && (newDay || previous?.from !== m.from);
    const status = m.status === 'unSend' ? 'pending' : m.status === 'fail' ? 'failed' : '';
    const parts = `message message-${m.flow}${status ? ` message-${status}` : ''}`;
    const time = m.time || m.clientTime;
    return html`${separator}
      <div part=${parts} data-message-id=${m.ID}>
        ${showSender ? html`<div part="sender">${senderName(m)}</div>` : nothing}
        <div part="bubble">${this.renderText(m)}</div>
        <div part="meta">
          <time part="message-time" datetime=${isoTime(time)}>${formatClock(time)}</time>
          ${status === 'pending' ? html`<span part="status">Sending…</span>` : nothing}
          ${status === 'failed' ? this.renderFailed(m) : nothing}
        </div>
      </div>`;
  }

  /** The text goes in through a text binding only: markup in it stays text. */
  private renderText(m: Message) {
    const you = m.flow === 'out' ? html`<span class="visually-hidden">You: </span>` : nothing;
    return html`${you}<span class="text">${messageBody(m)}</span>`;
  }

  private renderFailed(m: Message) {
    return html`<span part="status status-failed">Failed to send</span>
      <button part="retry-button" type="button" @click=${() => this.timeline.retry(m.ID)}>
        Retry
      </button>`;
  }

  override render() {
    const messages = this.timeline.messages;
    const hasConversation = Boolean(this.conversationId && this.client);
    const title = this.heading || parseConversationID(this.conversationId ?? '')?.target || '';
    return html`<div part="base">
      <div part="header">
        <span part="title" id="title">${title || 'No conversation selected'}</span>
        ${this.subheading ? html`<span part="subtitle">${this.subheading}</span>` : nothing}
      </div>
      <div part="messages" role="log" aria-labelledby="title" tabindex="0" @scroll=${this.onScroll}>
        ${
          this.timeline.loadingOlder
            ? html`<div part="loading">Loading earlier messages…</div>`
            : nothing
        }
        ${repeat(
          messages,
          (m) => m.ID,
          (m, i) => this.renderMessage(m, messages[i - 1]),
        )}
        ${
          messages.length === 0 && hasConversation
            ? html`<div part="empty">${this.timeline.loaded ? 'No messages yet' : 'Loading…'}</div>`
            : nothing
        }
      </div>
      <form part="composer" @submit=${this.onSubmit}>
        <textarea
          part="input"
          aria-label="Message"
          placeholder=${this.ready ? 'Write a message' : 'Connecting…'}
          rows="1"
          .value=${live(this.draft)}
          ?disabled=${!this.ready || !hasConversation}
          @input=${this.onInput}
          @keydown=${this.onComposerKeyDown}
        ></textarea>
        <button
          part="send-button"
          class="primary"
          type="submit"
          ?disabled=${!this.ready || !hasConversation || !this.draft.trim()}
        >
          Send
        </button>
      </form>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-chat': ImChat;
  }
}
