/**
 * UserSig: Tencent TLSSigAPIv2-compatible tickets.
 *
 * sig = urlsafe-base64( zlib-deflate( JSON {TLS.ver, TLS.identifier, TLS.sdkappid, TLS.expire,
 * TLS.time, TLS.sig[, TLS.userbuf]} ) ) with '+' -> '*', '/' -> '-', '=' -> '_', and
 * TLS.sig = base64( HMAC-SHA256(secretKey, "TLS.identifier:<id>\nTLS.sdkappid:<appid>\n
 * TLS.time:<time>\nTLS.expire:<expire>\n[TLS.userbuf:<buf>\n]") ). The ticket is valid until
 * TLS.time + TLS.expire (seconds).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { ErrorCode } from '../protocol/codes.js';

export const DEFAULT_USERSIG_EXPIRE = 180 * 86400;

function escape(base64: string): string {
  return base64.replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}

function unescape(sig: string): string {
  return sig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
}

function hmac(
  secretKey: string,
  identifier: string,
  sdkappid: number,
  time: number,
  expire: number,
  userbuf?: string,
): string {
  let content =
    `TLS.identifier:${identifier}\n` +
    `TLS.sdkappid:${sdkappid}\n` +
    `TLS.time:${time}\n` +
    `TLS.expire:${expire}\n`;
  if (userbuf !== undefined) content += `TLS.userbuf:${userbuf}\n`;
  return createHmac('sha256', secretKey).update(content).digest('base64');
}

export interface GenUserSigOptions {
  SDKAppID: number;
  secretKey: string;
  userID: string;
  /** Lifetime in seconds (default 180 days). */
  expire?: number;
  /** Issue time in seconds (default now); tests use it to make nearly expired tickets. */
  time?: number;
}

export function genUserSig(options: GenUserSigOptions): string {
  const time = options.time ?? Math.floor(Date.now() / 1000);
  const expire = options.expire ?? DEFAULT_USERSIG_EXPIRE;
  const doc = {
    'TLS.ver': '2.0',
    'TLS.identifier': options.userID,
    'TLS.sdkappid': options.SDKAppID,
    'TLS.expire': expire,
    'TLS.time': time,
    'TLS.sig': hmac(options.secretKey, options.userID, options.SDKAppID, time, expire),
  };
  return escape(deflateSync(Buffer.from(JSON.stringify(doc))).toString('base64'));
}

export type VerifyResult =
  | { ok: true; /** Expiry, seconds since the epoch. */ expireAt: number }
  | { ok: false; code: number; message: string };

export interface VerifyUserSigOptions {
  userSig: string;
  SDKAppID: number;
  secretKey: string;
  userID: string;
  /** Seconds; default now. */
  now?: number;
}

const fail = (code: number, message: string): VerifyResult => ({ ok: false, code, message });

export function verifyUserSig(options: VerifyUserSigOptions): VerifyResult {
  const { userSig, SDKAppID, secretKey, userID } = options;
  if (!userSig) return fail(ErrorCode.USER_SIG_EMPTY, 'UserSig is empty');
  let doc: Record<string, unknown>;
  try {
    const raw = inflateSync(Buffer.from(unescape(userSig), 'base64'), {
      maxOutputLength: 16 * 1024,
    });
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    doc = parsed as Record<string, unknown>;
  } catch {
    return fail(ErrorCode.USER_SIG_MALFORMED, 'UserSig cannot be decoded');
  }
  const identifier = doc['TLS.identifier'];
  const sdkappid = doc['TLS.sdkappid'];
  const time = doc['TLS.time'];
  const expire = doc['TLS.expire'];
  const sig = doc['TLS.sig'];
  const userbuf = doc['TLS.userbuf'];
  if (
    typeof identifier !== 'string' ||
    typeof sdkappid !== 'number' ||
    typeof time !== 'number' ||
    typeof expire !== 'number' ||
    typeof sig !== 'string' ||
    (userbuf !== undefined && typeof userbuf !== 'string')
  ) {
    return fail(ErrorCode.USER_SIG_MALFORMED, 'UserSig is missing fields');
  }
  if (identifier !== userID) {
    return fail(ErrorCode.USER_SIG_IDENTIFIER_MISMATCH, 'UserSig was issued for another userID');
  }
  if (sdkappid !== SDKAppID) {
    return fail(ErrorCode.USER_SIG_APP_MISMATCH, 'UserSig was issued for another SDKAppID');
  }
  const expected = Buffer.from(
    hmac(secretKey, identifier, sdkappid, time, expire, userbuf),
    'base64',
  );
  const given = Buffer.from(sig, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return fail(ErrorCode.USER_SIG_MISMATCH, 'UserSig signature does not match');
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const expireAt = time + expire;
  if (expireAt < now) return fail(ErrorCode.USER_SIG_EXPIRED, 'UserSig has expired');
  return { ok: true, expireAt };
}
