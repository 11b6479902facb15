import { html } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ImSubElement } from '../base/sub-element.js';
import { PopoverController } from '../controllers/popover-controller.js';
import { ImMenuSelectEvent } from '../events.js';
import { messageActionsStyles } from './message-actions.styles.js';

export interface MenuItem {
  /** Sent back as `im-menu-select` `detail.action`. */
  id: string;
  label: string;
  /** Destructive (delete, recall). */
  danger?: boolean;
}

let nextID = 0;

/**
 * @tagname im-message-actions
 * @summary A "⋯" button that opens a menu of message actions (used inside `<im-message>`).
 *
 * The items are computed when the menu opens (`items` as a function), so time-limited actions
 * such as recall disappear once they no longer apply. Arrow keys, Home and End move, Enter picks,
 * Escape or Tab closes; the menu is a popover so it is never clipped by the scrolling log.
 *
 * @event im-menu-select - An item was picked. `detail: {action}`. Not composed.
 *
 * @csspart menu-button - The button that opens the menu.
 * @csspart menu - The menu.
 * @csspart menu-item - One item (also `menu-item-danger`).
 */
export class ImMessageActions extends ImSubElement {
  static override styles = messageActionsStyles;

  /** The items, or a function that returns them when the menu opens. */
  @property({ attribute: false }) items: MenuItem[] | (() => MenuItem[]) = [];
  /** Accessible name of the button and the menu. */
  @property() label = 'Message actions';

  /** The menu is open (reflected, so the host can stay visible meanwhile). */
  @property({ type: Boolean, reflect: true }) open = false;
  @state() private current: MenuItem[] = [];

  @query("[part~='menu']") private menu?: HTMLElement;
  @query("[part~='menu-button']") private button?: HTMLButtonElement;

  private readonly menuID = `im-menu-${++nextID}`;
  private readonly popup = new PopoverController(this, {
    panel: () => this.menu,
    place: (menu) => this.place(menu),
    onOutside: () => this.hide(false),
  });

  /** Open the menu and focus its first item. */
  async show(): Promise<void> {
    this.current = typeof this.items === 'function' ? this.items() : this.items;
    if (this.current.length === 0) return;
    this.open = true;
    await this.updateComplete;
    this.popup.show();
    this.itemButtons()[0]?.focus();
  }

  /** Close the menu; focus goes back to the button unless `returnFocus` is false. */
  hide(returnFocus = true): void {
    if (!this.open) return;
    this.popup.hide();
    this.open = false;
    if (returnFocus) this.button?.focus();
  }

  /** Below the button, right-aligned, kept inside the viewport. */
  private place(menu: HTMLElement): void {
    const button = this.button;
    if (!button) return;
    const b = button.getBoundingClientRect();
    const m = menu.getBoundingClientRect();
    const margin = 8;
    let top = b.bottom + 4;
    if (top + m.height > window.innerHeight - margin) top = Math.max(margin, b.top - m.height - 4);
    let left = b.right - m.width;
    left = Math.min(Math.max(margin, left), window.innerWidth - m.width - margin);
    menu.style.top = `${Math.round(top)}px`;
    menu.style.left = `${Math.round(left)}px`;
  }

  private itemButtons(): HTMLButtonElement[] {
    return [...(this.menu?.querySelectorAll<HTMLButtonElement>("[role='menuitem']") ?? [])];
  }

  private onMenuKeyDown(event: KeyboardEvent): void {
    const items = this.itemButtons();
    const index = items.indexOf(this.shadowRoot?.activeElement as HTMLButtonElement);
    let next = -1;
    switch (event.key) {
      case 'ArrowDown':
        next = (index + 1) % items.length;
        break;
      case 'ArrowUp':
        next = (index - 1 + items.length) % items.length;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = items.length - 1;
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
    items[next]?.focus();
  }

  private onButtonKeyDown(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      void this.show();
    }
  }

  private toggle(): void {
    if (this.open) this.hide();
    else void this.show();
  }

  private select(item: MenuItem): void {
    this.hide();
    this.dispatchEvent(new ImMenuSelectEvent({ action: item.id }));
  }

  override render() {
    return html`<button
        part="menu-button"
        type="button"
        aria-label=${this.label}
        aria-haspopup="menu"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls=${this.menuID}
        @click=${this.toggle}
        @keydown=${this.onButtonKeyDown}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      <div
        part="menu"
        id=${this.menuID}
        role="menu"
        aria-label=${this.label}
        popover="manual"
        class=${this.open ? 'open' : ''}
        ?hidden=${!this.open}
        @keydown=${this.onMenuKeyDown}
      >
        ${this.current.map(
          (item) =>
            html`<button
              part=${item.danger ? 'menu-item menu-item-danger' : 'menu-item'}
              type="button"
              role="menuitem"
              tabindex="-1"
              data-action=${item.id}
              @click=${() => this.select(item)}
            >
              ${item.label}
            </button>`,
        )}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-message-actions': ImMessageActions;
  }
}
