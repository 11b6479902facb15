import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ChatClient } from '../../core/client-types.js';
import { EVENT, type MemberRole } from '../../protocol/constants.js';
import type { Group, GroupMember, Topic } from '../../protocol/types.js';
import type { GroupApplication } from '../../protocol/wire.js';
import { groupTypeLabel, initials, memberName } from '../base/format.js';
import { ImElement } from '../base/im-element.js';
import { safeUrl } from '../base/message-utils.js';
import { ClientEventsController } from '../controllers/client-events-controller.js';
import {
  ImGroupDismissedEvent,
  ImGroupJoinedEvent,
  ImGroupQuitEvent,
  toErrorDetail,
} from '../events.js';
import type { AdminHandlers } from './group-panel-admin.js';
import type { Powers } from './powers.js';
import { groupPanelStyles } from './group-panel.styles.js';
import { MemberWindow, ROW_HEIGHT } from './member-window.js';

/** Group types a non-member may ask to join (Work groups are invite-only). */
const JOINABLE = new Set(['Public', 'ChatRoom', 'AVChatRoom', 'Community']);

/**
 * @tagname im-group-panel
 * @summary A group's profile, members and administration, by Tencent's rules per group type.
 *
 * Shows the name, type (Work / Public / Meeting / AVChatRoom / Community), member count, the
 * introduction and notification, and the member list (virtualized: only the rows in view are in
 * the DOM) with roles, name cards, mute state and online dots. Non-members of joinable groups get
 * Join; members get Quit unless they own a group whose owner may not leave. Selecting a member
 * shows what the current user may do to them (mute for a duration, make or remove admin, transfer
 * ownership, remove); owners and admins see join requests to approve or refuse, the mute-all
 * switch, Invite where the type allows it, Edit where they may edit the profile, and Dismiss.
 * Controls the user may not use are not rendered. Communities with topics list their topics
 * (refreshed on `TOPIC_CREATED`, `TOPIC_DELETED`, `TOPIC_UPDATED`). Refreshes on `GROUP_LIST_UPDATED`; online dots
 * follow `USER_STATUS_UPDATED`, and the members in view are subscribed when the client has
 * `subscribeUserStatus`.
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
 * @event im-group-dismissed - The user dismissed the group. `detail: {groupID}`.
 * @event im-error - Loading or an action failed. `detail: {code, message}`.
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
 * @csspart notification - The group notification.
 * @csspart edit-button - Opens the profile editor (owners/admins, or any member of a Work group).
 * @csspart invite-button - Opens the invite form (where the type lets the user invite).
 * @csspart dismiss-button - Dismiss the group.
 * @csspart mute-all - The mute-all switch (label with checkbox).
 * @csspart profile-form - The profile editor.
 * @csspart invite-form - The invite form.
 * @csspart input - Text fields of the forms.
 * @csspart save-button - Saves the profile.
 * @csspart invite-submit - Adds the typed users.
 * @csspart cancel-button - Closes a form or the member actions.
 * @csspart member-viewport - The scrolling box of the virtualized member list.
 * @csspart member-button - A member row's button (selects the member).
 * @csspart online-dot - Green when the member is online.
 * @csspart muted - "Muted" label of a muted member.
 * @csspart member-actions - The actions for the selected member.
 * @csspart member-actions-name - Its name.
 * @csspart mute-select - Mute duration.
 * @csspart unmute-button - Unmute.
 * @csspart role-button - Make admin / Remove admin.
 * @csspart transfer-button - Transfer ownership.
 * @csspart kick-button - Remove from group.
 * @csspart topics-heading - "Topics" heading (communities with topics).
 * @csspart topic-list - The community's topics.
 * @csspart topic - One topic's name.
 * @csspart requests-heading - "Join requests" heading.
 * @csspart request-list - Pending join requests.
 * @csspart request - One request.
 * @csspart request-name - The applicant.
 * @csspart request-message - The applicant's message.
 * @csspart approve-button - Approve.
 * @csspart refuse-button - Refuse.
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
 * @cssprop [--im-color-online=#1f9d55] - Online dot.
 * @cssprop [--im-group-member-list-height=320px] - Height of the member list viewport.
 */
export class ImGroupPanel extends ImElement {
  static override styles = groupPanelStyles;

  /** The group to show. */
  @property({ attribute: 'group-id', reflect: true }) groupId?: string;

  @state() private group: Group | null = null;
  @state() private isMemberList = false;
  @state() private loaded = false;
  @state() private busy = false;
  @state() private note = '';
  @state() private form: '' | 'edit' | 'invite' = '';
  @state() private selected: string | null = null;
  @state() private applications: GroupApplication[] = [];
  @state() private topics: Topic[] = [];
  /** Invite suggestions: C2C peers of the user who are not members. */
  @state() private suggestions: { userID: string; name: string }[] = [];

  /** The administration templates, imported once the user is a member of a shown group. */
  @state() private admin: typeof import('./group-panel-admin.js') | null = null;

  private readonly window = new MemberWindow(this);
  private token = 0;
  private loadedID = '';
  private loadError = '';

  constructor() {
    super();
    new ClientEventsController(this, this.clients, {
      [EVENT.GROUP_LIST_UPDATED]: () => void this.load(),
      [EVENT.SDK_READY]: () => void this.load(),
      [EVENT.USER_STATUS_UPDATED]: (event) => {
        const data = event.data as { userID: string; statusType: number }[] | undefined;
        if (Array.isArray(data)) this.window.statusChanged(data);
      },
      [EVENT.TOPIC_CREATED]: () => void this.loadTopics(),
      [EVENT.TOPIC_DELETED]: () => void this.loadTopics(),
      [EVENT.TOPIC_UPDATED]: () => void this.loadTopics(),
      [EVENT.MESSAGE_RECEIVED]: (event) => {
        const list = Array.isArray(event.data) ? (event.data as { type?: string }[]) : [];
        if (list.some((m) => m.type === 'TIMGroupSystemNoticeElem')) void this.loadApplications();
      },
    });
  }

  protected override clientChanged(_client: ChatClient | null): void {
    void this.load();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('groupId') && (this.groupId ?? '') !== this.loadedID) {
      this.group = null;
      this.isMemberList = false;
      this.loaded = false;
      this.note = '';
      this.form = '';
      this.selected = null;
      this.applications = [];
      this.topics = [];
      void this.load();
    }
  }

  /** Reload profile, members and (for owners and admins) join requests. */
  async load(): Promise<void> {
    const client = this.client;
    const groupID = this.groupId ?? '';
    this.loadedID = groupID;
    const token = ++this.token;
    if (!client || !groupID) return;
    let group: Group | null = null;
    let note = '';
    try {
      group = (await client.getGroupProfile({ groupID })).data.group;
    } catch (error) {
      note = toErrorDetail(error).message;
    }
    let listed = false;
    try {
      await this.window.reset(client, groupID, group?.memberCount ?? 0);
      listed = true;
    } catch {
      listed = false; // non-members may not list members
    }
    if (token !== this.token) return;
    this.group = group;
    this.isMemberList = listed;
    this.loaded = true;
    if (listed && !this.admin) {
      import('./group-panel-admin.js').then(
        (m) => {
          this.admin = m;
          void this.loadApplications();
        },
        (error) => this.fail(error),
      );
    }
    // A load error replaces the note; a successful reload clears only an earlier load error.
    if (note) this.note = note;
    else if (this.note && this.note === this.loadError) this.note = '';
    this.loadError = note;
    await Promise.all([this.loadApplications(), this.loadTopics()]);
  }

  /** Topics of a community with topics (members only). */
  private async loadTopics(): Promise<void> {
    const client = this.client;
    const group = this.group;
    if (!client || !group || !group.isSupportTopic || !this.isMemberList) {
      this.topics = [];
      return;
    }
    try {
      const { successTopicList } = (await client.getTopicList({ groupID: group.groupID })).data;
      if (group === this.group) this.topics = successTopicList;
    } catch {
      this.topics = [];
    }
  }

  private async loadApplications(): Promise<void> {
    const client = this.client;
    const groupID = this.groupId;
    if (!client || !groupID || !this.powers().handle) {
      this.applications = [];
      return;
    }
    try {
      const { applicationList } = (await client.getGroupApplicationList()).data;
      this.applications = applicationList.filter((a) => a.groupID === groupID);
    } catch {
      this.applications = [];
    }
  }

  /** The logged-in user's role, or '' when not a member. */
  private myRole(): MemberRole | '' {
    const self = this.group?.selfInfo as { role?: MemberRole } | undefined;
    if (self?.role) return self.role;
    return this.window.members.find((m) => m.userID === this.loginUser)?.role ?? '';
  }

  /** Until the administration module is loaded: no controls but Quit (by the owner rule). */
  private powers(): Powers {
    const role = this.myRole();
    if (this.admin) return this.admin.powersOf(this.group, role, this.loginUser);
    const no = () => false;
    return {
      edit: false,
      invite: false,
      muteAll: false,
      dismiss: false,
      handle: false,
      quit: role !== '' && (role !== 'Owner' || this.group?.type === 'Private'),
      kick: no,
      mute: no,
      setRole: no,
      transfer: no,
    };
  }

  /** Runs one action with the busy flag; errors become the note and im-error. */
  private async act(run: (client: ChatClient, groupID: string) => Promise<unknown>) {
    const client = this.client;
    const groupID = this.groupId;
    if (!client || !groupID) return;
    this.busy = true;
    const before = this.note;
    try {
      await run(client, groupID);
      // An action's own note (a join request sent, users not added) stays; an old error goes.
      if (this.note === before && !before.startsWith('Request')) this.note = '';
      await this.load();
    } catch (error) {
      this.note = toErrorDetail(error).message;
      this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  private join = () =>
    this.act(async (client, groupID) => {
      const { status } = (await client.joinGroup({ groupID })).data;
      this.note = status === 'WaitAdminApproval' ? 'Request sent; waiting for approval' : '';
      this.dispatchEvent(new ImGroupJoinedEvent({ groupID, status }));
    });

  private quit = () =>
    this.act(async (client, groupID) => {
      await client.quitGroup(groupID);
      this.dispatchEvent(new ImGroupQuitEvent({ groupID }));
    });

  private dismiss = () =>
    this.act(async (client, groupID) => {
      await client.dismissGroup(groupID);
      this.dispatchEvent(new ImGroupDismissedEvent({ groupID }));
    });

  private openInvite = async () => {
    this.form = 'invite';
    const client = this.client;
    if (!client) return;
    try {
      const { conversationList } = (await client.getConversationList()).data;
      const members = new Set(this.window.members.map((m) => m.userID));
      this.suggestions = conversationList
        .filter((c) => c.type === 'C2C')
        .map((c) => ({
          userID: c.conversationID.slice(3),
          name: c.remark || c.userProfile?.nick || c.conversationID.slice(3),
        }))
        .filter((s) => !members.has(s.userID));
    } catch {
      this.suggestions = [];
    }
  };

  private toggleMuteAll = (e: Event) => {
    const muteAllMembers = (e.target as HTMLInputElement).checked;
    void this.act((client, groupID) => client.updateGroupProfile({ groupID, muteAllMembers }));
  };

  private handlers(): AdminHandlers {
    return this.admin!.adminHandlers({
      busy: this.busy,
      act: (run) => this.act(run),
      done: () => {
        this.form = '';
        this.selected = null;
      },
      note: (text) => (this.note = text),
    });
  }

  private onScroll = (e: Event) => {
    const box = e.target as HTMLElement;
    this.window.onScroll(box.scrollTop, box.clientHeight);
  };

  private renderActions(role: MemberRole | '', p: Powers) {
    const group = this.group;
    const type = group?.type ?? '';
    const isMember = role !== '';
    const canJoin = !isMember && (!type || JOINABLE.has(type));
    const button = (part: string, label: string, click: () => unknown, cls = '') =>
      html`<button part=${part} class=${cls} type="button" ?disabled=${this.busy} @click=${click}>
        ${label}
      </button>`;
    return html`<div part="actions">
      ${canJoin ? button('join-button', 'Join group', this.join, 'primary') : nothing}
      ${isMember && p.edit ? button('edit-button', 'Edit', () => (this.form = 'edit')) : nothing}
      ${isMember && p.invite ? button('invite-button', 'Invite', this.openInvite) : nothing}
      ${isMember && p.quit ? button('quit-button', 'Quit group', this.quit) : nothing}
      ${isMember && p.dismiss ? button('dismiss-button', 'Dismiss group', this.dismiss, 'danger') : nothing}
      ${
        isMember && p.muteAll && group
          ? html`<label part="mute-all"
              ><input
                type="checkbox"
                .checked=${group.muteAllMembers}
                ?disabled=${this.busy}
                @change=${this.toggleMuteAll}
              />
              Mute all members</label
            >`
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

  private renderMember(m: GroupMember, index: number, now: number) {
    const name = memberName(m);
    const isSelf = m.userID === this.loginUser;
    // The signed-in user is online by definition (one does not subscribe to oneself).
    const online =
      (isSelf && this.client?.getNetState() === 'connected') || this.window.online.has(m.userID);
    return html`<li part="member" style=${`top:${index * ROW_HEIGHT}px`}>
      <button
        part="member-button"
        type="button"
        aria-pressed=${this.selected === m.userID ? 'true' : 'false'}
        @click=${() => (this.selected = this.selected === m.userID ? null : m.userID)}
      >
        ${
          safeUrl(m.avatar)
            ? html`<img part="avatar" class="avatar" src=${safeUrl(m.avatar)} alt="" />`
            : html`<span part="avatar" class="avatar" aria-hidden="true">${initials(name)}</span>`
        }
        <span
          part=${online ? 'online-dot online' : 'online-dot'}
          title=${online ? 'Online' : 'Offline'}
          aria-label=${online ? 'online' : 'offline'}
          role="img"
        ></span>
        <span part="member-name">${name}${isSelf ? ' (you)' : ''}</span>
        ${m.muteUntil > now ? html`<span part="muted">Muted</span>` : nothing}
        ${m.role !== 'Member' ? html`<span part="role">${m.role}</span>` : nothing}
      </button>
    </li>`;
  }

  private renderMembers(p: Powers) {
    const w = this.window;
    const { start, end } = w.range();
    const now = Math.floor(Date.now() / 1000);
    const rows = [];
    for (let i = start; i < end; i++) rows.push(this.renderMember(w.members[i], i, now));
    const selected = this.selected ? w.members.find((m) => m.userID === this.selected) : undefined;
    return html`<h3 part="members-heading" id="members-heading">Members</h3>
      <div part="member-viewport" class="viewport" @scroll=${this.onScroll}>
        <ul
          part="member-list"
          aria-labelledby="members-heading"
          style=${`height:${Math.max(w.total, w.members.length) * ROW_HEIGHT}px`}
        >
          ${rows}
        </ul>
      </div>
      ${selected && this.admin ? this.admin.renderMemberActions(selected, p, this.handlers(), now) : nothing}`;
  }

  private renderAdmin(group: Group | null, p: Powers) {
    const admin = this.admin;
    if (!admin) return nothing;
    return html`${this.form === 'edit' && group && p.edit ? admin.renderEditor(group, this.handlers()) : nothing}
    ${this.form === 'invite' && p.invite ? admin.renderInvite(this.handlers(), this.suggestions) : nothing}
    ${p.handle ? admin.renderApplications(this.applications, this.handlers()) : nothing}`;
  }

  override render() {
    if (!this.groupId) return html`<div part="base"><p class="state">No group selected</p></div>`;
    if (!this.loaded) return html`<div part="base"><p class="state">Loading…</p></div>`;
    const group = this.group;
    const name = group?.name || this.groupId;
    const role = this.myRole();
    const p = this.powers();
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
      ${group?.notification ? html`<p part="notification">${group.notification}</p>` : nothing}
      ${this.renderActions(role, p)} ${this.renderAdmin(group, p)}
      ${
        this.topics.length > 0
          ? html`<h3 part="topics-heading" id="topics-heading">Topics</h3>
              <ul part="topic-list" aria-labelledby="topics-heading">
                ${this.topics.map((t) => html`<li part="topic">${t.topicName}</li>`)}
              </ul>`
          : nothing
      }
      ${this.isMemberList ? this.renderMembers(p) : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-group-panel': ImGroupPanel;
  }
}
