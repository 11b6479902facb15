/**
 * Group administration through real ChatClients, the worker engine and the real server: each
 * operation's answer, the events on the other user and on a second tab of the acting user
 * (GROUP_LIST_UPDATED, MESSAGE_RECEIVED for tips and system notices, GROUP_ATTRIBUTES_UPDATED,
 * GROUP_COUNTER_UPDATED), and refusals with their codes.
 */
import { expect } from '@open-wc/testing';
import { EVENT, TYPES } from '../../src/protocol/constants.js';
import type { Conversation, Group, Message } from '../../src/protocol/types.js';
import { destroyAll, readyUser, rejection, secondTab, waitFor, type LiveUser } from './live.js';

afterEach(destroyAll);

const hasGroup = (u: LiveUser, groupID: string, test: (g: Group) => boolean = () => true) =>
  u.rec
    .of<Group[]>(EVENT.GROUP_LIST_UPDATED)
    .some((l) => l.some((g) => g.groupID === groupID && test(g)));

const lastList = (u: LiveUser) => u.rec.of<Group[]>(EVENT.GROUP_LIST_UPDATED).at(-1) ?? [];

const received = (u: LiveUser, type: string, op: number) =>
  u.rec
    .of<Message[]>(EVENT.MESSAGE_RECEIVED)
    .flat()
    .find((m) => m.type === type && (m.payload as { operationType?: number }).operationType === op);

describe('group administration (live)', () => {
  it('a new group is in the conversation list at once, for its creator and its members', async () => {
    const [alice, bob] = await Promise.all([readyUser('alice'), readyUser('bob')]);
    const { data } = await alice.client.createGroup({
      name: 'Fresh',
      type: TYPES.GRP_PUBLIC,
      memberList: [{ userID: bob.userID }],
    });
    const conversationID = `GROUP${data.group.groupID}`;
    const inList = async (u: LiveUser) =>
      (await u.client.getConversationList()).data.conversationList.some(
        (c: Conversation) => c.conversationID === conversationID,
      );
    expect(await inList(alice), 'in the creator list when createGroup resolves').to.equal(true);
    await waitFor(
      () =>
        bob.rec
          .of<Conversation[]>(EVENT.CONVERSATION_LIST_UPDATED)
          .some((l) => l.some((c) => c.conversationID === conversationID)),
      'the member hears of the conversation',
    );
    expect(await inList(bob)).to.equal(true);
  });

  it('profile, roles, mute, kick and dismiss reach the other user and the other tab', async () => {
    const [alice, bob] = await Promise.all([readyUser('alice'), readyUser('bob')]);
    const alice2 = await secondTab(alice);
    const { data } = await alice.client.createGroup({
      name: 'Club',
      type: TYPES.GRP_PUBLIC,
      memberList: [{ userID: bob.userID }],
    });
    const groupID = data.group.groupID;
    await waitFor(() => hasGroup(bob, groupID), 'bob has the group');

    const renamed = await alice.client.updateGroupProfile({ groupID, name: 'Club 2' });
    expect(renamed.data.group.name).to.equal('Club 2');
    await waitFor(() => hasGroup(alice2, groupID, (g) => g.name === 'Club 2'), 'other tab');
    await waitFor(() => hasGroup(bob, groupID, (g) => g.name === 'Club 2'), 'bob sees the name');
    await waitFor(() => !!received(bob, TYPES.MSG_GRP_TIP, 6), 'profile tip for bob');

    const role = await alice.client.setGroupMemberRole({
      groupID,
      userID: bob.userID,
      role: 'Admin',
    });
    expect(role.data.member.role).to.equal('Admin');
    await waitFor(() => !!received(bob, TYPES.MSG_GRP_SYS_NOTICE, 9), 'set-admin notice');
    await waitFor(
      () => hasGroup(bob, groupID, (g) => (g.selfInfo as { role?: string }).role === 'Admin'),
      'bob is admin in his list',
    );

    // An admin may not mute the owner.
    expect(
      (
        await rejection(
          bob.client.setGroupMemberMuteTime({ groupID, userID: alice.userID, muteTime: 60 }),
        )
      ).code,
    ).to.equal(10007);

    await alice.client.setGroupMemberRole({ groupID, userID: bob.userID, role: 'Member' });
    await alice.client.setGroupMemberMuteTime({ groupID, userID: bob.userID, muteTime: 600 });
    const muted = bob.client.createTextMessage({
      to: groupID,
      conversationType: 'GROUP',
      payload: { text: 'can I talk?' },
    });
    expect((await rejection(bob.client.sendMessage(muted))).code).to.equal(10017);

    const bobConvs = () => bob.rec.of<Conversation[]>(EVENT.CONVERSATION_LIST_UPDATED).at(-1) ?? [];
    await waitFor(
      () => bobConvs().some((c) => c.conversationID === `GROUP${groupID}`),
      'bob has the group conversation (tips)',
    );
    await alice.client.deleteGroupMember({ groupID, userIDList: [bob.userID] });
    await waitFor(() => !lastList(bob).some((g) => g.groupID === groupID), 'bob lost the group');
    await waitFor(
      () =>
        !(bob.rec.of<Conversation[]>(EVENT.CONVERSATION_LIST_UPDATED).at(-1) ?? []).some(
          (c) => c.conversationID === `GROUP${groupID}`,
        ),
      'the group conversation left bob’s list',
    );
    await waitFor(() => !!received(bob, TYPES.MSG_GRP_SYS_NOTICE, 4), 'kick notice');

    await alice.client.dismissGroup(groupID);
    await waitFor(() => !lastList(alice2).some((g) => g.groupID === groupID), 'tab 2 drops it');
    expect(lastList(alice).some((g) => g.groupID === groupID)).to.equal(false);
  });

  it('applications: the owner gets the notice and agrees through it; the applicant joins', async () => {
    const [alice, bob] = await Promise.all([readyUser('alice'), readyUser('bob')]);
    const { data } = await alice.client.createGroup({ name: 'Ask', type: TYPES.GRP_PUBLIC });
    const groupID = data.group.groupID;
    const join = await bob.client.joinGroup({ groupID, applyMessage: 'hi' });
    expect(join.data.status).to.equal(TYPES.JOIN_STATUS_WAIT_APPROVAL);
    await waitFor(() => !!received(alice, TYPES.MSG_GRP_SYS_NOTICE, 1), 'notice');
    const notice = received(alice, TYPES.MSG_GRP_SYS_NOTICE, 1)!;
    const list = await alice.client.getGroupApplicationList();
    expect(list.data.applicationList.map((a) => a.applicant)).to.deep.equal([bob.userID]);
    await alice.client.handleGroupApplication({ handleAction: 'Agree', message: notice });
    // A second applicant, refused through the list entry.
    const carol = await readyUser('carol');
    await carol.client.joinGroup({ groupID });
    await waitFor(
      () =>
        alice.rec
          .of<Message[]>(EVENT.MESSAGE_RECEIVED)
          .flat()
          .some(
            (m) =>
              m.type === TYPES.MSG_GRP_SYS_NOTICE &&
              (m.payload as { operatorID?: string }).operatorID === carol.userID,
          ),
      'carol’s application notice',
    );
    const [application] = (await alice.client.getGroupApplicationList()).data.applicationList;
    expect(application.applicant).to.equal(carol.userID);
    await alice.client.handleGroupApplication({ handleAction: 'Reject', application });
    await waitFor(() => !!received(carol, TYPES.MSG_GRP_SYS_NOTICE, 3), 'refused notice');
    await waitFor(() => hasGroup(bob, groupID), 'bob is in');
    await waitFor(() => !!received(bob, TYPES.MSG_GRP_SYS_NOTICE, 2), 'accepted notice');
  });

  it('AVChatRoom attributes and counters: events on the other member and the other tab', async () => {
    const [alice, bob] = await Promise.all([readyUser('alice'), readyUser('bob')]);
    const alice2 = await secondTab(alice);
    const { data } = await alice.client.createGroup({ name: 'Live', type: TYPES.GRP_AVCHATROOM });
    const groupID = data.group.groupID;
    await bob.client.joinGroup({ groupID });
    await alice.client.initGroupAttributes({ groupID, groupAttributes: { seat: 'alice' } });
    for (const u of [bob, alice2]) {
      await waitFor(
        () =>
          u.rec
            .of<{ groupID: string; groupAttributes: Record<string, string> }>(
              EVENT.GROUP_ATTRIBUTES_UPDATED,
            )
            .some((x) => x.groupID === groupID && x.groupAttributes.seat === 'alice'),
        'attributes event',
      );
    }
    const got = await bob.client.getGroupAttributes({ groupID, keyList: [] });
    expect(got.data.groupAttributes).to.deep.equal({ seat: 'alice' });
    await bob.client.increaseGroupCounter({ groupID, key: 'likes', value: 2 });
    await waitFor(
      () =>
        alice.rec
          .of<{ key: string; value: number }>(EVENT.GROUP_COUNTER_UPDATED)
          .some((x) => x.key === 'likes' && x.value === 2),
      'counter event',
    );
    const other = await alice.client.createGroup({ name: 'Work', type: TYPES.GRP_WORK });
    const refused = await rejection(
      alice.client.setGroupAttributes({
        groupID: other.data.group.groupID,
        groupAttributes: { a: 'b' },
      }),
    );
    expect(refused.code).to.equal(2641);
  });

  it('community topics: TOPIC_CREATED / UPDATED / DELETED on the other member and tab', async () => {
    const [alice, bob] = await Promise.all([readyUser('alice'), readyUser('bob')]);
    const alice2 = await secondTab(alice);
    const { data } = await alice.client.createGroup({
      name: 'Com',
      type: TYPES.GRP_COMMUNITY,
      memberList: [{ userID: bob.userID }],
      isSupportTopic: true,
    });
    const groupID = data.group.groupID;
    const { topicID } = (await alice.client.createTopicInCommunity({ groupID, topicName: 'a' }))
      .data;
    for (const u of [bob, alice2]) {
      await waitFor(
        () => u.rec.of<{ topicID: string }>(EVENT.TOPIC_CREATED).some((x) => x.topicID === topicID),
        'TOPIC_CREATED',
      );
    }
    await alice.client.updateTopicProfile({ groupID, topicID, topicName: 'b' });
    await waitFor(
      () =>
        bob.rec
          .of<{ topic: { topicName: string } }>(EVENT.TOPIC_UPDATED)
          .some((x) => x.topic.topicName === 'b'),
      'TOPIC_UPDATED',
    );
    const list = await bob.client.getTopicList({ groupID });
    expect(list.data.successTopicList.map((t) => t.topicName)).to.deep.equal(['b']);
    await alice.client.deleteTopicFromCommunity({ groupID });
    await waitFor(() => bob.rec.count(EVENT.TOPIC_DELETED) === 1, 'TOPIC_DELETED');
    const joined = await bob.client.getJoinedCommunityList();
    expect(joined.data.groupList.map((g) => g.groupID)).to.deep.equal([groupID]);
  });
});
