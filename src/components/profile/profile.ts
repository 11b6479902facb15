import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { LazyViewElement, type LazyView } from '../base/lazy-view-element.js';
import { themeStyles } from '../base/theme.styles.js';
import { kit } from '../contact-list/kit.js';

/**
 * @tagname im-profile
 * @summary A user's profile card with their status; for the signed-in user, an editor of their
 * profile and custom status.
 *
 * Shows avatar, name, user ID, signature and the online status (with the custom status) of
 * `profile-id`, following `PROFILE_UPDATED` and `USER_STATUS_UPDATED` (it subscribes to the user's
 * status). For another user it offers Send message (an `im-profile-message` event), Add friend
 * (sends a request) and Block / Unblock. For the signed-in user (no `profile-id`, or their own)
 * "Edit profile" opens an editor (loaded on first use) for nick, avatar URL, signature, gender,
 * who may add them, and the custom status.
 *
 * @attr profile-id - The user to show; unset shows the signed-in user.
 * @attr theme - `light` or `dark`; unset follows `prefers-color-scheme`.
 * @attr server - Standalone only (ignored inside `<im-provider>`): IM server base URL.
 * @attr app-id - Standalone only: SDKAppID.
 * @attr user-id - Standalone only: the user to log in as.
 * @attr user-sig - Standalone only: that user's UserSig.
 *
 * @event im-profile-message - "Send message" on another user. `detail: {userID, conversationID}`.
 * @event im-profile-updated - The signed-in user saved their profile. `detail: {profile}`.
 * @event im-error - Loading or an action failed. `detail: {code, message}`.
 *
 * @csspart base - The card.
 * @csspart avatar - The avatar image or initials.
 * @csspart name - The nick (or user ID).
 * @csspart user-id - The user ID.
 * @csspart status - The status dot (also `status-online` / `status-offline`).
 * @csspart status-text - "Online" / "Offline" and the custom status.
 * @csspart signature - The signature.
 * @csspart actions - The buttons.
 * @csspart message-button - Send message.
 * @csspart add-friend-button - Add friend.
 * @csspart block-button - Block or Unblock.
 * @csspart edit-button - Edit profile (own profile).
 * @csspart notice - The outcome of the last action.
 *
 * @cssprop [--im-color-status-online=#1e9e4a] - Online dot.
 * @cssprop [--im-color-status-offline=#9aa1ab] - Offline dot.
 * @cssprop [--im-avatar-size=40px] - Avatar size (the card doubles it).
 */
export class ImProfile extends LazyViewElement {
  static override styles = themeStyles;

  /** The user to show; unset: the signed-in user. */
  @property({ attribute: 'profile-id', reflect: true }) profileId?: string;

  /** The user shown: `profile-id`, else the signed-in user. */
  get shownID(): string {
    return this.profileId || this.loginUser;
  }

  protected loadView(): Promise<LazyView> {
    return import('./profile-view.js').then(({ profileView }) => new (profileView(kit))(this));
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('profileId') && changed.get('profileId') !== undefined) void this.load();
  }

  override render() {
    return this.view
      ? this.view.render()
      : html`<p class="state">${this.client ? 'Loading…' : 'Not signed in'}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-profile': ImProfile;
  }
}
