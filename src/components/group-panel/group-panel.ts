import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatClient } from '../../core/client-types.js';
import { EVENT, LIMITS, type MemberRole } from '../../protocol/constants.js';
import type { Group, GroupMember } from '../../protocol/types.js';
import { groupTypeLabel, initials, memberName } from '../base/format.js';
import { ImElement } from '../base/im-element.js';
import { safeUrl } from '../base/message-utils.js';
import { ClientEventsController } from '../controllers/client-events-controller.js';
import { ImGroupJoinedEvent, ImGroupQuitEvent, toErrorDetail } from '../events.js';
import { groupPanelStyles } from './group-panel.styles.js';

/** Group types a non-member may ask to join (Work groups are invite-only). */
const JOINABLE = new Set(['Public', 'ChatRoom', 'AVChatRoom', 'Community']);

/**
 * @tagname im-group-panel
 * @summary A group's profile and members, with Join / Quit.
 *
 * Shows the name, type (Work / Public / Meeting), member count and the member list with roles.
 * Non-members of joinable groups get a Join button; members get Quit, except owners of groups
 * whose owner may not leave (Public, Meeting: only dismissing is possible there). Refreshes on
 * `GROUP_LIST_UPDATED`.
 *
 * @attr group-id - The group to show.
 * @attr theme - `light` or `dark`; unset follows `prefers-color-scheme`.
 * @attr server - Standalone only (ignored inside `<im-provider>`): IM server base URL.
 * @attr app-id - Standalone only: SDKAppID.
 * @attr user-id - Standalone only: the user to log in as.
 * @attr user-sig - Standalone only: that user's UserSig.
 *
 * @event im-group-joined - Joined, or asked to join. `detail: {groupID, status}` (status is `JoinedSuccess`, `AlreadyInGroup` or `WaitAdminApproval`).
 * @event im-group-quit - Left the group. `detail: {groupID}`.
 * @event im-error - Loading, joining or quitting failed. `detail: {code, message}`.
 *
 * @csspart base - The wrapper.
 * @csspart header - Avatar, name and info.
 * @csspart avatar - Group avatar or initials (also on each member).
 * @csspart name - Group name.
 * @csspart info - Type and member count line.
 * @csspart type - The type label.
 * @csspart member-count - The member count.
 * @csspart introduction - The group introduction.
 * @csspart actions - The row with Join / Quit and notes.
 * @csspart join-button - Join.
 * @csspart quit-button - Quit.
 * @csspart note - "Invite only", "Request sent", errors.
 * @csspart members-heading - The "Members" heading.
 * @csspart member-list - The list of members.
 * @csspart member - One member.
 * @csspart member-name - Name card, nick or user ID.
 * @csspart role - Owner / Admin label.
 *
 * @cssprop [--im-color-primary=#1560d4] - Join button, avatars, focus ring.
 * @cssprop [--im-color-on-primary=#ffffff] - Text on the primary color.
 * @cssprop [--im-color-bg=#ffffff] - Background.
 * @cssprop [--im-color-surface=#f1f3f6] - Buttons and role labels.
 * @cssprop [--im-color-text=#1a1d23] - Text.
 * @cssprop [--im-color-muted=#59616d] - Secondary text.
 * @cssprop [--im-color-border=#d8dde4] - Borders.
 * @cssprop [--im-color-danger=#b3261e] - Quit button.
 * @cssprop [--im-radius=10px] - Corner radius.
 * @cssprop [--im-font-family=system-ui] - Font family.
 * @cssprop [--im-font-size=14px] - Base font size.
 * @cssprop [--im-spacing=8px] - Spacing unit.
 * @cssprop [--im-avatar-size=40px] - Group avatar size.
 */
export class ImGroupPanel extends ImElement {
  static override styles = groupPanelStyles;

  /** The group to show. */
  @property({ attribute: 'group-id', reflect: true }) groupId?: string;

  @state() private group: Group | null = null;
  @state() private members: GroupMember[] | null = null;
  @state() private loaded = false;
  @state() private busy = false;
  @state() private note = '';

  private token = 0;
  private loadedID = '';

  constructor() {
    super();
    new ClientEventsController(this, this.clients, {
      [EVENT.GROUP_LIST_UPDATED]: () => void this.load(),
      [EVENT.SDK_READY]: () => void this.load(),
    });
  }

  protected override clientChanged(_client: ChatClient | null): void {
    void this.load();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('groupId') && (this.groupId ?? '') !== this.loadedID) {
      this.group = null;
      this.members = null;
      this.loaded = false;
      this.note = '';
      void this.load();
    }
  }

  /** Reload profile and members. */
  async load(): Promise<void> {
    const client = this.client;
    const groupID = this.groupId ?? '';
    this.loadedID = groupID;
    const token = ++this.token;
    if (!client || !groupID) return;
    let group: Group | null = null;
    let members: GroupMember[] | null = null;
    let note = '';
    try {
      group = (await client.getGroupProfile({ groupID })).data.group;
    } catch (error) {
      note = toErrorDetail(error).message;
    }
    try {
      members = (
        await client.getGroupMemberList({ groupID, count: LIMITS.groupMemberListPage, offset: 0 })
      ).data.memberList;
    } catch {
      members = null; // non-members may not list members
    }
    if (token !== this.token) return;
    this.group = group;
    this.members = members;
    this.loaded = true;
    if (note || !this.note.startsWith('Request')) this.note = note;
  }

  /** The logged-in user's role, or '' when not a member. */
  private myRole(): MemberRole | '' {
    const self = this.group?.selfInfo as { role?: MemberRole } | undefined;
    if (self?.role) return self.role;
    return this.members?.find((m) => m.userID === this.loginUser)?.role ?? '';
  }

  private async join(): Promise<void> {
    const client = this.client;
    const groupID = this.groupId;
    if (!client || !groupID) return;
    this.busy = true;
    try {
      const { status } = (await client.joinGroup({ groupID })).data;
      this.note = status === 'WaitAdminApproval' ? 'Request sent; waiting for approval' : '';
      this.dispatchEvent(new ImGroupJoinedEvent({ groupID, status }));
      await this.load();
    } catch (error) {
      this.note = toErrorDetail(error).message;
      this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  private async quit(): Promise<void> {
    const client = this.client;
    const groupID = this.groupId;
    if (!client || !groupID) return;
    this.busy = true;
    try {
      await client.quitGroup(groupID);
      this.dispatchEvent(new ImGroupQuitEvent({ groupID }));
      await this.load();
    } catch (error) {
      this.note = toErrorDetail(error).message;
      this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  private renderActions(role: MemberRole | '') {
    const type = this.group?.type ?? '';
    const isMember = role !== '';
    const canJoin = !isMember && (!type || JOINABLE.has(type));
    const canQuit = isMember && !(role === 'Owner' && type !== 'Private');
    return html`<div part="actions">
      ${
        canJoin
          ? html`<button
              part="join-button"
              class="primary"
              type="button"
              ?disabled=${this.busy}
              @click=${this.join}
            >
              Join group
            </button>`
          : nothing
      }
      ${
        canQuit
          ? html`<button
              part="quit-button"
              type="button"
              ?disabled=${this.busy}
              @click=${this.quit}
            >
              Quit group
            </button>`
          : nothing
      }
      ${
        !isMember && type === 'Private'
          ? html`<span part="note">Invite only: ask a member to add you.</span>`
          : nothing
      }
      ${this.note ? html`<span part="note" role="status">${this.note}</span>` : nothing}
    </div>`;
  }

  private renderMember(m: GroupMember) {
    const name = memberName(m);
    const isSelf = m.userID === this.loginUser;
    return html`<li part="member">
      ${
        safeUrl(m.avatar)
          ? html`<img part="avatar" class="avatar" src=${safeUrl(m.avatar)} alt="" />`
          : html`<span part="avatar" class="avatar" aria-hidden="true">${initials(name)}</span>`
      }
      <span part="member-name">${name}${isSelf ? ' (you)' : ''}</span>
      ${m.role !== 'Member' ? html`<span part="role">${m.role}</span>` : nothing}
    </li>`;
  }

  override render() {
    if (!this.groupId) return html`<div part="base"><p class="state">No group selected</p></div>`;
    if (!this.loaded) return html`<div part="base"><p class="state">Loading…</p></div>`;
    const group = this.group;
    const name = group?.name || this.groupId;
    const role = this.myRole();
    return html`<div part="base">
      <div part="header">
        ${
          safeUrl(group?.avatar)
            ? html`<img part="avatar" class="avatar" src=${safeUrl(group?.avatar)} alt="" />`
            : html`<span part="avatar" class="avatar" aria-hidden="true">${initials(name)}</span>`
        }
        <div class="heading">
          <span part="name">${name}</span>
          ${
            group
              ? html`<span part="info"
                  ><span part="type">${groupTypeLabel(group.type)}</span
                  ><span part="member-count"
                    >${group.memberCount} ${group.memberCount === 1 ? 'member' : 'members'}</span
                  ></span
                >`
              : nothing
          }
        </div>
      </div>
      ${group?.introduction ? html`<p part="introduction">${group.introduction}</p>` : nothing}
      ${this.renderActions(role)}
      ${
        this.members
          ? html`<h3 part="members-heading" id="members-heading">Members</h3>
              <ul part="member-list" aria-labelledby="members-heading">
                ${repeat(
                  this.members,
                  (m) => m.userID,
                  (m) => this.renderMember(m),
                )}
              </ul>`
          : nothing
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-group-panel': ImGroupPanel;
  }
}
