/**
 * Uploads: who may upload (UserSig headers, verified like a login), what is accepted (per kind
 * size limits from LIMITS.uploadBytes, images checked and resized by images.ts), what is recorded
 * (the `media` table) and what is answered (UploadResult). HTTP details live in media-http.ts.
 *
 * Stored files: `<uuid>/<name>` (the original, under a safe version of its name) and, for images,
 * `<uuid>/~large.<ext>` and `<uuid>/~thumb.<ext>` when they are smaller than the original. URLs are
 * `<origin>/media/<uuid>/<file>`.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { ErrorCode } from '../../../protocol/codes.js';
import { LIMITS } from '../../../protocol/constants.js';
import type { ImageInfo, UploadResult } from '../../../protocol/types.js';
import { byteLength, ImError, invalid } from '../../errors.js';
import type { MediaKind, MediaRecord } from '../../storage/types.js';
import { verifyUserSig } from '../../usersig.js';
import type { ServiceDeps } from '../deps.js';
import { analyzeImage, IMAGE_CONTENT_TYPES, IMAGE_EXTENSIONS } from './images.js';
import type { MediaStore } from './store.js';

export const MEDIA_KINDS: readonly MediaKind[] = ['image', 'file', 'audio', 'video'];

const NAME_BYTES = 255;
const USER_ID = /^[A-Za-z0-9_-]{1,32}$/;
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/** By extension, when the client's Content-Type does not fit the kind. */
const GUESS: Record<string, string> = {
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  weba: 'audio/webm',
  amr: 'audio/amr',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  ogv: 'video/ogg',
  pdf: 'application/pdf',
  txt: 'text/plain',
  zip: 'application/zip',
};

/** A file name safe in a path and a URL: [A-Za-z0-9._-], no leading dot, <= 100 chars. */
export function safeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  let safe = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  if (safe.length > 100) {
    const dot = safe.lastIndexOf('.');
    const ext = dot > 0 && safe.length - dot <= 12 ? safe.slice(dot) : '';
    safe = safe.slice(0, 100 - ext.length) + ext;
  }
  return safe || 'file';
}

function contentTypeFor(kind: MediaKind, declared: string, fileName: string): string {
  const type = declared.split(';')[0].trim().toLowerCase();
  const ext = fileName.includes('.') ? fileName.split('.').pop()!.toLowerCase() : '';
  const fits = MIME.test(type) && (kind === 'file' || type.startsWith(`${kind}/`));
  if (fits) return type;
  const guess = GUESS[ext];
  if (guess && (kind === 'file' || guess.startsWith(`${kind}/`))) return guess;
  return 'application/octet-stream';
}

export interface UploadRequest {
  app: number;
  userID: string;
  kind: MediaKind;
  /** The `name` query parameter. */
  name: string;
  /** The request's Content-Type. */
  contentType: string;
  body: Readable;
  /** scheme://host[:port] the URLs are made with. */
  origin: string;
}

export class UploadService {
  constructor(
    private readonly deps: ServiceDeps,
    readonly store: MediaStore,
    /** Caps every kind below LIMITS.uploadBytes (`--max-upload-mb`); 0 or unset: no cap. */
    private readonly maxBytes = 0,
  ) {}

  /** The largest upload of `kind` this server accepts, in bytes. */
  limitFor(kind: MediaKind): number {
    const tencent = LIMITS.uploadBytes[kind];
    return this.maxBytes > 0 ? Math.min(tencent, this.maxBytes) : tencent;
  }

  /** Verifies the X-IM-* headers like a login; returns the uploader. */
  async authenticate(headers: {
    SDKAppID?: string;
    userID?: string;
    userSig?: string;
  }): Promise<{ app: number; userID: string }> {
    const SDKAppID = Number(headers.SDKAppID);
    const userID = headers.userID ?? '';
    if (!Number.isInteger(SDKAppID) || SDKAppID <= 0) {
      throw invalid('X-IM-SDKAppID must be a positive integer');
    }
    if (!USER_ID.test(userID)) throw invalid('X-IM-UserID is not a valid userID');
    const app = await this.deps.storage.getApp(SDKAppID);
    if (!app) throw new ImError(ErrorCode.APP_NOT_FOUND, `unknown SDKAppID ${SDKAppID}`);
    const verified = verifyUserSig({
      userSig: headers.userSig ?? '',
      SDKAppID,
      secretKey: app.secretKey,
      userID,
      now: this.deps.now(),
    });
    if (!verified.ok) throw new ImError(verified.code, verified.message);
    await this.deps.storage.ensureUser(SDKAppID, userID, this.deps.now());
    return { app: SDKAppID, userID };
  }

  async upload(req: UploadRequest): Promise<UploadResult> {
    const { store } = this;
    if (byteLength(req.name) > NAME_BYTES) throw invalid(`name is over ${NAME_BYTES} bytes`);
    const uuid = randomUUID();
    const file = safeFileName(req.name);
    const keys = [`${uuid}/${file}`];
    const url = (f: string) => `${req.origin}/media/${uuid}/${encodeURIComponent(f)}`;
    try {
      const { size } = await store.put(keys[0], req.body, this.limitFor(req.kind));
      if (size === 0) throw new ImError(ErrorCode.UPLOAD_EMPTY, 'the upload is empty');
      const result: UploadResult = {
        uuid,
        url: url(file),
        size,
        name: req.name || file,
        contentType: contentTypeFor(req.kind, req.contentType, file),
      };
      if (req.kind === 'image') {
        const original = await store.get(keys[0]);
        if (!original) throw new Error('upload vanished');
        const chunks: Buffer[] = [];
        for await (const chunk of original.stream) chunks.push(chunk as Buffer);
        const image = await analyzeImage(Buffer.concat(chunks));
        if (!image) {
          throw invalid('not an image this server accepts (JPEG, PNG, WebP, GIF, AVIF)');
        }
        const infos: ImageInfo[] = [
          { type: 0, url: result.url, width: image.width, height: image.height, size },
        ];
        for (const r of image.renditions) {
          if (!r.data) {
            infos.push({ type: r.type, url: result.url, width: r.width, height: r.height, size });
            continue;
          }
          const name = `~${r.type === 1 ? 'large' : 'thumb'}.${IMAGE_EXTENSIONS[image.format]}`;
          keys.push(`${uuid}/${name}`);
          await store.put(`${uuid}/${name}`, Readable.from([r.data]), r.data.length);
          infos.push({
            type: r.type,
            url: url(name),
            width: r.width,
            height: r.height,
            size: r.data.length,
          });
        }
        result.contentType = IMAGE_CONTENT_TYPES[image.format];
        result.imageFormat = image.format;
        result.imageInfoArray = infos;
      }
      const record: MediaRecord = {
        uuid,
        app: req.app,
        owner: req.userID,
        kind: req.kind,
        size,
        name: result.name,
        contentType: result.contentType,
        files: keys.map((k) => k.slice(uuid.length + 1)),
        origin: req.origin,
        info: { ...result },
        createdAt: this.deps.now(),
      };
      await this.deps.storage.saveMedia(record);
      return result;
    } catch (err) {
      for (const key of keys) await store.delete(key).catch(() => {});
      throw err;
    }
  }

  /** A stored file of an upload, with what serving it needs; null when unknown. */
  async open(
    uuid: string,
    file: string,
  ): Promise<{ record: MediaRecord; contentType: string; key: string } | null> {
    const record = await this.deps.storage.getMedia(uuid);
    if (!record || !record.files.includes(file)) return null;
    let contentType = record.contentType;
    if (file !== record.files[0]) {
      const format = record.info.imageFormat as keyof typeof IMAGE_CONTENT_TYPES;
      contentType = IMAGE_CONTENT_TYPES[format] ?? 'application/octet-stream';
    }
    return { record, contentType, key: `${uuid}/${file}` };
  }
}
