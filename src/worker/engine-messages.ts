/**
 * The engine's message handlers: send, recall, modify, delete, clear, hopping, merger download,
 * pins and translation. Each validates against the wire schema (6017, nothing sent), asks the
 * server, and on success applies the change here (message-updates.ts): the acting tab gets the
 * result, the other tabs of this browser the event the server pushes to other browsers (it never
 * pushes a change back to the socket that made it).
 *
 * Sends go through the outbox (outbox.ts): the sending tab gets the server-stamped message when it
 * is acknowledged (it may wait for the connection); the other tabs `im:messageSent`; nobody here
 * MESSAGE_RECEIVED. Online-only sends (`onlineUserOnly`, e.g. typing status) never wait: 9508 when
 * not connected; they touch neither the conversation list nor the cache, and the other tabs hear
 * nothing of them.
 */
import { ErrorCode } from '../protocol/codes.js';
import { EVENT, LIMITS } from '../protocol/constants.js';
import type { Message } from '../protocol/types.js';
import { IMError } from '../core/errors.js';
import { validate, type Handler } from './api-util.js';
import type { Engine } from './engine.js';
import { stampMessage } from './outbox.js';
import {
  applyMessageChange,
  clearHistory,
  hasOtherTabs,
  removeMessages,
} from './message-updates.js';
import type { PortPeer } from './port-peer.js';

const encoder = new TextEncoder();
/** Room left in a frame for the envelope around a message. */
const FRAME_MARGIN = 1024;

async function sendMessage(
  e: Engine,
  peer: PortPeer,
  p: { message?: Partial<Message>; options?: unknown },
): Promise<{ message: Message }> {
  const m = p?.message;
  if (!m || typeof m !== 'object')
    throw new IMError(ErrorCode.INVALID_PARAMETERS, 'sendMessage: message is required');
  const data = validate('sendMessage', {
    message: {
      ID: m.ID,
      type: m.type,
      payload: m.payload,
      conversationType: m.conversationType,
      to: m.to,
      priority: m.priority,
      cloudCustomData: m.cloudCustomData,
      clientTime: m.clientTime,
      random: m.random,
      atUserList: m.atUserList,
      needReadReceipt: m.needReadReceipt,
      isSupportExtension: m.isSupportExtension,
      receiverList: m.receiverList,
    },
    options: p.options ?? {},
  });
  // A frame over the server's limit would close the socket (1009): refuse it here.
  if (encoder.encode(JSON.stringify(data)).length > LIMITS.frameBytes - FRAME_MARGIN)
    throw new IMError(ErrorCode.MESSAGE_BODY_TOO_LARGE, 'The message is too large to send');
  if (!data.options?.onlineUserOnly)
    return { message: await e.outbox.submit(peer, data, m as Message) };
  // Online-only (typing status...): now or never; no outbox, no conversation, no cache.
  if (e.conn.state !== 'connected')
    throw new IMError(
      ErrorCode.NET_DISCONNECTED,
      'Not connected: online-only messages are not kept',
    );
  const res = await e.conn.request<{ message?: Message }>('sendMessage', data);
  return { message: stampMessage(e, m as Message, res.message, data) };
}

interface MessageRef {
  conversationID?: unknown;
  messageID?: unknown;
  message?: Partial<Message>;
}

async function revokeMessage(e: Engine, peer: PortPeer, p: MessageRef) {
  const data = validate('revokeMessage', {
    conversationID: p?.conversationID,
    messageID: p?.messageID,
  });
  const res = await e.conn.request<{ message?: Message }>('revokeMessage', data);
  const base = res?.message ?? p.message ?? {};
  const message = await applyMessageChange(
    e,
    {
      ...base,
      ID: data.messageID,
      conversationID: data.conversationID,
      revoker: base.revoker || e.config.userID,
    },
    'revoked',
    peer,
  );
  return { message };
}

async function modifyMessage(e: Engine, peer: PortPeer, p: unknown) {
  const data = validate('modifyMessage', p);
  let res: { message: Message };
  try {
    res = await e.conn.request<{ message: Message }>('modifyMessage', data);
  } catch (err) {
    // A conflict carries the latest version: hand it over as this user sees it.
    const latest = (err as IMError).data as { message?: Message } | undefined;
    if (err instanceof IMError && latest?.message && typeof latest.message === 'object') {
      throw new IMError(err.code, err.message, {
        ...latest,
        message: e.data.normalize(latest.message),
      });
    }
    throw err;
  }
  const message = await applyMessageChange(
    e,
    { ...res.message, ID: data.messageID, conversationID: data.conversationID },
    'modified',
    peer,
  );
  return { message };
}

async function deleteMessage(e: Engine, peer: PortPeer, p: unknown) {
  const data = validate('deleteMessage', p);
  await e.conn.request('deleteMessage', data);
  await removeMessages(e, data.conversationID, data.messageIDList, peer);
  return {};
}

async function clearHistoryMessage(e: Engine, peer: PortPeer, p: unknown) {
  const data = validate('clearHistoryMessage', p);
  await e.conn.request('clearHistoryMessage', data);
  await clearHistory(e, data.conversationID, peer);
  return {};
}

async function getMessageListHopping(e: Engine, _peer: PortPeer, p: unknown) {
  const data = validate('getMessageListHopping', p);
  const res = await e.conn.request<{ messageList: Message[] } & Record<string, unknown>>(
    'getMessageListHopping',
    data,
  );
  return { ...res, messageList: (res.messageList ?? []).map((m) => e.data.normalize(m)) };
}

/** The merged messages keep the view of their own conversation: they are not normalized. */
async function downloadMergerMessage(e: Engine, _peer: PortPeer, p: unknown) {
  const data = validate('downloadMergerMessage', p);
  return e.conn.request<{ messageList: Message[] }>('downloadMergerMessage', data);
}

async function translateText(e: Engine, _peer: PortPeer, p: unknown) {
  const data = validate('translateText', p);
  return e.conn.request<{ translatedTextList: string[] }>('translateText', data);
}

async function pinnedList(e: Engine, groupID: string): Promise<Message[]> {
  const res = await e.conn.request<{ messageList?: Message[] }>('getPinnedGroupMessageList', {
    groupID,
  });
  return (res.messageList ?? []).map((m) => e.data.normalize(m));
}

async function pinGroupMessage(e: Engine, peer: PortPeer, p: unknown) {
  const data = validate('pinGroupMessage', p);
  const res = await e.conn.request<{ pinnedMessageList?: Message[] }>('pinGroupMessage', data);
  if (hasOtherTabs(e, peer)) {
    const pinnedMessageList = res?.pinnedMessageList
      ? res.pinnedMessageList.map((m) => e.data.normalize(m))
      : await pinnedList(e, data.groupID);
    e.broadcast(
      EVENT.PINNED_GROUP_MESSAGE_UPDATED,
      { groupID: data.groupID, pinnedMessageList },
      peer,
    );
  }
  return {};
}

async function getPinnedGroupMessageList(e: Engine, _peer: PortPeer, p: unknown) {
  const { groupID } = validate('getPinnedGroupMessageList', p);
  return { messageList: await pinnedList(e, groupID) };
}

export const messageHandlers: Record<string, Handler> = {
  sendMessage,
  revokeMessage,
  modifyMessage,
  deleteMessage,
  clearHistoryMessage,
  getMessageListHopping,
  downloadMergerMessage,
  translateText,
  pinGroupMessage,
  getPinnedGroupMessageList,
};
