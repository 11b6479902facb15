import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CloseCode } from '../../src/protocol/codes.js';
import { verifyUserSig } from '../../src/server/usersig.js';
import {
  connectClient,
  readMetric,
  startServer,
  startTestServer,
  textMessage,
  uid,
  type RunningServer,
} from '../helpers/server.js';

/** A GET with the path sent as is (fetch would normalize `..`). */
function rawGet(
  url: string,
  path: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('http', () => {
  let server: RunningServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'imkit-http-'));
    const staticDir = join(dir, 'static');
    const demoDir = join(dir, 'demo');
    mkdirSync(join(staticDir, 'chunks'), { recursive: true });
    mkdirSync(join(demoDir, 'sub'), { recursive: true });
    writeFileSync(join(staticDir, 'im.js'), 'export const x = 1;\n');
    writeFileSync(join(staticDir, 'im.js.map'), '{"version":3}');
    writeFileSync(join(staticDir, 'bridge.html'), '<!doctype html><title>bridge</title>');
    writeFileSync(join(staticDir, 'chunks', 'a-123.js'), 'export {};');
    writeFileSync(join(demoDir, 'index.html'), '<!doctype html><title>demo</title>');
    writeFileSync(join(demoDir, 'sub', 'index.html'), 'sub');
    writeFileSync(join(dir, 'secret.txt'), 'top secret');
    symlinkSync(join(dir, 'secret.txt'), join(staticDir, 'link.txt'));
    server = await startTestServer({ staticDir, demoDir });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('static files with content types and no-cache', async () => {
    const cases: [string, RegExp][] = [
      ['/im.js', /^text\/javascript/],
      ['/im.js.map', /^application\/json/],
      ['/bridge.html', /^text\/html/],
      ['/chunks/a-123.js', /^text\/javascript/],
    ];
    for (const [path, type] of cases) {
      const res = await fetch(server.url + path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', type);
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      assert.equal(
        res.headers.get('access-control-allow-origin'),
        '*',
        'module scripts load cross-origin',
      );
      await res.text();
    }
    assert.equal(await (await fetch(server.url + '/im.js')).text(), 'export const x = 1;\n');
    const head = await fetch(server.url + '/im.js', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '20');
    assert.equal((await fetch(server.url + '/missing.js')).status, 404);
    assert.equal((await fetch(server.url + '/im.js', { method: 'POST' })).status, 405);
  });

  test('demo pages under /demo/, /demo redirects, directories serve index.html', async () => {
    const redirect = await fetch(server.url + '/demo', { redirect: 'manual' });
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), '/demo/');
    const index = await fetch(server.url + '/demo/');
    assert.equal(index.status, 200);
    assert.match(await index.text(), /<title>demo<\/title>/);
    assert.equal(await (await fetch(server.url + '/demo/sub/')).text(), 'sub');
  });

  test('path traversal is refused', async () => {
    for (const path of [
      '/../secret.txt',
      '/demo/../secret.txt',
      '/demo/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/demo/%2e%2e/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/demo/..%5c..%5csecret.txt',
      '/%00im.js',
      '/%E0%A4%A',
      '/link.txt',
    ]) {
      const res = await rawGet(server.url, path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(res.body, /top secret/, path);
    }
  });

  test('/healthz', async () => {
    const res = await fetch(server.url + '/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  test('/dev/usersig does not exist outside dev mode (any method, any spelling)', async () => {
    for (const method of ['GET', 'HEAD', 'POST', 'OPTIONS', 'PUT']) {
      const res = await fetch(server.url + '/dev/usersig?userID=alice', { method });
      assert.equal(res.status, 404, method);
      assert.equal(res.headers.get('access-control-allow-origin'), null, method);
      const body = await res.text();
      assert.doesNotMatch(body, /userSig/, method);
    }
    for (const path of ['/dev/usersig/', '/dev/usersig/?userID=a', '/dev/UserSig?userID=a']) {
      assert.equal((await rawGet(server.url, path)).status, 404, path);
    }
  });

  test('/metrics counts authenticated sockets and committed messages', async () => {
    const res = await fetch(server.url + '/metrics');
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    assert.match(text, /^# TYPE im_ws_connections gauge$/m);
    assert.match(text, /^# TYPE im_messages_total counter$/m);
    assert.equal(await readMetric(server, 'im_ws_connections'), 0);
    const [a, b] = [uid('a'), uid('b')];
    const anon = await connectClient(server, 'x', { login: false });
    const alice = await connectClient(server, a);
    const alice2 = await connectClient(server, a);
    const bob = await connectClient(server, b);
    assert.equal(
      await readMetric(server, 'im_ws_connections'),
      3,
      'sockets not logged in are not counted',
    );
    assert.equal(await readMetric(server, 'im_ws_sockets'), 4);
    assert.equal(await readMetric(server, 'im_users_online'), 2);
    const before = await readMetric(server, 'im_messages_total');
    const msg = textMessage(b, 'x');
    await alice.request('sendMessage', msg);
    await alice.request('sendMessage', msg);
    await alice.request('sendMessage', textMessage(b, 'y'));
    assert.equal(await readMetric(server, 'im_messages_total'), before + 2);
    assert.deepEqual(server.metrics(), { connections: 3, messages: before + 2 });
    await alice2.close();
    await bob.close();
    await anon.close();
    assert.equal(await readMetric(server, 'im_ws_connections'), 1);
    assert.equal(await readMetric(server, 'im_users_online'), 1);
    await alice.close();
  });
});

describe('dev mode', () => {
  test('startServer refuses dev mode on a non-loopback host unless allowRemoteDev', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.10']) {
      await assert.rejects(
        startServer({ port: 0, host, dev: true, dbFile: ':memory:', log: false }),
        /refusing dev mode/,
        host,
      );
    }
    // loopback hosts are fine; outside dev mode any host is
    const local = await startTestServer({ dev: true, host: 'localhost' });
    assert.equal((await fetch(`${local.url}/dev/usersig?userID=alice`)).status, 200);
    await local.close();
  });

  test('/dev/usersig answers a valid UserSig with CORS', async () => {
    const server = await startTestServer({ dev: true });
    try {
      const res = await fetch(`${server.url}/dev/usersig?userID=alice`, {
        headers: { Origin: 'http://other.example' },
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      const body = (await res.json()) as { SDKAppID: number; userID: string; userSig: string };
      assert.equal(body.SDKAppID, server.app.SDKAppID);
      assert.equal(body.userID, 'alice');
      const verified = verifyUserSig({
        userSig: body.userSig,
        SDKAppID: server.app.SDKAppID,
        secretKey: server.app.secretKey,
        userID: 'alice',
      });
      assert.equal(verified.ok, true);
      const bad = await fetch(`${server.url}/dev/usersig?userID=${encodeURIComponent('no way')}`);
      assert.equal(bad.status, 400);
      const client = await connectClient(server, 'alice', { userSig: body.userSig });
      assert.equal(client.login?.userID, 'alice');
      await client.close();
    } finally {
      await server.close();
    }
  });
});

describe('lifecycle', () => {
  test('close() closes every socket with 4501 and a data dir survives a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'imkit-data-'));
    try {
      const first = await startServer({ port: 0, dataDir, log: false });
      const [a, b] = [uid('a'), uid('b')];
      const alice = await connectClient(first, a);
      const bob = await connectClient(first, b);
      await alice.request('sendMessage', textMessage(b, 'persisted'));
      await first.close();
      assert.equal((await alice.closed).code, CloseCode.SERVER_SHUTDOWN);
      assert.equal((await bob.closed).code, CloseCode.SERVER_SHUTDOWN);
      await first.close(); // idempotent

      const second = await startServer({ port: 0, dataDir, log: false });
      assert.equal(second.app.SDKAppID, first.app.SDKAppID);
      assert.equal(second.app.secretKey, first.app.secretKey);
      assert.equal(first.app.created, true);
      assert.equal(second.app.created, false);
      const back = await connectClient(second, b, { userSig: first.genUserSig(b) });
      const page = await back.request('getMessageList', { conversationID: `C2C${a}` });
      assert.deepEqual(
        page.messageList.map((m: { payload: unknown }) => m.payload),
        [{ text: 'persisted' }],
      );
      await back.close();
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
