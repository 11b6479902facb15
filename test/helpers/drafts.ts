/**
 * A new 1:1 text message as the send path hands it to storage (`appendMessage`), for the tests and
 * benchmarks that write through storage directly. `extra` overrides any field.
 */
import { c2cKey, type NewMessage } from '../../src/server/storage/types.js';

export function textDraft(
  from: string,
  to: string,
  ID: string,
  text: string,
  extra: Partial<NewMessage> = {},
): NewMessage {
  return {
    convKey: c2cKey(from, to),
    conversationType: 'C2C',
    to,
    from,
    ID,
    type: 'TIMTextElem',
    payload: { text },
    priority: 'Normal',
    cloudCustomData: '',
    clientTime: 1,
    random: 0,
    time: 1_700_000_000,
    nick: '',
    avatar: '',
    atUserList: [],
    receiverList: [],
    needReadReceipt: false,
    isSupportExtension: false,
    excludedFromUnreadCount: false,
    excludedFromLastMessage: false,
    ...extra,
  };
}
