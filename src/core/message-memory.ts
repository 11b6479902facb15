/**
 * The messages this tab has seen (send results, getMessageList pages, events), by ID, for the
 * synchronous `findMessage`. Bounded: the least recently touched are forgotten past the limit.
 *
 * One object per message ID: a newer copy of a known message is merged into the object this tab
 * already handed out (`adopt` returns that object), so a Message the page holds follows recalls,
 * modifications and read receipts, as the Tencent SDK's cached messages do. Online-only messages
 * (typing status) are never kept.
 */
import type { Message } from '../protocol/types.js';

export class MessageMemory {
  private readonly byID = new Map<string, Message>();

  constructor(private readonly limit = 5000) {}

  get size(): number {
    return this.byID.size;
  }

  /** Keep `m` (or merge it into the known object of that ID) and return the kept object. */
  adopt(m: Message): Message {
    if (!m || typeof m !== 'object' || typeof m.ID !== 'string' || m.onlineOnlyFlag) return m;
    const known = this.byID.get(m.ID);
    let kept = m;
    if (known && known !== m) {
      Object.assign(known, m);
      kept = known;
    }
    this.byID.delete(m.ID);
    this.byID.set(m.ID, kept);
    if (this.byID.size > this.limit) {
      const oldest = this.byID.keys().next().value as string;
      this.byID.delete(oldest);
    }
    return kept;
  }

  adoptAll(list: Message[]): Message[] {
    return Array.isArray(list) ? list.map((m) => this.adopt(m)) : list;
  }

  get(messageID: string): Message | null {
    return this.byID.get(messageID) ?? null;
  }

  /** Mark messages deleted and forget them. */
  deleted(messageIDs: string[]): void {
    for (const id of messageIDs) {
      const m = this.byID.get(id);
      if (m) m.isDeleted = true;
      this.byID.delete(id);
    }
  }

  forgetConversation(conversationID: string): void {
    for (const [id, m] of this.byID) if (m.conversationID === conversationID) this.byID.delete(id);
  }

  clear(): void {
    this.byID.clear();
  }
}
