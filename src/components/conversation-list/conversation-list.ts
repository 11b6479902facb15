import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ChatClient, IMEvent } from '../../core/client-types.js';
import { LIFECYCLE_EVENT, type TypingEventData } from '../../core/internal-events.js';
import { EVENT, TYPES, type NetState } from '../../protocol/constants.js';
import type { Conversation } from '../../protocol/types.js';
import { conversationName } from '../base/format.js';
import { ImElement } from '../base/im-element.js';
import { ClientEventsController } from '../controllers/client-events-controller.js';
import { ImConversationSelectEvent } from '../events.js';
import { menuItems, renderMenu, type MenuItem } from './conversation-menu.js';
import { hasMark, renderRow } from './conversation-row.js';
import { conversationListStyles } from './conversation-list.styles.js';

const BANNER_TEXT: Record<NetState, string> = {
  connected: '',
  connecting: 'Connecting…',
  disconnected: 'Disconnected — showing saved conversations',
};

/** Rows rendered above and below the visible ones. */
const OVERSCAN = 6;
/** Rows rendered before the list has been measured. */
const INITIAL_ROWS = 20;
/** A typing indicator without a stop notice ends after this long. */
const TYPING_MS = 6000;

type Tab = 'all' | 'unread' | 'starred' | 'folded' | `group:${string}`;

interface StatusEntry {
  userID: string;
  statusType: number;
}

/** The open context menu. */
export interface MenuState {
  render(host: ImConversationList, menu: MenuState): unknown;
  items: MenuItem[];
  x: number;
  y: number;
}

/**
 * @tagname im-conversation-list
 * @summary The user's conversations: pinned first, then by last activity, with unread badges.
 *
 * Paints from the client's cache as soon as the client exists (before the socket is up), follows
 * `CONVERSATION_LIST_UPDATED`, and shows a banner while the connection is not up. Rows are
 * virtualized (only the visible rows plus a few are in the DOM), so lists of 10,000 stay smooth.
 * A search box filters by name; tabs filter by unread, starred, folded (FOLD mark: left out of
 * All, shown only while any exists) and the user's conversation groups; hidden conversations
 * (HIDE mark) are left out. Each row shows the unread count (a dot when the
 * conversation is muted or marked unread), an @me / @all marker, the draft, a typing indicator and,
 * for 1:1 chats, the peer's online status from `USER_STATUS_UPDATED` (the element calls
 * `subscribeUserStatus` for the peers it shows when the client has it).
 *
 * Keyboard: arrow keys / Home / End / Page Up / Page Down move the focus, Enter or Space selects,
 * the context-menu key or Shift+F10 opens the row's menu (also on right click): pin, mark read or
 * unread, mute, star, move to / remove from a conversation group, delete. Escape closes it.
 *
 * @attr selected - The selected conversation ID (set on selection; may be set by the page).
 * @attr row-height - Height of one row in pixels (default 64); rows are laid out at this pitch.
 * @attr theme - `light` or `dark`; unset follows `prefers-color-scheme`.
 * @attr server - Standalone only (ignored inside `<im-provider>`): IM server base URL.
 * @attr app-id - Standalone only: SDKAppID.
 * @attr user-id - Standalone only: the user to log in as.
 * @attr user-sig - Standalone only: that user's UserSig.
 *
 * @event im-conversation-select - A conversation was chosen. `detail: {conversationID, conversation}`.
 * @event im-error - Loading or a menu action failed, or the standalone client could not be created. `detail: {code, message}`.
 *
 * @csspart base - The wrapper around banner, toolbar and list.
 * @csspart banner - The connection banner (hidden while connected).
 * @csspart search - The search box.
 * @csspart tabs - The filter tabs; `tab` each (`tab-selected` for the current one).
 * @csspart list - The listbox (the scrolling viewport).
 * @csspart item - One conversation (also `item-selected`, `item-unread`, `item-pinned`).
 * @csspart avatar - The avatar image or initials.
 * @csspart status - The online status dot of a 1:1 peer (`status-online` / `status-offline`).
 * @csspart item-body - Name, time, preview and badge.
 * @csspart name - The conversation name.
 * @csspart pin - The pinned marker.
 * @csspart time - Time of the last message.
 * @csspart preview - The last message preview (or draft, or typing).
 * @csspart at - The @me / @all marker.
 * @csspart draft - The draft label.
 * @csspart typing - The typing indicator.
 * @csspart muted - The muted marker.
 * @csspart badge - The unread count (99+ above 99).
 * @csspart dot - The unread dot (muted conversation, or marked unread).
 * @csspart menu - The context menu; `menu-item` each.
 * @csspart empty - The empty / loading / no-match state.
 *
 * @cssprop [--im-color-primary=#1560d4] - Accent (focus ring, initials background, selected tab).
 * @cssprop [--im-color-on-primary=#ffffff] - Text on the accent.
 * @cssprop [--im-color-bg=#ffffff] - Background.
 * @cssprop [--im-color-surface=#f1f3f6] - Hover background.
 * @cssprop [--im-color-selected=#e2ecfc] - Selected row background.
 * @cssprop [--im-color-text=#1a1d23] - Text.
 * @cssprop [--im-color-muted=#59616d] - Secondary text.
 * @cssprop [--im-color-border=#d8dde4] - Separators.
 * @cssprop [--im-color-badge=#c5221f] - Unread badge and dot background, @ and draft labels.
 * @cssprop [--im-color-on-badge=#ffffff] - Unread badge text.
 * @cssprop [--im-color-online=#1e8e3e] - Online status dot.
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
  /** Row pitch in pixels. */
  @property({ type: Number, attribute: 'row-height' }) rowHeight = 64;

  @state() private conversations: Conversation[] = [];
  @state() private loaded = false;
  @state() private netState: NetState = 'connected';
  @state() private focusIndex = -1;
  @state() private query = '';
  @state() private tab: Tab = 'all';
  @state() private groupNames: string[] = [];
  @state() private listTop = 0;
  @state() private viewport = 0;
  @state() private typing = new Map<string, number>();
  @state() private statuses = new Map<string, number>();
  @state() private menu: MenuState | null = null;

  private loadToken = 0;
  private resizer: ResizeObserver | null = null;
  private subscribed = new Set<string>();
  private typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private visibleCache: { source: unknown[]; key: string; list: Conversation[] } | null = null;

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
      [EVENT.SDK_READY]: () => {
        void this.load();
        void this.loadGroups();
      },
      [EVENT.CONVERSATION_GROUP_LIST_UPDATED]: (event: IMEvent<string[]>) => {
        if (Array.isArray(event.data)) this.setGroups(event.data);
      },
      [EVENT.USER_STATUS_UPDATED]: (event: IMEvent<StatusEntry[]>) => {
        const list = event.data;
        if (!Array.isArray(list)) return;
        const next = new Map(this.statuses);
        for (const s of list) next.set(s.userID, s.statusType);
        this.statuses = next;
      },
      [LIFECYCLE_EVENT.TYPING]: (event: IMEvent<TypingEventData>) => {
        if (event.data) this.setTyping(event.data.conversationID, event.data.typing);
      },
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (typeof ResizeObserver === 'function') {
      this.resizer = new ResizeObserver(() => this.measure());
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizer?.disconnect();
    this.resizer = null;
    for (const t of this.typingTimers.values()) clearTimeout(t);
    this.typingTimers.clear();
  }

  protected override clientChanged(client: ChatClient | null): void {
    this.loadToken++;
    this.subscribed.clear();
    if (!client) {
      this.conversations = [];
      this.groupNames = [];
      this.loaded = false;
      this.netState = 'connected';
      return;
    }
    this.netState = client.getNetState();
    void this.load();
    void this.loadGroups();
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

  private async loadGroups(): Promise<void> {
    const client = this.client;
    if (!client?.isReady() || typeof client.getConversationGroupList !== 'function') return;
    try {
      const res = await client.getConversationGroupList();
      if (client === this.client && Array.isArray(res.data)) this.setGroups(res.data);
    } catch {
      // Conversation groups are optional: the tabs simply leave them out.
    }
  }

  private setGroups(names: string[]): void {
    this.groupNames = [...names];
    if (this.tab.startsWith('group:') && !names.includes(this.tab.slice(6))) this.tab = 'all';
  }

  private setTyping(conversationID: string, typing: boolean): void {
    clearTimeout(this.typingTimers.get(conversationID));
    this.typingTimers.delete(conversationID);
    const next = new Map(this.typing);
    if (typing) {
      next.set(conversationID, 1);
      this.typingTimers.set(
        conversationID,
        setTimeout(() => this.setTyping(conversationID, false), TYPING_MS),
      );
    } else next.delete(conversationID);
    this.typing = next;
  }

  /** The conversations shown: not hidden, in the current tab, matching the search. */
  private visible(): Conversation[] {
    const key = `${this.tab}\u0000${this.query}`;
    const cached = this.visibleCache;
    if (cached && cached.source === this.conversations && cached.key === key) return cached.list;
    const q = this.query.trim().toLowerCase();
    const tab = this.tab;
    const list = this.conversations.filter(
      (c) =>
        !hasMark(c, TYPES.CONV_MARK_TYPE_HIDE) &&
        ((tab === 'all' && !hasMark(c, TYPES.CONV_MARK_TYPE_FOLD)) ||
          (tab === 'folded' && hasMark(c, TYPES.CONV_MARK_TYPE_FOLD)) ||
          (tab === 'unread' && (c.unreadCount > 0 || hasMark(c, TYPES.CONV_MARK_TYPE_UNREAD))) ||
          (tab === 'starred' && hasMark(c, TYPES.CONV_MARK_TYPE_STAR)) ||
          (tab.startsWith('group:') && !!c.conversationGroupList?.includes(tab.slice(6)))) &&
        (!q || conversationName(c).toLowerCase().includes(q)),
    );
    this.visibleCache = { source: this.conversations, key, list };
    return list;
  }

  private listEl(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>("[part~='list']");
  }

  private measure(): void {
    const list = this.listEl();
    if (list) {
      this.viewport = list.clientHeight;
      this.listTop = list.scrollTop;
    }
  }

  private range(count: number): [number, number] {
    const h = this.rowHeight;
    if (this.viewport <= 0) return [0, Math.min(count, INITIAL_ROWS)];
    const start = Math.max(0, Math.floor(this.listTop / h) - OVERSCAN);
    const end = Math.min(count, Math.ceil((this.listTop + this.viewport) / h) + OVERSCAN);
    return [start, end];
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const list = this.listEl();
    if (list && this.resizer && !list.dataset.observed) {
      list.dataset.observed = '1';
      this.resizer.observe(list);
      this.measure();
    }
    this.subscribeShown();
  }

  /** Subscribe the status of C2C peers on screen, when the client can (USER_STATUS_UPDATED). */
  private subscribeShown(): void {
    const client = this.client as (ChatClient & { subscribeUserStatus?: unknown }) | null;
    if (!client || typeof client.subscribeUserStatus !== 'function' || !client.isReady()) return;
    const list = this.visible();
    const [start, end] = this.range(list.length);
    const fresh: string[] = [];
    for (const c of list.slice(start, end)) {
      if (c.type !== 'C2C') continue;
      const userID = c.conversationID.slice(3);
      if (!this.subscribed.has(userID)) fresh.push(userID);
    }
    if (fresh.length === 0) return;
    for (const id of fresh) this.subscribed.add(id);
    const subscribe = client.subscribeUserStatus as (o: {
      userIDList: string[];
    }) => Promise<unknown>;
    subscribe.call(client, { userIDList: fresh.slice(0, 100) }).catch(() => {
      for (const id of fresh) this.subscribed.delete(id);
    });
  }

  private select(index: number): void {
    const conversation = this.visible()[index];
    if (!conversation) return;
    this.focusIndex = index;
    this.selected = conversation.conversationID;
    this.dispatchEvent(
      new ImConversationSelectEvent({ conversationID: conversation.conversationID, conversation }),
    );
  }

  private currentFocusIndex(): number {
    const list = this.visible();
    if (this.focusIndex >= 0 && this.focusIndex < list.length) return this.focusIndex;
    const selectedIndex = list.findIndex((c) => c.conversationID === this.selected);
    return selectedIndex >= 0 ? selectedIndex : 0;
  }

  /** Scroll row `index` into the viewport and focus it. */
  private async moveFocus(index: number): Promise<void> {
    const count = this.visible().length;
    if (count === 0) return;
    this.focusIndex = Math.max(0, Math.min(count - 1, index));
    const list = this.listEl();
    if (list) {
      const h = this.rowHeight;
      const top = this.focusIndex * h;
      const viewport = list.clientHeight || this.viewport;
      if (top < list.scrollTop) list.scrollTop = top;
      else if (top + h > list.scrollTop + viewport) list.scrollTop = top + h - viewport;
      this.listTop = list.scrollTop;
      this.viewport = viewport;
    }
    await this.updateComplete;
    this.rowEl(this.focusIndex)?.focus();
  }

  private rowEl(index: number): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`[part~='item'][data-index='${index}']`);
  }

  private onKeyDown(event: KeyboardEvent): void {
    const current = this.currentFocusIndex();
    const page = Math.max(1, Math.floor((this.viewport || this.rowHeight) / this.rowHeight) - 1);
    switch (event.key) {
      case 'ArrowDown':
        void this.moveFocus(current + 1);
        break;
      case 'ArrowUp':
        void this.moveFocus(current - 1);
        break;
      case 'PageDown':
        void this.moveFocus(current + page);
        break;
      case 'PageUp':
        void this.moveFocus(current - page);
        break;
      case 'Home':
        void this.moveFocus(0);
        break;
      case 'End':
        void this.moveFocus(this.visible().length - 1);
        break;
      case 'Enter':
      case ' ':
        this.select(current);
        break;
      case 'ContextMenu':
        void this.openMenu(current);
        break;
      case 'F10':
        if (!event.shiftKey) return;
        void this.openMenu(current);
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  private indexOf(event: Event): number {
    const item = (event.target as HTMLElement).closest<HTMLElement>("[part~='item']");
    return item ? Number(item.dataset.index) : -1;
  }

  private onClick(event: Event): void {
    const index = this.indexOf(event);
    if (index >= 0) this.select(index);
  }

  private onContextMenu(event: MouseEvent): void {
    const index = this.indexOf(event);
    if (index < 0) return;
    event.preventDefault();
    this.focusIndex = index;
    void this.openMenu(index, event.clientX, event.clientY);
  }

  private onFocusIn(event: FocusEvent): void {
    const index = this.indexOf(event);
    if (index >= 0) this.focusIndex = index;
  }

  private onScroll(): void {
    const list = this.listEl();
    if (list) this.listTop = list.scrollTop;
  }

  /** Open the menu of row `index` (at the pointer, or below the row) and focus its first item. */
  async openMenu(index: number, x?: number, y?: number): Promise<void> {
    const c = this.visible()[index];
    if (!c) return;
    const row = this.rowEl(index)?.getBoundingClientRect();
    const host = this.getBoundingClientRect();
    this.menu = {
      render: renderMenu,
      items: menuItems(c, this.groupNames),
      x: (x ?? (row ? row.left + 24 : host.left)) - host.left,
      y: (y ?? (row ? row.bottom : host.top)) - host.top,
    };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("[part~='menu-item']")?.focus();
  }

  /** Close the menu (focus back on the row unless focus went elsewhere). */
  closeMenu(refocus = true): void {
    this.menu = null;
    if (refocus) void this.moveFocus(this.currentFocusIndex());
  }

  /** Run one menu action; failures come out as im-error. */
  async runMenuItem(item: MenuItem): Promise<void> {
    const client = this.client;
    this.closeMenu();
    if (!client) return;
    try {
      await item.run(client);
    } catch (error) {
      this.fail(error);
    }
  }

  private renderTabs() {
    const tabs: [Tab, string][] = [
      ['all', 'All'],
      ['unread', 'Unread'],
      ['starred', 'Starred'],
      ...(this.conversations.some((c) => hasMark(c, TYPES.CONV_MARK_TYPE_FOLD))
        ? [['folded', 'Folded'] as [Tab, string]]
        : []),
      ...this.groupNames.map((n): [Tab, string] => [`group:${n}`, n]),
    ];
    return html`<div part="tabs" role="toolbar" aria-label="Filter conversations">
      ${tabs.map(
        ([tab, label]) =>
          html`<button
            part=${tab === this.tab ? 'tab tab-selected' : 'tab'}
            aria-pressed=${tab === this.tab ? 'true' : 'false'}
            data-tab=${tab}
            @click=${() => {
              this.tab = tab;
              this.focusIndex = -1;
            }}
          >
            ${label}
          </button>`,
      )}
    </div>`;
  }

  private renderList(list: Conversation[]) {
    const focusIndex = this.currentFocusIndex();
    const [start, end] = this.range(list.length);
    const h = this.rowHeight;
    const rows = [];
    const focusRendered = focusIndex >= start && focusIndex < end;
    for (let i = start; i < end; i++) {
      const c = list[i];
      rows.push(
        renderRow(c, {
          index: i,
          count: list.length,
          top: i * h,
          selected: c.conversationID === this.selected,
          focusable: focusRendered ? i === focusIndex : i === start,
          typing: this.typing.has(c.conversationID),
          status: c.type === 'C2C' ? this.statuses.get(c.conversationID.slice(3)) : undefined,
        }),
      );
    }
    return html`<div
      part="list"
      role="listbox"
      aria-label="Conversations"
      style="--_im-row-height: ${h}px"
      @keydown=${this.onKeyDown}
      @click=${this.onClick}
      @contextmenu=${this.onContextMenu}
      @focusin=${this.onFocusIn}
      @scroll=${this.onScroll}
    >
      <div class="spacer" style="height: ${list.length * h}px">${rows}</div>
    </div>`;
  }

  override render() {
    const banner = this.client ? BANNER_TEXT[this.netState] : '';
    const list = this.visible();
    const filtering = this.query.trim() !== '' || this.tab !== 'all';
    const menu = this.menu;
    return html`<div part="base">
      <div part="banner" role="status" class=${banner ? '' : 'idle'}>${banner || nothing}</div>
      <input
        part="search"
        type="search"
        placeholder="Search"
        aria-label="Search conversations"
        .value=${this.query}
        @input=${(e: Event) => {
          this.query = (e.target as HTMLInputElement).value;
          this.focusIndex = -1;
        }}
      />
      ${this.renderTabs()}
      ${
        list.length
          ? this.renderList(list)
          : html`<p part="empty" class="state">
              ${
                filtering && this.conversations.length
                  ? 'No matching conversations'
                  : this.loaded
                    ? 'No conversations yet'
                    : this.client
                      ? 'Loading…'
                      : 'Not signed in'
              }
            </p>`
      }
      ${menu ? menu.render(this, menu) : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-conversation-list': ImConversationList;
  }
}
