/**
 * The engine against a scripted server, two tabs of one engine: read marks, receipts, extensions,
 * reactions, pins and settings pushed by the server; deletions, cleared history, receive options,
 * mentions and reactions made here reach the other tab; the cache and the list follow.
 */
import { expect } from '@open-wc/testing';
import { EVENT, TYPES } from '../../src/protocol/constants.js';
import type { Message } from '../../src/protocol/types.js';
import { LIFECYCLE_EVENT } from '../../src/core/internal-events.js';
import { IMError } from '../../src/core/errors.js';
import { Cache } from '../../src/worker/cache.js';
import { until } from './fake-socket.js';
import { answerWhenAsked, conversation, deliver, lastList, message, twoTabs } from './two-tabs.js';

describe('Engine: receipts, extensions, reactions, deletes, settings (scripted server)', () => {
  it('read by peer marks own cached messages; receipts, extensions, reactions, pins reach the tabs', async () => {
    const { me, s, a, b, close } = await twoTabs();
    for (const seq of [5, 6, 7]) {
      const own = message(me, seq, { from: me, to: 'peer' });
      const sending = a.rpc.call('sendMessage', { message: own });
      await until(() => s.ops().filter((o) => o === 'sendMessage').length === seq - 4);
      s.answer('sendMessage', { message: own });
      await sending;
    }
    s.receive({
      push: 'messageReadByPeer',
      data: { conversationID: 'C2Cpeer', readSequence: 6, time: 1 },
    });
    await until(() => b.of(EVENT.MESSAGE_READ_BY_PEER).length === 1);
    const read = b.of(EVENT.MESSAGE_READ_BY_PEER)[0] as Message[];
    expect(read.map((m) => m.sequence)).to.deep.equal([5, 6]);
    expect(read.every((m) => m.isPeerRead)).to.equal(true);

    const receipt = {
      conversationID: 'C2Cpeer',
      groupID: '',
      userID: 'peer',
      messageID: `${me}-7`,
      readCount: 1,
      unreadCount: 0,
      isPeerRead: true,
    };
    s.receive({ push: 'messageReadReceipt', data: [receipt] });
    s.receive({
      push: 'messageExtensionsUpdated',
      data: {
        conversationID: 'C2Cpeer',
        messageID: 'x',
        extensionList: [{ key: 'k', value: 'v' }],
      },
    });
    s.receive({
      push: 'messageExtensionsDeleted',
      data: { conversationID: 'C2Cpeer', messageID: 'x', keyList: ['k'] },
    });
    const reactionList = [
      { reactionID: 'like', totalUserCount: 1, partialUserList: [], reactedByMyself: false },
    ];
    s.receive({
      push: 'messageReactionsUpdated',
      data: { conversationID: 'C2Cpeer', messageID: 'x', reactionList },
    });
    s.receive({
      push: 'pinnedGroupMessageUpdated',
      data: {
        groupID: 'g1',
        pinnedMessageList: [message(me, 9, { conversationType: 'GROUP', to: 'g1' })],
      },
    });
    s.receive({
      push: 'allReceiveMessageOptUpdated',
      data: { messageRemindType: 'AcceptNotNotify' },
    });
    await until(() => a.of(EVENT.ALL_RECEIVE_MESSAGE_OPT_UPDATED).length === 1);
    expect(a.of(EVENT.MESSAGE_READ_RECEIPT_RECEIVED)[0]).to.deep.equal([receipt]);
    expect(a.of(EVENT.MESSAGE_EXTENSIONS_UPDATED)[0]).to.deep.equal({
      conversationID: 'C2Cpeer',
      messageID: 'x',
      extensions: [{ key: 'k', value: 'v' }],
    });
    expect(a.of(EVENT.MESSAGE_EXTENSIONS_DELETED)[0]).to.deep.include({
      messageID: 'x',
      keyList: ['k'],
    });
    expect(a.of(EVENT.MESSAGE_REACTIONS_UPDATED)[0]).to.deep.include({
      messageID: 'x',
      reactionList,
    });
    const pinned = a.of(EVENT.PINNED_GROUP_MESSAGE_UPDATED)[0];
    expect(pinned.groupID).to.equal('g1');
    expect(pinned.pinnedMessageList[0].conversationID).to.equal('GROUPg1');
    expect(a.of(EVENT.ALL_RECEIVE_MESSAGE_OPT_UPDATED)[0]).to.deep.equal({
      messageRemindType: 'AcceptNotNotify',
    });
    close();
  });

  it('delete and clear history: cache, lastMessage, the other tab told', async () => {
    const { me, s, a, b, config, close } = await twoTabs();
    for (const seq of [10, 11]) await deliver(s, a, message(me, seq), seq);
    const profiles = () => s.ops().filter((o) => o === 'getConversationProfile').length;
    const asked = profiles();
    const del = a.rpc.call('deleteMessage', {
      conversationID: 'C2Cpeer',
      messageIDList: ['peer-11'],
    });
    await answerWhenAsked(s, 'deleteMessage', {});
    // the last message went: the conversation is fetched again from the server
    const previous = message(me, 10);
    await until(() => profiles() > asked);
    s.answer('getConversationProfile', {
      conversation: conversation('C2Cpeer', {
        lastMessage: {
          ID: previous.ID,
          lastTime: previous.time,
          lastSequence: 10,
          fromAccount: 'peer',
          type: 'TIMTextElem',
          payload: previous.payload,
          messageForShow: 'm10',
          cloudCustomData: '',
          isRevoked: false,
          nick: '',
          nameCard: '',
        },
      }),
    });
    await del;
    await until(() => b.of(LIFECYCLE_EVENT.MESSAGES_DELETED).length === 1);
    expect(b.of(LIFECYCLE_EVENT.MESSAGES_DELETED)[0]).to.deep.equal({
      conversationID: 'C2Cpeer',
      messageIDList: ['peer-11'],
    });
    expect(a.of(LIFECYCLE_EVENT.MESSAGES_DELETED)).to.have.length(0);
    await until(() => lastList(b)[0]?.lastMessage?.ID === previous.ID);
    const cache = await Cache.open(config);
    expect((await cache.loadMessages('C2Cpeer')).map((m) => m.ID)).to.deep.equal(['peer-10']);

    const clear = a.rpc.call('clearHistoryMessage', { conversationID: 'C2Cpeer' });
    await answerWhenAsked(s, 'clearHistoryMessage', {});
    await clear;
    await until(() => b.of(LIFECYCLE_EVENT.HISTORY_CLEARED).length === 1);
    expect(b.of(LIFECYCLE_EVENT.HISTORY_CLEARED)[0]).to.deep.equal({ conversationID: 'C2Cpeer' });
    const conv = lastList(b).find((c) => c.conversationID === 'C2Cpeer')!;
    expect(conv.lastMessage).to.equal(null);
    expect(conv.unreadCount).to.equal(0);
    expect(await cache.loadMessages('C2Cpeer')).to.deep.equal([]);
    cache.close();
    close();
  });

  it('muted conversations count no total unread; setMessageRemindType updates every tab', async () => {
    const { s, a, b, close } = await twoTabs([
      conversation('C2Cpeer', { unreadCount: 2 }),
      conversation('GROUPg1', { unreadCount: 3 }),
    ]);
    await until(() => a.of(EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED).at(-1) === 5);
    const setting = a.rpc.call('setMessageRemindType', {
      groupID: 'g1',
      messageRemindType: TYPES.MSG_REMIND_ACPT_NOT_NOTE,
    });
    await answerWhenAsked(s, 'setMessageRemindType', {});
    await setting;
    await until(() => b.of(EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED).at(-1) === 2);
    expect(lastList(b).find((c) => c.conversationID === 'GROUPg1')!.messageRemindType).to.equal(
      'AcceptNotNotify',
    );
    // another device muted the C2C conversation: the push replaces it
    s.receive({
      push: 'conversationUpdated',
      data: conversation('C2Cpeer', {
        unreadCount: 2,
        messageRemindType: 'Discard',
        lastMessage: {
          ID: 'x',
          lastTime: 1,
          lastSequence: 1,
          fromAccount: 'peer',
          type: 'TIMTextElem',
          payload: { text: 'x' },
          messageForShow: 'x',
          cloudCustomData: '',
          isRevoked: false,
          nick: '',
          nameCard: '',
        },
      }),
    });
    await until(() => a.of(EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED).at(-1) === 0);
    close();
  });

  it('@ mentions add groupAtInfoList entries until read; excluded messages are not counted', async () => {
    const { me, s, a, close } = await twoTabs([conversation('GROUPg1')]);
    const group = (seq: number, over: Partial<Message> = {}) =>
      message(me, seq, {
        conversationType: 'GROUP',
        to: 'g1',
        conversationID: 'GROUPg1',
        ID: `g-${seq}`,
        ...over,
      });
    await deliver(s, a, group(2, { atUserList: [me] }), 2);
    await deliver(s, a, group(3, { atUserList: [TYPES.MSG_AT_ALL, me] }), 3);
    await deliver(s, a, group(4, { isExcludedFromUnreadCount: true }), 4);
    await deliver(s, a, group(5, { isExcludedFromLastMessage: true }), 5);
    await until(() => lastList(a)[0]?.unreadCount === 3);
    const conv = lastList(a)[0];
    expect(conv.lastMessage!.ID).to.equal('g-4');
    expect(conv.groupAtInfoList).to.deep.equal([
      { groupID: 'g1', messageID: 'g-2', messageSequence: 2, atTypeArray: [TYPES.CONV_AT_ME] },
      {
        groupID: 'g1',
        messageID: 'g-3',
        messageSequence: 3,
        atTypeArray: [TYPES.CONV_AT_ALL_AT_ME],
      },
    ]);
    const reading = a.rpc.call('setMessageRead', { conversationID: 'GROUPg1' });
    await answerWhenAsked(s, 'setMessageRead', {});
    await reading;
    await until(() => lastList(a)[0]?.groupAtInfoList.length === 0);
    close();
  });

  it('reactions and extensions set here reach the other tab; oversized sends are refused', async () => {
    const { me, s, a, b, close } = await twoTabs();
    const adding = a.rpc.call('addMessageReaction', {
      conversationID: 'C2Cpeer',
      messageID: 'peer-1',
      reactionID: 'like',
    });
    await answerWhenAsked(s, 'addMessageReaction', {});
    const reactionList = [
      {
        reactionID: 'like',
        totalUserCount: 1,
        partialUserList: [{ userID: me, nick: '', avatar: '' }],
        reactedByMyself: true,
      },
    ];
    await answerWhenAsked(s, 'getMessageReactions', {
      resultList: [{ messageID: 'peer-1', reactionList }],
    });
    await adding;
    await until(() => b.of(EVENT.MESSAGE_REACTIONS_UPDATED).length === 1);
    expect(b.of(EVENT.MESSAGE_REACTIONS_UPDATED)[0]).to.deep.equal({
      conversationID: 'C2Cpeer',
      messageID: 'peer-1',
      reactionList,
    });
    expect(a.of(EVENT.MESSAGE_REACTIONS_UPDATED)).to.have.length(0);

    const setting = a.rpc.call('setMessageExtensions', {
      conversationID: 'C2Cpeer',
      messageID: 'peer-1',
      extensionList: [{ key: 'k', value: '1' }],
    });
    await answerWhenAsked(s, 'setMessageExtensions', {
      successExtensionList: [{ key: 'k', value: '1' }],
      failureExtensionList: [],
    });
    await setting;
    await until(() => b.of(EVENT.MESSAGE_EXTENSIONS_UPDATED).length === 1);
    expect(b.of(EVENT.MESSAGE_EXTENSIONS_UPDATED)[0].extensions).to.deep.equal([
      { key: 'k', value: '1' },
    ]);

    const huge = message(me, 0, {
      from: me,
      to: 'peer',
      ID: 'huge',
      payload: { text: 'x'.repeat(300 * 1024) },
    });
    const err = (await a.rpc
      .call('sendMessage', { message: huge })
      .catch((e: unknown) => e)) as IMError;
    expect(err.code).to.equal(80002);
    expect(s.ops()).to.not.include('sendMessage');
    close();
  });
});
