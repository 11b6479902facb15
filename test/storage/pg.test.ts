// The storage contract on PostgreSQL: two stores (two pools, as two nodes have) on one fresh
// schema of the PostgreSQL at IMKIT_TEST_PG_URL (started by `npm test`, scripts/services.mjs).
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { PgStorage } from '../../src/server/storage/pg.js';
import { storageContract } from './contract.js';

const url = process.env.IMKIT_TEST_PG_URL;

if (!url) {
  console.error('\n!!! PostgreSQL storage contract NOT RUN: IMKIT_TEST_PG_URL is not set\n');
  test('PostgreSQL storage contract', () => {
    if (process.env.CI) throw new Error('PostgreSQL is required in CI (IMKIT_TEST_PG_URL)');
  });
} else {
  storageContract('PostgreSQL', async () => {
    const schema = `contract_${randomBytes(6).toString('hex')}`;
    const open = () => PgStorage.open({ url, schema, max: 4 });
    const one = await open();
    const two = await open();
    let reopened: PgStorage | null = null;
    return {
      one,
      two,
      async reopen() {
        await Promise.all([one.close(), two.close()]);
        reopened = await open();
        return reopened;
      },
      async close() {
        await Promise.allSettled([one.close(), two.close(), reopened?.close()]);
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
        await client.end();
      },
    };
  });
}
