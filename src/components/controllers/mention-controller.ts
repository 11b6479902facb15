/**
 * The @-mention list of a group composer. Typing `@` (at the start or after a space) opens a list
 * of group members (`getGroupMemberList`, loaded once per group) filtered by what follows; arrow
 * keys move, Enter or Tab picks, Escape closes. Picking inserts `@name ` and remembers the user
 * ID, so the send can use `createTextAtMessage` with the IDs still mentioned in the text.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient } from '../../core/client-types.js';
import { LIMITS, TYPES } from '../../protocol/constants.js';
import { memberName } from '../base/format.js';

export interface MentionCandidate {
  userID: string;
  name: string;
}

export interface MentionOptions {
  client: () => ChatClient | null;
  /** The group of the conversation ('' outside groups: no list). */
  groupID: () => string;
  userID: () => string;
  /** Offer "@all" (owners and admins). */
  allowAll: () => boolean;
}

const MAX_PAGES = 10;
const MAX_SHOWN = 50;
export const MENTION_ALL: MentionCandidate = { userID: TYPES.MSG_AT_ALL, name: 'all' };

export class MentionController implements ReactiveController {
  open = false;
  active = 0;
  candidates: MentionCandidate[] = [];
  loading = false;

  private members: MentionCandidate[] | null = null;
  private membersOf = '';
  private query = '';
  private start = -1;
  private readonly picked = new Map<string, MentionCandidate>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: MentionOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Another conversation, or the text was sent. */
  reset(keepMembers = true): void {
    this.close();
    this.picked.clear();
    if (!keepMembers) this.members = null;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.start = -1;
    this.host.requestUpdate();
  }

  /** Look at the text before the caret after every input. */
  update(text: string, caret: number): void {
    const groupID = this.options.groupID();
    const match = groupID ? /(^|\s)@([^\s@]*)$/.exec(text.slice(0, caret)) : null;
    if (!match) {
      this.close();
      return;
    }
    this.query = match[2];
    this.start = caret - match[2].length - 1;
    this.open = true;
    this.active = 0;
    this.filter();
    if (this.membersOf !== groupID || !this.members) void this.loadMembers(groupID);
    this.host.requestUpdate();
  }

  /** Arrow keys, Enter / Tab, Escape while open; returns 'pick' when the active entry is chosen. */
  keydown(event: KeyboardEvent): 'handled' | 'pick' | null {
    if (!this.open) return null;
    const n = this.candidates.length;
    switch (event.key) {
      case 'ArrowDown':
        if (n) this.active = (this.active + 1) % n;
        break;
      case 'ArrowUp':
        if (n) this.active = (this.active - 1 + n) % n;
        break;
      case 'Enter':
      case 'Tab':
        if (!n || event.shiftKey) return null;
        event.preventDefault();
        return 'pick';
      case 'Escape':
        this.close();
        break;
      default:
        return null;
    }
    event.preventDefault();
    this.host.requestUpdate();
    return 'handled';
  }

  /** Replace `@query` with `@name `; returns the new text and caret. */
  pick(index: number, text: string, caret: number): { text: string; caret: number } | null {
    const candidate = this.candidates[index];
    if (!candidate || this.start < 0) return null;
    const insert = `@${candidate.name} `;
    const next = text.slice(0, this.start) + insert + text.slice(caret);
    this.picked.set(candidate.name, candidate);
    const position = this.start + insert.length;
    this.close();
    return { text: next, caret: position };
  }

  /** The IDs of picked mentions whose `@name` is still in the text. */
  atUserList(text: string): string[] {
    const ids = new Set<string>();
    for (const [name, candidate] of this.picked) {
      if (text.includes(`@${name}`)) ids.add(candidate.userID);
    }
    return [...ids];
  }

  private filter(): void {
    const q = this.query.toLowerCase();
    const matches = (c: MentionCandidate) =>
      c.name.toLowerCase().includes(q) || c.userID.toLowerCase().includes(q);
    const list: MentionCandidate[] = [];
    if (this.options.allowAll() && matches(MENTION_ALL)) list.push(MENTION_ALL);
    for (const c of this.members ?? []) {
      if (list.length >= MAX_SHOWN) break;
      if (matches(c)) list.push(c);
    }
    this.candidates = list;
    if (this.active >= list.length) this.active = 0;
  }

  private async loadMembers(groupID: string): Promise<void> {
    const client = this.options.client();
    if (!client || this.loading) return;
    this.loading = true;
    this.membersOf = groupID;
    const me = this.options.userID();
    const found: MentionCandidate[] = [];
    try {
      let offset = 0;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await client.getGroupMemberList({
          groupID,
          count: LIMITS.groupMemberListPage,
          offset,
        });
        for (const m of res.data.memberList) {
          if (m.userID !== me) found.push({ userID: m.userID, name: memberName(m) });
        }
        if (res.data.memberList.length < LIMITS.groupMemberListPage || res.data.offset <= offset)
          break;
        offset = res.data.offset;
      }
    } catch {
      // The list stays as it is ("@all" at most); typing works regardless.
    } finally {
      this.loading = false;
    }
    if (this.membersOf !== groupID) return;
    this.members = found;
    if (this.open) this.filter();
    this.host.requestUpdate();
  }
}
