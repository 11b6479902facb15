import { html } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { EMOJI, type EmojiEntry } from '../base/emoji.js';
import { deepActiveElement } from '../base/message-utils.js';
import { ImSubElement } from '../base/sub-element.js';
import { PopoverController } from '../controllers/popover-controller.js';
import { ImEmojiSelectEvent } from '../events.js';
import { emojiPickerStyles } from './emoji-picker.styles.js';

const COLUMNS = 8;

/**
 * @tagname im-emoji-picker
 * @summary A popup grid of Unicode emoji, placed next to an anchor element.
 *
 * `show(anchor)` opens it and focuses the first emoji; arrow keys move through the grid, Enter
 * picks, Escape (or a click elsewhere) closes, and focus returns to where it was.
 *
 * @event im-emoji-select - An emoji was picked. `detail: {emoji}`. Not composed.
 *
 * @csspart panel - The popup.
 * @csspart grid - The emoji grid.
 * @csspart emoji - One emoji button.
 */
export class ImEmojiPicker extends ImSubElement {
  static override styles = emojiPickerStyles;

  /** Accessible name of the popup. */
  @property() label = 'Choose an emoji';
  /** The emoji offered. */
  @property({ attribute: false }) emoji: readonly EmojiEntry[] = EMOJI;

  @state() private open = false;
  @query("[part~='panel']") private panel?: HTMLElement;

  private returnTo: HTMLElement | null = null;
  private anchor: Element | null = null;
  private readonly popup = new PopoverController(this, {
    panel: () => this.panel,
    place: (panel) => this.place(panel),
    inside: () => [this.anchor],
    onOutside: () => this.hide(false),
  });

  get isOpen(): boolean {
    return this.open;
  }

  async show(anchor: Element): Promise<void> {
    this.returnTo = deepActiveElement();
    this.anchor = anchor;
    this.open = true;
    await this.updateComplete;
    this.popup.show();
    this.buttons()[0]?.focus();
  }

  hide(returnFocus = true): void {
    if (!this.open) return;
    this.popup.hide();
    this.open = false;
    const target = this.returnTo;
    this.returnTo = null;
    if (returnFocus && target?.isConnected) target.focus();
  }

  /** Above the anchor when there is room, else below; inside the viewport. */
  private place(panel: HTMLElement): void {
    if (!this.anchor) return;
    const a = this.anchor.getBoundingClientRect();
    const p = panel.getBoundingClientRect();
    const margin = 8;
    let top = a.top - p.height - 4;
    if (top < margin) top = Math.min(a.bottom + 4, window.innerHeight - p.height - margin);
    const left = Math.min(Math.max(margin, a.left), window.innerWidth - p.width - margin);
    panel.style.top = `${Math.round(Math.max(margin, top))}px`;
    panel.style.left = `${Math.round(left)}px`;
  }

  private buttons(): HTMLButtonElement[] {
    return [...(this.panel?.querySelectorAll<HTMLButtonElement>("[part~='emoji']") ?? [])];
  }

  private onKeyDown(event: KeyboardEvent): void {
    const buttons = this.buttons();
    const index = buttons.indexOf(this.shadowRoot?.activeElement as HTMLButtonElement);
    let next = index;
    switch (event.key) {
      case 'ArrowRight':
        next = index + 1;
        break;
      case 'ArrowLeft':
        next = index - 1;
        break;
      case 'ArrowDown':
        next = index + COLUMNS;
        break;
      case 'ArrowUp':
        next = index - COLUMNS;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = buttons.length - 1;
        break;
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        this.hide();
        return;
      case 'Tab':
        this.hide(false);
        return;
      default:
        return;
    }
    event.preventDefault();
    buttons[Math.max(0, Math.min(buttons.length - 1, next))]?.focus();
  }

  private pick(emoji: string): void {
    this.hide();
    this.dispatchEvent(new ImEmojiSelectEvent({ emoji }));
  }

  override render() {
    return html`<div
      part="panel"
      role="dialog"
      aria-label=${this.label}
      popover="manual"
      ?hidden=${!this.open}
      @keydown=${this.onKeyDown}
    >
      <div part="grid" role="group" aria-label=${this.label}>
        ${
          this.open
            ? this.emoji.map(
                (e, i) =>
                  html`<button
                    part="emoji"
                    type="button"
                    tabindex=${i === 0 ? '0' : '-1'}
                    aria-label=${e.name}
                    title=${e.name}
                    @click=${() => this.pick(e.emoji)}
                  >
                    ${e.emoji}
                  </button>`,
              )
            : null
        }
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-emoji-picker': ImEmojiPicker;
  }
}
