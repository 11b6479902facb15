// A benchmark server on a SQLite file with seeded data, in its own process. Starts the server
// (which creates the app), seeds through a second connection to the same file, and prints
// `{url, SDKAppID, secretKey, ...}` as one JSON line. On stdin, the line `rows` prints the row
// count of every table as one JSON line; the end of stdin stops it.
//
//   argv[2] = 'group':   GROUP_MEMBERS users in one Public group `bench_big` (owner `big_0`)
//   argv[2] = 'history': HISTORY_TOTAL messages, HISTORY_CONV of them between `hist_a` and
//                        `hist_b`, the rest spread over 1:1 conversations of 1,000 other users
//   argv[2] = 'paint':   user `paint` with PAINT_CONVERSATIONS 1:1 conversations, and one with
//                        `paint_peer` of PAINT_MESSAGES messages
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startServer } from '../src/server/index.js';
import { BENCH_SERVER_OPTIONS } from './lib.js';
import { SqliteStorage } from '../src/server/storage/sqlite.js';
import type { NewMessage } from '../src/server/storage/types.js';
import { textDraft } from '../test/helpers/drafts.js';

/** A stored 1:1 text message for seeding. */
function textMessage(ID: string, from: string, to: string, text: string, time: number): NewMessage {
  return textDraft(from, to, ID, text, { clientTime: time, time });
}

const mode = process.argv[2] ?? 'group';
const dataDir = mkdtempSync(join(tmpdir(), 'imkit-bench-seed-'));
const server = await startServer({ ...BENCH_SERVER_OPTIONS, dataDir });
const app = server.app.SDKAppID;
const seeder = new SqliteStorage({ file: join(dataDir, 'imkit.sqlite') });
// Seeding is not what is measured: no fsync per batch here.
seeder.db.pragma('synchronous = OFF');
const now = Math.floor(Date.now() / 1000);
const extra: Record<string, unknown> = {};
const started = performance.now();

if (mode === 'group') {
  const count = Number(process.env.GROUP_MEMBERS ?? 10_000);
  const members: { userID: string; role: 'Owner' | 'Member' }[] = [];
  for (let i = 0; i < count; i++) {
    await seeder.ensureUser(app, `big_${i}`, now);
    members.push({ userID: `big_${i}`, role: i === 0 ? 'Owner' : 'Member' });
  }
  await seeder.createGroup(app, {
    groupID: 'bench_big',
    type: 'Public',
    name: 'bench',
    introduction: '',
    notification: '',
    avatar: '',
    ownerID: 'big_0',
    maxMemberCount: count,
    joinOption: 'FreeAccess',
    createTime: now,
    members,
  });
  extra.groupID = 'bench_big';
  extra.members = count;
} else if (mode === 'history') {
  const total = Number(process.env.HISTORY_TOTAL ?? 1_000_000);
  const inConv = Number(process.env.HISTORY_CONV ?? 100_000);
  const others = 1000;
  for (const u of ['hist_a', 'hist_b']) await seeder.ensureUser(app, u, now);
  for (let i = 0; i < others; i++) await seeder.ensureUser(app, `hist_u${i}`, now);
  // The target conversation's messages are spread evenly through the whole history.
  const every = Math.max(1, Math.floor(total / inConv));
  let placed = 0;
  const CHUNK = 4096;
  for (let start = 0; start < total; start += CHUNK) {
    const batch: Promise<unknown>[] = [];
    for (let n = start; n < Math.min(total, start + CHUNK); n++) {
      if (n % every === 0 && placed < inConv) {
        placed++;
        const [from, to] = n % 2 ? ['hist_a', 'hist_b'] : ['hist_b', 'hist_a'];
        batch.push(
          seeder.appendMessage(
            app,
            textMessage(`seed-${n}`, from, to, `seeded message ${n}`, now - total + n),
            [from, to],
          ),
        );
      } else {
        const a = `hist_u${n % others}`;
        const b = `hist_u${(n * 7 + 1) % others}`;
        const to = a === b ? `hist_u${(n + 1) % others}` : b;
        batch.push(
          seeder.appendMessage(
            app,
            textMessage(`seed-${n}`, a, to, `seeded message ${n}`, now - total + n),
            [a, to],
          ),
        );
      }
    }
    await Promise.all(batch);
  }
  extra.total = total;
  extra.inConversation = placed;
  extra.every = every;
}
if (mode === 'paint') {
  // `paint` has PAINT_CONVERSATIONS 1:1 conversations with one message each, and one more with
  // `paint_peer` of PAINT_MESSAGES messages.
  const conversations = Number(process.env.PAINT_CONVERSATIONS ?? 1000);
  const messages = Number(process.env.PAINT_MESSAGES ?? 10_000);
  await seeder.ensureUser(app, 'paint', now);
  await seeder.ensureUser(app, 'paint_peer', now);
  const batch: Promise<unknown>[] = [];
  for (let i = 0; i < messages; i++) {
    const [from, to] = i % 3 ? ['paint_peer', 'paint'] : ['paint', 'paint_peer'];
    batch.push(
      seeder.appendMessage(
        app,
        textMessage(`paint-${i}`, from, to, `message ${i} from ${from}`, now - 100_000 + i),
        [from, to],
      ),
    );
  }
  for (let i = 0; i < conversations; i++) {
    const peer = `paint_p${i}`;
    await seeder.ensureUser(app, peer, now);
    batch.push(
      seeder.appendMessage(
        app,
        textMessage(
          `paint-${messages + i}`,
          peer,
          'paint',
          `message ${messages + i} from ${peer}`,
          now - 100_000 + messages + i,
        ),
        [peer, 'paint'],
      ),
    );
  }
  await Promise.all(batch);
  extra.conversations = conversations + 1;
  extra.messages = messages;
}
await seeder.close();
extra.seedSeconds = Number(((performance.now() - started) / 1000).toFixed(1));

process.stdout.write(
  JSON.stringify({
    url: server.url,
    SDKAppID: app,
    secretKey: server.app.secretKey,
    ...extra,
  }) + '\n',
);

const stop = async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};

const rows = (): Record<string, number> => {
  const peek = new SqliteStorage({ file: join(dataDir, 'imkit.sqlite') });
  const tables = peek.db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    .all() as { name: string }[];
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    counts[name] = (
      peek.db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }
    ).n;
  }
  peek.db.close();
  return counts;
};

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (line.trim() === 'rows') process.stdout.write(JSON.stringify({ rows: rows() }) + '\n');
});
rl.on('close', () => void stop());
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
