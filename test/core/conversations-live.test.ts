/**
 * The conversation model through real ChatClients and the real server: list filters and paging,
 * pin, draft, marks (HIDE), custom data, delete, conversation groups and their events, read-all and
 * the total unread count. Each change must reach a second tab of the same user (same engine) and a
 * second device (another engine: a dedicated worker with its own socket). That second engine shares
 * the page's IndexedDB with the first, so it takes messages the first one cached as already seen:
 * message effects on a real second browser are covered by test/e2e/unread-interleaving.test.ts.
 */
import { expect } from '@open-wc/testing';
import { EVENT, TYPES } from '../../src/protocol/constants.js';
import type { Conversation } from '../../src/protocol/types.js';
import type { ChatClientImpl } from '../../src/core/client.js';
import {
  destroyAll,
  newClient,
  readyUser,
  Recorder,
  rejection,
  secondTab,
  waitFor,
  type LiveUser,
} from './live.js';

afterEach(destroyAll);

async function text(from: LiveUser, to: string, body: string, group = false) {
  const m = from.client.createTextMessage({
    to,
    conversationType: group ? 'GROUP' : 'C2C',
    payload: { text: body },
  });
  await from.client.sendMessage(m);
  return m;
}

/** Another device of the same user: its own engine and socket. */
async function otherDevice(user: LiveUser): Promise<LiveUser> {
  const client = newClient('dedicated');
  const rec = new Recorder(client);
  await client.login({ userID: user.userID, userSig: user.userSig });
  await waitFor(() => client.isReady(), 'second device ready');
  return { client, userID: user.userID, userSig: user.userSig, rec };
}

const latest = (u: LiveUser) => u.rec.of<Conversation[]>(EVENT.CONVERSATION_LIST_UPDATED).at(-1);
const inLatest = (u: LiveUser, id: string) => latest(u)?.find((c) => c.conversationID === id);

async function listOf(
  client: ChatClientImpl,
  options?: Parameters<ChatClientImpl['getConversationList']>[0],
) {
  return (await client.getConversationList(options)).data;
}

/** alice with conversations from bob and carol (bob's is older). */
async function world() {
  const [alice, bob, carol] = await Promise.all([
    readyUser('alice'),
    readyUser('bob'),
    readyUser('carol'),
  ]);
  await text(bob, alice.userID, 'from bob');
  await text(carol, alice.userID, 'from carol');
  const b = `C2C${bob.userID}`;
  const c = `C2C${carol.userID}`;
  await waitFor(() => !!inLatest(alice, b) && !!inLatest(alice, c), 'alice has both');
  return { alice, bob, carol, b, c };
}

describe('conversations (live)', () => {
  it('pin: pinned first in this tab, the other tab and the other device', async () => {
    const { alice, b } = await world();
    const tab2 = await secondTab(alice);
    const device2 = await otherDevice(alice);
    expect((await listOf(alice.client)).conversationList[0].conversationID).to.not.equal(b);
    const res = await alice.client.pinConversation({ conversationID: b, isPinned: true });
    expect(res.data).to.deep.equal({ conversationID: b });
    for (const u of [alice, tab2, device2]) {
      await waitFor(() => latest(u)?.[0]?.conversationID === b && latest(u)![0].isPinned, 'pinned');
    }
    expect((await listOf(device2.client)).conversationList[0].conversationID).to.equal(b);
  });

  it('draft: shared by every tab and device of the user', async () => {
    const { alice, c } = await world();
    const tab2 = await secondTab(alice);
    const device2 = await otherDevice(alice);
    await alice.client.setConversationDraft({ conversationID: c, draftText: 'later…' });
    for (const u of [alice, tab2, device2]) {
      await waitFor(() => inLatest(u, c)?.draftText === 'later…', 'draft everywhere');
    }
  });

  it('marks: star and HIDE; hidden conversations leave the default list until a new message', async () => {
    const { alice, b, c } = await world();
    const device2 = await otherDevice(alice);
    const res = await alice.client.markConversation({
      conversationIDList: [b, 'C2Cnobody_here'],
      markType: TYPES.CONV_MARK_TYPE_STAR,
      enableMark: true,
    });
    expect(res.data.successConversationIDList).to.deep.equal([b]);
    expect(res.data.failureConversationIDList[0].code).to.equal(51007);
    await waitFor(() => !!inLatest(device2, b)?.markList.includes(TYPES.CONV_MARK_TYPE_STAR));
    const starred = await listOf(alice.client, { markType: TYPES.CONV_MARK_TYPE_STAR });
    expect(starred.conversationList.map((x) => x.conversationID)).to.deep.equal([b]);

    await alice.client.markConversation({
      conversationIDList: [c],
      markType: TYPES.CONV_MARK_TYPE_HIDE,
      enableMark: true,
    });
    const visible = (await listOf(alice.client)).conversationList.map((x) => x.conversationID);
    expect(visible).to.not.include(c);
    await waitFor(() => !!inLatest(device2, c)?.markList.includes(TYPES.CONV_MARK_TYPE_HIDE));
    const err = await rejection(
      alice.client.markConversation({ conversationIDList: [b], markType: 5, enableMark: true }),
    );
    expect(err.code).to.equal(6017);
  });

  it('delete: gone from every tab and device, history too; back with the next message', async () => {
    const { alice, bob, b } = await world();
    const tab2 = await secondTab(alice);
    const device2 = await otherDevice(alice);
    await waitFor(() => !!inLatest(device2, b));
    const res = await alice.client.deleteConversation(b);
    expect(res.data.conversationID).to.equal(b);
    for (const u of [alice, tab2, device2]) {
      await waitFor(() => latest(u)?.every((x) => x.conversationID !== b) === true, 'deleted');
    }
    expect(
      (await device2.client.getMessageList({ conversationID: b })).data.messageList,
    ).to.have.length(0);
    await text(bob, alice.userID, 'again');
    for (const u of [alice, tab2]) {
      await waitFor(() => inLatest(u, b)?.unreadCount === 1, 'back with one unread');
    }
  });

  it('conversation groups: events in the other tab and device, and filtering by group', async () => {
    const { alice, b, c } = await world();
    const tab2 = await secondTab(alice);
    const device2 = await otherDevice(alice);
    await alice.client.createConversationGroup({ groupName: 'Work', conversationIDList: [b] });
    for (const u of [alice, tab2, device2]) {
      await waitFor(
        () => u.rec.of<string[]>(EVENT.CONVERSATION_GROUP_LIST_UPDATED).at(-1)?.[0] === 'Work',
        'group list event',
      );
    }
    expect((await device2.client.getConversationGroupList()).data).to.deep.equal(['Work']);
    await alice.client.addConversationsToGroup({ groupName: 'Work', conversationIDList: [c] });
    for (const u of [tab2, device2]) {
      await waitFor(
        () =>
          u.rec
            .of<{ groupName: string; conversationList: Conversation[] }>(
              EVENT.CONVERSATION_IN_GROUP_UPDATED,
            )
            .some((x) => x.groupName === 'Work' && x.conversationList[0]?.conversationID === c),
        'in-group event',
      );
    }
    const inWork = await listOf(device2.client, { groupName: 'Work' });
    expect(inWork.conversationList.map((x) => x.conversationID).sort()).to.deep.equal(
      [b, c].sort(),
    );
    await alice.client.renameConversationGroup({ oldName: 'Work', newName: 'Job' });
    await waitFor(() => inLatest(device2, b)?.conversationGroupList[0] === 'Job', 'renamed');
    await alice.client.deleteConversationGroup('Job');
    await waitFor(() => inLatest(tab2, c)?.conversationGroupList.length === 0, 'deleted group');
    const err = await rejection(alice.client.deleteConversationGroup('Job'));
    expect(err.code).to.equal(51009);
  });

  it('setAllMessageRead and the total unread count agree in every tab and device', async () => {
    const { alice, bob } = await world();
    const tab2 = await secondTab(alice);
    await text(bob, alice.userID, 'more');
    const device2 = await otherDevice(alice);
    for (const u of [alice, tab2, device2]) {
      await waitFor(() => u.client.getTotalUnreadMessageCount() === 3, 'three unread');
    }
    await alice.client.setMessageRemindType({
      userIDList: [bob.userID],
      messageRemindType: TYPES.MSG_REMIND_ACPT_NOT_NOTE,
    });
    for (const u of [alice, tab2, device2]) {
      await waitFor(() => u.client.getTotalUnreadMessageCount() === 1, 'muted left out');
    }
    await alice.client.setAllMessageRead();
    for (const u of [alice, tab2, device2]) {
      await waitFor(() => u.client.getTotalUnreadMessageCount() === 0, 'all read');
      await waitFor(() => latest(u)?.every((x) => x.unreadCount === 0) === true, 'list read');
    }
  });

  it('getConversationList pages with nextSeq and count', async () => {
    const { alice, b, c } = await world();
    const p1 = await listOf(alice.client, { count: 1 });
    expect(p1.conversationList).to.have.length(1);
    expect(p1.isFinished).to.equal(false);
    const p2 = await listOf(alice.client, { count: 1, nextSeq: p1.nextSeq });
    expect(p2.isFinished).to.equal(true);
    expect(
      [...p1.conversationList, ...p2.conversationList].map((x) => x.conversationID).sort(),
    ).to.deep.equal([b, c].sort());
    const byID = await listOf(alice.client, [c]);
    expect(byID.conversationList.map((x) => x.conversationID)).to.deep.equal([c]);
  });
});
