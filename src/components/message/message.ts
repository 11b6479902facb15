import { html, nothing, type PropertyValues } from 'lit';
import { property, query } from 'lit/decorators.js';
import type { Message, Reaction } from '../../protocol/types.js';
import { formatClock, isoTime, senderName } from '../base/format.js';
import { isMediaMessage, replyOf } from '../base/message-utils.js';
import { ImSubElement } from '../base/sub-element.js';
import { ImMessageActionEvent, type ImMenuSelectEvent, type MessageAction } from '../events.js';
import type { ImMessageActions, MenuItem } from '../message-actions/message-actions.js';
import {
  contentKind,
  renderContent,
  type ContentOptions,
  type CustomRenderer,
} from './message-content.js';
import { messageStyles } from './message.styles.js';

/** A translation of the message text shown under the bubble. */
export interface MessageTranslation {
  loading?: boolean;
  text?: string;
  /** The translation failed (for one, no translator on the server). */
  error?: string;
  language?: string;
}

/** Rendering hooks passed down from `<im-chat>`. */
export interface MessageRenderOptions {
  mapUrlTemplate?: string;
  faceUrlTemplate?: string;
  customRenderer?: CustomRenderer;
}

const LONG_PRESS_MS = 500;

/** Every part of `<im-message>`, for `exportparts` on it (so `im-chat::part(bubble)` works). */
export const MESSAGE_PARTS = [
  'row',
  'select',
  'column',
  'sender',
  'bubble',
  ...[
    'text',
    'image',
    'file',
    'audio',
    'video',
    'location',
    'face',
    'custom',
    'merger',
    'other',
  ].map((k) => `bubble-${k}`),
  'quote',
  'quote-sender',
  'quote-text',
  'mention',
  'image-button',
  'image',
  'image-placeholder',
  'file',
  'file-icon',
  'file-info',
  'file-link',
  'file-name',
  'file-size',
  'audio-player',
  'audio',
  'duration',
  'video-player',
  'video',
  'location',
  'location-icon',
  'location-info',
  'location-description',
  'location-coordinates',
  'map-link',
  'face',
  'face-label',
  'custom',
  'merger',
  'merger-title',
  'merger-abstracts',
  'merger-open',
  'translation',
  'translation-error',
  'upload',
  'progress',
  'progress-label',
  'cancel-upload',
  'reactions',
  'reaction',
  'reaction-mine',
  'reaction-count',
  'meta',
  'message-time',
  'edited',
  'status',
  'status-failed',
  'retry-button',
  'read-status',
  'read-status-read',
  'read-count',
  'actions',
  'menu-button',
  'menu',
  'menu-item',
  'menu-item-danger',
].join(', ');

/**
 * @tagname im-message
 * @summary One message bubble of `<im-chat>`: any message type, quote, reactions, translation,
 * upload progress, status and read receipts, with a menu of actions.
 *
 * Everything it can do is reported as `im-message-action` (`{action, message, reactionID?}`);
 * `<im-chat>` carries the actions out. The actions menu opens from its button (keyboard
 * reachable; shown on hover and focus) or by a long press on touch screens.
 *
 * @event im-message-action - `detail: {action, message, reactionID?, messageID?, anchor?}`. Not composed.
 *
 * @csspart row - Selection box, the message column and the actions button.
 * @csspart select - The selection checkbox (selection mode).
 * @csspart column - Sender, bubble and everything under it.
 * @csspart sender - Sender name.
 * @csspart bubble - The bubble; also `bubble-<kind>` (`text`, `image`, `file`, …).
 * @csspart quote - The quoted message of a reply (a button that jumps to it).
 * @csspart mention - An @mention in text.
 * @csspart image-button - The thumbnail button that opens the lightbox.
 * @csspart image - The thumbnail.
 * @csspart file - File card; `file-icon`, `file-info`, `file-link`, `file-name`, `file-size`.
 * @csspart audio-player - Audio; `audio`, `duration`.
 * @csspart video-player - Video; `video`, `duration`.
 * @csspart location - Location; `location-description`, `location-coordinates`, `map-link`.
 * @csspart face - A sticker image; `face-label` without `face-url-template`.
 * @csspart custom - The fallback text of custom messages.
 * @csspart merger - Chat-history card; `merger-title`, `merger-abstracts`, `merger-open`.
 * @csspart translation - The translation (also `translation-error`).
 * @csspart upload - Upload progress row; `progress`, `progress-label`, `cancel-upload`.
 * @csspart reactions - The reaction chips; `reaction` (also `reaction-mine`), `reaction-count`.
 * @csspart meta - Time, edited label, status and receipts.
 * @csspart message-time - The time.
 * @csspart edited - "Edited".
 * @csspart status - "Sending…" / "Failed to send" (also `status-failed`).
 * @csspart retry-button - Resend a failed message.
 * @csspart read-status - Sent / read ticks of own C2C messages (also `read-status-read`).
 * @csspart read-count - "n read" of own group messages with receipts (opens the read-by list).
 * @csspart actions - The actions menu; `menu-button`, `menu`, `menu-item`, `menu-item-danger`.
 */
export class ImMessage extends ImSubElement {
  static override styles = messageStyles;

  @property({ attribute: false }) message!: Message;
  /** The logged-in user. */
  @property({ attribute: false }) userID = '';
  @property({ type: Boolean, attribute: 'show-sender' }) showSender = false;
  @property({ attribute: false }) reactions: readonly Reaction[] = [];
  @property({ attribute: false }) translation: MessageTranslation | null = null;
  /** Upload progress 0..1 while a media message of this tab is being sent. */
  @property({ attribute: false }) progress?: number;
  /** Local object URL of media being sent. */
  @property({ attribute: false }) preview?: string;
  @property({ attribute: false }) hooks: MessageRenderOptions = {};
  /** The menu items for a message, computed when the menu opens. */
  @property({ attribute: false }) actions: (message: Message) => MenuItem[] = () => [];
  /** Selection mode: a checkbox instead of the menu. */
  @property({ type: Boolean, reflect: true }) selecting = false;
  @property({ type: Boolean, reflect: true }) selected = false;
  /** Briefly set after jumping here from a quote. */
  @property({ type: Boolean, reflect: true }) highlighted = false;

  @query('im-message-actions') private menu?: ImMessageActions;

  private readonly menuItems = () => this.actions(this.message);
  private pressTimer: ReturnType<typeof setTimeout> | null = null;
  private pressStart: { x: number; y: number } | null = null;
  private longPressed = false;

  /** Open the actions menu (keyboard users use its button). */
  openActions(): void {
    void this.menu?.show();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('message') && this.message) {
      this.setAttribute('flow', this.message.flow);
      this.setAttribute('status', this.message.status);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.cancelPress();
  }

  private act(
    action: MessageAction,
    extra: { reactionID?: string; messageID?: string } = {},
  ): void {
    this.dispatchEvent(
      new ImMessageActionEvent({ action, message: this.message, anchor: this, ...extra }),
    );
  }

  private onMenuSelect(event: ImMenuSelectEvent): void {
    event.stopPropagation();
    this.act(event.detail.action as MessageAction);
  }

  // Long press on touch screens opens the menu.
  private onPointerDown(event: PointerEvent): void {
    if (event.pointerType !== 'touch' || this.selecting) return;
    this.cancelPress();
    this.longPressed = false;
    this.pressStart = { x: event.clientX, y: event.clientY };
    this.pressTimer = setTimeout(() => {
      this.pressTimer = null;
      this.longPressed = true;
      this.openActions();
    }, LONG_PRESS_MS);
  }

  private onPointerMove(event: PointerEvent): void {
    const start = this.pressStart;
    if (start && Math.hypot(event.clientX - start.x, event.clientY - start.y) > 10) {
      this.cancelPress();
    }
  }

  private cancelPress(): void {
    if (this.pressTimer) clearTimeout(this.pressTimer);
    this.pressTimer = null;
    this.pressStart = null;
  }

  private onContextMenu(event: Event): void {
    if (this.longPressed || this.pressTimer) event.preventDefault();
  }

  private renderQuote() {
    const reply = replyOf(this.message);
    if (!reply) return nothing;
    return html`<button
      part="quote"
      type="button"
      @click=${() => this.act('quote', { messageID: reply.messageID })}
    >
      <span class="visually-hidden">Reply to </span>
      <span part="quote-sender">${reply.messageSender}</span>
      <span part="quote-text">${reply.messageAbstract}</span>
    </button>`;
  }

  private renderTranslation() {
    const t = this.translation;
    if (!t) return nothing;
    if (t.loading) return html`<div part="translation" aria-live="polite">Translating…</div>`;
    if (t.error) {
      return html`<div part="translation translation-error" role="alert">
        Translation failed: ${t.error}
      </div>`;
    }
    return html`<div part="translation" lang=${t.language || nothing}>${t.text ?? ''}</div>`;
  }

  private renderUpload() {
    const m = this.message;
    if (m.status !== 'unSend' || !isMediaMessage(m) || this.progress === undefined) return nothing;
    const percent = Math.round(this.progress * 100);
    return html`<div part="upload">
      <progress part="progress" max="100" .value=${percent} aria-label="Upload progress"></progress>
      <span part="progress-label">${percent}%</span>
      <button part="cancel-upload" type="button" @click=${() => this.act('cancel-upload')}>
        Cancel
      </button>
    </div>`;
  }

  private renderReactions() {
    if (!this.reactions.length) return nothing;
    return html`<div part="reactions" role="group" aria-label="Reactions">
      ${this.reactions.map((r) => {
        const names = r.partialUserList.map((u) => u.nick || u.userID).join(', ');
        const count = r.totalUserCount;
        return html`<button
          part=${r.reactedByMyself ? 'reaction reaction-mine' : 'reaction'}
          type="button"
          aria-pressed=${r.reactedByMyself ? 'true' : 'false'}
          title=${names}
          @click=${() => this.act('toggle-reaction', { reactionID: r.reactionID })}
        >
          <span>${r.reactionID}</span>
          <span part="reaction-count">${count}</span>
          <span class="visually-hidden">${count === 1 ? 'reaction' : 'reactions'}</span>
        </button>`;
      })}
    </div>`;
  }

  private renderReceipt() {
    const m = this.message;
    if (m.flow !== 'out' || m.status !== 'success') return nothing;
    if (m.conversationType === 'C2C') {
      const read = m.isPeerRead || m.readReceiptInfo?.isPeerRead;
      return html`<span part=${read ? 'read-status read-status-read' : 'read-status'}>
        <span aria-hidden="true">${read ? '✓✓' : '✓'}</span>
        <span class="visually-hidden">${read ? 'Read' : 'Sent'}</span>
      </span>`;
    }
    if (m.conversationType === 'GROUP' && m.needReadReceipt) {
      const info = m.readReceiptInfo ?? { readCount: 0, unreadCount: 0, isPeerRead: false };
      const label =
        info.unreadCount === 0 && info.readCount > 0 ? 'All read' : `${info.readCount} read`;
      return html`<button part="read-count" type="button" @click=${() => this.act('read-by')}>
        ${label}
      </button>`;
    }
    return nothing;
  }

  private renderMeta() {
    const m = this.message;
    const time = m.time || m.clientTime;
    return html`<div part="meta">
      <time part="message-time" datetime=${isoTime(time)}>${formatClock(time)}</time>
      ${m.isModified ? html`<span part="edited">Edited</span>` : nothing}
      ${m.status === 'unSend' ? html`<span part="status">Sending…</span>` : nothing}
      ${
        m.status === 'fail'
          ? html`<span part="status status-failed">Failed to send</span>
              <button part="retry-button" type="button" @click=${() => this.act('retry')}>
                Retry
              </button>`
          : nothing
      }
      ${this.renderReceipt()}
    </div>`;
  }

  override render() {
    const m = this.message;
    if (!m) return nothing;
    const options: ContentOptions = {
      ...this.hooks,
      preview: this.preview,
      act: (action) => this.act(action),
    };
    const you = m.flow === 'out' ? html`<span class="visually-hidden">You: </span>` : nothing;
    return html`<div part="row">
      ${
        this.selecting
          ? html`<input
              part="select"
              type="checkbox"
              aria-label="Select message"
              .checked=${this.selected}
              @change=${() => this.act('toggle-select')}
            />`
          : nothing
      }
      <div part="column">
        ${this.showSender ? html`<div part="sender">${senderName(m)}</div>` : nothing}
        <div
          part="bubble bubble-${contentKind(m)}"
          @pointerdown=${this.onPointerDown}
          @pointermove=${this.onPointerMove}
          @pointerup=${this.cancelPress}
          @pointercancel=${this.cancelPress}
          @contextmenu=${this.onContextMenu}
        >
          ${this.renderQuote()} ${you}${renderContent(m, options)}
        </div>
        ${this.renderTranslation()} ${this.renderUpload()} ${this.renderReactions()}
        ${this.renderMeta()}
      </div>
      ${
        !this.selecting && m.status === 'success'
          ? html`<im-message-actions
              part="actions"
              exportparts="menu-button, menu, menu-item, menu-item-danger"
              theme=${this.theme ?? nothing}
              .items=${this.menuItems}
              @im-menu-select=${this.onMenuSelect}
            ></im-message-actions>`
          : nothing
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-message': ImMessage;
  }
}
