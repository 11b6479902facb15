import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatClient, IMEvent } from '../../core/client-types.js';
import { EVENT, type NetState } from '../../protocol/constants.js';
import type { Conversation } from '../../protocol/types.js';
import {
  conversationAvatar,
  conversationName,
  conversationPreview,
  formatListTime,
  initials,
  isoTime,
  unreadLabel,
} from '../base/format.js';
import { ImElement } from '../base/im-element.js';
import { safeUrl } from '../base/message-utils.js';
import { ClientEventsController } from '../controllers/client-events-controller.js';
import { ImConversationSelectEvent } from '../events.js';
import { conversationListStyles } from './conversation-list.styles.js';

const BANNER_TEXT: Record<NetState, string> = {
  connected: '',
  connecting: 'Connecting…',
  disconnected: 'Disconnected — showing saved conversations',
};

/**
 * @tagname im-conversation-list
 * @summary The user's conversations, newest activity first, with unread badges.
 *
 * Paints from the client's cache as soon as the client exists (before the socket is up), follows
 * `CONVERSATION_LIST_UPDATED`, and shows a banner while the connection is not up. Select with a
 * click, or focus with the arrow keys / Home / End and press Enter or Space.
 *
 * @attr selected - The selected conversation ID (set on selection; may be set by the page).
 * @attr theme - `light` or `dark`; unset follows `prefers-color-scheme`.
 * @attr server - Standalone only (ignored inside `<im-provider>`): IM server base URL.
 * @attr app-id - Standalone only: SDKAppID.
 * @attr user-id - Standalone only: the user to log in as.
 * @attr user-sig - Standalone only: that user's UserSig.
 *
 * @event im-conversation-select - A conversation was chosen. `detail: {conversationID, conversation}`.
 * @event im-error - Loading failed, or the standalone client could not be created. `detail: {code, message}`.
 *
 * @csspart base - The wrapper around banner and list.
 * @csspart banner - The connection banner (hidden while connected).
 * @csspart list - The listbox.
 * @csspart item - One conversation (also `item-selected` when selected, `item-unread` with unread).
 * @csspart avatar - The avatar image or initials.
 * @csspart item-body - Name, time, preview and badge.
 * @csspart name - The conversation name.
 * @csspart time - Time of the last message.
 * @csspart preview - The last message preview.
 * @csspart badge - The unread count (99+ above 99).
 * @csspart empty - The empty / loading state.
 *
 * @cssprop [--im-color-primary=#1560d4] - Accent (focus ring, initials background).
 * @cssprop [--im-color-on-primary=#ffffff] - Text on the accent.
 * @cssprop [--im-color-bg=#ffffff] - Background.
 * @cssprop [--im-color-surface=#f1f3f6] - Hover background.
 * @cssprop [--im-color-selected=#e2ecfc] - Selected row background.
 * @cssprop [--im-color-text=#1a1d23] - Text.
 * @cssprop [--im-color-muted=#59616d] - Secondary text.
 * @cssprop [--im-color-border=#d8dde4] - Separators.
 * @cssprop [--im-color-badge=#c5221f] - Unread badge background.
 * @cssprop [--im-color-on-badge=#ffffff] - Unread badge text.
 * @cssprop [--im-color-banner=#fff4d6] - Connection banner background.
 * @cssprop [--im-radius=10px] - Corner radius.
 * @cssprop [--im-font-family=system-ui] - Font family.
 * @cssprop [--im-font-size=14px] - Base font size.
 * @cssprop [--im-spacing=8px] - Spacing unit.
 * @cssprop [--im-avatar-size=40px] - Avatar size.
 */
export class ImConversationList extends ImElement {
  static override styles = conversationListStyles;

  /** The selected conversation ID. */
  @property({ reflect: true }) selected?: string;

  @state() private conversations: Conversation[] = [];
  @state() private loaded = false;
  @state() private netState: NetState = 'connected';
  @state() private focusIndex = -1;

  private loadToken = 0;

  constructor() {
    super();
    new ClientEventsController(this, this.clients, {
      [EVENT.CONVERSATION_LIST_UPDATED]: (event: IMEvent<Conversation[]>) => {
        if (Array.isArray(event.data)) {
          this.loadToken++;
          this.conversations = event.data;
          this.loaded = true;
        } else {
          void this.load();
        }
      },
      [EVENT.NET_STATE_CHANGE]: (event: IMEvent<{ state: NetState }>) => {
        if (event.data?.state) this.netState = event.data.state;
      },
      [EVENT.SDK_READY]: () => void this.load(),
    });
  }

  protected override clientChanged(client: ChatClient | null): void {
    this.loadToken++;
    if (!client) {
      this.conversations = [];
      this.loaded = false;
      this.netState = 'connected';
      return;
    }
    this.netState = client.getNetState();
    void this.load();
  }

  /** Reload the list from the client. */
  async load(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const token = ++this.loadToken;
    try {
      const res = await client.getConversationList();
      if (token !== this.loadToken) return;
      this.conversations = res.data.conversationList;
      this.loaded = true;
    } catch (error) {
      // Before login completes the list may not be servable yet; SDK_READY reloads it.
      if (token === this.loadToken && client.isReady()) this.fail(error);
    }
  }

  private select(index: number): void {
    const conversation = this.conversations[index];
    if (!conversation) return;
    this.focusIndex = index;
    this.selected = conversation.conversationID;
    this.dispatchEvent(
      new ImConversationSelectEvent({ conversationID: conversation.conversationID, conversation }),
    );
  }

  private currentFocusIndex(): number {
    const count = this.conversations.length;
    if (this.focusIndex >= 0 && this.focusIndex < count) return this.focusIndex;
    const selectedIndex = this.conversations.findIndex((c) => c.conversationID === this.selected);
    return selectedIndex >= 0 ? selectedIndex : 0;
  }

  private async moveFocus(index: number): Promise<void> {
    const count = this.conversations.length;
    if (count === 0) return;
    this.focusIndex = Math.max(0, Math.min(count - 1, index));
    await this.updateComplete;
    this.renderRoot
      .querySelector<HTMLElement>(`[part~='item'][data-index='${this.focusIndex}']`)
      ?.focus();
  }

  private onKeyDown(event: KeyboardEvent): void {
    const current = this.currentFocusIndex();
    switch (event.key) {
      case 'ArrowDown':
        void this.moveFocus(current + 1);
        break;
      case 'ArrowUp':
        void this.moveFocus(current - 1);
        break;
      case 'Home':
        void this.moveFocus(0);
        break;
      case 'End':
        void this.moveFocus(this.conversations.length - 1);
        break;
      case 'Enter':
      case ' ':
        this.select(current);
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  private onClick(event: Event): void {
    const item = (event.target as HTMLElement).closest<HTMLElement>("[part~='item']");
    if (item) this.select(Number(item.dataset.index));
  }

  private onFocusIn(event: FocusEvent): void {
    const item = (event.target as HTMLElement).closest<HTMLElement>("[part~='item']");
    if (item) this.focusIndex = Number(item.dataset.index);
  }

  private renderItem(c: Conversation, index: number, focusIndex: number) {
    const name = conversationName(c);
    const avatar = safeUrl(conversationAvatar(c));
    const isSelected = c.conversationID === this.selected;
    const unread = c.unreadCount > 0;
    const time = c.lastMessage?.lastTime ?? 0;
    const parts = ['item', isSelected ? 'item-selected' : '', unread ? 'item-unread' : '']
      .filter(Boolean)
      .join(' ');
    return html`<div
      part=${parts}
      role="option"
      aria-selected=${isSelected ? 'true' : 'false'}
      tabindex=${index === focusIndex ? '0' : '-1'}
      data-index=${index}
      data-conversation-id=${c.conversationID}
    >
      ${
        avatar
          ? html`<img part="avatar" class="avatar" src=${avatar} alt="" />`
          : html`<span part="avatar" class="avatar" aria-hidden="true">${initials(name)}</span>`
      }
      <div part="item-body">
        <div class="row">
          <span part="name">${name}</span>
          ${
            time
              ? html`<time part="time" datetime=${isoTime(time)}>${formatListTime(time)}</time>`
              : nothing
          }
        </div>
        <div class="row">
          <span part="preview">${conversationPreview(c)}</span>
          ${
            unread
              ? html`<span part="badge"
                  >${unreadLabel(c.unreadCount)}<span class="visually-hidden"> unread</span></span
                >`
              : nothing
          }
        </div>
      </div>
    </div>`;
  }

  override render() {
    const banner = this.client ? BANNER_TEXT[this.netState] : '';
    const focusIndex = this.currentFocusIndex();
    return html`<div part="base">
      <div part="banner" role="status" class=${banner ? '' : 'idle'}>${banner || nothing}</div>
      ${
        this.conversations.length
          ? html`<div
              part="list"
              role="listbox"
              aria-label="Conversations"
              @keydown=${this.onKeyDown}
              @click=${this.onClick}
              @focusin=${this.onFocusIn}
            >
              ${repeat(
                this.conversations,
                (c) => c.conversationID,
                (c, i) => this.renderItem(c, i, focusIndex),
              )}
            </div>`
          : html`<p part="empty" class="state">
              ${this.loaded ? 'No conversations yet' : this.client ? 'Loading…' : 'Not signed in'}
            </p>`
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-conversation-list': ImConversationList;
  }
}
