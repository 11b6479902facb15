/**
 * Message reactions: add / remove (idempotent: repeating one changes nothing and pushes nothing),
 * at most LIMITS.reactionsPerMessage distinct reactionIDs per message (10004 beyond), reactionID
 * <= 64 bytes (10004), recalled messages 10032, missing 20026. A change pushes
 * `messageReactionsUpdated` with the message's whole reactionList, computed per recipient
 * (`reactedByMyself`, preview of LIMITS.reactionUsersPreviewMax users), to every participant's
 * sockets but the caller's.
 */
import { LIMITS } from '../../protocol/constants.js';
import type { Message, Reaction } from '../../protocol/types.js';
import type { OpData } from '../../protocol/wire.js';
import { byteLength, invalid } from '../errors.js';
import type { ReactionRow, StoredMessage, UserRecord } from '../storage/types.js';
import { audienceOf, requireMessage, requireNotRevoked, resolveConversation } from './access.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import { conversationIDFor, messageView } from './views.js';

type ReactionUser = { userID: string; nick: string; avatar: string };

export class ReactionService {
  constructor(private readonly deps: ServiceDeps) {}

  private async users(app: number, userIDs: string[]): Promise<Map<string, UserRecord>> {
    const unique = [...new Set(userIDs)];
    return new Map((await this.deps.storage.getUsers(app, unique)).map((u) => [u.userID, u]));
  }

  private static user(userID: string, users: Map<string, UserRecord>): ReactionUser {
    const u = users.get(userID);
    return { userID, nick: u?.nick ?? '', avatar: u?.avatar ?? '' };
  }

  /** Reactions in the order they first appeared, as `viewer` sees them. */
  private static reactionList(
    rows: ReactionRow[],
    viewer: string,
    maxUsers: number,
    users: Map<string, UserRecord>,
  ): Reaction[] {
    const byID = new Map<string, ReactionRow[]>();
    for (const row of rows) {
      const list = byID.get(row.reactionID) ?? [];
      list.push(row);
      byID.set(row.reactionID, list);
    }
    return [...byID].map(([reactionID, list]) => ({
      reactionID,
      totalUserCount: list.length,
      partialUserList: list.slice(0, maxUsers).map((r) => ReactionService.user(r.userID, users)),
      reactedByMyself: list.some((r) => r.userID === viewer),
    }));
  }

  private async target(
    caller: Caller,
    data: { conversationID: string; messageID: string; reactionID: string },
  ): Promise<StoredMessage> {
    if (byteLength(data.reactionID) > LIMITS.reactionIDBytes) {
      throw invalid(`reactionID is over ${LIMITS.reactionIDBytes} bytes`);
    }
    const conv = await resolveConversation(this.deps, caller, data.conversationID);
    const message = await requireMessage(this.deps, caller, conv, data.messageID);
    requireNotRevoked(message);
    return message;
  }

  private async pushUpdated(caller: Caller, message: StoredMessage): Promise<void> {
    const rows =
      (await this.deps.storage.listReactions([message.cursor])).get(message.cursor) ?? [];
    const max = LIMITS.reactionUsersPreviewMax;
    const users = await this.users(
      caller.app,
      rows.map((r) => r.userID),
    );
    await pushTo(
      this.deps,
      caller.app,
      await audienceOf(this.deps, caller.app, message),
      (userID) => ({
        push: 'messageReactionsUpdated',
        data: {
          conversationID: conversationIDFor(message, userID),
          messageID: message.ID,
          reactionList: ReactionService.reactionList(rows, userID, max, users),
        },
      }),
      caller.connID,
    );
  }

  async add(
    caller: Caller,
    data: OpData<'addMessageReaction'>,
  ): Promise<{ message: Message; reactionID: string }> {
    const message = await this.target(caller, data);
    const result = await this.deps.storage.addReaction(
      message.cursor,
      data.reactionID,
      caller.userID,
      this.deps.now(),
      LIMITS.reactionsPerMessage,
    );
    if (result === 'limit') {
      throw invalid(`a message has at most ${LIMITS.reactionsPerMessage} different reactions`);
    }
    if (result === 'added') await this.pushUpdated(caller, message);
    return { message: messageView(message, caller.userID), reactionID: data.reactionID };
  }

  async remove(
    caller: Caller,
    data: OpData<'removeMessageReaction'>,
  ): Promise<{ message: Message; reactionID: string }> {
    const message = await this.target(caller, data);
    if (await this.deps.storage.removeReaction(message.cursor, data.reactionID, caller.userID)) {
      await this.pushUpdated(caller, message);
    }
    return { message: messageView(message, caller.userID), reactionID: data.reactionID };
  }

  async list(
    caller: Caller,
    data: OpData<'getMessageReactions'>,
  ): Promise<{ resultList: { messageID: string; reactionList: Reaction[] }[] }> {
    const conv = await resolveConversation(this.deps, caller, data.conversationID);
    const messages: StoredMessage[] = [];
    for (const ID of new Set(data.messageIDList)) {
      messages.push(await requireMessage(this.deps, caller, conv, ID));
    }
    const reactions = await this.deps.storage.listReactions(messages.map((m) => m.cursor));
    const max = data.maxUserCountPerReaction;
    const previewed: string[] = [];
    for (const rows of reactions.values()) {
      const seen = new Map<string, number>();
      for (const r of rows) {
        const n = seen.get(r.reactionID) ?? 0;
        if (n < max) previewed.push(r.userID);
        seen.set(r.reactionID, n + 1);
      }
    }
    const users = await this.users(caller.app, previewed);
    return {
      resultList: messages.map((m) => ({
        messageID: m.ID,
        reactionList: ReactionService.reactionList(
          reactions.get(m.cursor) ?? [],
          caller.userID,
          max,
          users,
        ),
      })),
    };
  }

  async userList(
    caller: Caller,
    data: OpData<'getAllUserListOfMessageReaction'>,
  ): Promise<{ userList: ReactionUser[]; nextSeq: number; isCompleted: boolean }> {
    const conv = await resolveConversation(this.deps, caller, data.conversationID);
    const message = await requireMessage(this.deps, caller, conv, data.messageID);
    const rows = await this.deps.storage.reactionUsers(
      message.cursor,
      data.reactionID,
      data.nextSeq,
      data.count + 1,
    );
    const page = rows.slice(0, data.count);
    const users = await this.users(
      caller.app,
      page.map((r) => r.userID),
    );
    const isCompleted = rows.length <= data.count;
    return {
      userList: page.map((r) => ReactionService.user(r.userID, users)),
      nextSeq: isCompleted ? 0 : page.at(-1)!.id,
      isCompleted,
    };
  }
}
