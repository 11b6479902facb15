import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ChatClient } from '../../core/client-types.js';
import type { Conversation } from '../../protocol/types.js';
import { conversationAvatar, conversationName, initials } from '../base/format.js';
import { safeUrl } from '../base/message-utils.js';
import { ImSubElement } from '../base/sub-element.js';
import { DialogController } from '../controllers/dialog-controller.js';
import { toErrorDetail } from '../events.js';
import { conversationPickerStyles } from './conversation-picker.styles.js';

/**
 * @tagname im-conversation-picker
 * @summary A modal dialog to choose one or more conversations (forwarding targets).
 *
 * `pick()` opens it with the user's conversations (`getConversationList`, system conversation
 * left out) and resolves with the chosen conversation IDs, or null when cancelled (Escape, Cancel,
 * close). A search box filters by name.
 *
 * @csspart dialog - The dialog.
 * @csspart dialog-header - Title row.
 * @csspart dialog-title - The title (`heading`).
 * @csspart dialog-close - The close button.
 * @csspart dialog-body - The search box and the list.
 * @csspart search - The search box.
 * @csspart list - The conversations.
 * @csspart option - One conversation (a label with a checkbox).
 * @csspart option-name - Its name.
 * @csspart dialog-footer - The buttons.
 * @csspart cancel-button - Cancel.
 * @csspart confirm-button - Send.
 */
export class ImConversationPicker extends ImSubElement {
  static override styles = conversationPickerStyles;

  @property({ attribute: false }) client: ChatClient | null = null;
  /** Dialog title. */
  @property() heading = 'Forward to';
  /** Label of the confirm button. */
  @property({ attribute: 'confirm-label' }) confirmLabel = 'Send';

  @state() private conversations: Conversation[] | null = null;
  @state() private chosen = new Set<string>();
  @state() private filter = '';
  @state() private error = '';

  @query('dialog') private dialog?: HTMLDialogElement;

  private resolve: ((ids: string[] | null) => void) | null = null;
  private result: string[] | null = null;

  private readonly modal = new DialogController(this, {
    dialog: () => this.dialog,
    onClose: () => {
      const resolve = this.resolve;
      this.resolve = null;
      resolve?.(this.result);
    },
  });

  get isOpen(): boolean {
    return this.modal.isOpen;
  }

  /** Open the picker; resolves with the chosen conversation IDs, or null. */
  pick(): Promise<string[] | null> {
    this.resolve?.(null);
    this.result = null;
    this.chosen = new Set();
    this.filter = '';
    this.error = '';
    this.conversations = null;
    const done = new Promise<string[] | null>((resolve) => (this.resolve = resolve));
    void this.modal.open();
    void this.load();
    return done;
  }

  private async load(): Promise<void> {
    const client = this.client;
    if (!client) {
      this.error = 'Not connected.';
      return;
    }
    try {
      const res = await client.getConversationList();
      this.conversations = res.data.conversationList.filter((c) => c.type !== '@TIM#SYSTEM');
    } catch (error) {
      this.error = toErrorDetail(error).message;
    }
  }

  private toggle(id: string, on: boolean): void {
    const next = new Set(this.chosen);
    if (on) next.add(id);
    else next.delete(id);
    this.chosen = next;
  }

  private confirm(): void {
    if (this.chosen.size === 0) return;
    this.result = [...this.chosen];
    this.modal.close();
  }

  private cancel(): void {
    this.result = null;
    this.modal.close();
  }

  private renderList() {
    if (this.error) return html`<p class="error" role="alert">${this.error}</p>`;
    if (!this.conversations) return html`<p class="muted">Loading…</p>`;
    const q = this.filter.trim().toLowerCase();
    const shown = this.conversations.filter(
      (c) => !q || conversationName(c).toLowerCase().includes(q),
    );
    if (shown.length === 0) return html`<p class="muted">No conversations</p>`;
    return html`<ul part="list" aria-label="Conversations">
      ${shown.map((c) => {
        const name = conversationName(c);
        const avatar = safeUrl(conversationAvatar(c));
        return html`<li>
          <label part="option">
            <input
              type="checkbox"
              .checked=${this.chosen.has(c.conversationID)}
              @change=${(e: Event) =>
                this.toggle(c.conversationID, (e.target as HTMLInputElement).checked)}
            />
            ${
              avatar
                ? html`<img class="avatar" src=${avatar} alt="" />`
                : html`<span class="avatar" aria-hidden="true">${initials(name)}</span>`
            }
            <span part="option-name">${name}</span>
          </label>
        </li>`;
      })}
    </ul>`;
  }

  override render() {
    return html`<dialog
      part="dialog"
      aria-labelledby="title"
      @close=${this.modal.onClose}
      @click=${this.modal.onClick}
    >
      <div part="dialog-header">
        <h2 part="dialog-title" id="title">${this.heading}</h2>
        <button part="dialog-close" type="button" aria-label="Close" @click=${this.cancel}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div part="dialog-body">
        <input
          part="search"
          type="search"
          autofocus
          aria-label="Search conversations"
          placeholder="Search"
          .value=${this.filter}
          @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)}
        />
        ${this.renderList()}
      </div>
      <div part="dialog-footer">
        <button part="cancel-button" type="button" @click=${this.cancel}>Cancel</button>
        <button
          part="confirm-button"
          class="primary"
          type="button"
          ?disabled=${this.chosen.size === 0}
          @click=${this.confirm}
        >
          ${this.confirmLabel}${this.chosen.size > 1 ? ` (${this.chosen.size})` : nothing}
        </button>
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-conversation-picker': ImConversationPicker;
  }
}
