// Scale-out figures: throughput and p99 latency of 1:1 and group messages through ONE server node
// and through TWO, both on the same PostgreSQL and Redis (PostgreSQL with its default, durable
// settings: every message is committed before its ack). With two nodes every client's peers are on
// the other node, so every delivery crosses Redis: the worst case for the bus.
//
// PostgreSQL and Redis: the servers IMKIT_TEST_PG_URL / IMKIT_TEST_REDIS_URL point at, or
// throwaway ones started here (scripts/services.mjs, Debian's `postgresql` and `redis-server`).
// Environment: CLUSTER_CLIENTS (200), CLUSTER_MESSAGES (50 per client), CLUSTER_WINDOW (4),
// CLUSTER_GROUP (200 members, all connected), CLUSTER_GROUP_SENDERS (10), CLUSTER_GROUP_MESSAGES
// (20 per sender). Part of `npm run bench`; `npm run bench -- cluster` runs only this.
import { randomBytes } from 'node:crypto';
import { startPostgres, startRedis } from '../scripts/services.mjs';
import {
  IMBenchClient,
  machineLine,
  percentile,
  startChild,
  stopChild,
  type Child,
} from './lib.js';

const CLIENTS = Number(process.env.CLUSTER_CLIENTS ?? 200);
const PER_CLIENT = Number(process.env.CLUSTER_MESSAGES ?? 50);
const WINDOW = Number(process.env.CLUSTER_WINDOW ?? 4);
const GROUP = Number(process.env.CLUSTER_GROUP ?? 200);
const GROUP_SENDERS = Number(process.env.CLUSTER_GROUP_SENDERS ?? 10);
const GROUP_MESSAGES = Number(process.env.CLUSTER_GROUP_MESSAGES ?? 20);

interface NodeInfo {
  url: string;
  SDKAppID: number;
  secretKey: string;
}

interface Figures {
  nodes: number;
  kind: string;
  messages: number;
  deliveries: number;
  seconds: number;
  p50: number;
  p99: number;
}

/** Starts `count` nodes on one fresh schema and key prefix (test/cluster/node-child.ts). */
async function startNodes(pgURL: string, redisURL: string, count: number) {
  const id = `bench_${randomBytes(4).toString('hex')}`;
  const children: Child[] = [];
  for (let i = 0; i < count; i++) {
    const options = {
      databaseURL: pgURL,
      databaseSchema: id,
      redisURL,
      redisPrefix: `${id}:`,
      nodeID: `bench-node-${i}`,
      connectionsPerIP: 0,
      sendRate: 0,
      groupRate: 0,
    };
    children.push(await startChild('../test/cluster/node-child.ts', [JSON.stringify(options)]));
  }
  const nodes = children.map((child) => {
    const info = child.info as { url: string; app: { SDKAppID: number; secretKey: string } };
    return { url: info.url, SDKAppID: info.app.SDKAppID, secretKey: info.app.secretKey };
  });
  return { nodes, stop: () => Promise.all(children.map((child) => stopChild(child))) };
}

/** Client i connects to node i % nodes, 50 at a time. */
async function connectSpread(nodes: NodeInfo[], userIDs: string[]): Promise<IMBenchClient[]> {
  const out: IMBenchClient[] = [];
  for (let i = 0; i < userIDs.length; i += 50) {
    const batch = userIDs.slice(i, i + 50);
    out.push(
      ...(await Promise.all(
        batch.map((u, j) => IMBenchClient.connect(nodes[(i + j) % nodes.length], u)),
      )),
    );
  }
  return out;
}

/** The send time carried in a message's text, or undefined. */
function sentAt(frame: { push: string; data?: { payload?: { text?: string } } }) {
  if (frame.push !== 'message') return undefined;
  const text = frame.data?.payload?.text ?? '';
  return text.startsWith('t=') ? Number(text.slice(2)) : undefined;
}

/** Latencies of the message pushes the clients get; `done` once `total` arrived. */
function collect(clients: IMBenchClient[], total: number) {
  const latencies: number[] = [];
  const done = new Promise<void>((resolve) => {
    for (const client of clients) {
      client.onPush = (frame) => {
        const t = sentAt(frame);
        if (t === undefined) return;
        latencies.push(performance.now() - t);
        if (latencies.length === total) resolve();
      };
    }
  });
  return { latencies, done };
}

/** Pairs (0,1), (2,3), ...: with two nodes the two of a pair are on different nodes. */
async function oneToOne(nodes: NodeInfo[]): Promise<Figures> {
  const ids = Array.from({ length: CLIENTS }, (_, i) => `p_${i}`);
  const clients = await connectSpread(nodes, ids);
  const total = CLIENTS * PER_CLIENT;
  const { latencies, done } = collect(clients, total);
  const start = performance.now();
  await Promise.all(
    clients.map(async (client, i) => {
      const to = ids[i ^ 1];
      let seq = 0;
      const lane = async () => {
        while (seq < PER_CLIENT) {
          const s = seq++;
          await client.sendText('C2C', to, `t=${performance.now()}`, s);
        }
      };
      await Promise.all(Array.from({ length: WINDOW }, lane));
    }),
  );
  await done;
  const seconds = (performance.now() - start) / 1000;
  for (const client of clients) client.close();
  return figures(nodes.length, '1:1', total, latencies, seconds);
}

/** One group of GROUP members, all connected, spread over the nodes; GROUP_SENDERS send at once. */
async function group(nodes: NodeInfo[]): Promise<Figures> {
  const ids = Array.from({ length: GROUP }, (_, i) => `g_${i}`);
  const clients = await connectSpread(nodes, ids);
  const { group: created } = await clients[0].request('createGroup', {
    name: 'bench',
    type: 'Public',
    memberList: ids.slice(1).map((userID) => ({ userID })),
  });
  const groupID = created.groupID as string;
  // Let the join notices settle before the clock starts.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const messages = GROUP_SENDERS * GROUP_MESSAGES;
  const { latencies, done } = collect(clients, messages * (GROUP - 1));
  const start = performance.now();
  await Promise.all(
    clients.slice(0, GROUP_SENDERS).map(async (client) => {
      for (let s = 0; s < GROUP_MESSAGES; s++) {
        await client.sendText('GROUP', groupID, `t=${performance.now()}`, s);
      }
    }),
  );
  await done;
  const seconds = (performance.now() - start) / 1000;
  for (const client of clients) client.close();
  return figures(nodes.length, `group of ${GROUP}`, messages, latencies, seconds);
}

function figures(
  nodes: number,
  kind: string,
  messages: number,
  latencies: number[],
  seconds: number,
): Figures {
  latencies.sort((a, b) => a - b);
  return {
    nodes,
    kind,
    messages,
    deliveries: latencies.length,
    seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

export async function clusterFigures(): Promise<void> {
  const started: { stop(): Promise<void> }[] = [];
  let pgURL = process.env.IMKIT_TEST_PG_URL;
  let redisURL = process.env.IMKIT_TEST_REDIS_URL;
  try {
    if (!pgURL) {
      const pg = await startPostgres({ durable: true });
      if (pg) started.push(pg);
      pgURL = pg?.url;
    }
    if (!redisURL) {
      const redis = await startRedis();
      if (redis) started.push(redis);
      redisURL = redis?.url;
    }
    if (!pgURL || !redisURL) {
      console.error(
        '\n!!! cluster benchmark NOT RUN: PostgreSQL and Redis are needed ' +
          '(Debian: apt-get install postgresql redis-server, or IMKIT_TEST_PG_URL / IMKIT_TEST_REDIS_URL)\n',
      );
      return;
    }
    const results: Figures[] = [];
    for (const count of [1, 2]) {
      for (const run of [oneToOne, group]) {
        const cluster = await startNodes(pgURL, redisURL, count);
        try {
          results.push(await run(cluster.nodes));
        } finally {
          await cluster.stop();
        }
      }
    }
    console.log(
      `\ncluster: PostgreSQL (durable defaults) + Redis, ${machineLine()}; 1:1: ${CLIENTS} clients ` +
        `in pairs, ${PER_CLIENT} messages each, window ${WINDOW}; group: ${GROUP} members connected, ` +
        `${GROUP_SENDERS} senders x ${GROUP_MESSAGES} messages; with 2 nodes every peer is on the other node`,
    );
    console.log('| nodes | traffic | messages | msg/s | deliveries/s | p50 ms | p99 ms |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of results) {
      console.log(
        `| ${r.nodes} | ${r.kind} | ${r.messages} | ${(r.messages / r.seconds).toFixed(0)} | ` +
          `${(r.deliveries / r.seconds).toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`,
      );
    }
  } finally {
    for (const service of started.reverse()) await service.stop();
  }
}
