/**
 * The engine's users-and-relationships part against a scripted server (fake socket): the lists
 * fetched after catch-up, pushes applied and broadcast as Tencent's events, and the lists kept in
 * the IndexedDB cache.
 */
import { expect } from '@open-wc/testing';
import { RpcClient } from '../../src/core/rpc-client.js';
import { EVENT } from '../../src/protocol/constants.js';
import type { Friend, Profile } from '../../src/protocol/types.js';
import { Cache } from '../../src/worker/cache.js';
import { Host } from '../../src/worker/host.js';
import { socketFactory, until, type FakeSocket } from './fake-socket.js';

const SERVER = 'http://users-engine.test';
const APP = 1400000001;

const profile = (userID: string): Profile => ({
  userID,
  nick: userID.toUpperCase(),
  avatar: '',
  gender: 'Gender_Type_Unknown',
  selfSignature: '',
  allowType: 'AllowType_Type_NeedConfirm',
  birthday: 0,
  location: '',
  language: 0,
  messageSettings: 0,
  adminForbidType: 'AdminForbid_Type_None',
  level: 0,
  role: 0,
  lastUpdatedTime: 0,
  profileCustomField: [],
});
const friend = (userID: string, groupList: string[] = []): Friend => ({
  userID,
  remark: '',
  groupList,
  source: '',
  wording: '',
  profile: profile(userID),
  friendCustomField: [],
});

async function answerCatchUp(s: FakeSocket, me: string, friends: Friend[]): Promise<void> {
  await until(() => s.ops().includes('getMyProfile'));
  s.answer('getConversationList', { conversationList: [] });
  s.answer('getGroupList', { groupList: [] });
  s.answer('getMyProfile', profile(me));
  await until(() => s.ops().includes('getBlacklist'));
  s.answer('getFriendList', { friendList: friends });
  s.answer('getFriendApplicationList', { friendApplicationList: [], unreadCount: 0 });
  s.answer('getFriendGroupList', { friendGroupList: [] });
  s.answer('getBlacklist', ['mallory']);
}

describe('engine: users and relationships', () => {
  it('fetches the lists after catch-up, applies pushes, broadcasts events, caches the lists', async () => {
    const me = `me_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
    const f = socketFactory();
    const host = new Host({ socketFactory: f.factory, idleMs: 50 });
    const channel = new MessageChannel();
    host.connect(channel.port2);
    const rpc = new RpcClient(channel.port1);
    const events: { name: string; data: unknown }[] = [];
    rpc.onEvent((name, data) => events.push({ name, data }));
    const last = <T>(name: string) => events.filter((e) => e.name === name).at(-1)?.data as T;
    const config = { server: SERVER, SDKAppID: APP, userID: me };

    await rpc.call('attach', { rpc: 1, tabID: 't', config });
    const login = rpc.call('login', { userID: me, userSig: 'sig' });
    await until(() => f.sockets.length === 1);
    const s = f.last();
    s.open();
    s.acceptLogin(1);
    await login;
    await answerCatchUp(s, me, [friend('bob')]);
    await until(() => last<Friend[]>(EVENT.FRIEND_LIST_UPDATED)?.length === 1);
    expect(last<string[]>(EVENT.BLACKLIST_UPDATED)).to.deep.equal(['mallory']);

    // Reads come from memory once caught up: no new request.
    const before = s.sent.length;
    expect((await rpc.call<Friend[]>('getFriendList', {})).map((x) => x.userID)).to.deep.equal([
      'bob',
    ]);
    expect(s.sent.length).to.equal(before);

    // friendListUpdated: carol added, bob deleted.
    s.receive({ push: 'friendListUpdated', data: { added: [friend('carol')], deleted: ['bob'] } });
    await until(() => last<Friend[]>(EVENT.FRIEND_LIST_UPDATED)?.[0]?.userID === 'carol');
    expect(last<Friend[]>(EVENT.FRIEND_LIST_UPDATED).map((x) => x.userID)).to.deep.equal(['carol']);

    // A friend group change: the groups event, and the friend list read again (group names).
    s.receive({
      push: 'friendGroupListUpdated',
      data: { friendGroupList: [{ name: 'close', userIDList: ['carol'], count: 1 }] },
    });
    await until(() => last<unknown[]>(EVENT.FRIEND_GROUP_LIST_UPDATED)?.length === 1);
    await until(() => s.sent.filter((x) => x.op === 'getFriendList').length === 2);
    s.answer('getFriendList', { friendList: [friend('carol', ['close'])] });
    await until(() => last<Friend[]>(EVENT.FRIEND_LIST_UPDATED)?.[0]?.groupList.length === 1);

    // Status and follow pushes become Tencent's events.
    const status = { userStatusList: [{ userID: 'carol', statusType: 1, customStatus: 'hi' }] };
    s.receive({ push: 'userStatusUpdated', data: status });
    await until(() => last(EVENT.USER_STATUS_UPDATED) !== undefined);
    expect(last(EVENT.USER_STATUS_UPDATED)).to.deep.equal(status.userStatusList);
    s.receive({
      push: 'followListUpdated',
      data: [
        { list: 'followers', userIDList: ['dave'], isAdd: true },
        { list: 'mutual', userIDList: ['dave'], isAdd: true },
      ],
    });
    await until(() => last(EVENT.MUTUAL_FOLLOWERS_LIST_UPDATED) !== undefined);
    expect(last(EVENT.MY_FOLLOWERS_LIST_UPDATED)).to.deep.equal({
      userIDList: ['dave'],
      isAdd: true,
    });

    // A malformed push is dropped, not applied.
    s.receive({ push: 'userStatusUpdated', data: { userStatusList: [{ userID: 'x' }] } });
    s.receive({ push: 'blacklistUpdated', data: { blacklist: [] } });
    await until(() => last<string[]>(EVENT.BLACKLIST_UPDATED)?.length === 0);
    expect(
      events.filter((e) => e.name === EVENT.USER_STATUS_UPDATED),
      'the malformed status push',
    ).to.have.length(1);

    // The lists are in the cache for the next cold start.
    const cache = await Cache.open(config);
    const cached = await cache.get('rel:friends', (v): v is Friend[] => Array.isArray(v));
    expect(cached!.map((x) => x.userID)).to.deep.equal(['carol']);
    expect(await cache.get('rel:blacklist', (v): v is string[] => Array.isArray(v))).to.deep.equal(
      [],
    );
    cache.close();
    rpc.close();
  });
});
