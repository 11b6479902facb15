/**
 * Cluster helpers: server nodes in child processes on one PostgreSQL schema and one Redis prefix
 * (test/cluster/node-child.ts), and a TCP load balancer in front of them that sends each new
 * connection to the next live node, as any load balancer with health checks would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RunningServer, ServerOptions } from '../../src/server/index.js';
import { genUserSig } from '../../src/server/usersig.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What a node is to the test clients: a RunningServer-like handle, plus the process. */
export interface ClusterNode extends Pick<RunningServer, 'url' | 'port' | 'app' | 'genUserSig'> {
  readonly child: ChildProcess;
  /** SIGKILL: the node dies without closing anything. */
  kill(): Promise<void>;
  /** SIGTERM: a graceful shutdown. */
  stop(): Promise<void>;
}

export interface ClusterEnv {
  pgURL: string;
  redisURL: string;
}

/** The PostgreSQL and Redis of the run, or null (the caller says so loudly). */
export function clusterEnv(): ClusterEnv | null {
  const pgURL = process.env.IMKIT_TEST_PG_URL;
  const redisURL = process.env.IMKIT_TEST_REDIS_URL;
  return pgURL && redisURL ? { pgURL, redisURL } : null;
}

/** Options shared by every node of one cluster: a fresh schema and key prefix. */
export function clusterOptions(env: ClusterEnv, extra: ServerOptions = {}): ServerOptions {
  const id = `c_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  return {
    databaseURL: env.pgURL,
    databaseSchema: id,
    redisURL: env.redisURL,
    redisPrefix: `${id}:`,
    connectionsPerIP: 100_000,
    ...extra,
  };
}

export async function startNode(options: ServerOptions): Promise<ClusterNode> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'test', 'cluster', 'node-child.ts'), JSON.stringify(options)],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) =>
      reject(new Error(`node exited (${code}) before listening\n${stderr}`)),
    );
  });
  const info = JSON.parse(line) as Pick<RunningServer, 'url' | 'port' | 'app'>;
  return {
    ...info,
    child,
    genUserSig: (userID, expire) =>
      genUserSig({
        SDKAppID: info.app.SDKAppID,
        secretKey: info.app.secretKey,
        userID,
        expire,
      }),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A TCP load balancer on 127.0.0.1: round robin over the backends that accept a connection. */
export interface Balancer {
  readonly url: string;
  readonly port: number;
  /** Connections per backend port so far. */
  readonly routed: Map<number, number>;
  close(): Promise<void>;
}

export async function startBalancer(backendPorts: number[]): Promise<Balancer> {
  const sockets = new Set<Socket>();
  const routed = new Map<number, number>();
  let next = 0;
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const tryBackend = (attempt: number) => {
      if (attempt >= backendPorts.length) {
        client.destroy();
        return;
      }
      const port = backendPorts[next++ % backendPorts.length];
      const upstream = createConnection({ port, host: '127.0.0.1' });
      let connected = false;
      upstream.on('error', () => {
        upstream.destroy();
        // Refused: that node is down, the next one gets the connection.
        if (!connected) tryBackend(attempt + 1);
        else client.destroy();
      });
      upstream.once('connect', () => {
        connected = true;
        routed.set(port, (routed.get(port) ?? 0) + 1);
        sockets.add(upstream);
        upstream.on('close', () => {
          sockets.delete(upstream);
          client.destroy();
        });
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    tryBackend(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    routed,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A handle of the balancer that connectClient accepts (the app and UserSigs of the cluster). */
export function throughBalancer(balancer: Balancer, node: ClusterNode): ClusterNode {
  return { ...node, url: balancer.url, port: balancer.port };
}
