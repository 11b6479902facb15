/**
 * The life of a sent message: recall, modify, delete for me, clear history, hopping and by-ID
 * reads, merged lists stored apart.
 *
 * - revokeMessage: the sender only (10007), within `recallWindowSeconds` (10031), not for
 *   online-only messages (10032, they are never stored), missing 10030; recalling again answers
 *   the tombstone. The tombstone keeps the row (isRevoked, revoker) with its payload emptied and
 *   its extensions, reactions, pin and stored merged list dropped; `messageRevoked` (the
 *   tombstone as each recipient sees it) goes to every participant's sockets but the caller's.
 * - modifyMessage: any participant; text/custom/location/face payloads and cloudCustomData;
 *   compare-and-swap on `version` (2480 with `data.message` the latest); recalled 10032; missing
 *   20026. `messageModified` to the other participants and the caller's other sockets.
 * - deleteMessage / clearHistoryMessage: the caller's view only; `conversationUpdated` to the
 *   caller's other sockets.
 */
import { isDeepStrictEqual } from 'node:util';
import { ErrorCode } from '../../protocol/codes.js';
import { LIMITS } from '../../protocol/constants.js';
import type { Message } from '../../protocol/types.js';
import type { OpData } from '../../protocol/wire.js';
import { byteLength, ImError, invalid } from '../errors.js';
import type { StoredMessage } from '../storage/types.js';
import {
  audienceOf,
  canSee,
  isParticipant,
  requireMessage,
  requireNotRevoked,
  resolveConversation,
  viewsFor,
} from './access.js';
import type { ConversationService } from './conversations.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import type { RecentOnlineMessages } from './messages.js';
import { MODIFIABLE_TYPES, simplePayload } from './payloads.js';
import type { PinService } from './pins.js';
import { messageView } from './views.js';

export class LifecycleService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly conversations: ConversationService,
    private readonly pins: PinService,
    private readonly onlineOnly: RecentOnlineMessages,
  ) {}

  /** A message event to everyone who can see it, each with their own view. */
  private async pushToAudience(
    caller: Caller,
    message: StoredMessage,
    push: 'messageRevoked' | 'messageModified',
  ): Promise<void> {
    const audience = await audienceOf(this.deps, caller.app, message);
    await pushTo(
      this.deps,
      caller.app,
      audience,
      (userID) => ({
        push,
        cursor: message.changeSeq,
        data: { message: messageView(message, userID) },
      }),
      caller.connID,
    );
  }

  async revoke(caller: Caller, data: OpData<'revokeMessage'>): Promise<{ message: Message }> {
    const { storage, config } = this.deps;
    const conv = await resolveConversation(this.deps, caller, data.conversationID);
    const found = await storage.findMessage(caller.app, conv.convKey, data.messageID);
    if (!found || !canSee(found, caller.userID)) {
      if (this.onlineOnly.has(caller.app, conv.convKey, data.messageID)) {
        throw new ImError(
          ErrorCode.RECALL_NOT_ALLOWED,
          'online-only messages are not stored and cannot be recalled',
        );
      }
      throw new ImError(
        ErrorCode.RECALL_NOT_FOUND,
        `message ${data.messageID} not found in ${data.conversationID}`,
      );
    }
    if (found.from !== caller.userID) {
      throw new ImError(ErrorCode.NO_PERMISSION, 'only the sender can recall a message');
    }
    if (found.isRevoked) return { message: messageView(found, caller.userID) };
    if (this.deps.now() - found.time > config.recallWindowSeconds) {
      throw new ImError(
        ErrorCode.RECALL_TIME_LIMIT,
        `messages can be recalled within ${config.recallWindowSeconds} seconds`,
      );
    }
    const result = await storage.revokeMessage(caller.app, found.cursor, caller.userID);
    if (!result) throw new ImError(ErrorCode.RECALL_NOT_FOUND, 'message not found');
    await this.pushToAudience(caller, result.message, 'messageRevoked');
    if (result.unpinned && result.message.conversationType === 'GROUP') {
      await this.pins.pushPinned(caller.app, result.message.to);
    }
    return { message: messageView(result.message, caller.userID) };
  }

  async modify(caller: Caller, data: OpData<'modifyMessage'>): Promise<{ message: Message }> {
    const { storage } = this.deps;
    const conv = await resolveConversation(this.deps, caller, data.conversationID);
    const found = await requireMessage(this.deps, caller, conv, data.messageID);
    requireNotRevoked(found);
    if (data.payload === undefined && data.cloudCustomData === undefined) {
      throw invalid('nothing to modify: give payload and/or cloudCustomData');
    }
    let payload: Record<string, unknown> | undefined;
    // A client sending the whole message back repeats an unchanged media payload: that is fine.
    const unchanged =
      data.payload !== undefined &&
      !MODIFIABLE_TYPES.includes(found.type) &&
      isDeepStrictEqual(data.payload, found.payload);
    if (data.payload !== undefined && !unchanged) {
      if (!MODIFIABLE_TYPES.includes(found.type)) {
        throw invalid('only text, custom, location and face payloads can be modified');
      }
      payload = simplePayload(found.type, data.payload) ?? undefined;
      // mentions are part of the send, not of the content
      if (payload && found.type === 'TIMTextElem') {
        payload = { ...payload };
        if (found.payload.atUserList !== undefined) payload.atUserList = found.payload.atUserList;
        else delete payload.atUserList;
      }
    }
    const nextPayload = payload ?? found.payload;
    const nextData = data.cloudCustomData ?? found.cloudCustomData;
    const bytes = byteLength(JSON.stringify(nextPayload)) + byteLength(nextData);
    if (bytes > LIMITS.messageBodyBytes) {
      throw new ImError(
        ErrorCode.MESSAGE_BODY_TOO_LARGE,
        `message body is ${bytes} bytes, over 12 KB`,
      );
    }
    if (data.version !== found.version) {
      throw new ImError(
        ErrorCode.MODIFY_CONFLICT,
        'the message was modified meanwhile; data.message is the latest version',
        { message: messageView(found, caller.userID) },
      );
    }
    const result = await storage.modifyMessage(caller.app, found.cursor, data.version, {
      payload,
      cloudCustomData: data.cloudCustomData,
    });
    if (!result) throw new ImError(ErrorCode.MESSAGE_NOT_FOUND, 'message not found');
    if (!result.ok) {
      requireNotRevoked(result.message);
      throw new ImError(
        ErrorCode.MODIFY_CONFLICT,
        'the message was modified meanwhile; data.message is the latest version',
        { message: messageView(result.message, caller.userID) },
      );
    }
    await this.pushToAudience(caller, result.message, 'messageModified');
    return { message: messageView(result.message, caller.userID) };
  }

  async delete(caller: Caller, data: OpData<'deleteMessage'>): Promise<{ messageList: Message[] }> {
    const conv = await resolveConversation(this.deps, caller, data.conversationID);
    const messages: StoredMessage[] = [];
    for (const ID of new Set(data.messageIDList)) {
      messages.push(await requireMessage(this.deps, caller, conv, ID));
    }
    await this.deps.storage.deleteMessagesFor(
      caller.app,
      caller.userID,
      messages.map((m) => m.cursor),
    );
    await this.conversations.pushUpdated(caller, data.conversationID);
    return {
      messageList: messages.map((m) => messageView(m, caller.userID, { isDeleted: true })),
    };
  }

  async clearHistory(
    caller: Caller,
    data: OpData<'clearHistoryMessage'>,
  ): Promise<Record<string, never>> {
    const conv = await resolveConversation(this.deps, caller, data.conversationID);
    if (await this.deps.storage.clearHistory(caller.app, caller.userID, conv.convKey)) {
      await this.conversations.pushUpdated(caller, data.conversationID);
    }
    return {};
  }

  async hopping(
    caller: Caller,
    data: OpData<'getMessageListHopping'>,
  ): Promise<{ messageList: Message[]; isCompleted: boolean }> {
    const conv = await resolveConversation(this.deps, caller, data.conversationID);
    let anchor: { seq: number } | { time: number };
    if (data.sequence !== undefined) anchor = { seq: data.sequence };
    else if (data.time !== undefined) anchor = { time: data.time };
    else throw invalid('give a sequence (groups) or a time (C2C)');
    const count = data.count ?? LIMITS.messageListPage;
    const rows = await this.deps.storage.getHopping(caller.app, {
      convKey: conv.convKey,
      viewer: caller.userID,
      afterSeq: conv.visibleSeq,
      anchor,
      direction: data.direction,
      limit: count + 1,
    });
    const page = rows.slice(0, count);
    if (data.direction === 0) page.reverse();
    return {
      messageList: await viewsFor(this.deps, caller, conv, page),
      isCompleted: rows.length <= count,
    };
  }

  async byID(caller: Caller, data: OpData<'getMessagesByID'>): Promise<{ messageList: Message[] }> {
    const conv = await resolveConversation(this.deps, caller, data.conversationID);
    const rows = await this.deps.storage.findMessagesFor(
      caller.app,
      conv.convKey,
      [...new Set(data.messageIDList)],
      caller.userID,
      conv.visibleSeq,
    );
    return { messageList: await viewsFor(this.deps, caller, conv, rows) };
  }

  async downloadMerger(
    caller: Caller,
    data: OpData<'downloadMergerMessage'>,
  ): Promise<{ messageList: unknown[] }> {
    const stored = await this.deps.storage.getMergerList(caller.app, data.downloadKey);
    if (!stored) {
      throw new ImError(ErrorCode.MESSAGE_NOT_FOUND, 'no merged message with this downloadKey');
    }
    if (!(await isParticipant(this.deps, caller.app, caller.userID, stored.convKey))) {
      throw new ImError(
        ErrorCode.NO_PERMISSION,
        'only participants of its conversation can download it',
      );
    }
    return { messageList: JSON.parse(stored.messageList) as unknown[] };
  }
}
