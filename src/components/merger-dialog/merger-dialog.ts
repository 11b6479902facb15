import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ChatClient } from '../../core/client-types.js';
import { TYPES } from '../../protocol/constants.js';
import type { MergerPayload, Message } from '../../protocol/types.js';
import { formatClock, formatDay, isoTime, senderName } from '../base/format.js';
import { messageAbstract } from '../base/message-utils.js';
import { ImSubElement } from '../base/sub-element.js';
import { DialogController } from '../controllers/dialog-controller.js';
import { toErrorDetail } from '../events.js';
import { mergerDialogStyles } from './merger-dialog.styles.js';

interface Level {
  title: string;
  messages: Message[] | null;
  error: string;
}

/**
 * @tagname im-merger-dialog
 * @summary A modal dialog listing the messages of a merged-forward ("chat history") message.
 *
 * `show(message)` opens it; when the merged messages were stored apart (`payload.downloadKey`), it
 * fetches them with `downloadMergerMessage` first. Nested chat histories open in place, with a
 * Back button. Message text is shown as text.
 *
 * @csspart dialog - The dialog.
 * @csspart dialog-header - Title row.
 * @csspart dialog-title - The merger's title.
 * @csspart dialog-close - The close button.
 * @csspart back-button - Back to the enclosing chat history.
 * @csspart dialog-body - The scrolling list.
 * @csspart list - The messages.
 * @csspart item - One message.
 * @csspart item-header - Sender and time.
 * @csspart item-sender - The sender.
 * @csspart item-body - The text or a label.
 * @csspart open-nested - Opens a nested chat history.
 */
export class ImMergerDialog extends ImSubElement {
  static override styles = mergerDialogStyles;

  /** The client used for `downloadMergerMessage`. */
  @property({ attribute: false }) client: ChatClient | null = null;

  @state() private stack: Level[] = [];
  @query('dialog') private dialog?: HTMLDialogElement;

  private readonly modal = new DialogController(this, {
    dialog: () => this.dialog,
    onClose: () => {
      this.stack = [];
    },
  });

  get isOpen(): boolean {
    return this.modal.isOpen;
  }

  async show(message: Message): Promise<void> {
    this.stack = [];
    const opened = this.push(message);
    await this.modal.open();
    await opened;
  }

  close(): void {
    this.modal.close();
  }

  private async push(message: Message): Promise<void> {
    const payload = message.payload as Partial<MergerPayload>;
    const level: Level = { title: payload.title || 'Chat history', messages: null, error: '' };
    this.stack = [...this.stack, level];
    const inline = Array.isArray(payload.messageList) ? payload.messageList : [];
    if (inline.length > 0 || !payload.downloadKey) {
      this.settle(level, { messages: inline });
      return;
    }
    const client = this.client;
    if (!client) {
      this.settle(level, { error: 'Not connected.' });
      return;
    }
    try {
      const full = await client.downloadMergerMessage(message);
      const list = (full?.payload as Partial<MergerPayload> | undefined)?.messageList;
      this.settle(level, { messages: Array.isArray(list) ? list : [] });
    } catch (error) {
      this.settle(level, { error: toErrorDetail(error).message });
    }
  }

  private settle(level: Level, result: { messages?: Message[]; error?: string }): void {
    this.stack = this.stack.map((l) =>
      l === level ? { ...l, messages: result.messages ?? null, error: result.error ?? '' } : l,
    );
  }

  private back(): void {
    this.stack = this.stack.slice(0, -1);
    void this.updateComplete.then(() =>
      this.shadowRoot?.querySelector<HTMLElement>("[part~='dialog-close']")?.focus(),
    );
  }

  private renderItem(m: Message) {
    const time = m.time || m.clientTime;
    const nested = m.type === TYPES.MSG_MERGER;
    const body =
      m.type === TYPES.MSG_TEXT
        ? String((m.payload as { text?: unknown }).text ?? '')
        : messageAbstract(m);
    return html`<li part="item">
      <div part="item-header">
        <span part="item-sender">${senderName(m)}</span>
        ${
          time
            ? html`<time datetime=${isoTime(time)}>${formatDay(time)} ${formatClock(time)}</time>`
            : nothing
        }
      </div>
      <div part="item-body">
        ${nested ? (m.payload as Partial<MergerPayload>).title || body : body}
      </div>
      ${
        nested
          ? html`<button part="open-nested" type="button" @click=${() => void this.push(m)}>
              View chat history
            </button>`
          : nothing
      }
    </li>`;
  }

  override render() {
    const level = this.stack[this.stack.length - 1];
    return html`<dialog
      part="dialog"
      aria-labelledby="title"
      @close=${this.modal.onClose}
      @click=${this.modal.onClick}
    >
      <div part="dialog-header">
        ${
          this.stack.length > 1
            ? html`<button part="back-button" type="button" @click=${this.back}>Back</button>`
            : nothing
        }
        <h2 part="dialog-title" id="title">${level?.title ?? 'Chat history'}</h2>
        <button part="dialog-close" type="button" aria-label="Close" @click=${this.close}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div part="dialog-body" aria-live="polite">
        ${
          !level
            ? nothing
            : level.error
              ? html`<p class="error" role="alert">${level.error}</p>`
              : !level.messages
                ? html`<p class="muted">Loading…</p>`
                : level.messages.length === 0
                  ? html`<p class="muted">No messages</p>`
                  : html`<ul part="list">
                      ${level.messages.map((m) => this.renderItem(m))}
                    </ul>`
        }
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-merger-dialog': ImMergerDialog;
  }
}
