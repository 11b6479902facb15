import type { ReactiveController } from 'lit';
import type { ChatClient, IMEvent } from '../../core/client-types.js';
import type { Profile, UserStatus } from '../../protocol/types.js';
import { ImProfileMessageEvent } from '../contact-list/contact-events.js';
import type { Kit } from '../contact-list/kit.js';
import { reactive } from '../contact-list/reactive.js';
import { statusKit, statusLabel } from '../contact-list/status.js';
import type { ImProfile } from './profile.js';

/** The view class, built over the initial script's kit (kit.ts). */
export function profileView(k: Kit) {
  const {
    adoptStyles,
    css,
    html,
    nothing,
    ErrorCode,
    EVENT,
    initials,
    safeUrl,
    themeStyles,
    ClientEventsController,
  } = k;
  const { statusDot, statusStyles } = statusKit(k);
  const profileStyles = [
    themeStyles,
    statusStyles,
    css`
      :host {
        display: block;
      }
      [part~='base'] {
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: var(--_im-space);
        padding: calc(var(--_im-space) * 2);
        background: var(--_im-bg);
        color: var(--_im-text);
        text-align: center;
      }
      .avatar {
        --_im-avatar: calc(var(--im-avatar-size, 40px) * 2);
      }
      [part~='name'] {
        margin: 0;
        font-size: 1.2em;
      }
      [part~='user-id'],
      [part~='signature'],
      [part~='notice'] {
        margin: 0;
        color: var(--_im-muted);
        overflow-wrap: anywhere;
      }
      .status {
        display: flex;
        align-items: center;
        gap: calc(var(--_im-space) * 0.5);
      }
      [part~='actions'] {
        display: flex;
        flex-wrap: wrap;
        justify-content: center;
        gap: var(--_im-space);
      }
    `,
  ];

  /**
   * Everything of `<im-profile>` but its attributes, loaded on first connection (dynamic
   * `import()`, outside the initial script). The element (profile.ts) documents the API.
   */
  return class ProfileView implements ReactiveController {
    private profile: Profile | null = null;
    private status: UserStatus | undefined;
    private isFriend = false;
    private blocked = false;
    private notice = '';
    private editing = false;

    private token = 0;

    constructor(private readonly host: ImProfile) {
      reactive(this, host, ['profile', 'status', 'isFriend', 'blocked', 'notice', 'editing']);
      adoptStyles(host.renderRoot as ShadowRoot, profileStyles);
      host.addController(this);
      new ClientEventsController(host, host.clientController, {
        [EVENT.PROFILE_UPDATED]: (e: IMEvent<Profile[]>) => {
          const mine = (e.data ?? []).find((p) => p.userID === this.shownID);
          if (mine) this.profile = mine;
        },
        [EVENT.USER_STATUS_UPDATED]: (e: IMEvent<UserStatus[]>) => {
          const s = (Array.isArray(e.data) ? e.data : []).find((x) => x.userID === this.shownID);
          if (s) this.status = s;
        },
        [EVENT.BLACKLIST_UPDATED]: (e: IMEvent<string[]>) => {
          if (Array.isArray(e.data)) this.blocked = e.data.includes(this.shownID);
        },
        [EVENT.FRIEND_LIST_UPDATED]: (e: IMEvent<{ userID: string }[]>) => {
          if (Array.isArray(e.data)) this.isFriend = e.data.some((f) => f.userID === this.shownID);
        },
        [EVENT.SDK_READY]: () => void this.load(),
      });
      this.clientChanged(host.client);
    }

    hostUpdate(): void {}

    private get client(): ChatClient | null {
      return this.host.client;
    }

    private get shownID(): string {
      return this.host.shownID;
    }

    private get loginUser(): string {
      return this.host.clientController.userID;
    }

    private get isSelf(): boolean {
      return this.shownID !== '' && this.shownID === this.loginUser;
    }

    private fail(error: unknown): void {
      this.host.report(error);
    }

    clientChanged(client: ChatClient | null): void {
      this.profile = null;
      this.status = undefined;
      if (client) void this.load();
    }

    /** Reload the profile and status from the client. */
    async load(): Promise<void> {
      const client = this.client;
      const userID = this.shownID;
      if (!client || !userID) return;
      const token = ++this.token;
      this.editing = false;
      this.notice = '';
      try {
        const self = userID === this.loginUser;
        const [profile, status] = await Promise.all([
          self
            ? client.getMyProfile().then((r) => r.data)
            : client.getUserProfile({ userIDList: [userID] }).then((r) => r.data[0] ?? null),
          client.getUserStatus({ userIDList: [userID] }),
        ]);
        if (token !== this.token) return;
        this.profile = profile;
        this.status = status.data.successUserList[0];
        if (!self) {
          const [check, blacklist] = await Promise.all([
            client.checkFriend({ userIDList: [userID], type: 'CheckResult_Type_Single' }),
            client.getBlacklist(),
            client.subscribeUserStatus({ userIDList: [userID] }),
          ]);
          if (token !== this.token) return;
          this.isFriend =
            check.data.successUserIDList[0]?.relation !== 'CheckResult_Type_NoRelation';
          this.blocked = blacklist.data.includes(userID);
        }
      } catch (error) {
        if (token === this.token && client.isReady()) this.fail(error);
      }
    }

    private async act(action: (c: ChatClient) => Promise<string>): Promise<void> {
      const client = this.client;
      if (!client) return;
      try {
        this.notice = await action(client);
      } catch (error) {
        const e = error as { code?: number; message?: string };
        this.notice =
          e.code === ErrorCode.FRIEND_DENY_ANY
            ? 'This user does not accept friend requests.'
            : (e.message ?? String(error));
        this.fail(error);
      }
    }

    private async edit(): Promise<void> {
      (await import('./profile-editor.js')).defineProfileEditor(k);
      this.editing = true;
    }

    private renderActions() {
      const id = this.shownID;
      if (this.isSelf) {
        return html`<button part="edit-button" @click=${() => this.edit()}>Edit profile</button>`;
      }
      return html`<button
          part="message-button"
          class="primary"
          @click=${() =>
            this.host.dispatchEvent(
              new ImProfileMessageEvent({ userID: id, conversationID: `C2C${id}` }),
            )}
        >
          Send message
        </button>
        ${
          this.isFriend || this.blocked
            ? nothing
            : html`<button
                part="add-friend-button"
                @click=${() =>
                  this.act(async (c) =>
                    (await c.addFriend({ to: id })).data.code === ErrorCode.FRIEND_PENDING
                      ? 'Friend request sent'
                      : 'Added to your friends',
                  )}
              >
                Add friend
              </button>`
        }
        <button
          part="block-button"
          @click=${() =>
            this.act(async (c) => {
              const block = !this.blocked;
              if (block) await c.addToBlacklist({ userIDList: [id] });
              else await c.removeFromBlacklist({ userIDList: [id] });
              this.blocked = block;
              return block ? 'Blocked' : 'Unblocked';
            })}
        >
          ${this.blocked ? 'Unblock' : 'Block'}
        </button>`;
    }

    render() {
      const p = this.profile;
      if (!p) {
        return html`<div part="base">
          <p class="state">${this.client ? 'Loading…' : 'Not signed in'}</p>
        </div>`;
      }
      const name = p.nick || p.userID;
      const avatar = safeUrl(p.avatar);
      const custom = this.status?.customStatus;
      return html`<div part="base">
        ${
          avatar
            ? html`<img part="avatar" class="avatar" src=${avatar} alt="" />`
            : html`<span part="avatar" class="avatar" aria-hidden="true">${initials(name)}</span>`
        }
        <h2 part="name">${name}</h2>
        <p part="user-id">${p.userID}</p>
        <div class="status">
          ${statusDot(this.status)}
          <span part="status-text">${statusLabel(this.status)}${custom ? ` · ${custom}` : ''}</span>
        </div>
        ${p.selfSignature ? html`<p part="signature">${p.selfSignature}</p>` : nothing}
        ${
          this.editing && this.client
            ? html`<im-profile-editor
                theme=${this.host.theme ?? nothing}
                .client=${this.client}
                .profile=${p}
                .customStatus=${custom ?? ''}
                @im-profile-updated=${(e: CustomEvent<{ profile: Profile }>) => {
                  this.profile = e.detail.profile;
                  this.editing = false;
                }}
                @im-editor-cancel=${() => (this.editing = false)}
              ></im-profile-editor>`
            : html`<div part="actions">${this.renderActions()}</div>`
        }
        <p part="notice" role="status">${this.notice}</p>
      </div>`;
    }
  };
}

export type ProfileView = InstanceType<ReturnType<typeof profileView>>;
