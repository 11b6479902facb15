/**
 * Internal events (not in Tencent's EVENT table) that the engine emits to tabs and the client passes
 * to `on()` handlers for the elements, besides INTERNAL_EVENT of src/protocol/rpc.ts (`im:state`,
 * consumed by the client, and `im:messageSent`); the names live in INTERNAL_EVENT.
 *
 * - `im:messageSent` {message}: a message this browser sends, told to every tab but the one whose
 *   `sendMessage` waits on it, by `message.status`: 'unSend' when it starts waiting in the outbox
 *   (not connected; src/worker/outbox.ts), 'success' when the server acknowledged it (also for one
 *   sent directly), 'fail' when the server refused a message that was shown as waiting. The
 *   sending tab's client emits it to its own handlers too ('unSend' when `sendMessage` is called,
 *   then 'success' or 'fail'), so an element shows messages page code sends through the API.
 *   Merge by ID: every copy of one message has the same ID; `getMessageList` ends with the waiting
 *   ones.
 *
 * - `im:typing` {conversationID, userID, typing}: a C2C peer started (true) or stopped typing. The
 *   typing message itself also arrives as MESSAGE_RECEIVED (an online-only custom message whose
 *   data is `{"businessID":"user_typing_status","typingStatus":1|0}`); it is never stored.
 * - `im:messagesDeleted` {conversationID, messageIDList}: another tab of this browser deleted these
 *   messages (delete for me); the tab that deleted them gets the result instead.
 * - `im:historyCleared` {conversationID}: another tab of this browser cleared this conversation.
 */
import { INTERNAL_EVENT } from '../protocol/rpc.js';
import { TYPING_BUSINESS_ID, type Message } from '../protocol/types.js';

export const LIFECYCLE_EVENT = {
  TYPING: INTERNAL_EVENT.TYPING,
  MESSAGES_DELETED: INTERNAL_EVENT.MESSAGES_DELETED,
  HISTORY_CLEARED: INTERNAL_EVENT.HISTORY_CLEARED,
} as const;

export interface TypingEventData {
  conversationID: string;
  userID: string;
  typing: boolean;
}

export interface MessagesDeletedEventData {
  conversationID: string;
  messageIDList: string[];
}

/** The custom-message data of a typing status. */
export function typingData(typing: boolean): string {
  return JSON.stringify({ businessID: TYPING_BUSINESS_ID, typingStatus: typing ? 1 : 0 });
}

/** true/false when the message is a typing status (started/stopped), null when it is not one. */
export function typingStatusOf(m: Pick<Message, 'type' | 'payload'>): boolean | null {
  if (m.type !== 'TIMCustomElem') return null;
  const data = (m.payload as { data?: unknown }).data;
  if (typeof data !== 'string' || !data.includes(TYPING_BUSINESS_ID)) return null;
  try {
    const parsed = JSON.parse(data) as { businessID?: unknown; typingStatus?: unknown };
    if (parsed.businessID !== TYPING_BUSINESS_ID) return null;
    return parsed.typingStatus === 1;
  } catch {
    return null;
  }
}
