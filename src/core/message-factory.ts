/**
 * `createTextMessage` runs synchronously in the tab: it validates its input and builds a complete
 * Message (types.ts) that `sendMessage` then hands to the engine. The ID is
 * `${tinyID}-${clientTime}-${random}`: unique per sender, and the server's idempotency key, so a
 * retried send of the same object never creates a second message.
 */
import { ErrorCode } from '../protocol/codes.js';
import { LIMITS } from '../protocol/constants.js';
import { MESSAGE_DEFAULTS, conversationIDOf, type Message } from '../protocol/types.js';
import type { CreateTextMessageOptions } from './client-types.js';
import { IMError, invalidParameters } from './errors.js';

export interface Sender {
  userID: string;
  tinyID: number;
}

export function buildTextMessage(options: CreateTextMessageOptions, sender: Sender): Message {
  const { to, conversationType, payload } = options ?? ({} as CreateTextMessageOptions);
  if (typeof to !== 'string' || !to) throw invalidParameters('createTextMessage: to is required');
  if (conversationType !== 'C2C' && conversationType !== 'GROUP') {
    throw invalidParameters('createTextMessage: conversationType must be C2C or GROUP');
  }
  if (!payload || typeof payload.text !== 'string' || payload.text.length === 0) {
    throw invalidParameters('createTextMessage: payload.text is required');
  }
  if (new TextEncoder().encode(payload.text).length > LIMITS.messageBodyBytes) {
    throw new IMError(ErrorCode.MESSAGE_BODY_TOO_LARGE, 'The message is larger than 12 KB');
  }
  const clientTime = Math.floor(Date.now() / 1000);
  const random = Math.floor(Math.random() * 2 ** 31);
  return {
    ...MESSAGE_DEFAULTS,
    ID: `${sender.tinyID}-${clientTime}-${random}`,
    type: 'TIMTextElem',
    payload: { text: payload.text },
    conversationID: conversationIDOf(conversationType, to),
    conversationType,
    to,
    from: sender.userID,
    flow: 'out',
    time: clientTime,
    status: 'unSend',
    isRevoked: false,
    priority: options.priority ?? 'Normal',
    nick: '',
    avatar: '',
    isPeerRead: false,
    nameCard: '',
    atUserList: [],
    cloudCustomData: options.cloudCustomData ?? '',
    isDeleted: false,
    isModified: false,
    needReadReceipt: !!options.needReadReceipt,
    sequence: 0,
    clientTime,
    random,
  };
}
