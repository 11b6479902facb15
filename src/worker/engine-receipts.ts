/**
 * The engine's handlers for read receipts, receive options (do not disturb), extensions and
 * reactions. Like engine-messages.ts: validate (6017), ask the server, apply the change here and
 * tell the other tabs of this browser what the server pushes to other browsers:
 *   setMessageRemindType     CONVERSATION_LIST_UPDATED to every tab (and the total unread: muted
 *                            conversations count none)
 *   setAllReceiveMessageOpt  ALL_RECEIVE_MESSAGE_OPT_UPDATED (the options set)
 *   set/deleteMessageExtensions  MESSAGE_EXTENSIONS_UPDATED / _DELETED
 *   add/removeMessageReaction    MESSAGE_REACTIONS_UPDATED (the message's reactions, fetched when
 *                            the answer does not carry them and another tab would hear of it)
 */
import { EVENT } from '../protocol/constants.js';
import type { GroupSelfInfo, MessageExtension, Reaction } from '../protocol/types.js';
import { validate, type Handler } from './api-util.js';
import type { Engine } from './engine.js';
import { hasOtherTabs } from './message-updates.js';
import type { PortPeer } from './port-peer.js';

type ExtensionResult = {
  successExtensionList?: MessageExtension[];
  failureExtensionList?: (MessageExtension & { code: number })[];
};

async function setMessageRemindType(e: Engine, _peer: PortPeer, p: unknown) {
  const data = validate('setMessageRemindType', p);
  const res = await e.conn.request<{ successUserIDList?: string[] } | undefined>(
    'setMessageRemindType',
    data,
  );
  const type = data.messageRemindType;
  let changed = false;
  if (data.groupID) {
    changed = e.data.book.setRemindType(`GROUP${data.groupID}`, type) || changed;
    const group = e.data.groups.get(data.groupID);
    if (group && 'role' in group.selfInfo) {
      e.data.groups.set(data.groupID, {
        ...group,
        selfInfo: { ...(group.selfInfo as GroupSelfInfo), messageRemindType: type },
      });
      e.data.groupsChanged();
    }
  }
  for (const userID of res?.successUserIDList ?? data.userIDList ?? [])
    changed = e.data.book.setRemindType(`C2C${userID}`, type) || changed;
  if (changed) e.data.conversationsChanged();
  return res ?? {};
}

async function setAllReceiveMessageOpt(e: Engine, peer: PortPeer, p: unknown) {
  const data = validate('setAllReceiveMessageOpt', p);
  await e.conn.request('setAllReceiveMessageOpt', data);
  e.broadcast(EVENT.ALL_RECEIVE_MESSAGE_OPT_UPDATED, data, peer);
  return {};
}

async function setMessageExtensions(e: Engine, peer: PortPeer, p: unknown) {
  const data = validate('setMessageExtensions', p);
  const res = await e.conn.request<ExtensionResult>('setMessageExtensions', data);
  const extensions = res?.successExtensionList ?? [];
  if (extensions.length > 0) {
    const { conversationID, messageID } = data;
    e.broadcast(EVENT.MESSAGE_EXTENSIONS_UPDATED, { conversationID, messageID, extensions }, peer);
  }
  return { successExtensionList: extensions, failureExtensionList: [], ...res };
}

async function deleteMessageExtensions(e: Engine, peer: PortPeer, p: unknown) {
  const data = validate('deleteMessageExtensions', p);
  const res = await e.conn.request<ExtensionResult>('deleteMessageExtensions', data);
  const keyList = res?.successExtensionList?.map((x) => x.key) ?? data.keyList ?? [];
  if (keyList.length > 0) {
    const { conversationID, messageID } = data;
    e.broadcast(EVENT.MESSAGE_EXTENSIONS_DELETED, { conversationID, messageID, keyList }, peer);
  }
  return { successExtensionList: [], failureExtensionList: [], ...res };
}

function reaction(op: 'addMessageReaction' | 'removeMessageReaction'): Handler {
  return async (e: Engine, peer: PortPeer, p: unknown) => {
    const data = validate(op, p);
    const res = await e.conn.request<{ reactionList?: Reaction[] } | undefined>(op, data);
    if (hasOtherTabs(e, peer)) {
      const { conversationID, messageID } = data;
      let reactionList = res?.reactionList;
      if (!reactionList) {
        const all = await e.conn.request<{
          resultList: { messageID: string; reactionList: Reaction[] }[];
        }>('getMessageReactions', { conversationID, messageIDList: [messageID] });
        reactionList = all.resultList?.find((r) => r.messageID === messageID)?.reactionList ?? [];
      }
      e.broadcast(
        EVENT.MESSAGE_REACTIONS_UPDATED,
        { conversationID, messageID, reactionList },
        peer,
      );
    }
    return {};
  };
}

/** Ops whose answer goes to the tab as it is. */
function passThrough(
  op:
    | 'sendMessageReadReceipt'
    | 'getMessageReadReceiptList'
    | 'getGroupMessageReadMemberList'
    | 'getAllReceiveMessageOpt'
    | 'getMessageExtensions'
    | 'getMessageReactions'
    | 'getAllUserListOfMessageReaction',
): Handler {
  return (e: Engine, _peer: PortPeer, p: unknown) => e.conn.request(op, validate(op, p));
}

export const receiptHandlers: Record<string, Handler> = {
  sendMessageReadReceipt: passThrough('sendMessageReadReceipt'),
  getMessageReadReceiptList: passThrough('getMessageReadReceiptList'),
  getGroupMessageReadMemberList: passThrough('getGroupMessageReadMemberList'),
  setMessageRemindType,
  setAllReceiveMessageOpt,
  getAllReceiveMessageOpt: passThrough('getAllReceiveMessageOpt'),
  setMessageExtensions,
  getMessageExtensions: passThrough('getMessageExtensions'),
  deleteMessageExtensions,
  addMessageReaction: reaction('addMessageReaction'),
  removeMessageReaction: reaction('removeMessageReaction'),
  getMessageReactions: passThrough('getMessageReactions'),
  getAllUserListOfMessageReaction: passThrough('getAllUserListOfMessageReaction'),
};
