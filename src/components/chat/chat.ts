import { html, nothing, type PropertyValues } from 'lit';
import { loadElement } from '../base/lazy-define.js';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatClient, IMEvent } from '../../core/client-types.js';
import { EVENT, TYPES } from '../../protocol/constants.js';
import { INTERNAL_EVENT } from '../../protocol/rpc.js';
import { parseConversationID, type Conversation, type Message } from '../../protocol/types.js';
import { dayKey, formatDay } from '../base/format.js';
import { ImElement } from '../base/im-element.js';
import { groupTipText, recallText } from '../base/message-utils.js';
import { COMPOSER_PARTS, type ImComposer } from '../composer/composer.js';
import { ChatActionsController } from '../controllers/chat-actions-controller.js';
import { ClientEventsController } from '../controllers/client-events-controller.js';
import { ComposeController } from '../controllers/compose-controller.js';
import { FileDropController } from '../controllers/file-drop-controller.js';
import { DraftController } from '../controllers/draft-controller.js';
import { ForwardController } from '../controllers/forward-controller.js';
import { HistoryScrollController } from '../controllers/history-scroll-controller.js';
import { MessageListController } from '../controllers/message-list-controller.js';
import { PinnedController } from '../controllers/pinned-controller.js';
import { ReactionsController } from '../controllers/reactions-controller.js';
import { ReadController } from '../controllers/read-controller.js';
import { ReceiptController } from '../controllers/receipt-controller.js';
import { TYPING_EVENT, TypingController } from '../controllers/typing-controller.js';
import { VisibleMessagesController } from '../controllers/visible-messages-controller.js';
import {
  ImMessageSentEvent,
  type ImComposerCancelEvent,
  type ImComposerFilesEvent,
  type ImComposerSaveEvent,
  type ImComposerSendEvent,
  type ImComposerTypingEvent,
  type ImEmojiSelectEvent,
  type ImMessageActionEvent,
} from '../events.js';
import type { CustomRenderer } from '../message/message-content.js';
import { MESSAGE_PARTS, type MessageRenderOptions } from '../message/message.js';
import { chatStyles } from './chat.styles.js';
import { ChatHeaderController } from '../controllers/chat-header-controller.js';

/**
 * @tagname im-chat
 * @summary One conversation: header, pinned messages, message history and a composer.
 *
 * Loads the newest page, loads older pages when scrolled to the top (keeping the scroll position),
 * appends live messages, and marks the conversation read while it is visible. Every message type
 * renders (text with @mentions, image with a lightbox, file, audio, video, location, face, custom,
 * chat history); group tips and recalled messages show as centered notices. Each message has an
 * actions menu (hover or focus its "⋯" button, or long-press on touch): reply, forward, select
 * (merged forward, delete), copy, react, translate, edit (own text), pin (group owners/admins),
 * read by (own group messages with receipts), recall (own, 2 minutes), delete for me. The composer
 * sends with Enter (Shift+Enter: new line), attaches, pastes or takes dropped files (with upload
 * progress and cancel), inserts emoji and @mentions group members. Text from messages is always
 * rendered as text, never as HTML.
 *
 * @attr conversation-id - `C2C<userID>` or `GROUP<groupID>`.
 * @attr need-read-receipt - Group messages sent from here ask for read receipts.
 * @attr translate-to - Target language of "Translate" (default: `navigator.language`).
 * @attr map-url-template - Location messages link here: `{lat}` and `{lng}` are replaced. No link without it.
 * @attr face-url-template - Face messages show this image: `{index}` and `{data}` are replaced. A label without it.
 * @attr theme - `light` or `dark`; unset follows `prefers-color-scheme`.
 * @attr server - Standalone only (ignored inside `<im-provider>`): IM server base URL.
 * @attr app-id - Standalone only: SDKAppID.
 * @attr user-id - Standalone only: the user to log in as.
 * @attr user-sig - Standalone only: that user's UserSig.
 *
 * @event im-message-sent - The server acknowledged a message sent from this chat. `detail: {conversationID, message}`.
 * @event im-error - Loading, sending or an action failed. `detail: {code, message}`.
 *
 * @csspart base - The wrapper.
 * @csspart header - Title and subtitle.
 * @csspart title - Peer nick or group name.
 * @csspart subtitle - Member count (groups).
 * @csspart pinned-bar - Pinned group messages; `pinned-message`, `pinned-count`, `pinned-next`, `unpin-button`.
 * @csspart messages - The scrolling message log.
 * @csspart loading - "Loading earlier messages" row.
 * @csspart empty - Shown when there are no messages.
 * @csspart day-separator - The date between days.
 * @csspart notice - A group tip, system notice or recall tombstone (also `tombstone`).
 * @csspart message - One `<im-message>`; also `message-in` / `message-out`, `message-pending`, `message-failed`. Its inner parts (`bubble`, `meta`, `quote`, `reaction`, `image`, `file-link`, …) are exported.
 * @csspart typing - "<name> is typing…".
 * @csspart selection-bar - Selection mode: count, `forward-button`, `merge-button`, `delete-button`, `cancel-selection`.
 * @csspart toast - Short status messages ("Copied", "Forwarded").
 * @csspart composer - The `<im-composer>`; its parts (`input`, `send-button`, `attach-button`, `emoji-button`, `reply-preview`, `edit-bar`, `mention-list`, `mention-option`, …) are exported.
 * @csspart drop-overlay - Shown while files are dragged over the chat.
 * @csspart lightbox-dialog - The image viewer.
 * @csspart merger-dialog - The chat-history viewer.
 * @csspart forward-dialog - The conversation picker.
 * @csspart confirm-dialog - Delete confirmation.
 * @csspart read-members-dialog - Read / unread members.
 * @csspart reaction-picker - The reaction emoji popup.
 *
 * @cssprop [--im-color-primary=#1560d4] - Own bubbles, send button, focus ring, own reactions.
 * @cssprop [--im-color-on-primary=#ffffff] - Text on own bubbles.
 * @cssprop [--im-color-bg=#ffffff] - Background.
 * @cssprop [--im-color-surface=#f1f3f6] - Other people's bubbles, reply and edit bars.
 * @cssprop [--im-color-text=#1a1d23] - Text.
 * @cssprop [--im-color-muted=#59616d] - Times, names, separators, notices.
 * @cssprop [--im-color-border=#d8dde4] - Borders.
 * @cssprop [--im-color-selected=#e2ecfc] - Active menu items, own reaction chips, pinned bar.
 * @cssprop [--im-color-danger=#b3261e] - Failed sends, destructive actions, errors.
 * @cssprop [--im-radius=10px] - Bubble and dialog corner radius.
 * @cssprop [--im-font-family=system-ui] - Font family.
 * @cssprop [--im-font-size=14px] - Base font size.
 * @cssprop [--im-spacing=8px] - Spacing unit.
 */
export class ImChat extends ImElement {
  static override styles = chatStyles;

  /** The conversation to show: `C2C<userID>` or `GROUP<groupID>`. */
  @property({ attribute: 'conversation-id', reflect: true }) conversationId?: string;
  /** Group messages sent from this chat ask for read receipts. */
  @property({ attribute: 'need-read-receipt', type: Boolean, reflect: true })
  needReadReceipt = false;
  /** Target language of translations (default `navigator.language`). */
  @property({ attribute: 'translate-to', reflect: true }) translateTo?: string;
  /** `https://maps.example/?q={lat},{lng}`: location messages link to a map. */
  @property({ attribute: 'map-url-template', reflect: true }) mapUrlTemplate?: string;
  /** `https://cdn.example/faces/{index}.png`: face messages as images. */
  @property({ attribute: 'face-url-template', reflect: true }) faceUrlTemplate?: string;
  /** Renders custom messages: a template, a string (shown as text), or null for the default. */
  @property({ attribute: false }) customRenderer?: CustomRenderer;

  @state() private ready = false;

  @query("[part~='messages']") private log?: HTMLElement;
  @query('im-composer') private composer?: ImComposer;

  private openedID = '';
  private hooks: MessageRenderOptions = {};

  /** What every controller of the chat gets. */
  private readonly ctx = {
    client: () => this.client,
    conversationID: () => this.conversationId ?? '',
    userID: () => this.loginUser,
    onError: (error: unknown) => this.fail(error),
    notify: (text: string) => this.actions.notify(text),
    scrollToBottom: () => this.scroller.scrollSoon(),
  };

  private readonly timeline = new MessageListController(this, {
    ...this.ctx,
    onSent: (message) =>
      this.dispatchEvent(
        new ImMessageSentEvent({ conversationID: message.conversationID, message }),
      ),
  });
  private readonly scroller = new HistoryScrollController(this, {
    log: () => this.log,
    timeline: this.timeline,
  });
  private readonly drop = new FileDropController(this, {
    enabled: () => this.ready && Boolean(this.conversationId),
    onFiles: (files) => void this.compose.sendFiles(files),
  });
  private readonly reader = new ReadController(this, this.ctx);
  private readonly header = new ChatHeaderController(this, {
    ...this.ctx,
    onUnread: () => this.reader.markUnread(),
  });
  private readonly receipts = new ReceiptController(this, {
    ...this.ctx,
    timeline: this.timeline,
    isVisible: () => this.reader.isVisible(),
  });
  private readonly reactions = new ReactionsController(this, this.ctx);
  private readonly pinned = new PinnedController(this, this.ctx);
  private readonly typing = new TypingController(this, this.ctx);
  private readonly visible = new VisibleMessagesController(this, {
    root: () => this.log,
    elements: () => this.renderRoot.querySelectorAll('im-message'),
    onVisible: (ids) => {
      const list = ids.map((id) => this.timeline.get(id)).filter((m): m is Message => !!m);
      this.receipts.visible(list);
      this.reactions.load(list);
    },
  });
  private readonly compose = new ComposeController(this, {
    ...this.ctx,
    needReadReceipt: () => this.needReadReceipt,
    timeline: this.timeline,
    setComposerText: (text) => {
      if (this.composer) this.composer.value = text;
    },
  });
  private readonly drafts = new DraftController(this, {
    client: () => this.client,
    text: () => (this.compose.editing ? '' : (this.composer?.value ?? '')),
    setText: (text) => {
      if (this.composer) this.composer.value = text;
    },
    settled: async () => {
      await this.updateComplete;
      await this.composer?.updateComplete;
    },
  });
  private readonly forward = new ForwardController(this, {
    ...this.ctx,
    title: () => this.chatTitle(),
    timeline: this.timeline,
    picker: () => this.renderRoot.querySelector('im-conversation-picker'),
  });
  private readonly actions: ChatActionsController = new ChatActionsController(this, {
    ...this.ctx,
    role: () => this.header.role,
    translateTo: () => this.translateTo || navigator.language || 'en',
    timeline: this.timeline,
    reactions: this.reactions,
    pinned: this.pinned,
    compose: this.compose,
    forward: this.forward,
    dialogs: () => ({
      confirm: this.renderRoot.querySelector('im-confirm-dialog'),
      lightbox: this.renderRoot.querySelector('im-lightbox'),
      merger: this.renderRoot.querySelector('im-merger-dialog'),
      readMembers: this.renderRoot.querySelector('im-read-members'),
      reactionPicker: this.renderRoot.querySelector('im-emoji-picker'),
    }),
    revealMessage: (id) => this.scroller.reveal(id),
  });

  constructor() {
    super();
    const list = (event: IMEvent<Message[]>) => (Array.isArray(event.data) ? event.data : []);
    new ClientEventsController(this, this.clients, {
      [EVENT.MESSAGE_RECEIVED]: (event: IMEvent<Message[]>) => this.onReceived(list(event)),
      // A message another tab of this browser sent (this tab gets its own as the send result).
      [INTERNAL_EVENT.MESSAGE_SENT]: (event: IMEvent<{ message?: Message }>) => {
        if (event.data?.message) this.onReceived([event.data.message]);
      },
      [EVENT.MESSAGE_MODIFIED]: (event: IMEvent<Message[]>) => this.timeline.replace(list(event)),
      [EVENT.MESSAGE_REVOKED]: (event: IMEvent<Message[]>) => {
        this.timeline.replace(list(event));
        const editing = this.compose.editing;
        if (editing && list(event).some((m) => m.ID === editing.ID)) this.compose.cancel('edit');
      },
      [EVENT.MESSAGE_READ_BY_PEER]: (event: IMEvent) => this.receipts.readByPeer(event.data),
      [EVENT.MESSAGE_READ_RECEIPT_RECEIVED]: (event: IMEvent) =>
        this.receipts.receiptReceived(event.data),
      [EVENT.MESSAGE_REACTIONS_UPDATED]: (event: IMEvent) => this.reactions.updated(event.data),
      [EVENT.PINNED_GROUP_MESSAGE_UPDATED]: (event: IMEvent) => this.pinned.updated(event.data),
      [TYPING_EVENT]: (event: IMEvent) => this.typing.received(event.data),
      [EVENT.CONVERSATION_LIST_UPDATED]: (event: IMEvent<Conversation[]>) => {
        const mine = Array.isArray(event.data)
          ? event.data.find((c) => c.conversationID === this.conversationId)
          : undefined;
        if (mine && mine.unreadCount > 0) this.reader.markUnread();
        // Logged in from the cache before the socket is up (or offline): show what it has.
        this.loadIfServable();
      },
      [EVENT.NET_STATE_CHANGE]: () => this.loadIfServable(),
      [EVENT.GROUP_LIST_UPDATED]: () => {
        if (this.conversationId?.startsWith('GROUP')) void this.header.load();
      },
      [EVENT.SDK_READY]: () => {
        this.ready = true;
        if (!this.timeline.loaded) void this.scroller.loadFirstPage();
        if (!this.header.title) void this.header.load();
        if (!this.pinned.list.length) void this.pinned.load();
      },
      [EVENT.SDK_NOT_READY]: () => {
        this.ready = false;
      },
    });
  }

  protected override firstUpdated(): void {
    // The dialogs are not part of the first paint: fetch them right after it.
    setTimeout(() => {
      for (const tag of [
        'im-merger-dialog',
        'im-conversation-picker',
        'im-read-members',
        'im-lightbox',
        'im-confirm-dialog',
        'im-emoji-picker',
      ]) {
        void loadElement(tag);
      }
    }, 0);
  }

  protected override clientChanged(_client: ChatClient | null): void {
    this.open();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversationId') && (this.conversationId ?? '') !== this.openedID) this.open();
    if (
      changed.has('mapUrlTemplate') ||
      changed.has('faceUrlTemplate') ||
      changed.has('customRenderer')
    ) {
      this.hooks = {
        mapUrlTemplate: this.mapUrlTemplate,
        faceUrlTemplate: this.faceUrlTemplate,
        customRenderer: this.customRenderer,
      };
    }
  }

  /** Show the conversation from scratch (new conversation, new client, or reconnected). */
  private open(): void {
    const client = this.client;
    // The text typed in the conversation being left becomes its draft.
    this.drafts.save();
    this.openedID = this.conversationId ?? '';
    for (const c of [this.timeline, this.reader, this.header, this.receipts, this.reactions]) {
      c.reset();
    }
    for (const c of [this.pinned, this.typing, this.visible, this.actions, this.compose]) c.reset();
    this.forward.reset();
    this.scroller.reset();
    this.ready = client?.isReady() ?? false;
    void this.drafts.open(this.openedID);
    if (!client || !this.openedID) return;
    void this.header.load();
    void this.pinned.load();
    void this.scroller.loadFirstPage();
  }

  /**
   * Load the newest page if it is not loaded yet and the client is logged in: the engine serves
   * its cache (pending sends included) before SDK_READY, and while the server is unreachable.
   */
  private loadIfServable(): void {
    if (this.timeline.loaded || !this.openedID || !this.client?.getLoginUser()) return;
    void this.scroller.loadFirstPage();
  }

  private chatTitle(): string {
    return this.header.title || parseConversationID(this.conversationId ?? '')?.target || '';
  }

  private onReceived(list: Message[]): void {
    const stick = this.scroller.nearBottom();
    const added = this.timeline.receive(list);
    if (added.length === 0) return;
    if (added.some((m) => m.flow === 'in')) {
      this.reader.markUnread();
      this.typing.clearPeer();
    }
    if (stick || added.some((m) => m.flow === 'out')) this.scroller.scrollSoon();
  }

  private onMessageAction(event: ImMessageActionEvent): void {
    event.stopPropagation();
    void this.actions.handle(event.detail);
  }

  private renderMessage(m: Message, previous: Message | undefined, index: number) {
    const newDay = !previous || dayKey(previous.time) !== dayKey(m.time);
    const separator = newDay ? html`<div part="day-separator">${formatDay(m.time)}</div>` : nothing;
    if (m.isDeleted) return separator;
    if (m.type === TYPES.MSG_GRP_TIP || m.type === TYPES.MSG_GRP_SYS_NOTICE) {
      return html`${separator}
        <div part="notice" data-message-id=${m.ID} data-index=${index}>${groupTipText(m)}</div>`;
    }
    if (m.isRevoked) {
      return html`${separator}
        <div part="notice tombstone" data-message-id=${m.ID} data-index=${index}>
          ${recallText(m, this.loginUser)}
        </div>`;
    }
    const showSender =
      m.conversationType === 'GROUP' && m.flow === 'in' && (newDay || previous?.from !== m.from);
    const status = m.status === 'unSend' ? 'pending' : m.status === 'fail' ? 'failed' : '';
    const a = this.actions;
    const f = this.forward;
    return html`${separator}
      <im-message
        part=${`message message-${m.flow}${status ? ` message-${status}` : ''}`}
        exportparts=${MESSAGE_PARTS}
        data-message-id=${m.ID}
        data-index=${index}
        theme=${this.theme ?? nothing}
        .message=${m}
        .userID=${this.loginUser}
        ?show-sender=${showSender}
        .reactions=${this.reactions.get(m.ID)}
        .translation=${a.translations.get(m.ID) ?? null}
        .progress=${this.timeline.progress.get(m.ID)}
        .preview=${this.timeline.previews.get(m.ID)}
        .hooks=${this.hooks}
        .actions=${this.menuItems}
        ?selecting=${f.selecting && f.selectable(m)}
        ?selected=${f.selected.has(m.ID)}
        ?highlighted=${a.highlighted === m.ID}
      ></im-message>`;
  }

  private readonly menuItems = (m: Message) => this.actions.menuItems(m);

  private renderSelectionBar() {
    const f = this.forward;
    const n = f.selected.size;
    return html`<div part="selection-bar" role="toolbar" aria-label="Selected messages">
      <span part="selection-count">${n} selected</span>
      <button
        part="forward-button"
        type="button"
        ?disabled=${!n}
        @click=${() => f.forwardSelected(false)}
      >
        Forward
      </button>
      <button
        part="merge-button"
        type="button"
        ?disabled=${!n}
        @click=${() => f.forwardSelected(true)}
      >
        Forward as chat history
      </button>
      <button
        part="delete-button"
        type="button"
        ?disabled=${!n}
        @click=${() => this.actions.deleteSelected()}
      >
        Delete
      </button>
      <button part="cancel-selection" type="button" @click=${() => f.endSelection()}>Cancel</button>
    </div>`;
  }

  private renderComposer(hasConversation: boolean) {
    const c = this.compose;
    return html`<im-composer
      part="composer"
      exportparts=${COMPOSER_PARTS}
      theme=${this.theme ?? nothing}
      conversation-id=${this.conversationId ?? ''}
      .client=${this.client}
      .userID=${this.loginUser}
      .reply=${c.replyTo}
      .editing=${c.editing}
      ?mention-all=${this.actions.isAdmin()}
      ?disabled=${!this.ready || !hasConversation}
      placeholder=${this.ready ? 'Write a message' : 'Connecting…'}
      @im-composer-send=${(e: ImComposerSendEvent) => {
        this.typing.stop();
        this.drafts.sent();
        void c.sendText(e.detail.text, e.detail.atUserList);
      }}
      @im-composer-save=${(e: ImComposerSaveEvent) => void c.save(e.detail.text)}
      @im-composer-files=${(e: ImComposerFilesEvent) => void c.sendFiles(e.detail.files)}
      @im-composer-cancel=${(e: ImComposerCancelEvent) => c.cancel(e.detail.what)}
      @im-composer-typing=${(e: ImComposerTypingEvent) =>
        e.detail.typing ? this.typing.typed() : this.typing.stop()}
    ></im-composer>`;
  }

  private renderDialogs() {
    const theme = this.theme ?? nothing;
    return html`<im-conversation-picker
        exportparts="dialog: forward-dialog"
        theme=${theme}
        .client=${this.client}
      ></im-conversation-picker>
      <im-confirm-dialog exportparts="dialog: confirm-dialog" theme=${theme}></im-confirm-dialog>
      <im-lightbox exportparts="dialog: lightbox-dialog" theme=${theme}></im-lightbox>
      <im-merger-dialog
        exportparts="dialog: merger-dialog"
        theme=${theme}
        .client=${this.client}
      ></im-merger-dialog>
      <im-read-members
        exportparts="dialog: read-members-dialog"
        theme=${theme}
        .client=${this.client}
      ></im-read-members>
      <im-emoji-picker
        exportparts="panel: reaction-picker"
        theme=${theme}
        label="Add reaction"
        @im-emoji-select=${(e: ImEmojiSelectEvent) => this.actions.reactionPicked(e.detail.emoji)}
      ></im-emoji-picker>`;
  }

  override render() {
    const messages = this.timeline.messages;
    // Past MAX_RENDERED messages only a window of them is in the DOM (history-scroll-controller).
    const win = this.scroller.window(messages);
    const rows = messages.slice(win.start, win.end);
    const hasConversation = Boolean(this.conversationId && this.client);
    const title = this.chatTitle();
    return html`<div part="base">
      <div part="header">
        <span part="title" id="title">${title || 'No conversation selected'}</span>
        ${
          this.header.subtitle
            ? html`<span part="subtitle">${this.header.subtitle}</span>`
            : nothing
        }
      </div>
      <im-pinned-bar
        part="pinned-bar"
        exportparts="pinned-icon, pinned-message, pinned-count, pinned-text, pinned-next, unpin-button"
        theme=${this.theme ?? nothing}
        .messages=${this.pinned.list}
        ?can-unpin=${this.actions.isAdmin()}
        ?hidden=${this.pinned.list.length === 0}
        @im-message-action=${this.onMessageAction}
      ></im-pinned-bar>
      <div
        part="messages"
        role="log"
        aria-labelledby="title"
        tabindex="0"
        @scroll=${this.scroller.onScroll}
        @im-message-action=${this.onMessageAction}
      >
        ${
          this.timeline.loadingOlder
            ? html`<div part="loading">Loading earlier messages…</div>`
            : nothing
        }
        ${win.before ? html`<div class="spacer" style="height:${win.before}px" aria-hidden="true"></div>` : nothing}
        ${repeat(
          rows,
          (m) => m.ID,
          (m, i) => this.renderMessage(m, messages[win.start + i - 1], win.start + i),
        )}
        ${win.after ? html`<div class="spacer" style="height:${win.after}px" aria-hidden="true"></div>` : nothing}
        ${
          messages.length === 0 && hasConversation
            ? html`<div part="empty">${this.timeline.loaded ? 'No messages yet' : 'Loading…'}</div>`
            : nothing
        }
      </div>
      <div part="typing" role="status">${this.typing.peerTyping ? `${title} is typing…` : ''}</div>
      <div part="toast" role="status">${this.actions.toast}</div>
      ${this.forward.selecting ? this.renderSelectionBar() : this.renderComposer(hasConversation)}
      ${this.drop.dragging ? html`<div part="drop-overlay">Drop files to send</div>` : nothing}
      ${this.renderDialogs()}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-chat': ImChat;
  }
}
