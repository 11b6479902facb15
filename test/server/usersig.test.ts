import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { ErrorCode } from '../../src/protocol/codes.js';
import { genUserSig, verifyUserSig } from '../../src/server/usersig.js';

const require = createRequire(import.meta.url);
const TLSSigAPIv2 = require('tls-sig-api-v2') as {
  Api: new (
    sdkappid: number,
    key: string,
  ) => { genUserSig(userID: string, expire: number): string };
};

const SDKAppID = 1400123456;
const secretKey = 'a'.repeat(64);
const other = 'b'.repeat(64);

const verify = (userSig: string, userID = 'alice', appID = SDKAppID, key = secretKey) =>
  verifyUserSig({ userSig, SDKAppID: appID, secretKey: key, userID });

function encode(doc: unknown): string {
  return deflateSync(Buffer.from(JSON.stringify(doc)))
    .toString('base64')
    .replace(/\+/g, '*')
    .replace(/\//g, '-')
    .replace(/=/g, '_');
}

test('a sig made by the official tls-sig-api-v2 package is accepted', () => {
  const api = new TLSSigAPIv2.Api(SDKAppID, secretKey);
  const sig = api.genUserSig('alice', 86400);
  const result = verify(sig);
  assert.equal(result.ok, true);
  if (result.ok) assert.ok(result.expireAt > Date.now() / 1000 + 86000);
});

test('our own sigs use the URL-safe alphabet and verify', () => {
  const sig = genUserSig({ SDKAppID, secretKey, userID: 'alice', expire: 600 });
  assert.match(sig, /^[A-Za-z0-9*\-_]+$/);
  assert.equal(verify(sig).ok, true);
});

test('official sigs for another user, app or key are rejected with their codes', () => {
  const api = new TLSSigAPIv2.Api(SDKAppID, secretKey);
  assert.deepEqual(
    pick(verify(api.genUserSig('bob', 600))),
    ErrorCode.USER_SIG_IDENTIFIER_MISMATCH,
  );
  const otherApp = new TLSSigAPIv2.Api(SDKAppID + 1, secretKey);
  assert.deepEqual(
    pick(verify(otherApp.genUserSig('alice', 600))),
    ErrorCode.USER_SIG_APP_MISMATCH,
  );
  const otherKey = new TLSSigAPIv2.Api(SDKAppID, other);
  assert.deepEqual(pick(verify(otherKey.genUserSig('alice', 600))), ErrorCode.USER_SIG_MISMATCH);
});

function pick(result: ReturnType<typeof verify>): number {
  return result.ok ? 0 : result.code;
}

test('expired sigs get 70001', () => {
  const now = Math.floor(Date.now() / 1000);
  const sig = genUserSig({ SDKAppID, secretKey, userID: 'alice', expire: 60, time: now - 120 });
  assert.equal(pick(verify(sig)), ErrorCode.USER_SIG_EXPIRED);
});

test('forged sigs get 70009: edited expiry, foreign HMAC, truncated signature', () => {
  const now = Math.floor(Date.now() / 1000);
  const content = `TLS.identifier:alice\nTLS.sdkappid:${SDKAppID}\nTLS.time:${now}\nTLS.expire:60\n`;
  const sig = createHmac('sha256', secretKey).update(content).digest('base64');
  const doc = {
    'TLS.ver': '2.0',
    'TLS.identifier': 'alice',
    'TLS.sdkappid': SDKAppID,
    'TLS.expire': 60,
    'TLS.time': now,
    'TLS.sig': sig,
  };
  assert.equal(pick(verify(encode(doc))), 0);
  // extend the lifetime without re-signing
  assert.equal(
    pick(verify(encode({ ...doc, 'TLS.expire': 10 ** 9 }))),
    ErrorCode.USER_SIG_MISMATCH,
  );
  // signed with another key
  const foreign = createHmac('sha256', other).update(content).digest('base64');
  assert.equal(pick(verify(encode({ ...doc, 'TLS.sig': foreign }))), ErrorCode.USER_SIG_MISMATCH);
  assert.equal(
    pick(verify(encode({ ...doc, 'TLS.sig': sig.slice(0, 10) }))),
    ErrorCode.USER_SIG_MISMATCH,
  );
  // a userbuf that was not signed
  assert.equal(
    pick(verify(encode({ ...doc, 'TLS.userbuf': 'AAAA' }))),
    ErrorCode.USER_SIG_MISMATCH,
  );
});

test('empty and malformed sigs', () => {
  assert.equal(pick(verify('')), ErrorCode.USER_SIG_EMPTY);
  assert.equal(pick(verify('not-a-sig')), ErrorCode.USER_SIG_MALFORMED);
  assert.equal(pick(verify(encode('just a string'))), ErrorCode.USER_SIG_MALFORMED);
  assert.equal(pick(verify(encode({ 'TLS.identifier': 'alice' }))), ErrorCode.USER_SIG_MALFORMED);
  const bomb = deflateSync(Buffer.alloc(1024 * 1024, 32)).toString('base64');
  assert.equal(pick(verify(bomb)), ErrorCode.USER_SIG_MALFORMED);
});
