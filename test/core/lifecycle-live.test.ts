/**
 * The message lifecycle through real ChatClients and the real server: recall, modify (and its
 * conflict), delete for me, clear history, hopping, read by peer, group receipts, @ mentions, do
 * not disturb, extensions, reactions, pins, translation. Two users, and a second tab of one user
 * (another client on the same engine) for the effects of own actions on other tabs.
 */
import { expect } from '@open-wc/testing';
import { EVENT, TYPES } from '../../src/protocol/constants.js';
import type {
  Conversation,
  Group,
  Message,
  MessageExtension,
  Reaction,
} from '../../src/protocol/types.js';
import type { ChatClientImpl } from '../../src/core/client.js';
import { LIFECYCLE_EVENT } from '../../src/core/internal-events.js';
import { destroyAll, readyUser, rejection, secondTab, waitFor, type LiveUser } from './live.js';

afterEach(destroyAll);

async function pair(): Promise<[LiveUser, LiveUser]> {
  return Promise.all([readyUser('alice'), readyUser('bob')]);
}

async function text(
  from: LiveUser,
  to: string,
  body: string,
  extra: Record<string, unknown> = {},
  group = false,
) {
  const m = from.client.createTextMessage({
    to,
    conversationType: group ? 'GROUP' : 'C2C',
    payload: { text: body },
    ...extra,
  });
  await from.client.sendMessage(m);
  return m;
}

/** A Work group of alice with bob in it; resolves with its ID once bob has it. */
async function workGroup(alice: LiveUser, bob: LiveUser): Promise<string> {
  const { data } = await alice.client.createGroup({
    name: 'Team',
    type: TYPES.GRP_WORK,
    memberList: [{ userID: bob.userID }],
  });
  const groupID = data.group.groupID;
  await waitFor(
    () =>
      bob.rec
        .of<Group[]>(EVENT.GROUP_LIST_UPDATED)
        .some((l) => l.some((g) => g.groupID === groupID)),
    'bob has the group',
  );
  return groupID;
}

async function conversationOf(client: ChatClientImpl, id: string): Promise<Conversation> {
  return (await client.getConversationProfile(id)).data.conversation;
}

describe('message lifecycle (live)', () => {
  it('recall: MESSAGE_REVOKED on the other side and in the other tab; not by others', async () => {
    const [alice, bob] = await pair();
    const alice2 = await secondTab(alice);
    const m = await text(alice, bob.userID, 'oops');
    await bob.rec.message(m.ID);
    const res = await alice.client.revokeMessage(m);
    expect(res.data.message).to.equal(m);
    expect(m).to.include({ isRevoked: true, revoker: alice.userID });
    const onBob = await bob.rec.message(m.ID, EVENT.MESSAGE_REVOKED);
    expect(onBob).to.include({ isRevoked: true, revoker: alice.userID });
    await alice2.rec.message(m.ID, EVENT.MESSAGE_REVOKED);
    expect(alice.rec.count(EVENT.MESSAGE_REVOKED)).to.equal(0);
    await waitFor(
      () =>
        bob.rec.of<Conversation[]>(EVENT.CONVERSATION_LIST_UPDATED).at(-1)?.[0]?.lastMessage
          ?.isRevoked === true,
      'bob lastMessage recalled',
    );
    const other = await text(bob, alice.userID, 'mine');
    expect(
      (
        await rejection(
          alice.client.revokeMessage({ ...other, conversationID: `C2C${bob.userID}` }),
        )
      ).code,
    ).to.equal(10007);
    const history = await bob.client.getMessageList({ conversationID: `C2C${alice.userID}` });
    expect(history.data.messageList.find((x) => x.ID === m.ID)!.isRevoked).to.equal(true);
  });

  it('modify: MESSAGE_MODIFIED to the peer and the other tab; a stale version is 2480 with data.message', async () => {
    const [alice, bob] = await pair();
    const alice2 = await secondTab(alice);
    const m = await text(alice, bob.userID, 'draft');
    const onBob = await bob.rec.message(m.ID);
    onBob.payload = { text: 'fixed by bob' };
    const res = await bob.client.modifyMessage(onBob);
    expect(res.data.message).to.equal(onBob);
    expect(onBob).to.include({ isModified: true, version: 1 });
    const seen = await alice.rec.message(m.ID, EVENT.MESSAGE_MODIFIED);
    expect(seen.payload).to.deep.equal({ text: 'fixed by bob' });
    expect(m.payload).to.deep.equal({ text: 'fixed by bob' }); // the same object, updated
    await alice2.rec.message(m.ID, EVENT.MESSAGE_MODIFIED);

    const stale = { ...m, version: 0, payload: { text: 'late' } };
    const err = await rejection(alice.client.modifyMessage(stale));
    expect(err.code).to.equal(2480);
    const latest = (err as unknown as { data: { message: Message } }).data.message;
    expect(latest).to.include({ version: 1, ID: m.ID });
    expect(latest.payload).to.deep.equal({ text: 'fixed by bob' });
  });

  it('delete for me and clear history: only my view; the other tab is told', async () => {
    const [alice, bob] = await pair();
    const bob2 = await secondTab(bob);
    const a = await text(alice, bob.userID, 'a');
    const b = await text(alice, bob.userID, 'b');
    await bob.rec.message(b.ID);
    const onBob = bob.client.findMessage(b.ID)!;
    const res = await bob.client.deleteMessage([onBob]);
    expect(res.data.messageList[0].isDeleted).to.equal(true);
    await waitFor(() => bob2.rec.count(LIFECYCLE_EVENT.MESSAGES_DELETED) === 1, 'bob2 told');
    expect(bob.client.findMessage(b.ID)).to.equal(null);
    const mine = await bob.client.getMessageList({ conversationID: `C2C${alice.userID}` });
    expect(mine.data.messageList.map((x) => x.ID)).to.deep.equal([a.ID]);
    const theirs = await alice.client.getMessageList({ conversationID: `C2C${bob.userID}` });
    expect(theirs.data.messageList.map((x) => x.ID)).to.deep.equal([a.ID, b.ID]);
    await waitFor(
      () =>
        bob.rec.of<Conversation[]>(EVENT.CONVERSATION_LIST_UPDATED).at(-1)?.[0]?.lastMessage?.ID ===
        a.ID,
      'lastMessage falls back to a',
    );

    await bob.client.clearHistoryMessage(`C2C${alice.userID}`);
    await waitFor(
      () => bob2.rec.count(LIFECYCLE_EVENT.HISTORY_CLEARED) === 1,
      'bob2 told of clear',
    );
    const cleared = await bob.client.getMessageList({ conversationID: `C2C${alice.userID}` });
    expect(cleared.data.messageList).to.deep.equal([]);
    const conv = (await bob2.client.getConversationList()).data.conversationList.find(
      (c) => c.conversationID === `C2C${alice.userID}`,
    )!;
    expect(conv.lastMessage).to.equal(null);
    expect(conv.unreadCount).to.equal(0);
    expect(
      (await alice.client.getMessageList({ conversationID: `C2C${bob.userID}` })).data.messageList,
    ).to.have.length(2);
  });

  it('getMessageListHopping around a time (C2C) and a sequence (group)', async () => {
    const [alice, bob] = await pair();
    const sent: Message[] = [];
    for (let i = 0; i < 5; i++) sent.push(await text(alice, bob.userID, `#${i}`));
    const older = await bob.client.getMessageListHopping({
      conversationID: `C2C${alice.userID}`,
      time: sent[4].time,
      direction: 0,
      count: 15,
    });
    expect(older.data.messageList.map((m) => m.ID)).to.deep.equal(sent.map((m) => m.ID));
    const groupID = await workGroup(alice, bob);
    const inGroup: Message[] = [];
    for (let i = 0; i < 4; i++) inGroup.push(await text(alice, groupID, `g${i}`, {}, true));
    const newer = await alice.client.getMessageListHopping({
      conversationID: `GROUP${groupID}`,
      sequence: inGroup[1].sequence,
      direction: 1,
      count: 2,
    });
    expect(newer.data.messageList.map((m) => m.ID)).to.deep.equal([inGroup[1].ID, inGroup[2].ID]);
  });

  it('C2C read by peer and group read receipts', async () => {
    const [alice, bob] = await pair();
    const m = await text(alice, bob.userID, 'read me');
    await bob.rec.message(m.ID);
    await bob.client.setMessageRead({ conversationID: `C2C${alice.userID}` });
    const read = await alice.rec.message(m.ID, EVENT.MESSAGE_READ_BY_PEER);
    expect(read.isPeerRead).to.equal(true);
    expect(m.isPeerRead).to.equal(true); // the sender's own object follows

    const groupID = await workGroup(alice, bob);
    const g = await text(alice, groupID, 'receipt please', { needReadReceipt: true }, true);
    const got = await bob.rec.message(g.ID);
    expect(got.needReadReceipt).to.equal(true);
    await bob.client.sendMessageReadReceipt([got]);
    await waitFor(() => alice.rec.count(EVENT.MESSAGE_READ_RECEIPT_RECEIVED) > 0, 'receipt event');
    const entry = alice.rec
      .of<{ messageID: string; readCount: number }[]>(EVENT.MESSAGE_READ_RECEIPT_RECEIVED)
      .flat()[0];
    expect(entry).to.include({ messageID: g.ID, readCount: 1 });
    const list = await alice.client.getMessageReadReceiptList([g]);
    expect(list.data.messageList[0]).to.equal(g);
    expect(g.readReceiptInfo).to.include({ readCount: 1, unreadCount: 0 });
    const members = await alice.client.getGroupMessageReadMemberList({ message: g, filter: 0 });
    expect(members.data.readUserIDList).to.deep.equal([bob.userID]);
    expect(members.data.isCompleted).to.equal(true);
  });

  it('@ mentions: atUserList on the message, groupAtInfoList on the conversation until read', async () => {
    const [alice, bob] = await pair();
    const groupID = await workGroup(alice, bob);
    const at = alice.client.createTextAtMessage({
      to: groupID,
      conversationType: 'GROUP',
      payload: { text: `@bob hello`, atUserList: [bob.userID] },
    });
    await alice.client.sendMessage(at);
    const got = await bob.rec.message(at.ID);
    expect(got.atUserList).to.deep.equal([bob.userID]);
    const convID = `GROUP${groupID}`;
    await waitFor(
      () =>
        (bob.rec.of<Conversation[]>(EVENT.CONVERSATION_LIST_UPDATED).at(-1) ?? []).some(
          (c) => c.conversationID === convID && c.groupAtInfoList.length === 1,
        ),
      'groupAtInfoList',
    );
    const conv = await conversationOf(bob.client, convID);
    expect(conv.groupAtInfoList[0]).to.include({ messageID: at.ID, groupID });
    expect(conv.groupAtInfoList[0].atTypeArray).to.deep.equal([TYPES.CONV_AT_ME]);
    expect(
      (
        await rejection(() =>
          alice.client.createTextAtMessage({
            to: bob.userID,
            conversationType: 'C2C',
            payload: { text: 'x', atUserList: [] },
          }),
        )
      ).code,
    ).to.equal(6017);
    await bob.client.setMessageRead({ conversationID: convID });
    expect(
      (await bob.client.getConversationList()).data.conversationList.find(
        (c) => c.conversationID === convID,
      )!.groupAtInfoList,
    ).to.deep.equal([]);
  });

  it('do not disturb: a muted conversation counts no total unread, in every tab', async () => {
    const [alice, bob] = await pair();
    const bob2 = await secondTab(bob);
    const groupID = await workGroup(alice, bob);
    await text(alice, groupID, 'one', {}, true);
    await waitFor(() => bob.client.getTotalUnreadMessageCount() === 1, 'unread 1');
    await bob.client.setMessageRemindType({
      groupID,
      messageRemindType: TYPES.MSG_REMIND_ACPT_NOT_NOTE,
    });
    await waitFor(() => bob2.client.getTotalUnreadMessageCount() === 0, 'muted in the other tab');
    await text(alice, groupID, 'two', {}, true);
    const conv = await conversationOf(bob.client, `GROUP${groupID}`);
    expect(conv.messageRemindType).to.equal('AcceptNotNotify');
    await waitFor(
      () =>
        (bob.rec.of<Conversation[]>(EVENT.CONVERSATION_LIST_UPDATED).at(-1) ?? []).some(
          (c) => c.conversationID === `GROUP${groupID}` && c.unreadCount === 2,
        ),
      'unread still counted per conversation',
    );
    expect(bob.client.getTotalUnreadMessageCount()).to.equal(0);
    await bob.client.setAllReceiveMessageOpt({ messageRemindType: TYPES.MSG_REMIND_ACPT_NOT_NOTE });
    await waitFor(
      () => bob2.rec.count(EVENT.ALL_RECEIVE_MESSAGE_OPT_UPDATED) === 1,
      'all-receive opt in other tab',
    );
    const opt = await bob.client.getAllReceiveMessageOpt();
    expect(opt.data.messageRemindType).to.equal('AcceptNotNotify');
  });

  it('extensions and reactions: events to the peer and the other tab', async () => {
    const [alice, bob] = await pair();
    const bob2 = await secondTab(bob);
    const m = await text(alice, bob.userID, 'poll', { isSupportExtension: true });
    const onBob = await bob.rec.message(m.ID);
    const set = await bob.client.setMessageExtensions(onBob, [{ key: bob.userID, value: 'yes' }]);
    expect(set.data.successExtensionList).to.deep.equal([{ key: bob.userID, value: 'yes' }]);
    type ExtEvent = { messageID: string; extensions: MessageExtension[] };
    await waitFor(() => alice.rec.count(EVENT.MESSAGE_EXTENSIONS_UPDATED) === 1, 'alice ext event');
    expect(alice.rec.of<ExtEvent>(EVENT.MESSAGE_EXTENSIONS_UPDATED)[0]).to.deep.include({
      messageID: m.ID,
      extensions: [{ key: bob.userID, value: 'yes' }],
    });
    await waitFor(() => bob2.rec.count(EVENT.MESSAGE_EXTENSIONS_UPDATED) === 1, 'bob2 ext event');
    expect((await alice.client.getMessageExtensions(m)).data.extensionList).to.deep.equal([
      { key: bob.userID, value: 'yes' },
    ]);
    await bob.client.deleteMessageExtensions(onBob, [bob.userID]);
    await waitFor(
      () => alice.rec.count(EVENT.MESSAGE_EXTENSIONS_DELETED) === 1,
      'alice ext deleted',
    );
    expect(
      alice.rec.of<{ keyList: string[] }>(EVENT.MESSAGE_EXTENSIONS_DELETED)[0].keyList,
    ).to.deep.equal([bob.userID]);

    await bob.client.addMessageReaction(onBob, 'like');
    type ReactEvent = { messageID: string; reactionList: Reaction[] };
    await waitFor(
      () => alice.rec.count(EVENT.MESSAGE_REACTIONS_UPDATED) === 1,
      'alice reaction event',
    );
    const onAlice = alice.rec.of<ReactEvent>(EVENT.MESSAGE_REACTIONS_UPDATED)[0];
    expect(onAlice.messageID).to.equal(m.ID);
    expect(onAlice.reactionList[0]).to.include({
      reactionID: 'like',
      totalUserCount: 1,
      reactedByMyself: false,
    });
    await waitFor(
      () => bob2.rec.count(EVENT.MESSAGE_REACTIONS_UPDATED) === 1,
      'bob2 reaction event',
    );
    expect(
      bob2.rec.of<ReactEvent>(EVENT.MESSAGE_REACTIONS_UPDATED)[0].reactionList[0].reactedByMyself,
    ).to.equal(true);
    const all = await alice.client.getMessageReactions({
      messageList: [m],
      maxUserCountPerReaction: 5,
    });
    expect(
      all.data.resultList[0].reactionList[0].partialUserList.map((u) => u.userID),
    ).to.deep.equal([bob.userID]);
    const users = await alice.client.getAllUserListOfMessageReaction({
      message: m,
      reactionID: 'like',
    });
    expect(users.data.userList.map((u) => u.userID)).to.deep.equal([bob.userID]);
    await bob.client.removeMessageReaction(onBob, 'like');
    await waitFor(() => alice.rec.count(EVENT.MESSAGE_REACTIONS_UPDATED) === 2, 'reaction removed');
  });

  it('pins reach the members and the other tab; translation is not configured here', async () => {
    const [alice, bob] = await pair();
    const alice2 = await secondTab(alice);
    const groupID = await workGroup(alice, bob);
    const m = await text(alice, groupID, 'pin me', {}, true);
    await bob.rec.message(m.ID);
    await alice.client.pinGroupMessage({ groupID, message: m, isPinned: true });
    type PinEvent = { groupID: string; pinnedMessageList: Message[] };
    await waitFor(() => bob.rec.count(EVENT.PINNED_GROUP_MESSAGE_UPDATED) === 1, 'bob pin event');
    expect(
      bob.rec
        .of<PinEvent>(EVENT.PINNED_GROUP_MESSAGE_UPDATED)[0]
        .pinnedMessageList.map((x) => x.ID),
    ).to.deep.equal([m.ID]);
    await waitFor(
      () => alice2.rec.count(EVENT.PINNED_GROUP_MESSAGE_UPDATED) === 1,
      'alice2 pin event',
    );
    const pinned = await bob.client.getPinnedGroupMessageList(groupID);
    expect(pinned.data.messageList.map((x) => x.ID)).to.deep.equal([m.ID]);
    expect(pinned.data.messageList[0].conversationID).to.equal(`GROUP${groupID}`);

    const err = await rejection(
      alice.client.translateText({ sourceTextList: ['hello'], targetLanguage: 'de' }),
    );
    expect(err.code).to.equal(2118);
  });
});
