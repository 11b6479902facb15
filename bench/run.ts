// `npm run bench`: one-to-one throughput and latency through the IM server with 1,000 connected
// clients on loopback, beside a bare `ws` relay (no auth, no storage) measured in the same run.
// Each side runs in its own process; the clients run here. Figures are printed; bench/RESULTS.md
// keeps the recorded baseline. Then the figures at scale of scale.ts (group fan-out, history pages,
// memory per client), of cluster.ts (one node and two on PostgreSQL + Redis) and of browser.ts;
// `npm run bench -- 1:1`, `-- scale`, `-- cluster` or `-- browser` runs one part.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { WebSocket } from 'ws';
import { openSocket, startChild, stopChild } from './lib.js';
import { browserFigures } from './browser.js';
import { clusterFigures } from './cluster.js';
import { groupFanOut, historyPages, memoryPerClient } from './scale.js';
import { genUserSig } from '../src/server/usersig.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const PER_CLIENT = Number(process.env.BENCH_MESSAGES ?? 20);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 4);

interface Peer {
  ws: WebSocket;
  userID: string;
  nextId: number;
  acks: Map<number, () => void>;
}

interface Flavour {
  name: string;
  connect(i: number): Promise<Peer>;
  frame(peer: Peer, to: string, id: number, seq: number, sentAt: number): string;
  /** Send time of a delivered message, or undefined when the frame is not a delivery. */
  sentAt(frame: any): number | undefined;
}

function request(peer: Peer, text: string, id: number): Promise<void> {
  return new Promise((resolve) => {
    peer.acks.set(id, resolve);
    peer.ws.send(text);
  });
}

function imFlavour(url: string, SDKAppID: number, secretKey: string): Flavour {
  const wsURL = url.replace(/^http/, 'ws') + '/ws';
  return {
    name: 'imkit server (SQLite, committed before ack)',
    async connect(i) {
      const userID = `bench_${i}`;
      const ws = await openSocket(wsURL);
      const peer: Peer = { ws, userID, nextId: 1, acks: new Map() };
      const id = peer.nextId++;
      const login = JSON.stringify({
        id,
        op: 'login',
        data: {
          SDKAppID,
          userID,
          userSig: genUserSig({ SDKAppID, secretKey, userID, expire: 3600 }),
          instanceID: `bench-instance-${i}`,
          protocol: 1,
        },
      });
      wire(peer, this);
      await request(peer, login, id);
      return peer;
    },
    frame(peer, to, id, seq, sentAt) {
      return JSON.stringify({
        id,
        op: 'sendMessage',
        data: {
          message: {
            ID: `${peer.userID}-${seq}-${id}`,
            type: 'TIMTextElem',
            payload: { text: `t=${sentAt}` },
            conversationType: 'C2C',
            to,
            clientTime: Math.floor(Date.now() / 1000),
            random: seq,
          },
        },
      });
    },
    sentAt(frame) {
      if (frame.push !== 'message') return undefined;
      return Number(String(frame.data.payload.text).slice(2));
    },
  };
}

function relayFlavour(url: string): Flavour {
  return {
    name: 'bare ws relay (no auth, no storage)',
    async connect(i) {
      const userID = `bench_${i}`;
      const ws = await openSocket(url);
      const peer: Peer = { ws, userID, nextId: 1, acks: new Map() };
      wire(peer, this);
      const id = peer.nextId++;
      await request(peer, JSON.stringify({ id, hello: userID }), id);
      return peer;
    },
    frame(_peer, to, id, _seq, sentAt) {
      return JSON.stringify({ id, to, body: { type: 'TIMTextElem', text: `t=${sentAt}` } });
    },
    sentAt(frame) {
      return frame.body ? Number(String(frame.body.text).slice(2)) : undefined;
    },
  };
}

let onDelivery: (sentAt: number) => void = () => {};

function wire(peer: Peer, flavour: Flavour): void {
  peer.ws.on('message', (raw) => {
    const frame = JSON.parse(String(raw));
    const sentAt = flavour.sentAt(frame);
    if (sentAt !== undefined) {
      onDelivery(sentAt);
      return;
    }
    if (typeof frame.id === 'number' && peer.acks.has(frame.id)) {
      if (frame.code !== 0) throw new Error(`request failed: ${frame.code} ${frame.message}`);
      const done = peer.acks.get(frame.id)!;
      peer.acks.delete(frame.id);
      done();
    }
  });
}

interface Result {
  name: string;
  messages: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU per message of the server's process and of the clients' (this one). */
  serverMicros: number;
  clientMicros: number;
}

/** CPU time (user + system, all threads) a process has used, in microseconds; Linux only. */
function processCpuMicros(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
const CLOCK_TICKS = 100;

async function measure(flavour: Flavour, serverPid: number): Promise<Result> {
  const peers: Peer[] = [];
  for (let i = 0; i < CLIENTS; i++) peers.push(await flavour.connect(i));
  const latencies: number[] = [];
  const total = CLIENTS * PER_CLIENT;
  let delivered = 0;
  const allDelivered = new Promise<void>((resolve) => {
    onDelivery = (sentAt) => {
      latencies.push(performance.now() - sentAt);
      if (++delivered === total) resolve();
    };
  });
  const half = CLIENTS / 2;
  const start = performance.now();
  const clientCpu = process.cpuUsage();
  const serverCpu = processCpuMicros(serverPid);
  await Promise.all(
    peers.map(async (peer, i) => {
      const to = `bench_${(i + half) % CLIENTS}`;
      let seq = 0;
      const lane = async () => {
        while (seq < PER_CLIENT) {
          const s = seq++;
          const id = peer.nextId++;
          await request(peer, flavour.frame(peer, to, id, s, performance.now()), id);
        }
      };
      await Promise.all(Array.from({ length: WINDOW }, lane));
    }),
  );
  await allDelivered;
  const seconds = (performance.now() - start) / 1000;
  const clientUsed = process.cpuUsage(clientCpu);
  const serverUsed = processCpuMicros(serverPid) - serverCpu;
  for (const p of peers) p.ws.close();
  latencies.sort((a, b) => a - b);
  const pct = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return {
    name: flavour.name,
    messages: total,
    seconds,
    perSecond: total / seconds,
    p50: pct(0.5),
    p99: pct(0.99),
    serverMicros: serverUsed / total,
    clientMicros: (clientUsed.user + clientUsed.system) / total,
  };
}

const only = process.argv[2];
if (only === 'scale') {
  await runScale();
  process.exit(0);
}
if (only === 'browser') {
  await browserFigures();
  process.exit(0);
}
if (only === 'cluster') {
  await clusterFigures();
  process.exit(0);
}
const oneToOneOnly = only === '1:1';

const im = await startChild('server-child.ts');
const imResult = await measure(
  imFlavour(String(im.info.url), Number(im.info.SDKAppID), String(im.info.secretKey)),
  im.proc.pid!,
);
await stopChild(im);
const relay = await startChild('relay-child.ts');
const relayResult = await measure(relayFlavour(String(relay.info.url)), relay.proc.pid!);
await stopChild(relay);
// The storage alone, same traffic: what the durable appends cost with nothing around them.
const appends = await startChild('append-child.ts', [CLIENTS, PER_CLIENT, WINDOW].map(String));
if (appends.proc.exitCode === null) await once(appends.proc, 'exit');
const appendRate = Number(appends.info.perSecond);
const appendCpu = Number(appends.info.cpuMicros);

const fmt = (r: Result) =>
  `| ${r.name} | ${r.messages} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.serverMicros.toFixed(1)} | ${r.clientMicros.toFixed(1)} |`;
console.log(
  `\n1:1 messages, ${CLIENTS} clients on loopback, ${PER_CLIENT} messages each, window ${WINDOW}`,
);
console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`,
);
console.log(
  '| side | messages | msg/s | p50 ms | p99 ms | server CPU µs/msg | clients CPU µs/msg |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
console.log(fmt(imResult));
console.log(fmt(relayResult));
console.log(
  `\nthroughput ratio imkit / relay: ${(imResult.perSecond / relayResult.perSecond).toFixed(2)}`,
);
console.log(
  `SQLite appends alone (same traffic, no sockets): ${appendRate.toFixed(0)}/s, ` +
    `${appendCpu.toFixed(1)} µs of CPU each; half the relay's rate would be ` +
    `${(relayResult.perSecond / 2).toFixed(0)} msg/s`,
);

if (!oneToOneOnly) {
  await runScale();
  await clusterFigures();
  await browserFigures();
}

async function runScale(): Promise<void> {
  await groupFanOut();
  await historyPages();
  await memoryPerClient();
}
