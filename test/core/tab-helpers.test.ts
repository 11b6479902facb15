/**
 * Tab-side helpers without a server: the message memory behind findMessage, the argument checks of
 * the message methods, the typing status data.
 */
import { expect } from '@open-wc/testing';
import { MESSAGE_DEFAULTS, type Message } from '../../src/protocol/types.js';
import { IMError } from '../../src/core/errors.js';
import { typingData, typingStatusOf } from '../../src/core/internal-events.js';
import {
  deletable,
  mergeReceipts,
  sameConversation,
  sendOptions,
} from '../../src/core/message-args.js';
import { MessageMemory } from '../../src/core/message-memory.js';

function code(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(IMError);
    return (err as IMError).code;
  }
  throw new Error('expected a throw');
}

describe('tab helpers', () => {
  const msg = (ID: string, conversationID = 'C2Cbob'): Message =>
    ({
      ...MESSAGE_DEFAULTS,
      ID,
      conversationID,
      type: 'TIMTextElem',
      payload: { text: ID },
    }) as Message;

  it('MessageMemory keeps one object per ID, bounded, and never online-only messages', () => {
    const memory = new MessageMemory(3);
    const first = msg('a');
    expect(memory.adopt(first)).to.equal(first);
    const copy = { ...msg('a'), isRevoked: true };
    expect(memory.adopt(copy)).to.equal(first);
    expect(first.isRevoked).to.equal(true);
    memory.adoptAll([msg('b'), msg('c'), msg('d')]);
    expect(memory.get('a')).to.equal(null);
    expect(memory.get('d')!.ID).to.equal('d');
    memory.adopt({ ...msg('e'), onlineOnlyFlag: true });
    expect(memory.get('e')).to.equal(null);
    const d = memory.get('d')!;
    memory.deleted(['d']);
    expect(d.isDeleted).to.equal(true);
    expect(memory.get('d')).to.equal(null);
    memory.adopt(msg('x', 'GROUPg'));
    memory.forgetConversation('GROUPg');
    expect(memory.get('x')).to.equal(null);
  });

  it('argument checks of the message methods', () => {
    expect(
      deletable([msg('a'), msg('b', 'C2Cother'), msg('c')]).messages.map((m) => m.ID),
    ).to.deep.equal(['a', 'c']);
    const many = Array.from({ length: 40 }, (_, i) => msg(`m${i}`));
    expect(deletable(many).messages).to.have.length(30);
    expect(code(() => deletable([]))).to.equal(6017);
    expect(code(() => sameConversation('x', [msg('a'), msg('b', 'C2Cz')], 30))).to.equal(6017);
    expect(code(() => sameConversation('x', many, 30))).to.equal(6017);
    expect(sendOptions({ onlineUserOnly: true })).to.deep.equal({ onlineUserOnly: true });
    expect(sendOptions({ messageControllInfo: { excludedFromUnreadCount: true } })).to.deep.equal({
      messageControlInfo: { excludedFromUnreadCount: true, excludedFromLastMessage: false },
    });
    expect(code(() => sendOptions({ onlineUserOnly: true, messageControlInfo: {} }))).to.equal(
      6017,
    );
    const a = msg('a');
    mergeReceipts([a], {
      messageList: [{ messageID: 'a', readCount: 2, unreadCount: 1, isPeerRead: false }],
    });
    expect(a.readReceiptInfo).to.deep.equal({ readCount: 2, unreadCount: 1, isPeerRead: false });
    mergeReceipts([a], {
      messageList: [
        { ID: 'a', readReceiptInfo: { readCount: 3, unreadCount: 0, isPeerRead: true } },
      ],
    });
    expect(a.readReceiptInfo).to.deep.equal({ readCount: 3, unreadCount: 0, isPeerRead: true });
  });

  it('typing status data', () => {
    const m = { type: 'TIMCustomElem', payload: { data: typingData(true) } };
    expect(typingStatusOf(m)).to.equal(true);
    expect(typingStatusOf({ ...m, payload: { data: typingData(false) } })).to.equal(false);
    expect(typingStatusOf({ ...m, payload: { data: 'dice' } })).to.equal(null);
    expect(typingStatusOf({ type: 'TIMTextElem', payload: { text: 'x' } })).to.equal(null);
  });
});
