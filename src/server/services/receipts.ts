/**
 * Read receipts of messages sent with needReadReceipt.
 *
 * - sendMessageReadReceipt: the reader marks messages of one conversation read (missing 20026);
 *   messages without needReadReceipt, their own and recalled ones are ignored. One row per
 *   (message, reader); the unread count is not touched. Each sender gets `messageReadReceipt`
 *   entries (readCount/unreadCount over the current audience minus the sender) on all sockets.
 * - getMessageReadReceiptList: the sender only (10007); 10062 for a message without
 *   needReadReceipt.
 * - getGroupMessageReadMemberList: the same rules; pages of userIDs (ordered by userID, `cursor` is
 *   the last one of the page, '' when completed).
 */
import { ErrorCode } from '../../protocol/codes.js';
import type { Message } from '../../protocol/types.js';
import type { OpData } from '../../protocol/wire.js';
import { ImError } from '../errors.js';
import type { StoredMessage } from '../storage/types.js';
import { requireMessage, resolveConversation, type ConversationRef } from './access.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import { conversationIDFor, messageView } from './views.js';

type ReceiptEntry = Extract<
  import('../../protocol/wire.js').PushFrame,
  { push: 'messageReadReceipt' }
>['data'][number];

export class ReceiptService {
  constructor(private readonly deps: ServiceDeps) {}

  async send(
    caller: Caller,
    data: OpData<'sendMessageReadReceipt'>,
  ): Promise<Record<string, never>> {
    const { storage } = this.deps;
    const conv = await resolveConversation(this.deps, caller, data.conversationID);
    const messages: StoredMessage[] = [];
    for (const ID of new Set(data.messageIDList)) {
      messages.push(await requireMessage(this.deps, caller, conv, ID));
    }
    const eligible = messages.filter(
      (m) => m.needReadReceipt && m.from !== caller.userID && !m.isRevoked,
    );
    const newly = new Set(
      await storage.addReads(
        caller.app,
        caller.userID,
        eligible.map((m) => m.cursor),
        this.deps.now(),
      ),
    );
    const bySender = new Map<string, ReceiptEntry[]>();
    for (const message of eligible) {
      if (!newly.has(message.cursor)) continue;
      const stats = await storage.receiptStats(caller.app, message);
      const entries = bySender.get(message.from) ?? [];
      entries.push({
        conversationID: conversationIDFor(message, message.from),
        groupID: message.conversationType === 'GROUP' ? message.to : '',
        userID: caller.userID,
        messageID: message.ID,
        readCount: stats.readCount,
        unreadCount: stats.unreadCount,
        isPeerRead: message.conversationType === 'C2C' && stats.readCount > 0,
      });
      bySender.set(message.from, entries);
    }
    for (const [sender, entries] of bySender) {
      await pushTo(this.deps, caller.app, [sender], { push: 'messageReadReceipt', data: entries });
    }
    return {};
  }

  /** A message of the caller's that asked for receipts. */
  private async ownReceiptMessage(
    caller: Caller,
    conv: ConversationRef,
    messageID: string,
  ): Promise<StoredMessage> {
    const message = await requireMessage(this.deps, caller, conv, messageID);
    if (message.from !== caller.userID) {
      throw new ImError(ErrorCode.NO_PERMISSION, 'only the sender can read the receipts');
    }
    if (!message.needReadReceipt) {
      throw new ImError(
        ErrorCode.READ_RECEIPT_NOT_FOUND,
        `message ${messageID} was not sent with needReadReceipt`,
      );
    }
    return message;
  }

  async list(
    caller: Caller,
    data: OpData<'getMessageReadReceiptList'>,
  ): Promise<{ messageList: Message[] }> {
    const conv = await resolveConversation(this.deps, caller, data.conversationID);
    const messages: StoredMessage[] = [];
    for (const ID of new Set(data.messageIDList)) {
      messages.push(await this.ownReceiptMessage(caller, conv, ID));
    }
    const messageList: Message[] = [];
    for (const message of messages) {
      const stats = await this.deps.storage.receiptStats(caller.app, message);
      const isPeerRead = message.conversationType === 'C2C' && stats.readCount > 0;
      messageList.push(
        messageView(message, caller.userID, {
          isPeerRead,
          readReceiptInfo: { ...stats, isPeerRead },
        }),
      );
    }
    return { messageList };
  }

  async members(
    caller: Caller,
    data: OpData<'getGroupMessageReadMemberList'>,
  ): Promise<{
    isCompleted: boolean;
    cursor: string;
    messageID: string;
    readUserIDList?: string[];
    unreadUserIDList?: string[];
  }> {
    const conv = await resolveConversation(this.deps, caller, data.conversationID);
    const message = await this.ownReceiptMessage(caller, conv, data.messageID);
    const rows = await this.deps.storage.receiptMembers(
      caller.app,
      message,
      data.filter,
      data.cursor,
      data.count + 1,
    );
    const page = rows.slice(0, data.count);
    const isCompleted = rows.length <= data.count;
    const result = { isCompleted, cursor: isCompleted ? '' : page.at(-1)!, messageID: message.ID };
    return data.filter === 0
      ? { ...result, readUserIDList: page }
      : { ...result, unreadUserIDList: page };
  }
}
