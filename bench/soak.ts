// `npm run bench:soak`: 1,000 connected clients on loopback exchange 1:1 and group messages for
// 10 minutes (SOAK_CLIENTS, SOAK_MINUTES, SOAK_RATE messages/s overall). Prints messages sent,
// acknowledged, delivered, lost (must be 0) and duplicated (must be 0), the server's memory at
// start and end, and p99 latency per minute. The server runs in its own process on a SQLite file.
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { IMBenchClient, machineLine, percentile, startChild, stopChild } from './lib.js';

const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 1000);
const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const RATE = Number(process.env.SOAK_RATE ?? 200);
const GROUP_SIZE = Math.min(100, CLIENTS);
const GROUP_SHARE = 0.2;

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

interface Pending {
  sentAt: number;
  expected: Set<string>;
}

const server = await startChild('server-child.ts');
const info = server.info as { url: string; SDKAppID: number; secretKey: string };
const clients: IMBenchClient[] = [];
for (let i = 0; i < CLIENTS; i++) clients.push(await IMBenchClient.connect(info, `soak_${i}`));

const groups: { groupID: string; members: string[] }[] = [];
for (let g = 0; g * GROUP_SIZE < CLIENTS; g++) {
  const members = clients.slice(g * GROUP_SIZE, (g + 1) * GROUP_SIZE).map((c) => c.userID);
  if (members.length < 2) break;
  const owner = clients[g * GROUP_SIZE];
  const res = await owner.request<{ group: { groupID: string } }>('createGroup', {
    name: `soak ${g}`,
    type: 'Public',
    joinOption: 'FreeAccess',
    memberList: members.slice(1).map((userID) => ({ userID })),
  });
  groups.push({ groupID: res.group.groupID, members });
}

const pending = new Map<string, Pending>();
const seen = new Map<string, Set<string>>();
let sent = 0;
let acked = 0;
let failed = 0;
let delivered = 0;
let duplicated = 0;
const latencyByMinute: number[][] = [];
const start = performance.now();
const minuteOf = () => Math.floor((performance.now() - start) / 60000);

for (const client of clients) {
  client.onPush = (frame) => {
    if (frame.push !== 'message') return;
    const id = frame.data.ID as string;
    const got = seen.get(id) ?? new Set<string>();
    if (got.has(client.userID)) {
      duplicated++;
      return;
    }
    got.add(client.userID);
    seen.set(id, got);
    const p = pending.get(id);
    if (!p || !p.expected.has(client.userID)) return;
    delivered++;
    (latencyByMinute[minuteOf()] ??= []).push(performance.now() - p.sentAt);
  };
}

const serverRssStart = rssMiB(server.proc.pid!);
console.log(
  `soak: ${CLIENTS} clients, ${groups.length} groups of ${GROUP_SIZE}, ${RATE} msg/s for ${MINUTES} min`,
);

const endAt = start + MINUTES * 60000;
let seq = 0;
const inflight = new Set<Promise<void>>();
while (performance.now() < endAt) {
  const tickStart = performance.now();
  const perTick = Math.max(1, Math.round(RATE / 10));
  for (let k = 0; k < perTick; k++) {
    const from = clients[Math.floor(Math.random() * CLIENTS)];
    const n = seq++;
    let expected: Set<string>;
    let send: Promise<{ message: { ID: string } }>;
    const group = groups[Math.floor(Number(from.userID.slice(5)) / GROUP_SIZE)];
    const sentAt = performance.now();
    if (group && Math.random() < GROUP_SHARE) {
      expected = new Set(group.members.filter((m) => m !== from.userID));
      send = from.sendText('GROUP', group.groupID, `g${n}`, n);
    } else {
      let to = clients[Math.floor(Math.random() * CLIENTS)].userID;
      if (to === from.userID) to = clients[(Number(from.userID.slice(5)) + 1) % CLIENTS].userID;
      expected = new Set([to]);
      send = from.sendText('C2C', to, `c${n}`, n);
    }
    sent++;
    const p = send.then(
      (res) => {
        acked++;
        pending.set(res.message.ID, { sentAt, expected });
        // deliveries that raced ahead of the ack
        for (const user of seen.get(res.message.ID) ?? []) {
          if (expected.has(user)) {
            delivered++;
            (latencyByMinute[minuteOf()] ??= []).push(performance.now() - sentAt);
          }
        }
      },
      () => {
        failed++;
      },
    );
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  }
  const wait = 100 - (performance.now() - tickStart);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
await Promise.all(inflight);
await new Promise((r) => setTimeout(r, 5000)); // drain

let expectedTotal = 0;
for (const p of pending.values()) expectedTotal += p.expected.size;
const lost = expectedTotal - delivered;
const serverRssEnd = rssMiB(server.proc.pid!);
for (const c of clients) c.close();
await stopChild(server);

console.log(
  `\nmachine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${machineLine()}`,
);
console.log(`sent ${sent}, acknowledged ${acked}, failed ${failed}`);
console.log(
  `deliveries expected ${expectedTotal}, delivered ${delivered}, lost ${lost}, duplicated ${duplicated}`,
);
console.log(
  `server RSS: ${serverRssStart.toFixed(0)} MiB at start, ${serverRssEnd.toFixed(0)} MiB at end`,
);
console.log('\n| minute | deliveries | p50 ms | p99 ms |');
console.log('| --- | --- | --- | --- |');
latencyByMinute.forEach((list, minute) => {
  const sorted = [...list].sort((a, b) => a - b);
  console.log(
    `| ${minute + 1} | ${sorted.length} | ${percentile(sorted, 0.5).toFixed(1)} | ${percentile(sorted, 0.99).toFixed(1)} |`,
  );
});
if (lost !== 0 || duplicated !== 0 || failed !== 0) {
  console.error('\nsoak FAILED: messages were lost, duplicated or refused');
  process.exit(1);
}
