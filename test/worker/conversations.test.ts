import { expect } from '@open-wc/testing';
import { MESSAGE_DEFAULTS, type Group, type Message } from '../../src/protocol/types.js';
import { ConversationBook, emptyConversation } from '../../src/worker/conversations.js';

function m(seq: number, from: string, conversationID = 'C2Cbob'): Message {
  return {
    ...MESSAGE_DEFAULTS,
    ID: `${from}-${seq}`,
    type: 'TIMTextElem',
    payload: { text: `#${seq}` },
    conversationID,
    conversationType: conversationID.startsWith('GROUP') ? 'GROUP' : 'C2C',
    to: 'x',
    from,
    flow: from === 'me' ? 'out' : 'in',
    time: 100 + seq,
    sequence: seq,
    clientTime: 100 + seq,
    random: 0,
  };
}

const none = new Map();

describe('ConversationBook', () => {
  it('moves the conversation to the top and counts unread from others only', () => {
    const book = new ConversationBook(() => 'me');
    book.replace([{ ...emptyConversation('C2Ccarol'), orderKey: 5 }]);
    expect(book.applyMessage(m(1, 'bob'), none, none)).to.deep.equal({
      changed: true,
      created: true,
    });
    expect(book.all()[0].conversationID).to.equal('C2Cbob');
    expect(book.get('C2Cbob')!.unreadCount).to.equal(1);
    book.applyMessage(m(2, 'me'), none, none);
    expect(book.get('C2Cbob')!.unreadCount).to.equal(1);
    expect(book.get('C2Cbob')!.lastMessage!.messageForShow).to.equal('#2');
    expect(book.totalUnread()).to.equal(1);
  });

  it('ignores a message the conversation already reflects', () => {
    const book = new ConversationBook(() => 'me');
    book.applyMessage(m(5, 'bob'), none, none);
    expect(book.applyMessage(m(4, 'bob'), none, none).changed).to.equal(false);
    expect(book.applyMessage(m(5, 'bob'), none, none).changed).to.equal(false);
    expect(book.get('C2Cbob')!.unreadCount).to.equal(1);
  });

  it('never counts Meeting groups', () => {
    const book = new ConversationBook(() => 'me');
    const groups = new Map([['g1', { groupID: 'g1', type: 'ChatRoom' } as Group]]);
    book.applyMessage(m(1, 'bob', 'GROUPg1'), groups, none);
    expect(book.get('GROUPg1')!.unreadCount).to.equal(0);
    expect(book.totalUnread()).to.equal(0);
  });

  it('marks read exactly when the read sequence covers the last message', () => {
    const book = new ConversationBook(() => 'me');
    book.applyMessage(m(1, 'bob'), none, none);
    book.applyMessage(m(2, 'bob'), none, none);
    expect(book.markRead('C2Cbob', 1)).to.deep.equal({ changed: false, exact: false });
    expect(book.markRead('C2Cbob', 2)).to.deep.equal({ changed: true, exact: true });
    expect(book.get('C2Cbob')!.unreadCount).to.equal(0);
    expect(book.markRead('C2Cbob')).to.deep.equal({ changed: false, exact: true });
  });
});
