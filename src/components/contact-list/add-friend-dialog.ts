/**
 * The add-friend dialog of `<im-contact-list>`, loaded on first use (dynamic `import()`): look a
 * user up by ID, then send a friend request with an optional message. The result says whether the
 * user was added at once (they accept anyone), the request waits for their approval, or why it
 * failed (they accept nobody, one of you blocked the other, ...).
 */
import type { ChatClient } from '../../core/client-types.js';
import type { Profile } from '../../protocol/types.js';
import type { Kit } from './kit.js';

export interface AddFriendDialog extends HTMLElement {
  show(client: ChatClient): void;
  close(): void;
}

/** Defines `<im-add-friend-dialog>` over the initial script's kit (kit.ts). */
export function defineAddFriendDialog(k: Kit): void {
  const { css, html, LitElement, nothing, ErrorCode, dialogStyles, themeStyles, toErrorDetail } = k;

  const ERRORS: Record<number, string> = {
    [ErrorCode.FRIEND_DENY_ANY]: 'This user does not accept friend requests.',
    [ErrorCode.FRIEND_IN_TARGET_BLACKLIST]: 'This user does not accept requests from you.',
    [ErrorCode.FRIEND_TARGET_BLOCKED]: 'You blocked this user. Unblock them first.',
    [ErrorCode.RELATION_INVALID]: 'This user is already your friend, or is you.',
    [ErrorCode.RELATION_LIMIT]: 'Your friend list is full.',
  };

  /** @internal Part of `<im-contact-list>`; parts: `dialog`, `search-input`, `search-button`, `result`, `wording-input`, `send-button`, `message`. */
  class ImAddFriendDialog extends LitElement {
    static override styles = [
      themeStyles,
      dialogStyles,
      css`
        form {
          display: flex;
          gap: var(--_im-space);
          margin-bottom: var(--_im-space);
        }
        input {
          flex: 1;
          font: inherit;
          padding: calc(var(--_im-space) * 0.75);
          border: 1px solid var(--_im-border);
          border-radius: calc(var(--_im-radius) * 0.8);
          background: var(--_im-bg);
          color: var(--_im-text);
        }
        [part~='result'] {
          display: flex;
          align-items: center;
          gap: var(--_im-space);
          margin: var(--_im-space) 0;
        }
        label {
          display: block;
          margin-bottom: 4px;
        }
      `,
    ];

    static override properties = {
      found: { state: true },
      message: { state: true },
      busy: { state: true },
    };

    private found: Profile | null = null;
    private message = '';
    private busy = false;
    private client: ChatClient | null = null;

    show(client: ChatClient): void {
      this.client = client;
      this.found = null;
      this.message = '';
      this.renderRoot.querySelector('dialog')?.showModal();
      this.renderRoot.querySelector<HTMLInputElement>('#user')?.focus();
    }

    close(): void {
      this.renderRoot.querySelector('dialog')?.close();
    }

    private async search(event: Event): Promise<void> {
      event.preventDefault();
      const input = this.renderRoot.querySelector<HTMLInputElement>('#user');
      const userID = input?.value.trim() ?? '';
      if (!userID || !this.client) return;
      this.busy = true;
      this.found = null;
      try {
        const res = await this.client.getUserProfile({ userIDList: [userID] });
        this.found = res.data[0] ?? null;
        this.message = this.found ? '' : `No user with the ID ${userID}.`;
      } catch (error) {
        this.message = toErrorDetail(error).message;
      } finally {
        this.busy = false;
      }
    }

    private async send(): Promise<void> {
      if (!this.found || !this.client) return;
      const wording = this.renderRoot.querySelector<HTMLInputElement>('#wording')?.value ?? '';
      this.busy = true;
      try {
        const res = await this.client.addFriend({ to: this.found.userID, wording });
        this.message =
          res.data.code === ErrorCode.FRIEND_PENDING
            ? 'Request sent. It waits for their approval.'
            : 'Added to your friends.';
      } catch (error) {
        const detail = toErrorDetail(error);
        this.message = ERRORS[detail.code] ?? detail.message;
      } finally {
        this.busy = false;
      }
    }

    override render() {
      const f = this.found;
      return html`<dialog part="dialog" aria-labelledby="title">
        <div part="dialog-header">
          <h2 part="dialog-title" id="title">Add friend</h2>
          <button part="dialog-close" aria-label="Close" @click=${this.close}>×</button>
        </div>
        <div part="dialog-body">
          <form @submit=${this.search}>
            <label class="visually-hidden" for="user">User ID</label>
            <input part="search-input" id="user" placeholder="User ID" autocomplete="off" />
            <button part="search-button" type="submit" ?disabled=${this.busy}>Search</button>
          </form>
          ${
            f
              ? html`<div part="result">
                    <strong>${f.nick || f.userID}</strong>
                    <span class="muted">${f.userID}</span>
                  </div>
                  <label for="wording">Message</label>
                  <input part="wording-input" id="wording" maxlength="256" />`
              : nothing
          }
          <p part="message" role="status">${this.message}</p>
        </div>
        <div part="dialog-footer">
          <button
            part="send-button"
            class="primary"
            ?disabled=${!f || this.busy}
            @click=${this.send}
          >
            Send request
          </button>
        </div>
      </dialog>`;
    }
  }

  k.defineElement('im-add-friend-dialog', ImAddFriendDialog);
}

declare global {
  interface HTMLElementTagNameMap {
    'im-add-friend-dialog': AddFriendDialog;
  }
}
