import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { ChatClient } from '../../core/client-types.js';
import { TYPES } from '../../protocol/constants.js';
import { parseConversationID, type Message, type TextPayload } from '../../protocol/types.js';
import { senderName } from '../base/format.js';
import { attachIcon, smileIcon } from '../base/icons.js';
import { loadElement } from '../base/lazy-define.js';
import { messageAbstract } from '../base/message-utils.js';
import { ImSubElement } from '../base/sub-element.js';
import { MentionController } from '../controllers/mention-controller.js';
import type { ImEmojiPicker } from '../emoji-picker/emoji-picker.js';
import {
  ImComposerCancelEvent,
  ImComposerFilesEvent,
  ImComposerSaveEvent,
  ImComposerSendEvent,
  ImComposerTypingEvent,
  type ImEmojiSelectEvent,
} from '../events.js';
import { composerStyles } from './composer.styles.js';

/** Every part of `<im-composer>`, for `exportparts` on it. */
export const COMPOSER_PARTS = [
  'reply-preview',
  'reply-label',
  'reply-text',
  'reply-cancel',
  'edit-bar',
  'edit-label',
  'edit-cancel',
  'mention-list',
  'mention-option',
  'mention-option-active',
  'form',
  'attach-button',
  'emoji-button',
  'input',
  'send-button',
  'emoji-panel',
  'emoji-grid',
  'emoji',
].join(', ');

/**
 * @tagname im-composer
 * @summary The message composer of `<im-chat>`: text, @mentions, emoji, attachments, reply and
 * edit modes.
 *
 * Enter sends (or saves, when editing), Shift+Enter adds a line. In groups, `@` opens the member
 * list (arrow keys, Enter or Tab to pick, Escape to close). Escape also leaves edit mode or drops
 * the reply. Pasted files and picked files are handed up as `im-composer-files`.
 *
 * @event im-composer-send - `detail: {text, atUserList}`. Not composed.
 * @event im-composer-save - Edit mode: `detail: {text}`. Not composed.
 * @event im-composer-files - `detail: {files}`. Not composed.
 * @event im-composer-cancel - `detail: {what: 'reply' | 'edit'}`. Not composed.
 * @event im-composer-typing - `detail: {typing}`. Not composed.
 *
 * @csspart reply-preview - The "Replying to" bar; `reply-label`, `reply-text`, `reply-cancel`.
 * @csspart edit-bar - The "Editing message" bar; `edit-label`, `edit-cancel`.
 * @csspart mention-list - The member list; `mention-option` (also `mention-option-active`).
 * @csspart form - The row with the buttons and the text box.
 * @csspart attach-button - Attach a file or image.
 * @csspart emoji-button - Open the emoji picker.
 * @csspart input - The text box.
 * @csspart send-button - Send / Save.
 * @csspart emoji-panel - The emoji picker popup; `emoji-grid`, `emoji`.
 */
export class ImComposer extends ImSubElement {
  static override styles = composerStyles;

  @property({ attribute: false }) client: ChatClient | null = null;
  @property({ attribute: 'conversation-id' }) conversationId = '';
  /** The logged-in user (left out of the mention list). */
  @property({ attribute: false }) userID = '';
  @property({ type: Boolean, reflect: true }) disabled = false;
  @property() placeholder = 'Write a message';
  /** The message being replied to. */
  @property({ attribute: false }) reply: Message | null = null;
  /** The message being edited (its text fills the box). */
  @property({ attribute: false }) editing: Message | null = null;
  /** Offer "@all" in the mention list (group owners and admins). */
  @property({ type: Boolean, attribute: 'mention-all' }) mentionAll = false;

  @state() private draft = '';

  @query("[part~='input']") private input?: HTMLTextAreaElement;
  @query('input[type=file]') private fileInput?: HTMLInputElement;
  @query('im-emoji-picker') private emojiPicker?: ImEmojiPicker;

  private caret: { start: number; end: number } | null = null;
  private typing = false;

  private readonly mentions = new MentionController(this, {
    client: () => this.client,
    groupID: () => {
      const parts = parseConversationID(this.conversationId);
      return parts?.type === 'GROUP' ? parts.target : '';
    },
    userID: () => this.userID,
    allowAll: () => this.mentionAll,
  });

  /** The text in the box. */
  get value(): string {
    return this.draft;
  }
  set value(text: string) {
    this.draft = text;
  }

  override focus(): void {
    this.input?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversationId')) {
      this.mentions.reset(false);
      this.draft = '';
    }
    if (changed.has('editing')) {
      if (this.editing) {
        this.draft = String((this.editing.payload as Partial<TextPayload>).text ?? '');
      } else if (changed.get('editing')) {
        this.draft = '';
      }
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('editing') && this.editing) || (changed.has('reply') && this.reply)) {
      this.input?.focus();
    }
    if (this.mentions.open) {
      this.shadowRoot
        ?.getElementById(`mention-${this.mentions.active}`)
        ?.scrollIntoView({ block: 'nearest' });
    }
  }

  private setTyping(typing: boolean): void {
    if (!typing && !this.typing) return;
    this.typing = typing;
    this.dispatchEvent(new ImComposerTypingEvent({ typing }));
  }

  private onInput(event: Event): void {
    const input = event.target as HTMLTextAreaElement;
    this.draft = input.value;
    this.mentions.update(input.value, input.selectionStart ?? input.value.length);
    this.setTyping(this.draft.length > 0);
  }

  private onKeyDown(event: KeyboardEvent): void {
    const handled = this.mentions.keydown(event);
    if (handled === 'pick') {
      this.pickMention(this.mentions.active);
      return;
    }
    if (handled) return;
    if (event.key === 'Escape') {
      if (this.editing) this.cancel('edit');
      else if (this.reply) this.cancel('reply');
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229)
      return;
    event.preventDefault();
    this.submit();
  }

  private pickMention(index: number): void {
    const input = this.input;
    if (!input) return;
    const result = this.mentions.pick(index, this.draft, input.selectionStart ?? this.draft.length);
    if (!result) return;
    this.draft = result.text;
    input.value = result.text;
    input.setSelectionRange(result.caret, result.caret);
    input.focus();
  }

  private onPaste(event: ClipboardEvent): void {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    this.dispatchEvent(new ImComposerFilesEvent({ files }));
  }

  private onFiles(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length) this.dispatchEvent(new ImComposerFilesEvent({ files }));
  }

  private onSubmit(event: Event): void {
    event.preventDefault();
    this.submit();
  }

  private submit(): void {
    const text = this.draft;
    if (this.disabled || !text.trim()) return;
    this.mentions.close();
    if (this.editing) {
      this.dispatchEvent(new ImComposerSaveEvent({ text }));
      return;
    }
    const atUserList = this.mentions.atUserList(text);
    this.draft = '';
    this.mentions.reset();
    this.setTyping(false);
    this.dispatchEvent(new ImComposerSendEvent({ text, atUserList }));
  }

  private cancel(what: 'reply' | 'edit'): void {
    this.dispatchEvent(new ImComposerCancelEvent({ what }));
    this.input?.focus();
  }

  private async openEmoji(event: Event): Promise<void> {
    const input = this.input;
    const button = event.currentTarget as Element;
    this.caret = input
      ? { start: input.selectionStart ?? input.value.length, end: input.selectionEnd ?? 0 }
      : null;
    await loadElement('im-emoji-picker');
    void this.emojiPicker?.show(button);
  }

  private insertEmoji(event: ImEmojiSelectEvent): void {
    const input = this.input;
    const { emoji } = event.detail;
    const start = this.caret?.start ?? this.draft.length;
    const end = Math.max(start, this.caret?.end ?? start);
    this.draft = this.draft.slice(0, start) + emoji + this.draft.slice(end);
    const position = start + emoji.length;
    this.caret = null;
    void this.updateComplete.then(() => {
      input?.focus();
      input?.setSelectionRange(position, position);
    });
  }

  private renderMentions() {
    const m = this.mentions;
    if (!m.open) return nothing;
    return html`<ul part="mention-list" id="mention-list" role="listbox" aria-label="Mention">
      ${
        m.candidates.length
          ? m.candidates.map((c, i) => {
              const all = c.userID === TYPES.MSG_AT_ALL;
              return html`<li
                id="mention-${i}"
                role="option"
                aria-selected=${i === m.active ? 'true' : 'false'}
                part=${i === m.active ? 'mention-option mention-option-active' : 'mention-option'}
                @mousedown=${(e: Event) => e.preventDefault()}
                @click=${() => this.pickMention(i)}
              >
                <span>${all ? '@all' : c.name}</span>
                <span class="id">${all ? 'Everyone' : c.userID}</span>
              </li>`;
            })
          : html`<li role="option" aria-selected="false" aria-disabled="true" class="id">
              ${m.loading ? 'Loading members…' : 'No matches'}
            </li>`
      }
    </ul>`;
  }

  override render() {
    const m = this.mentions;
    const listed = m.open && m.candidates.length > 0;
    return html`${
        this.reply
          ? html`<div part="reply-preview">
              <span part="reply-label">Replying to ${senderName(this.reply)}</span>
              <span part="reply-text">${messageAbstract(this.reply)}</span>
              <button
                part="reply-cancel"
                type="button"
                aria-label="Cancel reply"
                @click=${() => this.cancel('reply')}
              >
                <span aria-hidden="true">×</span>
              </button>
            </div>`
          : nothing
      }
      ${
        this.editing
          ? html`<div part="edit-bar">
              <span part="edit-label">Editing message</span>
              <button part="edit-cancel" type="button" @click=${() => this.cancel('edit')}>
                Cancel
              </button>
            </div>`
          : nothing
      }
      ${this.renderMentions()}
      <form part="form" @submit=${this.onSubmit}>
        <button
          part="attach-button"
          type="button"
          aria-label="Attach a file"
          title="Attach a file"
          ?disabled=${this.disabled || Boolean(this.editing)}
          @click=${() => this.fileInput?.click()}
        >
          ${attachIcon}
        </button>
        <input type="file" multiple tabindex="-1" aria-hidden="true" @change=${this.onFiles} />
        <button
          part="emoji-button"
          type="button"
          aria-label="Insert emoji"
          title="Insert emoji"
          ?disabled=${this.disabled}
          @click=${this.openEmoji}
        >
          ${smileIcon}
        </button>
        <textarea
          part="input"
          aria-label=${this.editing ? 'Edit message' : 'Message'}
          aria-autocomplete=${this.conversationId.startsWith('GROUP') ? 'list' : nothing}
          aria-controls=${m.open ? 'mention-list' : nothing}
          aria-activedescendant=${listed ? `mention-${m.active}` : nothing}
          placeholder=${this.placeholder}
          rows="1"
          .value=${live(this.draft)}
          ?disabled=${this.disabled}
          @input=${this.onInput}
          @keydown=${this.onKeyDown}
          @paste=${this.onPaste}
          @blur=${() => {
            m.close();
            this.setTyping(false);
          }}
        ></textarea>
        <button
          part="send-button"
          class="primary"
          type="submit"
          ?disabled=${this.disabled || !this.draft.trim()}
        >
          ${this.editing ? 'Save' : 'Send'}
        </button>
      </form>
      <im-emoji-picker
        theme=${this.theme ?? nothing}
        exportparts="panel: emoji-panel, grid: emoji-grid, emoji"
        label="Insert emoji"
        @im-emoji-select=${this.insertEmoji}
      ></im-emoji-picker>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-composer': ImComposer;
  }
}
