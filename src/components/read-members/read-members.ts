import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ChatClient } from '../../core/client-types.js';
import { LIMITS } from '../../protocol/constants.js';
import type { Message } from '../../protocol/types.js';
import { ImSubElement } from '../base/sub-element.js';
import { DialogController } from '../controllers/dialog-controller.js';
import { toErrorDetail } from '../events.js';
import { readMembersStyles } from './read-members.styles.js';

interface MemberList {
  ids: string[];
  cursor: string;
  isCompleted: boolean;
  loading: boolean;
  error: string;
}

const empty = (): MemberList => ({
  ids: [],
  cursor: '',
  isCompleted: false,
  loading: true,
  error: '',
});

/**
 * @tagname im-read-members
 * @summary A modal dialog with who has and has not read a group message.
 *
 * `show(message)` opens it and loads both lists with `getGroupMessageReadMemberList` (filter 0:
 * read, 1: unread; 100 per page, "Show more" for the next), names from `getUserProfile`.
 *
 * @csspart dialog - The dialog.
 * @csspart dialog-header - Title row.
 * @csspart dialog-title - "Read by".
 * @csspart dialog-close - The close button.
 * @csspart dialog-body - Both lists.
 * @csspart section - The read or the unread section.
 * @csspart section-title - "Read (n)" / "Not read yet (n)".
 * @csspart list - A member list.
 * @csspart member - One member.
 * @csspart more-button - Loads the next page.
 */
export class ImReadMembers extends ImSubElement {
  static override styles = readMembersStyles;

  @property({ attribute: false }) client: ChatClient | null = null;

  @state() private read: MemberList = empty();
  @state() private unread: MemberList = empty();
  @state() private names = new Map<string, string>();

  @query('dialog') private dialog?: HTMLDialogElement;

  private message: Message | null = null;
  private token = 0;

  private readonly modal = new DialogController(this, {
    dialog: () => this.dialog,
    onClose: () => {
      this.token++;
      this.message = null;
    },
  });

  get isOpen(): boolean {
    return this.modal.isOpen;
  }

  async show(message: Message): Promise<void> {
    this.token++;
    this.message = message;
    this.read = empty();
    this.unread = empty();
    const opened = this.modal.open();
    await Promise.all([opened, this.page(0), this.page(1)]);
  }

  close(): void {
    this.modal.close();
  }

  private async page(filter: 0 | 1): Promise<void> {
    const client = this.client;
    const message = this.message;
    const key = filter === 0 ? 'read' : 'unread';
    const current = this[key];
    if (!client || !message) return;
    const token = this.token;
    this[key] = { ...current, loading: true, error: '' };
    try {
      const res = await client.getGroupMessageReadMemberList({
        message,
        filter,
        cursor: current.cursor,
        count: LIMITS.readMemberListPage,
      });
      if (token !== this.token) return;
      const ids = (filter === 0 ? res.data.readUserIDList : res.data.unreadUserIDList) ?? [];
      this[key] = {
        ids: [...current.ids, ...ids],
        cursor: res.data.cursor,
        isCompleted: res.data.isCompleted,
        loading: false,
        error: '',
      };
      void this.resolveNames(ids);
    } catch (error) {
      if (token !== this.token) return;
      this[key] = { ...current, loading: false, error: toErrorDetail(error).message };
    }
  }

  private async resolveNames(ids: string[]): Promise<void> {
    const client = this.client;
    const missing = ids.filter((id) => !this.names.has(id));
    if (!client || missing.length === 0) return;
    try {
      for (let i = 0; i < missing.length; i += LIMITS.userProfileBatch) {
        const res = await client.getUserProfile({
          userIDList: missing.slice(i, i + LIMITS.userProfileBatch),
        });
        const next = new Map(this.names);
        for (const p of res.data) if (p.nick) next.set(p.userID, p.nick);
        this.names = next;
      }
    } catch {
      // User IDs stay.
    }
  }

  private renderSection(filter: 0 | 1) {
    const list = filter === 0 ? this.read : this.unread;
    const title = filter === 0 ? 'Read' : 'Not read yet';
    const id = `section-${filter}`;
    return html`<section part="section" aria-labelledby=${id}>
      <h3 part="section-title" id=${id}>
        ${title}${list.loading && list.ids.length === 0 ? nothing : ` (${list.ids.length}${list.isCompleted ? '' : '+'})`}
      </h3>
      ${list.error ? html`<p class="error" role="alert">${list.error}</p>` : nothing}
      ${
        list.ids.length
          ? html`<ul part="list">
              ${list.ids.map((u) => html`<li part="member">${this.names.get(u) ?? u}</li>`)}
            </ul>`
          : list.loading
            ? html`<p class="muted">Loading…</p>`
            : list.error
              ? nothing
              : html`<p class="muted">Nobody</p>`
      }
      ${
        !list.isCompleted && !list.loading && !list.error && list.ids.length
          ? html`<button part="more-button" type="button" @click=${() => void this.page(filter)}>
              Show more
            </button>`
          : nothing
      }
    </section>`;
  }

  override render() {
    return html`<dialog
      part="dialog"
      aria-labelledby="title"
      @close=${this.modal.onClose}
      @click=${this.modal.onClick}
    >
      <div part="dialog-header">
        <h2 part="dialog-title" id="title">Read by</h2>
        <button part="dialog-close" type="button" aria-label="Close" @click=${this.close}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div part="dialog-body">${this.renderSection(0)} ${this.renderSection(1)}</div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-read-members': ImReadMembers;
  }
}
