/**
 * The server's pushes about messages that were already delivered, conversation settings and
 * online-only messages (sync.ts handles `message`, read marks, groups and profiles). Recalls and
 * edits carry a change cursor: one missed while offline comes back from `syncChanges` at the next
 * catch-up (sync.ts). The others carry none: one missed while offline is not replayed; the list
 * refetch after every login and the next getMessageList page (which replaces cached copies) catch
 * up with them.
 *
 * Events, by push:
 *   messageRevoked            MESSAGE_REVOKED [message]
 *   messageModified           MESSAGE_MODIFIED [message]
 *   messageReadByPeer         MESSAGE_READ_BY_PEER [messages now isPeerRead] (cached ones only)
 *   messageReadReceipt        MESSAGE_READ_RECEIPT_RECEIVED [{conversationID, messageID, ...}]
 *   messageExtensionsUpdated  MESSAGE_EXTENSIONS_UPDATED {conversationID, messageID, extensions}
 *   messageExtensionsDeleted  MESSAGE_EXTENSIONS_DELETED {conversationID, messageID, keyList}
 *   messageReactionsUpdated   MESSAGE_REACTIONS_UPDATED {conversationID, messageID, reactionList}
 *   pinnedGroupMessageUpdated PINNED_GROUP_MESSAGE_UPDATED {groupID, pinnedMessageList}
 *   conversationUpdated       CONVERSATION_LIST_UPDATED (+ the total unread when it changed);
 *                             im:historyCleared when the conversation has no last message any more
 *   allReceiveMessageOptUpdated ALL_RECEIVE_MESSAGE_OPT_UPDATED (the push data)
 *   onlineMessage             MESSAGE_RECEIVED [message] (onlineOnlyFlag; no conversation, unread
 *                             or cache change) and, for a peer's typing status, im:typing
 */
import { EVENT } from '../protocol/constants.js';
import type { Message } from '../protocol/types.js';
import type { PushFrame } from '../protocol/wire.js';
import { LIFECYCLE_EVENT, typingStatusOf } from '../core/internal-events.js';
import type { Engine } from './engine.js';
import { applyMessageChange, applyReceipts, markPeerRead } from './message-updates.js';

/** Apply one push of the kinds above; false when the push is not one of them. */
export async function applyMessagePush(e: Engine, frame: PushFrame): Promise<boolean> {
  switch (frame.push) {
    case 'messageRevoked':
      await applyMessageChange(e, frame.data.message, 'revoked');
      return true;
    case 'messageModified':
      await applyMessageChange(e, frame.data.message, 'modified');
      return true;
    case 'messageReadByPeer':
      await markPeerRead(e, frame.data.conversationID, frame.data.readSequence);
      return true;
    case 'messageReadReceipt':
      await applyReceipts(e, frame.data);
      return true;
    case 'messageExtensionsUpdated': {
      const { conversationID, messageID, extensionList } = frame.data;
      e.broadcast(EVENT.MESSAGE_EXTENSIONS_UPDATED, {
        conversationID,
        messageID,
        extensions: extensionList,
      });
      return true;
    }
    case 'messageExtensionsDeleted':
      e.broadcast(EVENT.MESSAGE_EXTENSIONS_DELETED, frame.data);
      return true;
    case 'messageReactionsUpdated':
      e.broadcast(EVENT.MESSAGE_REACTIONS_UPDATED, frame.data);
      return true;
    case 'pinnedGroupMessageUpdated':
      e.broadcast(EVENT.PINNED_GROUP_MESSAGE_UPDATED, {
        groupID: frame.data.groupID,
        pinnedMessageList: frame.data.pinnedMessageList.map((m) => e.data.normalize(m)),
      });
      return true;
    case 'conversationUpdated': {
      const conversation = frame.data;
      e.data.book.upsert(conversation);
      e.data.conversationsChanged();
      if (conversation.lastMessage === null) {
        const { conversationID } = conversation;
        await e.data.cache?.clearMessages(conversationID);
        e.broadcast(LIFECYCLE_EVENT.HISTORY_CLEARED, { conversationID });
      }
      return true;
    }
    case 'allReceiveMessageOptUpdated':
      e.broadcast(EVENT.ALL_RECEIVE_MESSAGE_OPT_UPDATED, frame.data);
      return true;
    case 'onlineMessage':
      deliverOnline(e, frame.data);
      return true;
    default:
      return false;
  }
}

/** An online-only message: to the tabs as it is, never stored or counted. */
function deliverOnline(e: Engine, raw: Message): void {
  const m = e.data.normalize({ ...raw, onlineOnlyFlag: true });
  e.broadcast(EVENT.MESSAGE_RECEIVED, [m]);
  const typing = typingStatusOf(m);
  if (typing !== null && m.flow === 'in' && m.conversationType === 'C2C') {
    e.broadcast(LIFECYCLE_EVENT.TYPING, {
      conversationID: m.conversationID,
      userID: m.from,
      typing,
    });
  }
}
