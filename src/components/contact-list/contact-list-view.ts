import type { ReactiveController } from 'lit';
import type { ChatClient, IMEvent } from '../../core/client-types.js';
import type {
  Friend,
  FriendApplication,
  FriendApplicationList,
  FriendGroup,
  UserStatus,
} from '../../protocol/types.js';
import type { ImContactList } from './contact-list.js';
import { ImContactSelectEvent } from './contact-events.js';
import { contactListStyles } from './contact-list.styles.js';
import type { Kit } from './kit.js';
import { reactive } from './reactive.js';
import { statusKit } from './status.js';

/**
 * Friends' statuses are read in batches of this size (getUserStatus's per-call limit). Changes of
 * friends arrive without a subscription, so the list leaves the 200 subscriptions to others.
 */
const STATUS_BATCH = 500;

/** The view class, built over the initial script's kit (kit.ts). */
export function contactListView(k: Kit) {
  const {
    adoptStyles,
    html,
    nothing,
    repeat,
    EVENT,
    TYPES,
    initials,
    safeUrl,
    ClientEventsController,
  } = k;
  const { statusDot, statusStyles } = statusKit(k);
  const styles = contactListStyles(k, statusStyles);

  /**
   * Everything of `<im-contact-list>` but its attributes, loaded on first connection (dynamic
   * `import()`, outside the initial script): state, client events, actions and rendering. The
   * element (contact-list.ts) documents the API.
   */
  return class ContactListView implements ReactiveController {
    private friends: Friend[] = [];
    private groups: FriendGroup[] = [];
    private applications: FriendApplication[] = [];
    private unreadRequests = 0;
    private blacklist: string[] = [];
    private statuses = new Map<string, UserStatus>();
    private loaded = false;
    private dialogReady = false;

    private known = new Set<string>();
    private loadToken = 0;

    constructor(private readonly host: ImContactList) {
      reactive(this, host, [
        'friends',
        'groups',
        'applications',
        'unreadRequests',
        'blacklist',
        'statuses',
        'loaded',
        'dialogReady',
      ]);
      adoptStyles(host.renderRoot as ShadowRoot, styles);
      host.addController(this);
      new ClientEventsController(host, host.clientController, {
        [EVENT.FRIEND_LIST_UPDATED]: (e: IMEvent<Friend[]>) => {
          if (Array.isArray(e.data)) this.setFriends(e.data);
        },
        [EVENT.FRIEND_GROUP_LIST_UPDATED]: (e: IMEvent<FriendGroup[]>) => {
          if (Array.isArray(e.data)) this.groups = e.data;
        },
        [EVENT.FRIEND_APPLICATION_LIST_UPDATED]: (e: IMEvent<FriendApplicationList>) => {
          if (e.data) this.setApplications(e.data);
        },
        [EVENT.BLACKLIST_UPDATED]: (e: IMEvent<string[]>) => {
          if (Array.isArray(e.data)) this.blacklist = e.data;
        },
        [EVENT.USER_STATUS_UPDATED]: (e: IMEvent<UserStatus[]>) => {
          const list = Array.isArray(e.data) ? e.data : [];
          if (list.length === 0) return;
          const next = new Map(this.statuses);
          for (const s of list) next.set(s.userID, s);
          this.statuses = next;
        },
        [EVENT.SDK_READY]: () => void this.load(),
      });
      this.clientChanged(host.client);
    }

    hostUpdate(): void {}

    private get client(): ChatClient | null {
      return this.host.client;
    }

    private get tab() {
      return this.host.tab;
    }

    private fail(error: unknown): void {
      this.host.report(error);
    }

    clientChanged(client: ChatClient | null): void {
      this.loadToken++;
      this.known.clear();
      this.friends = [];
      this.groups = [];
      this.applications = [];
      this.blacklist = [];
      this.statuses = new Map();
      this.loaded = false;
      if (client) void this.load();
    }

    /** Reload every list from the client. */
    async load(): Promise<void> {
      const client = this.client;
      if (!client) return;
      const token = ++this.loadToken;
      try {
        const [friends, groups, apps, blocked] = await Promise.all([
          client.getFriendList(),
          client.getFriendGroupList(),
          client.getFriendApplicationList(),
          client.getBlacklist(),
        ]);
        if (token !== this.loadToken) return;
        this.setFriends(friends.data);
        this.groups = groups.data;
        this.setApplications(apps.data);
        this.blacklist = blocked.data;
        this.loaded = true;
        if (this.tab === 'requests') void this.markRead();
      } catch (error) {
        if (token === this.loadToken && client.isReady()) this.fail(error);
      }
    }

    private setFriends(list: Friend[]): void {
      this.friends = list;
      this.loaded = true;
      void this.readStatus(list.map((f) => f.userID).filter((id) => !this.known.has(id)));
    }

    private setApplications(data: FriendApplicationList): void {
      this.applications = data.friendApplicationList;
      this.unreadRequests = data.unreadCount;
    }

    /** Reads new friends' status; later changes come as USER_STATUS_UPDATED. */
    private async readStatus(ids: string[]): Promise<void> {
      const client = this.client;
      if (!client || ids.length === 0) return;
      for (const id of ids) this.known.add(id);
      try {
        for (let i = 0; i < ids.length; i += STATUS_BATCH) {
          const res = await client.getUserStatus({ userIDList: ids.slice(i, i + STATUS_BATCH) });
          if (client !== this.client) return;
          const next = new Map(this.statuses);
          // A push that arrived meanwhile is newer than this answer.
          for (const st of res.data.successUserList)
            if (!next.has(st.userID)) next.set(st.userID, st);
          this.statuses = next;
        }
      } catch (error) {
        for (const id of ids) this.known.delete(id);
        this.fail(error);
      }
    }

    private async run(action: (client: ChatClient) => Promise<unknown>): Promise<void> {
      const client = this.client;
      if (!client) return;
      try {
        await action(client);
      } catch (error) {
        this.fail(error);
      }
    }

    private async markRead(): Promise<void> {
      if (this.unreadRequests === 0) return;
      await this.run((c) => c.setFriendApplicationRead());
    }

    private openTab(tab: ImContactList['tab']): void {
      this.host.tab = tab;
      if (tab === 'requests') void this.markRead();
    }

    private async openAddFriend(): Promise<void> {
      (await import('./add-friend-dialog.js')).defineAddFriendDialog(k);
      this.dialogReady = true;
      this.host.requestUpdate();
      await this.host.updateComplete;
      const dialog = this.host.renderRoot.querySelector('im-add-friend-dialog');
      if (dialog && this.client) dialog.show(this.client);
    }

    private select(friend: Friend): void {
      this.host.dispatchEvent(
        new ImContactSelectEvent({
          userID: friend.userID,
          conversationID: `C2C${friend.userID}`,
          friend,
        }),
      );
    }

    private avatar(url: string, name: string) {
      const safe = safeUrl(url);
      return safe
        ? html`<img part="avatar" class="avatar" src=${safe} alt="" />`
        : html`<span part="avatar" class="avatar" aria-hidden="true">${initials(name)}</span>`;
    }

    private renderFriend(f: Friend) {
      const name = f.remark || f.profile.nick || f.userID;
      const status = this.statuses.get(f.userID);
      return html`<li part="item">
        <button class="row" @click=${() => this.select(f)}>
          ${this.avatar(f.profile.avatar, name)}
          <span class="body">
            <span part="name">${name}</span>
            ${
              status?.customStatus
                ? html`<span part="detail">${status.customStatus}</span>`
                : nothing
            }
          </span>
          ${statusDot(status)}
        </button>
      </li>`;
    }

    private renderSection(title: string, list: Friend[]) {
      if (list.length === 0) return nothing;
      return html`<section>
        <h3 part="group-heading">${title} <span class="muted">${list.length}</span></h3>
        <ul>
          ${repeat(
            list,
            (f) => f.userID,
            (f) => this.renderFriend(f),
          )}
        </ul>
      </section>`;
    }

    private renderFriends() {
      if (this.friends.length === 0) return this.empty('No friends yet');
      const byID = new Map(this.friends.map((f) => [f.userID, f]));
      const grouped = new Set<string>();
      const sections = this.groups.map((g) => {
        const members = g.userIDList.flatMap((id) => (byID.has(id) ? [byID.get(id)!] : []));
        for (const m of members) grouped.add(m.userID);
        return this.renderSection(g.name, members);
      });
      const rest = this.friends.filter((f) => !grouped.has(f.userID));
      return html`${sections}${this.renderSection(this.groups.length ? 'Other friends' : 'Friends', rest)}`;
    }

    private renderRequest(a: FriendApplication) {
      const incoming = a.type === TYPES.SNS_APPLICATION_SENT_TO_ME;
      const name = a.nick || a.userID;
      return html`<li part="item" class="row">
        ${this.avatar(a.avatar, name)}
        <span class="body">
          <span part="name">${name}</span>
          <span part="detail"
            >${incoming ? a.wording || 'Wants to be your friend' : 'Pending'}</span
          >
        </span>
        ${
          incoming
            ? html`<button
                  part="accept-button"
                  class="primary"
                  aria-label=${`Accept ${name}`}
                  @click=${() =>
                    this.run((c) =>
                      c.acceptFriendApplication({
                        userID: a.userID,
                        type: TYPES.SNS_APPLICATION_AGREE_AND_ADD,
                      }),
                    )}
                >
                  Accept
                </button>
                <button
                  part="refuse-button"
                  aria-label=${`Refuse ${name}`}
                  @click=${() => this.run((c) => c.refuseFriendApplication({ userID: a.userID }))}
                >
                  Refuse
                </button>`
            : nothing
        }
      </li>`;
    }

    private renderBlocked(userID: string) {
      return html`<li part="item" class="row">
        ${this.avatar('', userID)}
        <span class="body"><span part="name">${userID}</span></span>
        <button
          part="unblock-button"
          aria-label=${`Unblock ${userID}`}
          @click=${() => this.run((c) => c.removeFromBlacklist({ userIDList: [userID] }))}
        >
          Unblock
        </button>
      </li>`;
    }

    private empty(text: string) {
      return html`<p part="empty" class="state">
        ${this.loaded ? text : this.client ? 'Loading…' : 'Not signed in'}
      </p>`;
    }

    private renderPanel() {
      switch (this.tab) {
        case 'requests':
          return this.applications.length
            ? html`<ul>
                ${repeat(
                  this.applications,
                  (a) => `${a.type}:${a.userID}`,
                  (a) => this.renderRequest(a),
                )}
              </ul>`
            : this.empty('No friend requests');
        case 'blocked':
          return this.blacklist.length
            ? html`<ul>
                ${this.blacklist.map((id) => this.renderBlocked(id))}
              </ul>`
            : this.empty('Nobody is blocked');
        default:
          return this.renderFriends();
      }
    }

    private renderTab(tab: ImContactList['tab'], label: string, badge = 0) {
      const selected = this.tab === tab;
      return html`<button
        part=${selected ? 'tab tab-selected' : 'tab'}
        role="tab"
        aria-selected=${selected ? 'true' : 'false'}
        @click=${() => this.openTab(tab)}
      >
        ${label}${
          badge > 0
            ? html` <span part="tab-badge"
                >${badge}<span class="visually-hidden"> unread</span></span
              >`
            : nothing
        }
      </button>`;
    }

    render() {
      return html`<div part="base">
        <div class="bar">
          <div part="tabs" role="tablist" aria-label="Contacts">
            ${this.renderTab('friends', 'Friends')}
            ${this.renderTab('requests', 'Requests', this.unreadRequests)}
            ${this.renderTab('blocked', 'Blocked')}
          </div>
          <button part="add-button" ?disabled=${!this.client} @click=${() => this.openAddFriend()}>
            Add friend
          </button>
        </div>
        <div part="panel" role="tabpanel">${this.renderPanel()}</div>
        ${
          this.dialogReady
            ? html`<im-add-friend-dialog
                theme=${this.host.theme ?? nothing}
              ></im-add-friend-dialog>`
            : nothing
        }
      </div>`;
    }
  };
}

export type ContactListView = InstanceType<ReturnType<typeof contactListView>>;
