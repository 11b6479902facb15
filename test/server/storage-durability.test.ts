// The SQLite file's durability machinery: an append batch is answered only after an fdatasync of
// the WAL that started after its commit (wal-sync.ts), and checkpoints run on their own thread
// (sqlite-checkpointer.ts) instead of inside the server's commits.
import assert from 'node:assert/strict';
import fs, { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStorage } from '../../src/server/storage/sqlite.js';
import type { NewMessage } from '../../src/server/storage/types.js';
import { textDraft } from '../helpers/drafts.js';
import { sleep } from '../helpers/server.js';

const APP = 1400000001;

function draft(n: number): NewMessage {
  return textDraft('alice', 'bob', `m-${n}`, `hello ${n} ${'x'.repeat(200)}`, {
    random: n,
    time: 1_700_000_000 + n,
  });
}

describe('SQLite durability', () => {
  let dir: string;
  let file: string;
  let storage: SqliteStorage;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'imkit-durable-'));
    file = join(dir, 'im.db');
  });
  afterEach(async () => {
    mock.restoreAll();
    syncBuiltinESMExports();
    await storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an append is answered only after the WAL sync that follows its commit', async () => {
    storage = new SqliteStorage({ file });
    // Hold every fdatasync until the test lets it go.
    const held: (() => void)[] = [];
    const real = fs.fdatasync;
    const waiting = (): number => held.length;
    mock.method(fs, 'fdatasync', (fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
      held.push(() => real(fd, cb));
    });
    syncBuiltinESMExports();

    let answered = 0;
    const first = Promise.all(
      [0, 1, 2].map((i) =>
        storage.appendMessage(APP, draft(i), ['alice', 'bob']).then(() => answered++),
      ),
    );
    for (let i = 0; i < 400 && waiting() === 0; i++) await sleep(5);
    assert.equal(waiting(), 1, 'one sync for the batch');
    // Committed (another connection reads the rows), not yet answered.
    const reader = new Database(file, { readonly: true });
    const count = () =>
      (reader.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
    assert.equal(count(), 3);
    await sleep(30);
    assert.equal(answered, 0, 'no answer before the sync');

    // A batch committed while a sync runs waits for the next sync, not for the running one.
    const second = storage.appendMessage(APP, draft(3), ['alice', 'bob']).then(() => answered++);
    await sleep(30);
    assert.equal(count(), 4);
    assert.equal(waiting(), 1, 'syncs do not overlap');
    held.shift()!();
    await first;
    assert.equal(answered, 3);
    for (let i = 0; i < 400 && waiting() === 0; i++) await sleep(5);
    assert.equal(waiting(), 1, 'the next sync starts when the first is done');
    await sleep(30);
    assert.equal(answered, 3, 'the later batch is still waiting for its sync');
    held.shift()!();
    await second;
    assert.equal(answered, 4);
    reader.close();
  });

  test('a failed sync fails the batch it covers; a retry then finds the committed message', async () => {
    storage = new SqliteStorage({ file });
    mock.method(fs, 'fdatasync', (_fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
      const error: NodeJS.ErrnoException = new Error('EIO: i/o error, fdatasync');
      error.code = 'EIO';
      setImmediate(() => cb(error));
    });
    syncBuiltinESMExports();
    await assert.rejects(storage.appendMessage(APP, draft(7), ['alice', 'bob']), /EIO/);
    mock.restoreAll();
    syncBuiltinESMExports();
    const again = await storage.appendMessage(APP, draft(7), ['alice', 'bob']);
    assert.equal(again.duplicate, true);
    assert.equal(again.message.seq, 1);
  });

  test('checkpoints run on their own thread: none inline, and the database file gets the data', async () => {
    storage = new SqliteStorage({ file });
    assert.equal(storage.db.pragma('wal_autocheckpoint', { simple: true }), 0, 'none inline');
    for (let round = 0; round < 20; round++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          storage.appendMessage(APP, draft(round * 100 + i), ['alice', 'bob']),
        ),
      );
    }
    // The database file alone, without its WAL, holds what a checkpoint copied into it.
    let copied = 0;
    for (let i = 0; i < 200 && copied < 2000; i++) {
      await sleep(50);
      const copy = join(dir, `copy-${i}.db`);
      copyFileSync(file, copy);
      const db = new Database(copy, { readonly: true });
      try {
        copied = (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
      } catch {
        copied = 0; // not even the schema has been copied yet
      } finally {
        db.close();
      }
    }
    assert.equal(copied, 2000, 'every message reached the database file');
  });

  test('when the checkpoint thread dies, SQLite checkpoints inline again', async () => {
    storage = new SqliteStorage({ file });
    const errors = mock.method(console, 'error', () => {});
    const thread = (
      storage as unknown as { checkpointer: { worker: { terminate(): Promise<number> } } }
    ).checkpointer.worker;
    await thread.terminate();
    for (let i = 0; i < 300 && errors.mock.callCount() === 0; i++) await sleep(10);
    assert.match(String(errors.mock.calls[0]?.arguments[0]), /checkpoint thread failed/);
    assert.equal(storage.db.pragma('wal_autocheckpoint', { simple: true }), 1000);
  });
});
