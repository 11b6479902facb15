import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { CloseCode, ErrorCode } from '../../src/protocol/codes.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import { genUserSig } from '../../src/server/usersig.js';
import {
  connectClient,
  readMetric,
  startTestServer,
  uid,
  wsURL,
  type RunningServer,
} from '../helpers/server.js';

describe('login', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const loginData = (userID: string, extra: Record<string, unknown> = {}) => ({
    SDKAppID: server.app.SDKAppID,
    userID,
    userSig: server.genUserSig(userID),
    instanceID: 'instance-0001',
    protocol: PROTOCOL_VERSION,
    ...extra,
  });

  test('first login registers the user and answers LoginResult', async () => {
    const userID = uid();
    const client = await connectClient(server, userID);
    assert.equal(client.login?.userID, userID);
    assert.ok(Number.isInteger(client.login?.tinyID) && client.login!.tinyID > 0);
    assert.equal(client.login?.cursor, 0);
    assert.equal(client.login?.protocol, PROTOCOL_VERSION);
    assert.ok(Math.abs(client.login!.serverTime - Date.now() / 1000) < 5);
    const again = await connectClient(server, userID);
    assert.equal(again.login?.tinyID, client.login?.tinyID);
    await client.close();
    await again.close();
  });

  const cases: [string, (userID: string) => Record<string, unknown>, number, number][] = [
    [
      'expired sig',
      (u) => ({ userSig: sigAt(u, -120, 60) }),
      ErrorCode.USER_SIG_EXPIRED,
      CloseCode.USER_SIG_EXPIRED,
    ],
    ['empty sig', () => ({ userSig: '' }), ErrorCode.USER_SIG_EMPTY, CloseCode.AUTH_FAILED],
    [
      'garbage sig',
      () => ({ userSig: 'abc' }),
      ErrorCode.USER_SIG_MALFORMED,
      CloseCode.AUTH_FAILED,
    ],
    [
      'sig of another user',
      () => ({ userSig: server.genUserSig('mallory') }),
      ErrorCode.USER_SIG_IDENTIFIER_MISMATCH,
      CloseCode.AUTH_FAILED,
    ],
    [
      'forged sig',
      (u) => ({
        userSig: genUserSig({
          SDKAppID: server.app.SDKAppID,
          secretKey: 'f'.repeat(64),
          userID: u,
        }),
      }),
      ErrorCode.USER_SIG_MISMATCH,
      CloseCode.AUTH_FAILED,
    ],
    ['unknown app', () => ({ SDKAppID: 1 }), ErrorCode.APP_NOT_FOUND, CloseCode.AUTH_FAILED],
    [
      'sig of another app',
      (u) => ({ userSig: genUserSig({ SDKAppID: 7, secretKey: server.app.secretKey, userID: u }) }),
      ErrorCode.USER_SIG_APP_MISMATCH,
      CloseCode.AUTH_FAILED,
    ],
    [
      'protocol too new',
      () => ({ protocol: PROTOCOL_VERSION + 1 }),
      ErrorCode.PROTOCOL_UNSUPPORTED,
      CloseCode.PROTOCOL_UNSUPPORTED,
    ],
    [
      'protocol too old',
      () => ({ protocol: 0 }),
      ErrorCode.PROTOCOL_UNSUPPORTED,
      CloseCode.PROTOCOL_UNSUPPORTED,
    ],
  ];
  function sigAt(userID: string, offset: number, expire: number): string {
    const time = Math.floor(Date.now() / 1000) + offset;
    return genUserSig({
      SDKAppID: server.app.SDKAppID,
      secretKey: server.app.secretKey,
      userID,
      expire,
      time,
    });
  }
  for (const [name, extra, code, closeCode] of cases) {
    test(`${name}: error ${code}, then close ${closeCode}`, async () => {
      const userID = uid();
      const client = await connectClient(server, userID, { login: false });
      await assert.rejects(client.request('login', loginData(userID, extra(userID))), { code });
      assert.equal((await client.closed).code, closeCode);
      // nothing was registered
      const probe = await connectClient(server, uid());
      await assert.rejects(
        probe.request('sendMessage', {
          message: {
            ID: 'x-1',
            type: 'TIMTextElem',
            payload: { text: 'hi' },
            conversationType: 'C2C',
            to: userID,
            clientTime: 1,
            random: 1,
          },
        }),
        { code: ErrorCode.ACCOUNT_NOT_FOUND },
      );
      await probe.close();
    });
  }

  test('invalid login data is 10004 and the socket stays open', async () => {
    const client = await connectClient(server, 'x', { login: false });
    await assert.rejects(client.request('login', { SDKAppID: 'nope' }), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    await assert.rejects(client.request('login', loginData('bad user!')), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    const userID = uid();
    const result = await client.request('login', loginData(userID));
    assert.equal(result.userID, userID);
    await client.close();
  });

  test('ops before login get 6014 and change nothing; login still works', async () => {
    const client = await connectClient(server, 'x', { login: false });
    await assert.rejects(client.request('ping'), { code: ErrorCode.NOT_LOGGED_IN });
    await assert.rejects(client.request('getMyProfile'), { code: ErrorCode.NOT_LOGGED_IN });
    assert.equal(await readMetric(server, 'im_ws_connections'), 0);
    const userID = uid();
    await client.request('login', loginData(userID));
    assert.deepEqual(await client.request('ping'), {});
    await client.close();
  });

  test('requests pipelined right after login run after it', async () => {
    const userID = uid();
    const client = await connectClient(server, userID, { login: false });
    const [login, profile] = await Promise.all([
      client.request('login', loginData(userID)),
      client.request('getMyProfile'),
    ]);
    assert.equal(login.userID, userID);
    assert.equal(profile.userID, userID);
    await client.close();
  });

  test('too many frames before login closes 4503', async () => {
    const client = await connectClient(server, 'x', { login: false });
    for (let i = 0; i < 20; i++)
      client.sendRaw(JSON.stringify({ id: i + 1, op: 'ping', data: {} }));
    assert.equal((await client.closed).code, CloseCode.PROTOCOL_ERROR);
  });

  test('logout answers and closes 4004', async () => {
    const client = await connectClient(server, uid());
    assert.deepEqual(await client.request('logout'), {});
    assert.equal((await client.closed).code, CloseCode.LOGGED_OUT);
  });

  test('a second login on the same socket as another user is refused', async () => {
    const userID = uid();
    const client = await connectClient(server, userID);
    await assert.rejects(client.request('login', loginData(uid())), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    const again = await client.request('login', loginData(userID));
    assert.equal(again.userID, userID);
    await client.close();
  });

  test('a UserSig expiring while online kicks with userSigExpired and closes 4003', async () => {
    const userID = uid();
    const client = await connectClient(server, userID, { userSig: sigAt(userID, -59, 60) });
    const kicked = await client.nextPush('kicked', 4000);
    assert.deepEqual(kicked.data, { type: 'userSigExpired' });
    assert.equal((await client.closed).code, CloseCode.USER_SIG_EXPIRED);
  });

  test('websocket upgrade on another path is refused with 404', async () => {
    const ws = new WebSocket(wsURL(server).replace(/\/ws$/, '/other'));
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
    assert.equal(status, 404);
  });
});

describe('login timeout', () => {
  test('a socket that does not log in is closed with 4500', async () => {
    const server = await startTestServer({ loginTimeoutMs: 150 });
    try {
      const client = await connectClient(server, 'x', { login: false });
      assert.equal((await client.closed).code, CloseCode.LOGIN_TIMEOUT);
    } finally {
      await server.close();
    }
  });
});

describe('kick policy (maxInstances 1)', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({ maxInstances: 1 });
  });
  after(() => server.close());

  test('a second instance kicks the first: kicked multipleAccount then close 4001', async () => {
    const userID = uid();
    const first = await connectClient(server, userID);
    const second = await connectClient(server, userID);
    const kicked = await first.nextPush('kicked');
    assert.deepEqual(kicked.data, { type: 'multipleAccount' });
    assert.equal((await first.closed).code, CloseCode.KICKED_OUT);
    assert.deepEqual(await second.request('ping'), {});
    assert.equal(await second.noPush('kicked', 100), true);
    await second.close();
  });

  test('sockets with the same instanceID are one instance: nobody is kicked', async () => {
    const userID = uid();
    const a = await connectClient(server, userID, { instanceID: 'shared-instance' });
    const b = await connectClient(server, userID, { instanceID: 'shared-instance' });
    const c = await connectClient(server, userID, { instanceID: 'shared-instance' });
    assert.equal(await a.noPush('kicked', 150), true);
    assert.equal(await b.noPush('kicked', 0), true);
    for (const client of [a, b, c]) assert.deepEqual(await client.request('ping'), {});
    // a new instance kicks every socket of the shared one
    const d = await connectClient(server, userID);
    for (const client of [a, b, c]) assert.equal((await client.closed).code, CloseCode.KICKED_OUT);
    await d.close();
  });

  test('other users are not affected', async () => {
    const a = await connectClient(server, uid());
    const b = await connectClient(server, uid());
    assert.equal(await a.noPush('kicked', 100), true);
    await a.close();
    await b.close();
  });
});

describe('kick policy (default 10 instances)', () => {
  test('the 11th instance kicks the oldest only', async () => {
    const server = await startTestServer();
    try {
      const userID = uid();
      const clients = [];
      for (let i = 0; i < 11; i++) clients.push(await connectClient(server, userID));
      assert.equal((await clients[0].closed).code, CloseCode.KICKED_OUT);
      for (const c of clients.slice(1)) assert.deepEqual(await c.request('ping'), {});
      for (const c of clients.slice(1)) await c.close();
    } finally {
      await server.close();
    }
  });
});
