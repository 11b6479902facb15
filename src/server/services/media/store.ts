/**
 * Where uploaded bytes live. Keys are `<uuid>/<file>` (safe names only). The local-disk store keeps
 * them under one directory; another store (S3-like) can implement the same interface.
 *
 * `put` streams into a temp file and renames it into place once complete, so a key is either
 * absent or whole: an aborted, failed or oversized upload leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Thrown by `put` when the body is over `maxBytes` (nothing was stored). */
export class MediaTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`upload is over ${maxBytes} bytes`);
    this.name = 'MediaTooLargeError';
  }
}

export interface MediaObject {
  size: number;
  stream: Readable;
}

export interface MediaStore {
  /** Stores the body under `key`; rejects with MediaTooLargeError past `maxBytes`. */
  put(key: string, body: Readable, maxBytes: number): Promise<{ size: number }>;
  /** The size of the object, or null when absent. */
  head(key: string): Promise<{ size: number } | null>;
  /** The object (optionally bytes start..end inclusive), or null when absent. */
  get(key: string, range?: { start: number; end: number }): Promise<MediaObject | null>;
  /** Removes the key (absent is fine). */
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

const KEY = /^[0-9a-f-]{36}\/[A-Za-z0-9._~-]{1,128}$/;

function checkKey(key: string): void {
  if (!KEY.test(key) || key.includes('..')) throw new Error(`bad media key ${key}`);
}

export class LocalDiskMediaStore implements MediaStore {
  private constructor(
    readonly root: string,
    private readonly removeOnClose: boolean,
  ) {}

  /** A store under `dir` (created when needed). */
  static async open(dir: string): Promise<LocalDiskMediaStore> {
    await mkdir(join(dir, '.tmp'), { recursive: true });
    return new LocalDiskMediaStore(dir, false);
  }

  /** A store in a fresh temp directory, removed on close (in-memory databases, tests). */
  static async temporary(): Promise<LocalDiskMediaStore> {
    const dir = await mkdtemp(join(tmpdir(), 'imkit-media-'));
    await mkdir(join(dir, '.tmp'), { recursive: true });
    return new LocalDiskMediaStore(dir, true);
  }

  private path(key: string): string {
    checkKey(key);
    return join(this.root, key);
  }

  async put(key: string, body: Readable, maxBytes: number): Promise<{ size: number }> {
    const target = this.path(key);
    const temp = join(this.root, '.tmp', randomBytes(12).toString('hex'));
    let size = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > maxBytes) callback(new MediaTooLargeError(maxBytes));
        else callback(null, chunk);
      },
    });
    try {
      await pipeline(body, limit, createWriteStream(temp, { flags: 'wx' }));
      await mkdir(dirname(target), { recursive: true });
      await rename(temp, target);
    } catch (err) {
      await unlink(temp).catch(() => {});
      throw err;
    }
    return { size };
  }

  async head(key: string): Promise<{ size: number } | null> {
    try {
      return { size: (await stat(this.path(key))).size };
    } catch {
      return null;
    }
  }

  async get(key: string, range?: { start: number; end: number }): Promise<MediaObject | null> {
    const path = this.path(key);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      return null;
    }
    return { size, stream: createReadStream(path, range) };
  }

  async delete(key: string): Promise<void> {
    const path = this.path(key);
    await rm(path, { force: true });
    // the uuid directory goes with its last file
    await rmdir(dirname(path)).catch(() => {});
  }

  async close(): Promise<void> {
    if (this.removeOnClose) await rm(this.root, { recursive: true, force: true });
  }
}
