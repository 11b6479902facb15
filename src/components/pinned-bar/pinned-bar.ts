import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Message } from '../../protocol/types.js';
import { senderName } from '../base/format.js';
import { pinIcon } from '../base/icons.js';
import { messageAbstract } from '../base/message-utils.js';
import { ImSubElement } from '../base/sub-element.js';
import { ImMessageActionEvent } from '../events.js';
import { pinnedBarStyles } from './pinned-bar.styles.js';

/**
 * @tagname im-pinned-bar
 * @summary The pinned messages of a group above `<im-chat>`'s history, one at a time.
 *
 * Clicking the message asks to jump to it (`im-message-action` `quote`); with several pins a
 * button shows the next; owners and admins get an unpin button (`unpin`).
 *
 * @event im-message-action - `{action: 'quote' | 'unpin', message, messageID?}`. Not composed.
 *
 * @csspart bar - The row.
 * @csspart pinned-icon - The pin icon.
 * @csspart pinned-message - The shown pin (a button).
 * @csspart pinned-count - `2/3`.
 * @csspart pinned-text - Sender and abstract.
 * @csspart pinned-next - Next pin.
 * @csspart unpin-button - Unpin the shown message.
 */
export class ImPinnedBar extends ImSubElement {
  static override styles = pinnedBarStyles;

  /** Pinned messages, newest pin first. */
  @property({ attribute: false }) messages: readonly Message[] = [];
  /** Show the unpin button. */
  @property({ type: Boolean, attribute: 'can-unpin' }) canUnpin = false;

  @state() private index = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('messages') && this.index >= this.messages.length) this.index = 0;
  }

  private act(action: 'quote' | 'unpin', message: Message): void {
    this.dispatchEvent(new ImMessageActionEvent({ action, message, messageID: message.ID }));
  }

  override render() {
    const list = this.messages;
    if (!list.length) return nothing;
    const index = this.index % list.length;
    const m = list[index];
    return html`<div part="bar" role="region" aria-label="Pinned messages">
      <span part="pinned-icon">${pinIcon}</span>
      <button part="pinned-message" type="button" @click=${() => this.act('quote', m)}>
        ${
          list.length > 1
            ? html`<span part="pinned-count">${index + 1}/${list.length}</span>`
            : nothing
        }
        <span part="pinned-text">${senderName(m)}: ${messageAbstract(m)}</span>
      </button>
      ${
        list.length > 1
          ? html`<button
              part="pinned-next"
              type="button"
              aria-label="Next pinned message"
              @click=${() => (this.index = index + 1)}
            >
              <span aria-hidden="true">▾</span>
            </button>`
          : nothing
      }
      ${
        this.canUnpin
          ? html`<button
              part="unpin-button"
              type="button"
              aria-label="Unpin"
              @click=${() => this.act('unpin', m)}
            >
              <span aria-hidden="true">×</span>
            </button>`
          : nothing
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-pinned-bar': ImPinnedBar;
  }
}
