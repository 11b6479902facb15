/**
 * HTTP side of uploads and media (UploadService does the rest):
 *
 * - `OPTIONS /upload`: CORS preflight (any origin; headers Content-Type, X-IM-SDKAppID,
 *   X-IM-UserID, X-IM-UserSig).
 * - `POST /upload?kind=image|file|audio|video&name=<file name>`: raw bytes as the body, the file's
 *   Content-Type, UserSig headers. Answers `{code: 0, data: UploadResult}` or `{code, message}`:
 *   400 10004 (bad kind/name, not an image), 401 (UserSig codes 70001..70020), 413 7005 (over
 *   UploadService.limitFor(kind): LIMITS.uploadBytes[kind], lowered by `--max-upload-mb`; refused
 *   from Content-Length, or reading stops when the stream passes it), 400 7006 (empty), 500 7007 (storage failure). The connection is closed after a 413.
 * - `GET|HEAD /media/<uuid>/<file>`: the stored file with its content type, nosniff,
 *   `Cache-Control: private, max-age=31536000, immutable`, `Content-Disposition: attachment` for
 *   kind=file, single byte ranges (206 / 416), CORS and CORP open (URLs are capabilities).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { ErrorCode } from '../protocol/codes.js';
import { ImError } from './errors.js';
import type { Logger } from './log.js';
import { MediaTooLargeError } from './services/media/store.js';
import { MEDIA_KINDS, type UploadService } from './services/media/uploads.js';
import type { MediaKind } from './storage/types.js';

const CORS = {
  'Access-Control-Allow-Origin': '*',
};

const AUTH_CODES: readonly number[] = [
  ErrorCode.USER_SIG_EXPIRED,
  ErrorCode.USER_SIG_EMPTY,
  ErrorCode.USER_SIG_MALFORMED,
  ErrorCode.USER_SIG_MISMATCH,
  ErrorCode.USER_SIG_IDENTIFIER_MISMATCH,
  ErrorCode.USER_SIG_APP_MISMATCH,
  ErrorCode.APP_NOT_FOUND,
];

const MEDIA_PATH =
  /^\/media\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([^/]{1,400})$/;
const SAFE_FILE = /^[A-Za-z0-9._~-]{1,128}$/;

function fileOf(segment: string): string | null {
  try {
    const file = decodeURIComponent(segment);
    return SAFE_FILE.test(file) ? file : null;
  } catch {
    return null;
  }
}

function answer(res: ServerResponse, status: number, body: object, close = false): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...CORS,
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(text);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** scheme://host of this request, or the configured public URL. */
function originOf(req: IncomingMessage, publicURL: string): string {
  if (publicURL) return new URL(publicURL).origin;
  const proto = header(req, 'x-forwarded-proto')?.split(',')[0].trim();
  const scheme =
    proto === 'https' || proto === 'http'
      ? proto
      : (req.socket as { encrypted?: boolean }).encrypted
        ? 'https'
        : 'http';
  return `${scheme}://${header(req, 'host') ?? 'localhost'}`;
}

/** Time a refused client gets to read the answer before its connection is dropped. */
const REFUSE_GRACE_MS = 1000;

/**
 * After a refused body: stop reading (the client's sends stall), answer, then drop the connection
 * instead of reading the rest.
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, body: object): void {
  req.unpipe();
  req.pause();
  answer(res, status, body, true);
  res.once('finish', () => setTimeout(() => req.destroy(), REFUSE_GRACE_MS).unref());
}

/**
 * The request body as a stream the store may destroy without destroying the socket (so that the
 * 413 can still be written); a client going away mid-body errors it.
 */
function bodyOf(req: IncomingMessage): PassThrough {
  const body = new PassThrough();
  const gone = () => {
    if (!req.complete) body.destroy(new Error('the client went away'));
  };
  req.once('aborted', gone);
  req.once('close', gone);
  req.once('error', (err) => body.destroy(err));
  req.pipe(body);
  return body;
}

export interface MediaHttpOptions {
  uploads: UploadService;
  log: Logger;
  /** Base of the URLs handed out ('' = from the request's Host). */
  publicURL: string;
}

export function createMediaHttp(options: MediaHttpOptions) {
  const { uploads, log } = options;

  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...CORS,
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, X-IM-SDKAppID, X-IM-UserID, X-IM-UserSig',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST, OPTIONS');
      return refuse(req, res, 405, {
        code: ErrorCode.INVALID_PARAMETER,
        message: 'POST the file',
      });
    }
    const kind = url.searchParams.get('kind') ?? '';
    if (!MEDIA_KINDS.includes(kind as MediaKind)) {
      return refuse(req, res, 400, {
        code: ErrorCode.INVALID_PARAMETER,
        message: 'kind must be image, file, audio or video',
      });
    }
    let who: { app: number; userID: string };
    try {
      who = await uploads.authenticate({
        SDKAppID: header(req, 'x-im-sdkappid'),
        userID: header(req, 'x-im-userid'),
        userSig: header(req, 'x-im-usersig'),
      });
    } catch (err) {
      if (!(err instanceof ImError)) throw err;
      return refuse(req, res, AUTH_CODES.includes(err.code) ? 401 : 400, {
        code: err.code,
        message: err.message,
      });
    }
    const max = uploads.limitFor(kind as MediaKind);
    const declared = Number(header(req, 'content-length') ?? NaN);
    if (declared > max) {
      return refuse(req, res, 413, {
        code: ErrorCode.UPLOAD_TOO_LARGE,
        message: `${kind} uploads are at most ${max} bytes`,
      });
    }
    try {
      const result = await uploads.upload({
        ...who,
        kind: kind as MediaKind,
        name: url.searchParams.get('name') ?? '',
        contentType: header(req, 'content-type') ?? '',
        body: bodyOf(req),
        origin: originOf(req, options.publicURL),
      });
      answer(res, 200, { code: 0, data: result });
    } catch (err) {
      if (err instanceof MediaTooLargeError) {
        return refuse(req, res, 413, {
          code: ErrorCode.UPLOAD_TOO_LARGE,
          message: `${kind} uploads are at most ${max} bytes`,
        });
      }
      if (err instanceof ImError) {
        return refuse(req, res, 400, { code: err.code, message: err.message });
      }
      if (req.destroyed || req.readableAborted) return; // the client went away: nothing stored
      log.error('upload failed', { err });
      answer(res, 500, { code: ErrorCode.UPLOAD_FAILED, message: 'upload failed' }, true);
    }
  }

  async function media(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', ...CORS });
      res.end();
      return;
    }
    const match = MEDIA_PATH.exec(path);
    const file = match ? fileOf(match[2]) : null;
    const found = match && file ? await uploads.open(match[1], file) : null;
    const object = found ? await uploads.store.head(found.key) : null;
    if (!found || !object) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...CORS });
      res.end('not found\n');
      return;
    }
    const { record, contentType, key } = found;
    const size = object.size;
    const headers: Record<string, string | number> = {
      'Content-Type': contentType,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, max-age=31536000, immutable',
      'Accept-Ranges': 'bytes',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cross-Origin-Resource-Policy': 'cross-origin',
      ...CORS,
    };
    if (record.kind === 'file') {
      const fallback = record.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
      headers['Content-Disposition'] =
        `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(record.name)}`;
    }
    let start = 0;
    let end = size - 1;
    let status = 200;
    const range = header(req, 'range');
    if (range) {
      const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      if (m && (m[1] !== '' || m[2] !== '')) {
        if (m[1] === '') {
          start = Math.max(0, size - Number(m[2]));
        } else {
          start = Number(m[1]);
          if (m[2] !== '') end = Math.min(end, Number(m[2]));
        }
        if (start > end || start >= size) {
          res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` });
          res.end();
          return;
        }
        status = 206;
        headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
      }
      // other forms (several ranges) get the whole file
    }
    headers['Content-Length'] = size === 0 ? 0 : end - start + 1;
    res.writeHead(status, headers);
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }
    const part = await uploads.store.get(key, { start, end });
    if (!part) {
      res.destroy();
      return;
    }
    part.stream.on('error', () => res.destroy());
    part.stream.pipe(res);
  }

  return { upload, media };
}

export type MediaHttp = ReturnType<typeof createMediaHttp>;
