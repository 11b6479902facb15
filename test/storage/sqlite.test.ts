// The storage contract on SQLite: one node owns the file, so both handles are the same store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../../src/server/storage/sqlite.js';
import { storageContract } from './contract.js';

storageContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'imkit-contract-'));
  const file = join(dir, 'im.db');
  let storage = new SqliteStorage({ file });
  return {
    one: storage,
    two: storage,
    async reopen() {
      await storage.close();
      storage = new SqliteStorage({ file });
      return storage;
    },
    async close() {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
