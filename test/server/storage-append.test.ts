// Group commit in the SQLite storage: appends made together share one transaction, yet each keeps
// its own outcome (a failing one does not undo the others), sequences stay contiguous, retries
// stay idempotent, and everything accepted is committed before close() returns.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { SqliteStorage } from '../../src/server/storage/sqlite.js';
import { c2cKey, type NewMessage } from '../../src/server/storage/types.js';
import { textDraft } from '../helpers/drafts.js';

const APP = 1400000001;

function draft(n: number, extra: Partial<NewMessage> = {}): NewMessage {
  return textDraft('alice', 'bob', `m-${n}`, `hello ${n}`, {
    random: n,
    time: 1_700_000_000 + n,
    ...extra,
  });
}

describe('SQLite appends (group commit)', () => {
  let dir: string;
  let file: string;
  let storage: SqliteStorage;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'imkit-append-'));
    file = join(dir, 'im.db');
    storage = new SqliteStorage({ file });
  });
  afterEach(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('appends made together get contiguous sequences and increasing cursors', async () => {
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => storage.appendMessage(APP, draft(i), ['alice', 'bob'])),
    );
    assert.deepEqual(
      results.map((r) => r.message.seq),
      Array.from({ length: 300 }, (_, i) => i + 1),
    );
    for (let i = 1; i < results.length; i++) {
      assert.ok(results[i].message.cursor > results[i - 1].message.cursor);
    }
    assert.ok(results.every((r) => !r.duplicate));
  });

  test('a failing append is refused alone; the others of its batch commit', async () => {
    const merger = { downloadKey: 'k1', messageList: '[]' };
    const settled = await Promise.allSettled([
      storage.appendMessage(APP, draft(1), []),
      storage.appendMessage(APP, draft(2, { merger }), []),
      // The same download key again: the merger_lists primary key refuses it.
      storage.appendMessage(APP, draft(3, { merger }), []),
      storage.appendMessage(APP, draft(4), []),
    ]);
    assert.deepEqual(
      settled.map((s) => s.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
    );
    const history = await storage.getHistory(APP, {
      convKey: c2cKey('alice', 'bob'),
      viewer: 'alice',
      afterSeq: 0,
      limit: 10,
    });
    // Nothing of the refused one was written: its savepoint was rolled back, sequences stay whole.
    assert.deepEqual(history.map((m) => [m.ID, m.seq]).reverse(), [
      ['m-1', 1],
      ['m-2', 2],
      ['m-4', 3],
    ]);
  });

  test('a retry in the same batch is a duplicate of the first', async () => {
    const [first, again] = await Promise.all([
      storage.appendMessage(APP, draft(7), []),
      storage.appendMessage(APP, draft(7), []),
    ]);
    assert.equal(first.duplicate, false);
    assert.equal(again.duplicate, true);
    assert.equal(again.message.seq, first.message.seq);
  });

  test('close() commits what was accepted before it', async () => {
    const pending = [1, 2, 3].map((n) => storage.appendMessage(APP, draft(n), []));
    await storage.close();
    assert.equal((await Promise.all(pending)).length, 3);
    storage = new SqliteStorage({ file });
    const found = await storage.findMessage(APP, c2cKey('alice', 'bob'), 'm-3');
    assert.equal(found?.seq, 3);
  });
});
