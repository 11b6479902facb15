// Pieces the benchmarks share: child processes that run a server, and raw WebSocket clients that
// speak the wire protocol (src/protocol/wire.ts) without the browser engine.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { genUserSig } from '../src/server/usersig.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Loopback, no log; load from one address at full speed: the rate limits are off. */
export const BENCH_SERVER_OPTIONS = {
  port: 0,
  host: '127.0.0.1',
  log: false,
  connectionsPerIP: 0,
  sendRate: 0,
  groupRate: 0,
} as const;

export interface Child {
  proc: ChildProcess;
  info: Record<string, unknown>;
}

/** Starts bench/<script> in its own process; it prints one JSON line when it is ready. */
export async function startChild(script: string, args: string[] = []): Promise<Child> {
  // BENCH_PROFILE=dir writes a CPU profile of each child (`--cpu-prof`) into dir.
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const proc = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', join(here, script), ...args],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const rl = createInterface({ input: proc.stdout! });
  const [line] = (await once(rl, 'line')) as [string];
  rl.close();
  return { proc, info: JSON.parse(line) as Record<string, unknown> };
}

export async function stopChild(child: Child): Promise<void> {
  child.proc.stdin!.end();
  child.proc.kill('SIGTERM');
  await once(child.proc, 'exit');
}

export function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** A logged-in raw client of the IM server. */
export class IMBenchClient {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (d: any) => void; reject: (e: Error) => void }
  >();
  onPush: (frame: any) => void = () => {};

  private constructor(
    readonly ws: WebSocket,
    readonly userID: string,
  ) {
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw));
      if (typeof frame.push === 'string') {
        this.onPush(frame);
        return;
      }
      const p = this.pending.get(frame.id);
      if (!p) return;
      this.pending.delete(frame.id);
      if (frame.code === 0) p.resolve(frame.data);
      else p.reject(Object.assign(new Error(frame.message), { code: frame.code }));
    });
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('socket closed'));
      this.pending.clear();
    });
  }

  static async connect(
    server: { url: string; SDKAppID: number; secretKey: string },
    userID: string,
  ): Promise<IMBenchClient> {
    const ws = await openSocket(server.url.replace(/^http/, 'ws') + '/ws');
    const client = new IMBenchClient(ws, userID);
    await client.request('login', {
      SDKAppID: server.SDKAppID,
      userID,
      userSig: genUserSig({
        SDKAppID: server.SDKAppID,
        secretKey: server.secretKey,
        userID,
        expire: 86400,
      }),
      instanceID: `bench-${userID}`,
      protocol: 1,
    });
    return client;
  }

  request<T = any>(op: string, data: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, op, data }));
    });
  }

  sendText(conversationType: 'C2C' | 'GROUP', to: string, text: string, seq: number) {
    return this.request<{ message: { ID: string } }>('sendMessage', {
      message: {
        ID: `${this.userID}-${seq}-${Math.floor(Math.random() * 1e9)}`,
        type: 'TIMTextElem',
        payload: { text },
        conversationType,
        to,
        clientTime: Math.floor(Date.now() / 1000),
        random: seq,
      },
    });
  }

  close(): void {
    this.ws.close();
  }
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function machineLine(): string {
  return `Node ${process.version}, ${process.platform}/${process.arch}`;
}
