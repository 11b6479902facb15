// Durability under a crash: the server process is killed with SIGKILL in the middle of a stream of
// sends from several clients, then started again on the same data. Every message the server
// acknowledged must be there after the restart, once, in sequence order, and clients must be able
// to pick up from their cursors (catch-up returns exactly the acknowledged messages).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { genUserSig } from '../../src/server/usersig.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'imkit-crash-'));
let child: ChildProcess | null = null;

after(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  url: string;
  SDKAppID: number;
  secretKey?: string;
}

function startCli(port: number): Promise<Started> {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'src/server/cli.ts'),
      ...['--port', String(port), '--data', dataDir],
      // the senders stream as fast as they can: no per-user send rate in this test
      ...['--send-rate', '0'],
    ],
    { cwd: root, env: { ...process.env, IMKIT_LOG: '0' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  child = proc;
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20000);
    proc.stdout!.setEncoding('utf8');
    proc.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const url = /imkit server: (http:\/\/\S+)/.exec(out)?.[1];
      const app = /SDKAppID:\s+(\d+)/.exec(out)?.[1];
      if (url && app && /WebSocket:/.test(out)) {
        clearTimeout(timer);
        resolve({
          url,
          SDKAppID: Number(app),
          secretKey: /secretKey:\s+([0-9a-f]{64})/.exec(out)?.[1],
        });
      }
    });
  });
}

class Raw {
  private next = 1;
  private readonly waiting = new Map<number, (frame: any) => void>();
  constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw));
      if (typeof frame.id === 'number') this.waiting.get(frame.id)?.(frame);
    });
    ws.on('close', () => {
      for (const w of this.waiting.values()) w({ code: -1, message: 'closed' });
    });
    ws.on('error', () => {});
  }
  static open(url: string): Promise<Raw> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url.replace('http', 'ws') + '/ws');
      ws.once('open', () => resolve(new Raw(ws)));
      ws.once('error', reject);
    });
  }
  request(op: string, data: unknown): Promise<any> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, (frame) => {
        this.waiting.delete(id);
        resolve(frame);
      });
      this.ws.send(JSON.stringify({ id, op, data }));
    });
  }
}

async function login(url: string, app: Started & { secretKey: string }, userID: string) {
  const raw = await Raw.open(url);
  const res = await raw.request('login', {
    SDKAppID: app.SDKAppID,
    userID,
    userSig: genUserSig({ SDKAppID: app.SDKAppID, secretKey: app.secretKey, userID }),
    instanceID: `crash-${userID}`,
    protocol: 1,
  });
  assert.equal(res.code, 0, JSON.stringify(res));
  return raw;
}

test('SIGKILL mid-stream: every acknowledged message survives, once, in order', async () => {
  const first = await startCli(0);
  assert.ok(first.secretKey, 'a new data directory prints its app secret');
  const app = { ...first, secretKey: first.secretKey! };
  const port = Number(new URL(first.url).port);
  const senders = ['s1', 's2', 's3', 's4'];
  const receiver = await login(first.url, app, 'sink');
  const clients = await Promise.all(senders.map((u) => login(first.url, app, u)));

  const acked = new Map<string, string[]>(); // sender -> acknowledged IDs in send order
  let killed = false;
  const streams = clients.map(async (client, i) => {
    const list: string[] = [];
    acked.set(senders[i], list);
    for (let n = 0; !killed && n < 100000; n++) {
      const ID = `${senders[i]}-${n}`;
      const res = await client.request('sendMessage', {
        message: {
          ID,
          type: 'TIMTextElem',
          payload: { text: ID },
          conversationType: 'C2C',
          to: 'sink',
          clientTime: n,
          random: n,
        },
      });
      if (res.code === 0) list.push(ID);
      else break; // the socket died with the process
    }
  });
  await new Promise((r) => setTimeout(r, 1500));
  killed = true;
  child!.kill('SIGKILL');
  await Promise.all(streams);
  const total = [...acked.values()].reduce((n, l) => n + l.length, 0);
  assert.ok(total > 20, `the stream was under way (${total} acknowledged)`);
  receiver.ws.terminate();

  const second = await startCli(port);
  const sink = await login(second.url, app, 'sink');
  // Catch-up from cursor 0 returns every message of the sink's conversations, in cursor order.
  const seen: { ID: string; sequence: number; from: string }[] = [];
  let cursor = 0;
  for (;;) {
    const res = await sink.request('sync', { cursor });
    assert.equal(res.code, 0);
    for (const { message } of res.data.messages) seen.push(message);
    cursor = res.data.cursor;
    if (res.data.isCompleted) break;
  }
  const ids = seen.map((m) => m.ID);
  assert.equal(new Set(ids).size, ids.length, 'no message twice');
  for (const [sender, list] of acked) {
    const got = seen.filter((m) => m.from === sender);
    const gotIDs = got.map((m) => m.ID);
    for (const id of list) assert.ok(gotIDs.includes(id), `acknowledged ${id} was lost`);
    // anything beyond the acknowledged ones was committed but its ack was lost with the process:
    // it may exist, at most one more per sender (requests run one at a time per socket)
    assert.ok(gotIDs.length <= list.length + 1, `${sender}: unexpected extra messages`);
    const seqs = got.map((m) => m.sequence);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
      `${sender}: sequence order`,
    );
    assert.deepEqual(gotIDs.slice(0, list.length), list, `${sender}: send order kept`);
  }
  // A retried send of the last acknowledged message is recognised, not stored twice.
  const [firstSender] = senders;
  const retryClient = await login(second.url, app, firstSender);
  const last = acked.get(firstSender)!.at(-1)!;
  const n = Number(last.split('-')[1]);
  const retry = await retryClient.request('sendMessage', {
    message: {
      ID: last,
      type: 'TIMTextElem',
      payload: { text: last },
      conversationType: 'C2C',
      to: 'sink',
      clientTime: n,
      random: n,
    },
  });
  assert.equal(retry.code, 0);
  const after = await sink.request('sync', { cursor });
  assert.equal(after.data.messages.length, 0, 'the retry created nothing new');
  sink.ws.close();
  retryClient.ws.close();
  child!.kill('SIGTERM');
});
