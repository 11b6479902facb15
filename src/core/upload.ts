/**
 * Media uploads, from the tab (the file never crosses the port to the engine):
 * `POST ${server}/upload?kind=image|file|audio|video&name=<name>` with the raw file as the body and
 * the headers `X-IM-SDKAppID`, `X-IM-UserID`, `X-IM-UserSig`. The server answers
 * `{code: 0, data: UploadResult}` or `{code, message}` (7005 too large, 7006 empty).
 *
 * XMLHttpRequest (not fetch) because it reports upload progress: `onProgress` gets a number from 0
 * to 1, ending with 1 once the server answered. `cancelUpload(message)` aborts the request and the
 * upload rejects with 7009. A network failure rejects with 7007.
 */
import { ErrorCode } from '../protocol/codes.js';
import type {
  AudioPayload,
  FilePayload,
  ImagePayload,
  Message,
  UploadResult,
  VideoPayload,
} from '../protocol/types.js';
import { IMError } from './errors.js';
import { fileFormat, type MessageFile } from './message-factory.js';

export interface UploadCredentials {
  server: string;
  SDKAppID: number;
  userID: string;
  userSig: string;
}

/** Uploads in flight (or about to start), by message, so they can be cancelled. */
const pending = new WeakMap<Message, { xhr: XMLHttpRequest | null; cancelled: boolean }>();

function cancelled(): IMError {
  return new IMError(ErrorCode.UPLOAD_CANCELLED, 'The upload was cancelled');
}

/** Abort the upload of this message; its send rejects with 7009. No-op when nothing is pending. */
export function cancelUpload(message: Message): void {
  const entry = pending.get(message);
  if (!entry) return;
  entry.cancelled = true;
  entry.xhr?.abort();
}

/** Upload the file of a media message and build its final payload. */
export async function uploadMessageFile(
  message: Message,
  media: MessageFile,
  creds: UploadCredentials,
): Promise<ImagePayload | FilePayload | AudioPayload | VideoPayload> {
  const entry = { xhr: null as XMLHttpRequest | null, cancelled: false };
  pending.set(message, entry);
  try {
    let duration = media.duration;
    if (duration === undefined && (media.kind === 'audio' || media.kind === 'video'))
      duration = await mediaDuration(media.file, media.kind);
    if (entry.cancelled) throw cancelled();
    const result = await post(media, creds, entry);
    return payloadFor(media, result, duration ?? 0);
  } finally {
    pending.delete(message);
  }
}

function post(
  media: MessageFile,
  creds: UploadCredentials,
  entry: { xhr: XMLHttpRequest | null; cancelled: boolean },
): Promise<UploadResult> {
  return new Promise<UploadResult>((resolve, reject) => {
    if (typeof XMLHttpRequest === 'undefined') {
      reject(new IMError(ErrorCode.UPLOAD_FAILED, 'Uploads need XMLHttpRequest (a browser tab)'));
      return;
    }
    const url = `${creds.server}/upload?kind=${media.kind}&name=${encodeURIComponent(media.name)}`;
    const xhr = new XMLHttpRequest();
    entry.xhr = xhr;
    const progress = (value: number) => {
      try {
        media.onProgress?.(value);
      } catch (err) {
        console.error('[imkit] onProgress failed', err);
      }
    };
    xhr.open('POST', url);
    xhr.setRequestHeader('X-IM-SDKAppID', String(creds.SDKAppID));
    xhr.setRequestHeader('X-IM-UserID', creds.userID);
    xhr.setRequestHeader('X-IM-UserSig', creds.userSig);
    if (media.file.type) xhr.setRequestHeader('Content-Type', media.file.type);
    xhr.upload.onprogress = (event) => {
      // The last byte sent is not the end: 1 is reported when the server has answered.
      if (event.lengthComputable && event.total > 0)
        progress(Math.min(0.99, event.loaded / event.total));
    };
    xhr.onabort = () => reject(cancelled());
    xhr.onerror = () =>
      reject(new IMError(ErrorCode.UPLOAD_FAILED, `The upload to ${creds.server} failed`));
    xhr.ontimeout = xhr.onerror;
    xhr.onload = () => {
      const body = parseBody(xhr.responseText);
      if (body && body.code === 0 && isUploadResult(body.data)) {
        progress(1);
        resolve(body.data);
        return;
      }
      const code =
        body && typeof body.code === 'number' && body.code !== 0
          ? body.code
          : ErrorCode.UPLOAD_FAILED;
      const text =
        body && typeof body.message === 'string'
          ? body.message
          : `The upload failed (HTTP ${xhr.status})`;
      reject(new IMError(code, text));
    };
    if (entry.cancelled) {
      reject(cancelled());
      return;
    }
    progress(0);
    xhr.send(media.file);
  });
}

function parseBody(text: string): { code?: unknown; message?: unknown; data?: unknown } | null {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function isUploadResult(value: unknown): value is UploadResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.uuid === 'string' && typeof v.url === 'string';
}

export function payloadFor(
  media: MessageFile,
  r: UploadResult,
  duration: number,
): ImagePayload | FilePayload | AudioPayload | VideoPayload {
  const size = typeof r.size === 'number' ? r.size : media.file.size;
  const format = fileFormat(media.name, r.contentType || media.file.type);
  switch (media.kind) {
    case 'image':
      return {
        uuid: r.uuid,
        imageFormat: r.imageFormat ?? format,
        imageInfoArray: r.imageInfoArray?.length
          ? r.imageInfoArray
          : [{ type: 0, url: r.url, width: 0, height: 0, size }],
      };
    case 'file':
      return { uuid: r.uuid, fileUrl: r.url, fileName: r.name || media.name, fileSize: size };
    case 'audio':
      return { uuid: r.uuid, url: r.url, second: Math.round(duration), size };
    case 'video':
      return {
        videoUUID: r.uuid,
        videoUrl: r.url,
        videoSecond: Math.round(duration),
        videoFormat: format,
        videoSize: size,
        thumbUUID: '',
        thumbUrl: '',
        thumbWidth: 0,
        thumbHeight: 0,
      };
  }
}

/**
 * The duration of an audio or video file in seconds, read through a media element where the page
 * has one; 0 when it cannot be read within 3 s (no DOM, unknown format, a stream of unknown length).
 */
export function mediaDuration(file: Blob, kind: 'audio' | 'video'): Promise<number> {
  if (typeof document === 'undefined' || typeof URL.createObjectURL !== 'function')
    return Promise.resolve(0);
  return new Promise<number>((resolve) => {
    const el = document.createElement(kind);
    const src = URL.createObjectURL(file);
    let done = false;
    const finish = (value: number) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      el.removeAttribute('src');
      URL.revokeObjectURL(src);
      resolve(Number.isFinite(value) && value > 0 ? value : 0);
    };
    const timer = setTimeout(() => finish(0), 3000);
    el.preload = 'metadata';
    el.onloadedmetadata = () => finish(el.duration);
    el.onerror = () => finish(0);
    el.src = src;
  });
}
