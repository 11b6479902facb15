/**
 * Users and relationships through real ChatClients, the SharedWorker engine and the real server:
 * friend requests and their events on both sides and on a second tab, friend groups, the blocklist
 * (a blocked sender's message never arrives), user status and subscriptions, profile custom
 * fields reaching friends, follows, and bad input refused in the worker.
 */
import { expect } from '@open-wc/testing';
import { ErrorCode } from '../../src/protocol/codes.js';
import { EVENT, TYPES } from '../../src/protocol/constants.js';
import type {
  Friend,
  FriendApplicationList,
  FriendGroup,
  Message,
  Profile,
  UserStatus,
} from '../../src/protocol/types.js';
import { destroyAll, readyUser, rejection, secondTab, waitFor, type LiveUser } from './live.js';

afterEach(destroyAll);

const lastOf = <T>(u: LiveUser, name: string): T | undefined => u.rec.of<T>(name).at(-1);
const friendIDs = (u: LiveUser) =>
  (lastOf<Friend[]>(u, EVENT.FRIEND_LIST_UPDATED) ?? []).map((f) => f.userID);

describe('users and relationships, live', () => {
  it('a friend request: application on both sides, accepted, lists on both sides and tabs', async function () {
    this.timeout(30000);
    const [alice, bob] = await Promise.all([readyUser('alice'), readyUser('bob')]);
    const aliceTab = await secondTab(alice);
    const res = await alice.client.addFriend({ to: bob.userID, wording: 'hi', remark: 'B' });
    expect(res.data.code).to.equal(ErrorCode.FRIEND_PENDING);
    await waitFor(
      () =>
        (
          lastOf<FriendApplicationList>(bob, EVENT.FRIEND_APPLICATION_LIST_UPDATED)
            ?.friendApplicationList ?? []
        ).some((a) => a.userID === alice.userID && a.type === TYPES.SNS_APPLICATION_SENT_TO_ME),
      'bob sees the application',
    );
    const mine = await alice.client.getFriendApplicationList();
    expect(mine.data.friendApplicationList.map((a) => a.type)).to.deep.equal([
      TYPES.SNS_APPLICATION_SENT_BY_ME,
    ]);
    await bob.client.acceptFriendApplication({
      userID: alice.userID,
      type: TYPES.SNS_APPLICATION_AGREE_AND_ADD,
    });
    await waitFor(() => friendIDs(alice).includes(bob.userID), 'alice has bob');
    await waitFor(() => friendIDs(aliceTab).includes(bob.userID), 'alice’s other tab has bob');
    await waitFor(() => friendIDs(bob).includes(alice.userID), 'bob has alice');
    const list = await aliceTab.client.getFriendList();
    expect(list.data.map((f) => [f.userID, f.remark])).to.deep.equal([[bob.userID, 'B']]);
    const check = await bob.client.checkFriend({ userIDList: [alice.userID] });
    expect(check.data.successUserIDList[0].relation).to.equal(TYPES.SNS_TYPE_BOTH_WAY);

    // Friend groups: the change reaches the other tab.
    await alice.client.createFriendGroup({ name: 'close', userIDList: [bob.userID] });
    await waitFor(
      () =>
        (lastOf<FriendGroup[]>(aliceTab, EVENT.FRIEND_GROUP_LIST_UPDATED) ?? []).some(
          (g) => g.name === 'close' && g.userIDList.includes(bob.userID),
        ),
      'the other tab has the friend group',
    );
    const groups = await aliceTab.client.getFriendGroupList();
    expect(groups.data.map((g) => g.name)).to.deep.equal(['close']);

    // A profile change of bob reaches alice (a friend) as PROFILE_UPDATED.
    await bob.client.updateMyProfile({
      nick: 'Bobby',
      profileCustomField: [{ key: 'Tag_Profile_Custom_Mood', value: 'ok' }],
    });
    await waitFor(
      () =>
        alice.rec
          .of<Profile[]>(EVENT.PROFILE_UPDATED)
          .flat()
          .some((p) => p.userID === bob.userID && p.nick === 'Bobby'),
      'alice hears of bob’s profile',
    );

    // Delete both ways.
    await alice.client.deleteFriend({ userIDList: [bob.userID] });
    await waitFor(() => !friendIDs(bob).includes(alice.userID), 'bob lost alice');
    await waitFor(() => !friendIDs(aliceTab).includes(bob.userID), 'the other tab lost bob');
  });

  it('blocklist: BLACKLIST_UPDATED on every tab, and the blocked sender’s message never arrives', async function () {
    this.timeout(30000);
    const [alice, bob] = await Promise.all([readyUser('alice'), readyUser('bob')]);
    const aliceTab = await secondTab(alice);
    await alice.client.addToBlacklist({ userIDList: [bob.userID] });
    await waitFor(
      () => (lastOf<string[]>(aliceTab, EVENT.BLACKLIST_UPDATED) ?? []).includes(bob.userID),
      'the other tab has the blocklist',
    );
    const m = bob.client.createTextMessage({
      to: alice.userID,
      conversationType: 'C2C',
      payload: { text: 'let me in' },
    });
    const sent = await bob.client.sendMessage(m);
    expect(sent.data.message.status).to.equal('success');
    // alice unblocks and bob writes again: only the second message ever reaches alice.
    await alice.client.removeFromBlacklist({ userIDList: [bob.userID] });
    const m2 = bob.client.createTextMessage({
      to: alice.userID,
      conversationType: 'C2C',
      payload: { text: 'hello again' },
    });
    await bob.client.sendMessage(m2);
    await alice.rec.message(m2.ID);
    expect(alice.rec.messages().map((x: Message) => x.ID)).to.not.include(m.ID);
    const history = await alice.client.getMessageList({ conversationID: `C2C${bob.userID}` });
    expect(history.data.messageList.map((x: Message) => x.ID)).to.deep.equal([m2.ID]);
    expect((await alice.client.getBlacklist()).data).to.deep.equal([]);
  });

  it('user status: subscribe, custom status to subscribers and tabs, offline when the user leaves', async function () {
    this.timeout(30000);
    const [alice, bob] = await Promise.all([readyUser('alice'), readyUser('bob')]);
    const bobTab = await secondTab(bob);
    const statusOf = (u: LiveUser, userID: string) =>
      u.rec
        .of<UserStatus[]>(EVENT.USER_STATUS_UPDATED)
        .flat()
        .filter((s) => s.userID === userID)
        .at(-1);
    await alice.client.subscribeUserStatus({ userIDList: [bob.userID] });
    await waitFor(() => statusOf(alice, bob.userID)?.statusType === 1, 'bob online');
    await bob.client.setSelfStatus({ customStatus: 'coding' });
    await waitFor(() => statusOf(alice, bob.userID)?.customStatus === 'coding', 'alice sees it');
    await waitFor(() => statusOf(bobTab, bob.userID)?.customStatus === 'coding', 'bob’s tab too');
    const got = await alice.client.getUserStatus({ userIDList: [bob.userID] });
    expect(got.data.successUserList).to.deep.equal([
      { userID: bob.userID, statusType: 1, customStatus: 'coding' },
    ]);
    const tooLong = await rejection(bob.client.setSelfStatus({ customStatus: 'x'.repeat(101) }));
    expect(tooLong.code).to.equal(ErrorCode.INVALID_PARAMETER);
    await bob.client.logout();
    await waitFor(() => statusOf(alice, bob.userID)?.statusType === 3, 'bob unlogined');
  });

  it('follow: events on both sides; bad input is 6017 in the worker', async function () {
    this.timeout(30000);
    const [alice, bob] = await Promise.all([readyUser('alice'), readyUser('bob')]);
    const res = await alice.client.followUser([bob.userID]);
    expect(res.data.successUserIDList).to.deep.equal([bob.userID]);
    await waitFor(
      () =>
        bob.rec
          .of<{ userIDList: string[]; isAdd: boolean }>(EVENT.MY_FOLLOWERS_LIST_UPDATED)
          .some((d) => d.isAdd && d.userIDList.includes(alice.userID)),
      'bob has a follower',
    );
    expect(alice.rec.count(EVENT.MY_FOLLOWING_LIST_UPDATED)).to.be.above(0);
    const info = await bob.client.getUserFollowInfo();
    expect(info.data[0].followersCount).to.equal(1);
    const followers = await bob.client.getMyFollowersList();
    expect(followers.data.resultList.map((p) => p.userID)).to.deep.equal([alice.userID]);
    const bad = await rejection(
      alice.client.addFriend({ to: '' } as Parameters<typeof alice.client.addFriend>[0]),
    );
    expect(bad.code).to.equal(ErrorCode.INVALID_PARAMETERS);
  });
});
