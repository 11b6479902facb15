// User status over the wire: online while any instance is connected, offline when the last socket
// goes (closed or terminated after a missed heartbeat), unlogined after logout; custom status;
// subscriptions with the 200 limit (oldest evicted); who gets USER_STATUS_UPDATED.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode } from '../../src/protocol/codes.js';
import { LIMITS } from '../../src/protocol/constants.js';
import type { UserStatus } from '../../src/protocol/types.js';
import {
  connectClient,
  registerUsers,
  sleep,
  startTestServer,
  uid,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';

const statusOf = async (c: TestClient, userID: string): Promise<UserStatus> =>
  (await c.request('getUserStatus', { userIDList: [userID] })).successUserList[0];

describe('user status', () => {
  let server: RunningServer;
  const open: TestClient[] = [];
  before(async () => {
    server = await startTestServer({ heartbeatMs: 100 });
  });
  after(async () => {
    await Promise.all(open.map((c) => c.close()));
    await server.close();
  });
  async function connect(userID: string, instanceID?: string) {
    const c = await connectClient(server, userID, instanceID ? { instanceID } : {});
    open.push(c);
    return c;
  }

  test('online while any instance is connected; offline after the last one; unlogined after logout', async () => {
    const watcher = await connect(uid('w'));
    const u = uid('u');
    const never = uid('never');
    await registerUsers(server, never);
    assert.equal((await statusOf(watcher, never)).statusType, 2, 'socket closed without logout');
    const ghost = uid('ghost');
    const res = await watcher.request('getUserStatus', { userIDList: [ghost] });
    assert.deepEqual(res.successUserList, []);
    assert.equal(res.failureUserList[0].code, ErrorCode.RELATION_ACCOUNT_NOT_FOUND);

    const one = await connect(u);
    const two = await connect(u);
    await watcher.request('subscribeUserStatus', { userIDList: [u] });
    const first = await watcher.nextPush('userStatusUpdated');
    assert.deepEqual(first.data.userStatusList, [{ userID: u, statusType: 1, customStatus: '' }]);
    await one.close();
    assert.equal((await statusOf(watcher, u)).statusType, 1, 'one instance left: still online');
    assert.equal(await watcher.noPush('userStatusUpdated', 100), true);
    // The last instance stops answering pings: the transport terminates it after the heartbeat.
    await two.terminate();
    const off = await watcher.nextPush('userStatusUpdated');
    assert.deepEqual(off.data.userStatusList, [{ userID: u, statusType: 2, customStatus: '' }]);
    assert.equal((await statusOf(watcher, u)).statusType, 2);

    const back = await connect(u);
    const on = await watcher.nextPush('userStatusUpdated');
    assert.equal(on.data.userStatusList[0].statusType, 1);
    await back.request('logout');
    const out = await watcher.nextPush('userStatusUpdated');
    assert.equal(out.data.userStatusList[0].statusType, 3);
  });

  test('getGroupOnlineMemberCount counts members with a live instance; members only', async () => {
    const owner = await connect(uid('own'));
    const [a, b, away] = [uid('a'), uid('b'), uid('away')];
    await registerUsers(server, away);
    const ca = await connect(a);
    await connect(b);
    const { group } = await owner.request('createGroup', {
      name: 'online count',
      type: 'Public',
      memberList: [{ userID: a }, { userID: b }, { userID: away }],
    });
    const count = async (c: TestClient) =>
      (await c.request('getGroupOnlineMemberCount', { groupID: group.groupID })).memberCount;
    assert.equal(await count(owner), 3, 'owner, a and b are connected; away is not');
    await ca.close();
    await sleep(50);
    assert.equal(await count(owner), 2);
    const stranger = await connect(uid('stranger'));
    await assert.rejects(
      stranger.request('getGroupOnlineMemberCount', { groupID: group.groupID }),
      {
        code: ErrorCode.NO_PERMISSION,
      },
    );
    await assert.rejects(stranger.request('getGroupOnlineMemberCount', { groupID: 'no_such' }), {
      code: ErrorCode.GROUP_NOT_FOUND,
    });
  });

  test('a silent client (no pong) turns offline after the heartbeat timeout', async () => {
    const watcher = await connect(uid('w'));
    const u = uid('silent');
    const silent = await connectClient(server, u, { wsOptions: { autoPong: false } });
    await watcher.request('subscribeUserStatus', { userIDList: [u] });
    assert.equal(
      (await watcher.nextPush('userStatusUpdated')).data.userStatusList[0].statusType,
      1,
    );
    await silent.closed;
    const off = await watcher.nextPush('userStatusUpdated');
    assert.equal(off.data.userStatusList[0].statusType, 2);
  });

  test('setSelfStatus: pushed to own devices, subscribers and friends; cleared when offline', async () => {
    const u = uid('u');
    const mine = await connect(u);
    const myOther = await connect(u);
    const sub = await connect(uid('sub'));
    const friend = await connect(uid('friend'));
    const stranger = await connect(uid('stranger'));
    await mine.request('updateMyProfile', { allowType: 'AllowType_Type_AllowAny' });
    await friend.request('addFriend', { to: u, type: 'Add_Type_Single' });
    await sub.request('subscribeUserStatus', { userIDList: [u] });
    await sub.nextPush('userStatusUpdated');
    const res = await mine.request('setSelfStatus', { customStatus: 'in a meeting' });
    assert.deepEqual(res, { userID: u, statusType: 1, customStatus: 'in a meeting' });
    for (const c of [myOther, sub, friend]) {
      const p = await c.nextPush('userStatusUpdated');
      assert.deepEqual(p.data.userStatusList, [res]);
    }
    assert.equal(await mine.noPush('userStatusUpdated', 50), true);
    assert.equal(await stranger.noPush('userStatusUpdated', 0), true);
    assert.deepEqual(await statusOf(stranger, u), res);
    await assert.rejects(mine.request('setSelfStatus', { customStatus: 'x'.repeat(101) }), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    assert.equal((await statusOf(stranger, u)).customStatus, 'in a meeting');
    await mine.close();
    await myOther.close();
    const off = await sub.nextPush('userStatusUpdated');
    assert.deepEqual(off.data.userStatusList, [{ userID: u, statusType: 2, customStatus: '' }]);
    const again = await connect(u);
    assert.equal((await statusOf(again, u)).customStatus, '', 'cleared while offline');
  });

  test('subscriptions: not to oneself, unknown users fail, the oldest evicted past the limit', async () => {
    const me = await connect(uid('me'));
    const ghost = uid('ghost');
    const res = await me.request('subscribeUserStatus', { userIDList: [me.userID, ghost] });
    assert.deepEqual(
      res.failureUserList.map((f: { userID: string; code: number }) => [f.userID, f.code]),
      [
        [me.userID, ErrorCode.RELATION_INVALID],
        [ghost, ErrorCode.RELATION_ACCOUNT_NOT_FOUND],
      ],
    );
    await assert.rejects(
      me.request('subscribeUserStatus', {
        userIDList: Array.from({ length: LIMITS.statusSubscribeBatch + 1 }, () => uid('x')),
      }),
      { code: ErrorCode.INVALID_PARAMETER },
    );
    const targets = Array.from(
      { length: LIMITS.statusSubscriptions + 1 },
      (_, i) => `t${i}_${uid('s')}`,
    );
    await registerUsers(server, ...targets);
    for (let i = 0; i < targets.length; i += LIMITS.statusSubscribeBatch) {
      await me.request('subscribeUserStatus', {
        userIDList: targets.slice(i, i + LIMITS.statusSubscribeBatch),
      });
    }
    // The evicted user's changes no longer reach me; a kept one's do.
    const evicted = await connect(targets[0]);
    const kept = await connect(targets[1]);
    await evicted.request('setSelfStatus', { customStatus: 'x' });
    await kept.request('setSelfStatus', { customStatus: 'y' });
    const seen: string[] = [];
    for (;;) {
      const p = await me.nextPush('userStatusUpdated');
      seen.push(...p.data.userStatusList.filter((s) => s.customStatus).map((s) => s.userID));
      if (seen.includes(targets[1])) break;
    }
    assert.ok(!seen.includes(targets[0]));

    await me.request('unsubscribeUserStatus', { userIDList: [targets[1]] });
    await kept.request('setSelfStatus', { customStatus: 'z' });
    const last = await connect(targets.at(-1)!);
    await last.request('setSelfStatus', { customStatus: 'w' });
    const next = await me.nextPush('userStatusUpdated');
    assert.deepEqual(
      next.data.userStatusList.map((s) => s.userID),
      [targets.at(-1)],
      'unsubscribed from kept; still subscribed to the newest',
    );
    await me.request('unsubscribeUserStatus', {});
    const seenBefore = me.frames.length;
    await last.request('setSelfStatus', { customStatus: 'v' });
    await sleep(100);
    assert.ok(!me.frames.slice(seenBefore).some((f) => 'push' in f), 'unsubscribed from all');
  });
});
