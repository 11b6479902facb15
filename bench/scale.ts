// Server figures at scale, each against its own server process on a seeded SQLite file:
// - group fan-out: one message to a group of GROUP_MEMBERS (10,000) members of whom
//   GROUP_ONLINE (1,000) are connected; time to the last delivery, and the rows the send wrote;
// - history: getMessageList page latency with HISTORY_TOTAL (1,000,000) messages stored, in a
//   conversation of HISTORY_CONV (100,000), at its newest and oldest pages;
// - memory: the server's RSS per connected, logged-in client (MEMORY_CLIENTS, 1,000).
// Part of `npm run bench`; `npm run bench -- scale` runs only these.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { IMBenchClient, percentile, startChild, stopChild, type Child } from './lib.js';

type Info = { url: string; SDKAppID: number; secretKey: string } & Record<string, unknown>;

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function rows(child: Child): Promise<Record<string, number>> {
  const rl = createInterface({ input: child.proc.stdout! });
  child.proc.stdin!.write('rows\n');
  const [line] = (await once(rl, 'line')) as [string];
  rl.close();
  return (JSON.parse(line) as { rows: Record<string, number> }).rows;
}

async function connectAll(info: Info, userIDs: string[], parallel = 50) {
  const out: IMBenchClient[] = [];
  for (let i = 0; i < userIDs.length; i += parallel) {
    out.push(
      ...(await Promise.all(
        userIDs.slice(i, i + parallel).map((u) => IMBenchClient.connect(info, u)),
      )),
    );
  }
  return out;
}

export async function groupFanOut(): Promise<void> {
  const members = Number(process.env.GROUP_MEMBERS ?? 10_000);
  const online = Math.min(members, Number(process.env.GROUP_ONLINE ?? 1000));
  const child = await startChild('seed-child.ts', ['group']);
  const info = child.info as Info;
  try {
    const ids = Array.from({ length: online }, (_, i) => `big_${i}`);
    const clients = await connectAll(info, ids);
    const sender = clients[0];
    const before = await rows(child);
    const results: { last: number; ack: number }[] = [];
    for (let round = 0; round < 5; round++) {
      const pending = new Set(ids.slice(1));
      let last = 0;
      const t0 = performance.now();
      const all = new Promise<void>((resolve) => {
        for (const c of clients.slice(1)) {
          c.onPush = (frame) => {
            if (frame.push !== 'message' || !pending.delete(c.userID)) return;
            last = performance.now() - t0;
            if (pending.size === 0) resolve();
          };
        }
      });
      await sender.sendText('GROUP', 'bench_big', `fan-out ${round}`, round);
      const ack = performance.now() - t0;
      await all;
      results.push({ last, ack });
    }
    const after = await rows(child);
    const changed = Object.entries(after)
      .filter(([t, n]) => n !== before[t])
      .map(([t, n]) => `${t} +${n - (before[t] ?? 0)}`);
    for (const c of clients) c.close();
    const lasts = results.map((r) => r.last).sort((a, b) => a - b);
    console.log(`\ngroup fan-out: ${members} members, ${online} connected, 5 messages`);
    console.log('| figure | value |');
    console.log('| --- | --- |');
    console.log(
      `| ack to the sender, median | ${percentile(
        results.map((r) => r.ack).sort((a, b) => a - b),
        0.5,
      ).toFixed(1)} ms |`,
    );
    console.log(`| last delivery, median | ${percentile(lasts, 0.5).toFixed(1)} ms |`);
    console.log(`| last delivery, worst | ${lasts[lasts.length - 1].toFixed(1)} ms |`);
    console.log(`| rows written by 5 group messages | ${changed.join(', ') || 'none'} |`);
  } finally {
    await stopChild(child);
  }
}

export async function historyPages(): Promise<void> {
  const child = await startChild('seed-child.ts', ['history']);
  const info = child.info as Info;
  try {
    const [a] = await connectAll(info, ['hist_a']);
    const conversationID = 'C2Chist_b';
    const page = async (nextReqMessageID?: string) => {
      const t0 = performance.now();
      await a.request('getMessageList', { conversationID, nextReqMessageID, count: 15 });
      return performance.now() - t0;
    };
    // The oldest full page: the 15 messages before the conversation's 17th.
    const anchor = `seed-${Number(info.every) * 16}`;
    const N = 300;
    const newest: number[] = [];
    const old: number[] = [];
    for (let i = 0; i < 20; i++) await page(); // warm-up
    for (let i = 0; i < N; i++) newest.push(await page());
    for (let i = 0; i < N; i++) old.push(await page(anchor));
    newest.sort((x, y) => x - y);
    old.sort((x, y) => x - y);
    console.log(
      `\nhistory: ${info.total} messages stored, ${info.inConversation} in the conversation ` +
        `(seeded in ${info.seedSeconds} s); ${N} getMessageList pages of 15 each`,
    );
    console.log('| page | p50 ms | p99 ms |');
    console.log('| --- | --- | --- |');
    console.log(
      `| newest | ${percentile(newest, 0.5).toFixed(2)} | ${percentile(newest, 0.99).toFixed(2)} |`,
    );
    console.log(
      `| oldest | ${percentile(old, 0.5).toFixed(2)} | ${percentile(old, 0.99).toFixed(2)} |`,
    );
    a.close();
  } finally {
    await stopChild(child);
  }
}

export async function memoryPerClient(): Promise<void> {
  const count = Number(process.env.MEMORY_CLIENTS ?? 1000);
  const child = await startChild('server-child.ts');
  const info = child.info as Info;
  try {
    // Warm the server (code paths loaded, caches filled) with a few clients first.
    const warm = await connectAll(info, ['warm_0', 'warm_1']);
    await new Promise((r) => setTimeout(r, 500));
    const base = rssMiB(child.proc.pid!);
    const clients = await connectAll(
      info,
      Array.from({ length: count }, (_, i) => `mem_${i}`),
    );
    await new Promise((r) => setTimeout(r, 1000));
    const loaded = rssMiB(child.proc.pid!);
    for (const c of [...warm, ...clients]) c.close();
    console.log(`\nserver memory: ${count} connected clients`);
    console.log('| figure | value |');
    console.log('| --- | --- |');
    console.log(`| RSS before / after | ${base.toFixed(0)} MiB / ${loaded.toFixed(0)} MiB |`);
    console.log(`| per connected client | ${(((loaded - base) * 1024) / count).toFixed(1)} KiB |`);
  } finally {
    await stopChild(child);
  }
}
