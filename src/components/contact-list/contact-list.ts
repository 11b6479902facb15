import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { LazyViewElement, type LazyView } from '../base/lazy-view-element.js';
import { themeStyles } from '../base/theme.styles.js';
import { kit } from './kit.js';

/**
 * @tagname im-contact-list
 * @summary Friends grouped by friend group with online dots, friend requests, and the blocklist.
 *
 * Three tabs: **Friends** (one section per friend group, then the friends in none; a status dot
 * per friend, read once and then kept by `USER_STATUS_UPDATED`, which reaches a user for their
 * friends without a subscription), **Requests**
 * (incoming ones with Accept / Refuse, outgoing ones marked pending; opening the tab marks them
 * read) and **Blocked** (with Unblock). "Add friend" opens a dialog (loaded on first use) that
 * looks a user up by ID and sends the request. Every list follows the client's events, so a change
 * made in another tab or on another device shows at once.
 *
 * @attr tab - The open tab: `friends` (default), `requests` or `blocked`.
 * @attr theme - `light` or `dark`; unset follows `prefers-color-scheme`.
 * @attr server - Standalone only (ignored inside `<im-provider>`): IM server base URL.
 * @attr app-id - Standalone only: SDKAppID.
 * @attr user-id - Standalone only: the user to log in as.
 * @attr user-sig - Standalone only: that user's UserSig.
 *
 * @event im-contact-select - A friend was chosen. `detail: {userID, conversationID, friend}`.
 * @event im-error - An action failed. `detail: {code, message}`.
 *
 * @csspart base - The wrapper.
 * @csspart tabs - The tab bar; each tab is a `tab` (`tab-selected` when open).
 * @csspart tab-badge - Unread friend requests on the Requests tab.
 * @csspart add-button - Opens the add-friend dialog.
 * @csspart panel - The open tab's content.
 * @csspart group-heading - A friend group's name and count.
 * @csspart item - One row (friend, request or blocked user).
 * @csspart avatar - The avatar image or initials.
 * @csspart name - The display name (remark, nick, or userID).
 * @csspart detail - Secondary text (custom status, request wording).
 * @csspart status - The status dot (also `status-online` / `status-offline`).
 * @csspart accept-button - Accepts a request (two-way friends).
 * @csspart refuse-button - Refuses a request.
 * @csspart unblock-button - Removes a user from the blocklist.
 * @csspart empty - The empty state.
 *
 * @cssprop [--im-color-status-online=#1e9e4a] - Online dot.
 * @cssprop [--im-color-status-offline=#9aa1ab] - Offline dot.
 * @cssprop [--im-color-primary=#1560d4] - Accent.
 * @cssprop [--im-color-bg=#ffffff] - Background.
 * @cssprop [--im-color-surface=#f1f3f6] - Hover background.
 * @cssprop [--im-color-text=#1a1d23] - Text.
 * @cssprop [--im-color-muted=#59616d] - Secondary text.
 * @cssprop [--im-color-border=#d8dde4] - Separators.
 * @cssprop [--im-avatar-size=40px] - Avatar size.
 */
export class ImContactList extends LazyViewElement {
  static override styles = themeStyles;

  /** The open tab. */
  @property({ reflect: true }) tab: 'friends' | 'requests' | 'blocked' = 'friends';

  protected loadView(): Promise<LazyView> {
    return import('./contact-list-view.js').then(
      ({ contactListView }) => new (contactListView(kit))(this),
    );
  }

  override render() {
    return this.view
      ? this.view.render()
      : html`<p part="empty" class="state">${this.client ? 'Loading…' : 'Not signed in'}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-contact-list': ImContactList;
  }
}
