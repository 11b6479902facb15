/**
 * `npm run usersig -- <userID> [--expire seconds] [--data DIR | --db URL]`: prints a UserSig for the
 * default app of the data directory or PostgreSQL database (creating the app if the server never
 * ran there).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MemoryBus } from './bus/memory.js';
import { createLogger } from './log.js';
import { Metrics } from './metrics.js';
import { AuthService } from './services/auth.js';
import { DEFAULT_CONFIG, nowSeconds } from './services/deps.js';
import { PgStorage } from './storage/pg.js';
import { SqliteStorage } from './storage/sqlite.js';
import type { Storage } from './storage/types.js';
import { DEFAULT_USERSIG_EXPIRE, genUserSig } from './usersig.js';

const USAGE = `Usage: usersig <userID> [--expire seconds] [--data DIR | --db URL]

Prints a UserSig for <userID>, signed with the default app's secret key from DIR/imkit.sqlite
(default ./data) or, with --db (default $DATABASE_URL), from that PostgreSQL database.
--expire defaults to ${DEFAULT_USERSIG_EXPIRE} seconds (180 days).
`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        expire: { type: 'string' },
        data: { type: 'string' },
        db: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const userID = positionals[0];
  if (!userID || positionals.length > 1 || !/^[A-Za-z0-9_-]{1,32}$/.test(userID)) {
    process.stderr.write(`a userID ([A-Za-z0-9_-], up to 32 characters) is required\n\n${USAGE}`);
    process.exit(2);
  }
  const expire = values.expire === undefined ? DEFAULT_USERSIG_EXPIRE : Number(values.expire);
  if (!Number.isInteger(expire) || expire < 1) {
    process.stderr.write('--expire must be a positive integer (seconds)\n');
    process.exit(2);
  }
  const databaseURL =
    values.db ?? (values.data ? undefined : process.env.DATABASE_URL || undefined);
  const storage: Storage = databaseURL
    ? await PgStorage.open({ url: databaseURL, max: 1 })
    : new SqliteStorage({ file: join(resolve(values.data ?? './data'), 'imkit.sqlite') });
  try {
    const auth = new AuthService({
      storage,
      bus: new MemoryBus(),
      metrics: new Metrics(),
      log: createLogger(false),
      now: nowSeconds,
      nowMs: Date.now,
      config: DEFAULT_CONFIG,
    });
    const { app } = await auth.ensureDefaultApp();
    const userSig = genUserSig({
      SDKAppID: app.SDKAppID,
      secretKey: app.secretKey,
      userID,
      expire,
    });
    process.stdout.write(`${userSig}\n`);
    process.stderr.write(`SDKAppID ${app.SDKAppID}, userID ${userID}, expires in ${expire} s\n`);
  } finally {
    await storage.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`usersig failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
