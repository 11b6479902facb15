/**
 * The member list of `<im-group-panel>`, virtualized: rows have a fixed height, only the rows in
 * view (plus a small overscan) are in the DOM, and pages of members are fetched from the client
 * (getGroupMemberList, offset paging, 100 per page) as the view reaches them.
 *
 * Online dots: USER_STATUS_UPDATED (`[{userID, statusType}]`, statusType 1 is
 * online) marks users online or offline; when the client has `subscribeUserStatus` at run time,
 * the members in view are subscribed (and unsubscribed when they leave the view or the panel goes
 * away).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient } from '../../core/client-types.js';
import { LIMITS } from '../../protocol/constants.js';
import type { GroupMember } from '../../protocol/types.js';

export const ROW_HEIGHT = 44;
const OVERSCAN = 4;

interface StatusClient {
  subscribeUserStatus?(options: { userIDList: string[] }): Promise<unknown>;
  unsubscribeUserStatus?(options: { userIDList: string[] }): Promise<unknown>;
}

export class MemberWindow implements ReactiveController {
  /** Loaded members by index (a page at a time). */
  members: GroupMember[] = [];
  /** Total as the group profile says (memberCount); grows when pages show more. */
  total = 0;
  scrollTop = 0;
  viewport = 320;
  readonly online = new Set<string>();

  private groupID = '';
  private client: ChatClient | null = null;
  private loading = new Set<number>();
  private done = false;
  private token = 0;
  private subscribed = new Set<string>();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.unsubscribe([...this.subscribed]);
  }

  /** Start over for a group; the first page is awaited. */
  async reset(client: ChatClient, groupID: string, total: number): Promise<void> {
    this.unsubscribe([...this.subscribed]);
    this.client = client;
    this.groupID = groupID;
    this.total = total;
    this.members = [];
    this.loading.clear();
    this.done = false;
    const token = ++this.token;
    await this.loadPage(0, token);
  }

  /** The rows to render: [start, end) of the loaded members. */
  range(): { start: number; end: number } {
    const start = Math.max(0, Math.floor(this.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const visible = Math.ceil(this.viewport / ROW_HEIGHT) + OVERSCAN * 2;
    const end = Math.min(this.members.length, start + visible);
    return { start, end };
  }

  /** Scroll position changed: load the page under the view if needed, subscribe who shows. */
  onScroll(scrollTop: number, viewport: number): void {
    this.scrollTop = scrollTop;
    if (viewport > 0) this.viewport = viewport;
    this.loadMore();
    this.host.requestUpdate();
    this.syncSubscriptions(this.range().end);
  }

  /** Fetches the next page while the view reaches past the loaded members. */
  private loadMore(): void {
    const want = Math.floor(this.scrollTop / ROW_HEIGHT) + Math.ceil(this.viewport / ROW_HEIGHT);
    if (!this.done && want + OVERSCAN >= this.members.length) {
      this.loadPage(this.members.length, this.token).catch(() => undefined);
    }
  }

  /** Replace one member (after a role, mute or name-card change) or drop it (kicked). */
  update(member: GroupMember | null, userID: string): void {
    const i = this.members.findIndex((m) => m.userID === userID);
    if (i < 0) return;
    if (member) this.members[i] = member;
    else {
      this.members.splice(i, 1);
      this.total = Math.max(0, this.total - 1);
    }
    this.host.requestUpdate();
  }

  statusChanged(list: { userID: string; statusType: number }[]): void {
    for (const { userID, statusType } of list) {
      if (statusType === 1) this.online.add(userID);
      else this.online.delete(userID);
    }
    this.host.requestUpdate();
  }

  private async loadPage(offset: number, token: number): Promise<void> {
    const client = this.client;
    if (!client || this.loading.has(offset) || this.done) return;
    this.loading.add(offset);
    try {
      const { memberList } = (
        await client.getGroupMemberList({
          groupID: this.groupID,
          count: LIMITS.groupMemberListPage,
          offset,
        })
      ).data;
      if (token !== this.token) return;
      if (offset === this.members.length) this.members.push(...memberList);
      if (memberList.length < LIMITS.groupMemberListPage) this.done = true;
      this.total = Math.max(this.total, this.members.length);
      if (this.done) this.total = this.members.length;
      this.host.requestUpdate();
      this.syncSubscriptions(this.range().end);
    } finally {
      this.loading.delete(offset);
    }
    // A reload (GROUP_LIST_UPDATED) while scrolled far down refills up to the view.
    if (token === this.token) this.loadMore();
  }

  private syncSubscriptions(end: number): void {
    const client = this.client as (ChatClient & StatusClient) | null;
    if (!client || typeof client.subscribeUserStatus !== 'function') return;
    const { start } = this.range();
    // Not oneself: the server refuses that subscription, and the panel shows oneself online.
    const me = client.getLoginUser();
    const visible = new Set(
      this.members
        .slice(start, end)
        .map((m) => m.userID)
        .filter((u) => u !== me),
    );
    const add = [...visible].filter((u) => !this.subscribed.has(u));
    const remove = [...this.subscribed].filter((u) => !visible.has(u));
    if (add.length > 0) {
      for (const u of add) this.subscribed.add(u);
      client.subscribeUserStatus({ userIDList: add }).catch(() => {
        for (const u of add) this.subscribed.delete(u);
      });
    }
    this.unsubscribe(remove);
  }

  private unsubscribe(userIDs: string[]): void {
    const client = this.client as (ChatClient & StatusClient) | null;
    if (userIDs.length === 0) return;
    for (const u of userIDs) this.subscribed.delete(u);
    if (client && typeof client.unsubscribeUserStatus === 'function') {
      client.unsubscribeUserStatus({ userIDList: userIDs }).catch(() => undefined);
    }
  }
}
