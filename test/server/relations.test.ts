// Relationship chain over the wire: friends (allow types, applications, delete, check, update),
// friend groups, blocklist (including the silent drop of a blocked sender's messages), follows and
// profile custom fields. Every change is checked on the other side and on the caller's other socket.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode } from '../../src/protocol/codes.js';
import type {
  Friend,
  FriendApplicationList,
  FriendGroup,
  Message,
  Profile,
} from '../../src/protocol/types.js';
import {
  connectClient,
  startTestServer,
  textMessage,
  uid,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';

const C = ErrorCode;

describe('relationship chain', () => {
  let server: RunningServer;
  const open: TestClient[] = [];
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await Promise.all(open.map((c) => c.close()));
    await server.close();
  });
  async function user(prefix: string, allowType?: string, instanceID?: string) {
    const c = await connectClient(server, uid(prefix), instanceID ? { instanceID } : {});
    open.push(c);
    if (allowType) await c.request('updateMyProfile', { allowType });
    return c;
  }
  async function tab(of: TestClient) {
    const c = await connectClient(server, of.userID);
    open.push(c);
    return c;
  }
  const friendIDs = async (c: TestClient) =>
    (await c.request<{ friendList: Friend[] }>('getFriendList')).friendList.map((f) => f.userID);

  test('AllowAny: added at once both ways; pushes to the other side and the other tab', async () => {
    const a = await user('a');
    const aTab = await tab(a);
    const b = await user('b', 'AllowType_Type_AllowAny');
    const res = await a.request('addFriend', {
      to: b.userID,
      remark: 'Bee',
      source: 'AddSource_Type_Web',
      wording: 'hi',
      groupName: 'work',
    });
    assert.deepEqual(res, { userID: b.userID, code: 0, message: '' });
    assert.deepEqual(await friendIDs(a), [b.userID]);
    assert.deepEqual(await friendIDs(b), [a.userID]);
    const [mine] = (await a.request<{ friendList: Friend[] }>('getFriendList')).friendList;
    assert.equal(mine.remark, 'Bee');
    assert.deepEqual(mine.groupList, ['work']);
    assert.equal(mine.profile.userID, b.userID);
    const pushed = await aTab.nextPush('friendListUpdated');
    assert.deepEqual(
      pushed.data.added.map((f) => f.userID),
      [b.userID],
    );
    const theirs = await b.nextPush('friendListUpdated');
    assert.deepEqual(
      theirs.data.added.map((f) => f.userID),
      [a.userID],
    );
    await assert.rejects(a.request('addFriend', { to: b.userID }), { code: C.RELATION_INVALID });
  });

  test('Add_Type_Single adds to the caller only; checkFriend sees both directions', async () => {
    const a = await user('a');
    const b = await user('b', 'AllowType_Type_AllowAny');
    const c = await user('c');
    await a.request('addFriend', { to: b.userID, type: 'Add_Type_Single' });
    assert.deepEqual(await friendIDs(b), []);
    const check = await a.request('checkFriend', { userIDList: [b.userID, c.userID] });
    assert.deepEqual(
      check.successUserIDList.map((r: { relation: string }) => r.relation),
      ['CheckResult_Type_AWithB', 'CheckResult_Type_NoRelation'],
    );
    const fromB = await b.request('checkFriend', { userIDList: [a.userID] });
    assert.equal(fromB.successUserIDList[0].relation, 'CheckResult_Type_BWithA');
    const single = await b.request('checkFriend', {
      userIDList: [a.userID],
      type: 'CheckResult_Type_Single',
    });
    assert.equal(single.successUserIDList[0].relation, 'CheckResult_Type_NoRelation');
  });

  test('DenyAny is 30516, self 30001, unknown 30003, bad fields 10004: nothing changes', async () => {
    const a = await user('a');
    const n = await user('n', 'AllowType_Type_DenyAny');
    await assert.rejects(a.request('addFriend', { to: n.userID }), { code: C.FRIEND_DENY_ANY });
    await assert.rejects(a.request('addFriend', { to: a.userID }), { code: C.RELATION_INVALID });
    await assert.rejects(a.request('addFriend', { to: uid('ghost') }), {
      code: C.RELATION_ACCOUNT_NOT_FOUND,
    });
    await assert.rejects(a.request('addFriend', { to: n.userID, source: 'web' }), {
      code: C.INVALID_PARAMETER,
    });
    await assert.rejects(a.request('addFriend', { to: n.userID, remark: 'x'.repeat(97) }), {
      code: C.INVALID_PARAMETER,
    });
    assert.deepEqual(await friendIDs(a), []);
    const apps = await n.request<FriendApplicationList>('getFriendApplicationList');
    assert.deepEqual(apps.friendApplicationList, []);
    assert.equal(await n.noPush('friendApplicationListUpdated', 50), true);
  });

  test('NeedConfirm: 30539, both sides see the application; accept one-way or both ways', async () => {
    const a = await user('a');
    const b = await user('b'); // NeedConfirm is the default
    const res = await a.request('addFriend', { to: b.userID, wording: 'me', remark: 'B' });
    assert.equal(res.code, C.FRIEND_PENDING);
    const incoming = await b.nextPush('friendApplicationListUpdated');
    assert.equal(incoming.data.unreadCount, 1);
    assert.deepEqual(
      incoming.data.friendApplicationList.map((x) => [x.userID, x.type, x.wording]),
      [[a.userID, 'Pendency_Type_ComeIn', 'me']],
    );
    const outgoing = await a.request<FriendApplicationList>('getFriendApplicationList');
    assert.deepEqual(
      outgoing.friendApplicationList.map((x) => [x.userID, x.type]),
      [[b.userID, 'Pendency_Type_SendOut']],
    );
    assert.equal(outgoing.unreadCount, 0);
    await b.request('setFriendApplicationRead');
    assert.equal(
      (await b.request<FriendApplicationList>('getFriendApplicationList')).unreadCount,
      0,
    );

    await b.request('acceptFriendApplication', {
      userID: a.userID,
      type: 'Response_Action_Agree',
    });
    assert.deepEqual(await friendIDs(a), [b.userID]);
    assert.deepEqual(await friendIDs(b), []);
    assert.deepEqual(
      (await a.request<FriendApplicationList>('getFriendApplicationList')).friendApplicationList,
      [],
    );
    await assert.rejects(b.request('acceptFriendApplication', { userID: a.userID }), {
      code: C.RELATION_INVALID,
    });

    const c = await user('c');
    await c.request('addFriend', { to: b.userID });
    await b.request('acceptFriendApplication', { userID: c.userID, remark: 'Cee' });
    assert.deepEqual(await friendIDs(c), [b.userID]);
    const bFriends = (await b.request<{ friendList: Friend[] }>('getFriendList')).friendList;
    assert.deepEqual(
      bFriends.map((f) => [f.userID, f.remark]),
      [[c.userID, 'Cee']],
    );
  });

  test('refuse and delete applications', async () => {
    const a = await user('a');
    const b = await user('b');
    await a.request('addFriend', { to: b.userID });
    await b.request('refuseFriendApplication', { userID: a.userID });
    assert.deepEqual(await friendIDs(a), []);
    for (const c of [a, b]) {
      const l = await c.request<FriendApplicationList>('getFriendApplicationList');
      assert.deepEqual(l.friendApplicationList, []);
    }
    await a.request('addFriend', { to: b.userID });
    await a.request('deleteFriendApplication', { userID: b.userID, type: 'Pendency_Type_SendOut' });
    assert.equal(
      (await a.request<FriendApplicationList>('getFriendApplicationList')).friendApplicationList
        .length,
      0,
    );
    // b still sees it and can accept
    assert.equal(
      (await b.request<FriendApplicationList>('getFriendApplicationList')).friendApplicationList
        .length,
      1,
    );
    await b.request('deleteFriendApplication', { userID: a.userID, type: 'Pendency_Type_ComeIn' });
    await assert.rejects(
      b.request('deleteFriendApplication', { userID: a.userID, type: 'Pendency_Type_ComeIn' }),
      { code: C.RELATION_INVALID },
    );
    await assert.rejects(b.request('refuseFriendApplication', { userID: a.userID }), {
      code: C.RELATION_INVALID,
    });
  });

  test('deleteFriend single and both ways; failures for non-friends', async () => {
    const a = await user('a');
    const b = await user('b', 'AllowType_Type_AllowAny');
    const c = await user('c', 'AllowType_Type_AllowAny');
    await a.request('addFriend', { to: b.userID });
    await a.request('addFriend', { to: c.userID });
    const single = await a.request('deleteFriend', {
      userIDList: [b.userID, uid('x')],
      type: 'Delete_Type_Single',
    });
    assert.deepEqual(single.successUserIDList, [b.userID]);
    assert.equal(single.failureUserIDList[0].code, C.RELATION_INVALID);
    assert.deepEqual(await friendIDs(b), [a.userID]);
    await a.request('deleteFriend', { userIDList: [c.userID] });
    assert.deepEqual(await friendIDs(a), []);
    assert.deepEqual(await friendIDs(c), []);
    const push = await c.nextPush('friendListUpdated'); // the add
    assert.deepEqual(push.data.deleted, []);
    const gone = await c.nextPush('friendListUpdated');
    assert.deepEqual(gone.data.deleted, [a.userID]);
  });

  test('getFriendProfile, updateFriend (remark, custom fields) and their errors', async () => {
    const a = await user('a');
    const aTab = await tab(a);
    const b = await user('b', 'AllowType_Type_AllowAny');
    await a.request('addFriend', { to: b.userID });
    await aTab.nextPush('friendListUpdated');
    const updated = await a.request<Friend>('updateFriend', {
      userID: b.userID,
      remark: 'Bobby',
      friendCustomField: [{ key: 'Tag_SNS_Custom_Note', value: 'met at work' }],
    });
    assert.equal(updated.remark, 'Bobby');
    assert.deepEqual(updated.friendCustomField, [
      { key: 'Tag_SNS_Custom_Note', value: 'met at work' },
    ]);
    const push = await aTab.nextPush('friendListUpdated');
    assert.deepEqual(push.data.added, [updated]);
    const profile = await a.request('getFriendProfile', { userIDList: [b.userID, uid('x')] });
    assert.deepEqual(profile.friendList, [updated]);
    assert.equal(profile.failureUserIDList.length, 1);
    await assert.rejects(
      a.request('updateFriend', { userID: b.userID, friendCustomField: [{ key: 'x', value: 1 }] }),
      { code: C.INVALID_PARAMETER },
    );
    await assert.rejects(a.request('updateFriend', { userID: uid('x'), remark: 'r' }), {
      code: C.RELATION_INVALID,
    });
    const again = await a.request('getFriendProfile', { userIDList: [b.userID] });
    assert.deepEqual(again.friendList, [updated]);
  });

  test('friend groups: create, add, remove, rename, delete, with failures and pushes', async () => {
    const a = await user('a');
    const aTab = await tab(a);
    const b = await user('b', 'AllowType_Type_AllowAny');
    const stranger = await user('s');
    await a.request('addFriend', { to: b.userID });
    const created = await a.request('createFriendGroup', {
      name: 'close',
      userIDList: [b.userID, stranger.userID],
    });
    assert.deepEqual(created.friendGroup, { name: 'close', userIDList: [b.userID], count: 1 });
    assert.deepEqual(
      created.failureUserIDList.map((f: { userID: string }) => f.userID),
      [stranger.userID],
    );
    const push = await aTab.nextPush('friendGroupListUpdated');
    assert.deepEqual(push.data.friendGroupList, [created.friendGroup]);
    await assert.rejects(a.request('createFriendGroup', { name: 'close' }), {
      code: C.RELATION_INVALID,
    });
    await assert.rejects(a.request('createFriendGroup', { name: 'x'.repeat(31) }), {
      code: C.INVALID_PARAMETER,
    });
    await a.request('removeFromFriendGroup', { name: 'close', userIDList: [b.userID] });
    await a.request('addToFriendGroup', { name: 'close', userIDList: [b.userID] });
    const renamed = await a.request('renameFriendGroup', { oldName: 'close', newName: 'best' });
    assert.deepEqual(renamed.friendGroup, { name: 'best', userIDList: [b.userID], count: 1 });
    await assert.rejects(a.request('renameFriendGroup', { oldName: 'close', newName: 'x' }), {
      code: C.RELATION_INVALID,
    });
    await assert.rejects(a.request('addToFriendGroup', { name: 'nope', userIDList: [b.userID] }), {
      code: C.RELATION_INVALID,
    });
    const [friend] = (await a.request<{ friendList: Friend[] }>('getFriendList')).friendList;
    assert.deepEqual(friend.groupList, ['best']);
    await a.request('deleteFriendGroup', { name: 'best' });
    const list = await a.request<{ friendGroupList: FriendGroup[] }>('getFriendGroupList');
    assert.deepEqual(list.friendGroupList, []);
    assert.deepEqual(await friendIDs(a), [b.userID], 'deleting a group keeps the friends');
  });

  test('blocklist: ends the friendship, refuses requests, drops messages silently', async () => {
    const a = await user('a', 'AllowType_Type_AllowAny');
    const aTab = await tab(a);
    const b = await user('b', 'AllowType_Type_AllowAny');
    const bTab = await tab(b);
    await a.request('addFriend', { to: b.userID });
    // A message to a before the block: the server has read a's blocklist, empty; the block counts.
    const c = await user('c');
    const early = await c.request<{ message: Message }>('sendMessage', textMessage(a.userID, 'hi'));
    assert.equal((await a.nextPush('message')).data.ID, early.message.ID);
    assert.equal((await aTab.nextPush('message')).data.ID, early.message.ID);
    assert.deepEqual(await a.request('addToBlacklist', { userIDList: [b.userID] }), [b.userID]);
    assert.deepEqual(await a.request('getBlacklist'), [b.userID]);
    const pushed = await aTab.nextPush('blacklistUpdated');
    assert.deepEqual(pushed.data.blacklist, [b.userID]);
    assert.deepEqual(await friendIDs(a), []);
    assert.deepEqual(await friendIDs(b), []);
    await assert.rejects(b.request('addFriend', { to: a.userID }), {
      code: C.FRIEND_IN_TARGET_BLACKLIST,
    });
    await assert.rejects(a.request('addFriend', { to: b.userID }), {
      code: C.FRIEND_TARGET_BLOCKED,
    });
    await assert.rejects(a.request('addToBlacklist', { userIDList: [a.userID] }), {
      code: C.RELATION_INVALID,
    });

    // b -> a: a silent success, never delivered; b's other tab and b's history have it.
    const sent = await b.request<{ message: Message }>(
      'sendMessage',
      textMessage(a.userID, 'are you there?'),
    );
    assert.equal((sent.message.payload as { text: string }).text, 'are you there?');
    const echo = await bTab.nextPush('message');
    assert.equal(echo.data.ID, sent.message.ID);
    assert.equal(await a.noPush('message', 100), true);
    assert.equal(await aTab.noPush('message', 0), true);
    const bHistory = await b.request('getMessageList', { conversationID: `C2C${a.userID}` });
    assert.deepEqual(
      bHistory.messageList.map((m: Message) => m.ID),
      [sent.message.ID],
    );
    const aHistory = await a.request('getMessageList', { conversationID: `C2C${b.userID}` });
    assert.deepEqual(aHistory.messageList, []);
    const aSync = await a.request('sync', { cursor: 0 });
    assert.ok(!aSync.messages.some((m: { message: Message }) => m.message.ID === sent.message.ID));
    const convs = await a.request('getConversationList');
    assert.ok(
      !convs.conversationList.some(
        (c: { conversationID: string }) => c.conversationID === `C2C${b.userID}`,
      ),
    );

    // a can still write to b; after unblocking b's messages arrive again.
    await a.request('sendMessage', textMessage(b.userID, 'I blocked you'));
    await b.nextPush('message');
    await a.request('removeFromBlacklist', { userIDList: [b.userID] });
    assert.deepEqual(await a.request('getBlacklist'), []);
    const after = await b.request<{ message: Message }>('sendMessage', textMessage(a.userID, 'ok'));
    const got = await a.nextPush('message');
    assert.equal(got.data.ID, after.message.ID);
  });

  test('follow: lists, counts, types, self and unknown users, pushes', async () => {
    const a = await user('a');
    const aTab = await tab(a);
    const b = await user('b');
    const c = await user('c');
    const ghost = uid('ghost');
    const res = await a.request('followUser', {
      userIDList: [b.userID, c.userID, a.userID, ghost],
    });
    assert.deepEqual(res.successUserIDList, [b.userID, c.userID]);
    assert.deepEqual(
      res.failureUserIDList.map((f: { userID: string; code: number }) => [f.userID, f.code]),
      [
        [a.userID, C.RELATION_INVALID],
        [ghost, C.RELATION_ACCOUNT_NOT_FOUND],
      ],
    );
    const mine = await aTab.nextPush('followListUpdated');
    assert.deepEqual(mine.data, [
      { list: 'following', userIDList: [b.userID, c.userID], isAdd: true },
    ]);
    const theirs = await b.nextPush('followListUpdated');
    assert.deepEqual(theirs.data, [{ list: 'followers', userIDList: [a.userID], isAdd: true }]);

    await b.request('followUser', { userIDList: [a.userID] });
    const mutual = await a.nextPush('followListUpdated');
    assert.deepEqual(mutual.data, [
      { list: 'followers', userIDList: [b.userID], isAdd: true },
      { list: 'mutual', userIDList: [b.userID], isAdd: true },
    ]);
    const ids = (page: { resultList: Profile[] }) => page.resultList.map((p) => p.userID).sort();
    assert.deepEqual(ids(await a.request('getMyFollowingList')), [b.userID, c.userID].sort());
    assert.deepEqual(ids(await a.request('getMyFollowersList')), [b.userID]);
    assert.deepEqual(ids(await a.request('getMutualFollowersList')), [b.userID]);
    assert.equal((await a.request('getMyFollowingList')).nextCursor, '');
    assert.deepEqual(await a.request('getUserFollowInfo'), [
      { userID: a.userID, followersCount: 1, followingCount: 2, mutualFollowersCount: 1 },
    ]);
    assert.deepEqual(await a.request('checkFollowType', { userIDList: [b.userID, c.userID] }), [
      { userID: b.userID, followType: 3 },
      { userID: c.userID, followType: 2 },
    ]);
    assert.deepEqual(await c.request('checkFollowType', { userIDList: [a.userID] }), [
      { userID: a.userID, followType: 1 },
    ]);
    await a.request('unfollowUser', { userIDList: [b.userID] });
    assert.deepEqual(ids(await a.request('getMutualFollowersList')), []);
    assert.deepEqual(await b.request('checkFollowType', { userIDList: [a.userID] }), [
      { userID: a.userID, followType: 2 },
    ]);
    await assert.rejects(a.request('getMyFollowingList', { nextCursor: 'abc' }), {
      code: C.INVALID_PARAMETER,
    });
    await assert.rejects(
      a.request('followUser', { userIDList: Array.from({ length: 21 }, () => uid('x')) }),
      { code: C.INVALID_PARAMETER },
    );
  });

  test('profile custom fields merge, are validated, and reach friends as PROFILE_UPDATED', async () => {
    const a = await user('a', 'AllowType_Type_AllowAny');
    const b = await user('b');
    const stranger = await user('s');
    await b.request('addFriend', { to: a.userID, type: 'Add_Type_Single' });
    const p1 = await a.request<Profile>('updateMyProfile', {
      profileCustomField: [{ key: 'Tag_Profile_Custom_Mood', value: 'happy' }],
    });
    assert.deepEqual(p1.profileCustomField, [{ key: 'Tag_Profile_Custom_Mood', value: 'happy' }]);
    const p2 = await a.request<Profile>('updateMyProfile', {
      nick: 'Ann',
      profileCustomField: [{ key: 'Tag_Profile_Custom_Lvl', value: 7 }],
    });
    assert.deepEqual(p2.profileCustomField, [
      { key: 'Tag_Profile_Custom_Mood', value: 'happy' },
      { key: 'Tag_Profile_Custom_Lvl', value: 7 },
    ]);
    const pushed = await b.nextPush('profileUpdated');
    assert.deepEqual(pushed.data.profileCustomField, p1.profileCustomField);
    assert.equal(await stranger.noPush('profileUpdated', 50), true);
    for (const bad of [
      { key: 'Custom_Mood', value: 'x' },
      { key: 'Tag_Profile_Custom_TooLongKey', value: 'x' },
      { key: 'Tag_Profile_Custom_Big', value: 'x'.repeat(501) },
      { key: 'Tag_Profile_Custom_F', value: 1.5 },
    ]) {
      await assert.rejects(
        a.request('updateMyProfile', { nick: 'changed', profileCustomField: [bad] }),
        { code: C.INVALID_PARAMETER },
        JSON.stringify(bad),
      );
    }
    const [seen] = await stranger.request<Profile[]>('getUserProfile', { userIDList: [a.userID] });
    assert.equal(seen.nick, 'Ann');
    assert.deepEqual(seen.profileCustomField, p2.profileCustomField);
  });
});
