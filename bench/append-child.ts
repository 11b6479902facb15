// The floor under the 1:1 figure: the SQLite appends of the same traffic with nothing else (no
// sockets, no JSON, no checks), in a process of its own. `clients` senders in pairs, `perClient`
// messages each, `window` in flight per sender, every append committed and synced before it
// settles, as in the server. Prints one JSON line: appends per second and CPU per append (all of
// the process's threads: the event loop, the WAL sync, the checkpoint thread).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../src/server/storage/sqlite.js';
import { textDraft } from '../test/helpers/drafts.js';

const [clients, perClient, window] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), 'imkit-append-'));
const storage = new SqliteStorage({ file: join(dir, 'imkit.sqlite') });
const half = clients / 2;

const started = performance.now();
const cpu = process.cpuUsage();
await Promise.all(
  Array.from({ length: clients }, async (_, i) => {
    const from = `bench_${i}`;
    const to = `bench_${(i + half) % clients}`;
    let next = 0;
    const lane = async () => {
      while (next < perClient) {
        const n = next++;
        const now = Math.floor(Date.now() / 1000);
        await storage.appendMessage(
          1,
          textDraft(from, to, `${from}-${n}`, `t=${performance.now()}`, {
            clientTime: now,
            random: n,
            time: now,
          }),
          [from, to],
        );
      }
    };
    await Promise.all(Array.from({ length: window }, lane));
  }),
);
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
const total = clients * perClient;
await storage.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  JSON.stringify({
    appends: total,
    perSecond: total / seconds,
    cpuMicros: (used.user + used.system) / total,
  }) + '\n',
);
