/**
 * Emoji reactions of the loaded messages: fetched (`getMessageReactions`, batched) for messages
 * that scroll into view, replaced on `MESSAGE_REACTIONS_UPDATED`, toggled with
 * `addMessageReaction` / `removeMessageReaction` (shown at once, corrected by the event or, when
 * the call fails, by fetching again).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient } from '../../core/client-types.js';
import { LIMITS } from '../../protocol/constants.js';
import type { Message, Reaction } from '../../protocol/types.js';

export interface ReactionsOptions {
  client: () => ChatClient | null;
  conversationID: () => string;
  userID: () => string;
  onError?: (error: unknown) => void;
}

/** How many messages one `getMessageReactions` call asks about. */
const BATCH = 20;
const NONE: readonly Reaction[] = Object.freeze([]);

export class ReactionsController implements ReactiveController {
  /** Reactions by message ID (absent: not loaded; empty: none). */
  readonly byMessage = new Map<string, Reaction[]>();

  private queue: Message[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private token = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ReactionsOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  reset(): void {
    this.token++;
    this.byMessage.clear();
    this.queue = [];
  }

  get(messageID: string): readonly Reaction[] {
    return this.byMessage.get(messageID) ?? NONE;
  }

  /** Messages that came into view: fetch their reactions (once), batched. */
  load(messages: readonly Message[]): void {
    const wanted = messages.filter(
      (m) => m.sequence > 0 && m.status === 'success' && !m.isRevoked && !this.byMessage.has(m.ID),
    );
    if (!wanted.length) return;
    this.queue.push(...wanted);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.fetch(this.queue.splice(0));
    }, 50);
  }

  private async fetch(list: Message[]): Promise<void> {
    const client = this.options.client();
    if (!client || !list.length) return;
    const token = this.token;
    for (let i = 0; i < list.length; i += BATCH) {
      const messageList = list.slice(i, i + BATCH);
      try {
        const res = await client.getMessageReactions({
          messageList,
          maxUserCountPerReaction: LIMITS.reactionUsersPreviewMax,
        });
        if (token !== this.token) return;
        for (const m of messageList) if (!this.byMessage.has(m.ID)) this.byMessage.set(m.ID, []);
        for (const r of res.data.resultList) this.set(r.messageID, r.reactionList);
        this.host.requestUpdate();
      } catch {
        // No reactions shown for these; nothing else depends on them.
      }
    }
  }

  /** `MESSAGE_REACTIONS_UPDATED`: `{messageID, reactionList}`, one or a list. */
  updated(data: unknown): void {
    const conversationID = this.options.conversationID();
    let changed = false;
    for (const item of Array.isArray(data) ? data : [data]) {
      if (typeof item !== 'object' || item === null) continue;
      const u = item as { conversationID?: unknown; messageID?: unknown; reactionList?: unknown };
      if (typeof u.messageID !== 'string' || !Array.isArray(u.reactionList)) continue;
      if (typeof u.conversationID === 'string' && u.conversationID !== conversationID) continue;
      this.set(u.messageID, u.reactionList as Reaction[]);
      changed = true;
    }
    if (changed) this.host.requestUpdate();
  }

  /** Add the reaction, or remove it when it is already the user's. */
  async toggle(message: Message, reactionID: string): Promise<void> {
    const client = this.options.client();
    if (!client) return;
    const me = this.options.userID();
    const list = this.get(message.ID);
    const existing = list.find((r) => r.reactionID === reactionID);
    const remove = Boolean(existing?.reactedByMyself);
    // Shown at once; the event that follows replaces it with the server's list.
    const next = remove
      ? list
          .map((r) =>
            r.reactionID === reactionID
              ? {
                  ...r,
                  totalUserCount: r.totalUserCount - 1,
                  reactedByMyself: false,
                  partialUserList: r.partialUserList.filter((u) => u.userID !== me),
                }
              : r,
          )
          .filter((r) => r.totalUserCount > 0)
      : existing
        ? list.map((r) =>
            r.reactionID === reactionID
              ? {
                  ...r,
                  totalUserCount: r.totalUserCount + 1,
                  reactedByMyself: true,
                  partialUserList: [...r.partialUserList, { userID: me, nick: '', avatar: '' }],
                }
              : r,
          )
        : [
            ...list,
            {
              reactionID,
              totalUserCount: 1,
              reactedByMyself: true,
              partialUserList: [{ userID: me, nick: '', avatar: '' }],
            },
          ];
    this.byMessage.set(message.ID, next);
    this.host.requestUpdate();
    try {
      if (remove) await client.removeMessageReaction(message, reactionID);
      else await client.addMessageReaction(message, reactionID);
    } catch (error) {
      this.byMessage.delete(message.ID);
      this.load([message]);
      this.options.onError?.(error);
    }
  }

  private set(messageID: string, reactionList: Reaction[]): void {
    const me = this.options.userID();
    this.byMessage.set(
      messageID,
      reactionList
        .filter((r) => r && typeof r.reactionID === 'string' && r.totalUserCount > 0)
        .map((r) => {
          const users = Array.isArray(r.partialUserList) ? r.partialUserList : [];
          const listed = users.some((u) => u.userID === me);
          // A push to everyone may not know the viewer: a complete user list decides.
          const complete = users.length >= r.totalUserCount;
          return {
            ...r,
            partialUserList: users,
            reactedByMyself: complete ? listed : listed || Boolean(r.reactedByMyself),
          };
        }),
    );
  }
}
