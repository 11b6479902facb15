/**
 * Argument checks and result merging shared by the message methods of ChatClientImpl. Every check
 * throws 6017 (invalid parameters) before anything is sent.
 */
import { LIMITS } from '../protocol/constants.js';
import type { Message, ReadReceiptInfo } from '../protocol/types.js';
import type { SendMessageOptions } from './client-types.js';
import { invalidParameters } from './errors.js';

function isMessage(m: unknown): m is Message {
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof (m as Message).ID === 'string' &&
    typeof (m as Message).conversationID === 'string'
  );
}

/** `{conversationID, messageID}` of one message argument. */
export function messageRef(
  api: string,
  message: unknown,
): { conversationID: string; messageID: string } {
  if (!isMessage(message)) throw invalidParameters(`${api}: a message is required`);
  return { conversationID: message.conversationID, messageID: message.ID };
}

/** A non-empty list of messages of one conversation, at most `max`. */
export function sameConversation(
  api: string,
  list: unknown,
  max: number,
): { conversationID: string; messages: Message[] } {
  if (!Array.isArray(list) || list.length === 0 || !list.every(isMessage))
    throw invalidParameters(`${api}: a non-empty list of messages is required`);
  if (list.length > max) throw invalidParameters(`${api}: at most ${max} messages per call`);
  const conversationID = list[0].conversationID;
  if (list.some((m) => m.conversationID !== conversationID))
    throw invalidParameters(`${api}: the messages must be of one conversation`);
  return { conversationID, messages: list };
}

/**
 * deleteMessage's list: the conversation of the first message; messages of other conversations and
 * those past the 30th are dropped, as Tencent's Web SDK does.
 */
export function deletable(list: unknown): { conversationID: string; messages: Message[] } {
  if (!Array.isArray(list) || list.length === 0 || !isMessage(list[0]))
    throw invalidParameters('deleteMessage: a non-empty list of messages is required');
  const conversationID = list[0].conversationID;
  const messages = list
    .filter((m): m is Message => isMessage(m) && m.conversationID === conversationID)
    .slice(0, LIMITS.deleteMessagesPerCall);
  return { conversationID, messages };
}

export interface WireSendOptions {
  onlineUserOnly?: boolean;
  messageControlInfo?: { excludedFromUnreadCount?: boolean; excludedFromLastMessage?: boolean };
}

/** sendMessage options: `onlineUserOnly` and `messageControlInfo` (also spelt `messageControllInfo`). */
export function sendOptions(options: unknown): WireSendOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object')
    throw invalidParameters('sendMessage: options must be an object');
  const o = options as SendMessageOptions & { messageControllInfo?: unknown };
  const control = (o.messageControlInfo ?? o.messageControllInfo) as
    WireSendOptions['messageControlInfo'] | undefined;
  const out: WireSendOptions = {};
  if (o.onlineUserOnly) out.onlineUserOnly = true;
  if (control !== undefined) {
    if (typeof control !== 'object' || control === null)
      throw invalidParameters('sendMessage: messageControlInfo must be an object');
    if (out.onlineUserOnly)
      throw invalidParameters(
        'sendMessage: onlineUserOnly and messageControlInfo exclude each other',
      );
    out.messageControlInfo = {
      excludedFromUnreadCount: !!control.excludedFromUnreadCount,
      excludedFromLastMessage: !!control.excludedFromLastMessage,
    };
  }
  return out;
}

/**
 * Put the read receipt information of a getMessageReadReceiptList answer into the given messages.
 * The answer may list messages (with `readReceiptInfo`) or bare entries `{messageID, readCount, ...}`.
 */
export function mergeReceipts(messages: Message[], answer: unknown): void {
  const list = (answer as { messageList?: unknown } | null)?.messageList;
  if (!Array.isArray(list)) return;
  const byID = new Map(messages.map((m) => [m.ID, m]));
  for (const entry of list as Record<string, unknown>[]) {
    if (!entry || typeof entry !== 'object') continue;
    const id = typeof entry.ID === 'string' ? entry.ID : entry.messageID;
    const target = typeof id === 'string' ? byID.get(id) : undefined;
    if (!target) continue;
    const info = (entry.readReceiptInfo ?? entry) as Partial<ReadReceiptInfo>;
    target.readReceiptInfo = {
      readCount: Number(info.readCount ?? 0),
      unreadCount: Number(info.unreadCount ?? 0),
      isPeerRead: !!info.isPeerRead,
    };
    if (target.conversationType === 'C2C' && info.isPeerRead) target.isPeerRead = true;
  }
}
