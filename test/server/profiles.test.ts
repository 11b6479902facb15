import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode } from '../../src/protocol/codes.js';
import type { Profile } from '../../src/protocol/types.js';
import {
  connectClient,
  registerUsers,
  startTestServer,
  uid,
  type RunningServer,
} from '../helpers/server.js';

describe('profiles', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('getMyProfile has Tencent defaults', async () => {
    const me = uid('me');
    const client = await connectClient(server, me);
    const profile = await client.request<Profile>('getMyProfile');
    assert.equal(profile.userID, me);
    assert.equal(profile.nick, '');
    assert.equal(profile.gender, 'Gender_Type_Unknown');
    assert.equal(profile.allowType, 'AllowType_Type_NeedConfirm');
    assert.deepEqual(profile.profileCustomField, []);
    await client.close();
  });

  test('updateMyProfile answers the new profile and pushes profileUpdated to the other sockets', async () => {
    const me = uid('me');
    const one = await connectClient(server, me);
    const two = await connectClient(server, me);
    const updated = await one.request<Profile>('updateMyProfile', {
      nick: 'Neo',
      avatar: 'https://x/neo.png',
      gender: 'Gender_Type_Male',
      allowType: 'AllowType_Type_AllowAny',
      selfSignature: 'hello',
      birthday: 19990101,
      level: 3,
    });
    assert.equal(updated.nick, 'Neo');
    assert.equal(updated.gender, 'Gender_Type_Male');
    assert.equal(updated.birthday, 19990101);
    const push = await two.nextPush('profileUpdated');
    assert.deepEqual(push.data, updated);
    assert.equal(await one.noPush('profileUpdated', 50), true);
    assert.deepEqual(await two.request('getMyProfile'), updated);
    await one.close();
    await two.close();
  });

  test('invalid gender, allowType or lengths are 10004 and change nothing', async () => {
    const client = await connectClient(server, uid('me'));
    const before = await client.request<Profile>('getMyProfile');
    await assert.rejects(client.request('updateMyProfile', { nick: 'X', gender: 'robot' }), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    await assert.rejects(client.request('updateMyProfile', { nick: 'X', allowType: 'maybe' }), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    await assert.rejects(client.request('updateMyProfile', { nick: 'x'.repeat(501) }), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    await assert.rejects(client.request('updateMyProfile', { level: 'high' }), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    assert.deepEqual(await client.request('getMyProfile'), before);
    await client.close();
  });

  test('getUserProfile leaves unknown users out', async () => {
    const [a, b] = [uid('a'), uid('b')];
    await registerUsers(server, a, b);
    const client = await connectClient(server, uid('me'));
    const list = await client.request<Profile[]>('getUserProfile', {
      userIDList: [a, uid('ghost'), b, a],
    });
    assert.deepEqual(
      list.map((p) => p.userID),
      [a, b],
    );
    await assert.rejects(client.request('getUserProfile', { userIDList: [] }), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    await client.close();
  });
});
