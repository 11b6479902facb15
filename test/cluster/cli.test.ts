// The CLI selects PostgreSQL and Redis: one node started with `--db` and `--redis`, another with
// DATABASE_URL and REDIS_URL, both on a fresh database. They serve one app, a message crosses from
// one to the other, and URLs of another kind are refused with exit code 2.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { genUserSig } from '../../src/server/usersig.js';
import { clusterEnv } from '../helpers/cluster.js';
import { connectClient, textMessage, uid, type RunningServer } from '../helpers/server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'src/server/cli.ts');
const env = clusterEnv();
if (!env && process.env.CI) throw new Error('the CLI cluster test must run in CI');

interface Started {
  url: string;
  SDKAppID: number;
  secretKey?: string;
  out: string;
  stop(): Promise<void>;
}

/** Starts cli.ts and waits for its banner. */
async function startCli(args: string[], extraEnv: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', ...args], {
    cwd: root,
    env: { ...process.env, IMKIT_LOG: '0', DATABASE_URL: '', REDIS_URL: '', ...extraEnv },
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`exited (${code}): ${out}`)));
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (/storage:.*\n/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    url: /imkit server: (http:\/\/\S+)/.exec(out)![1],
    SDKAppID: Number(/SDKAppID:\s+(\d+)/.exec(out)![1]),
    secretKey: /secretKey:\s+([0-9a-f]{64})/.exec(out)?.[1],
    out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('cli: --db / --redis and DATABASE_URL / REDIS_URL', { skip: !env }, () => {
  const database = `cli_${randomBytes(4).toString('hex')}`;
  let dbURL = '';
  const dataDirs: string[] = [];
  const admin = () => new pg.Client({ connectionString: env!.pgURL });
  before(async () => {
    const client = admin();
    await client.connect();
    await client.query(`CREATE DATABASE ${database}`);
    await client.end();
    const url = new URL(env!.pgURL);
    url.pathname = `/${database}`;
    dbURL = url.toString();
  });
  after(async () => {
    const client = admin();
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'imkit-cli-pg-'));
    dataDirs.push(dir);
    return dir;
  };

  test('two nodes, one by flags and one by environment, serve one app across nodes', async () => {
    const a = await startCli([
      '--data',
      dataDir(),
      '--db',
      dbURL,
      '--redis',
      env!.redisURL,
      '--node-id',
      'a',
    ]);
    const b = await startCli(['--data', dataDir(), '--node-id', 'b'], {
      DATABASE_URL: dbURL,
      REDIS_URL: env!.redisURL,
    });
    try {
      for (const node of [a, b]) assert.match(node.out, /storage:\s+PostgreSQL, Redis bus/);
      assert.equal(b.SDKAppID, a.SDKAppID, 'the app node a created is the one node b serves');
      assert.ok(a.secretKey, 'node a created the app and printed its secret');
      assert.equal(b.secretKey, undefined, 'node b found it');
      const handle = (node: Started) =>
        ({
          url: node.url,
          app: { SDKAppID: node.SDKAppID },
          genUserSig: (userID: string) =>
            genUserSig({ SDKAppID: node.SDKAppID, secretKey: a.secretKey!, userID, expire: 600 }),
        }) as unknown as RunningServer;
      const [al, bo] = [uid('al'), uid('bo')];
      const alice = await connectClient(handle(a), al);
      const bob = await connectClient(handle(b), bo);
      const sent = await alice.request<{ message: { ID: string } }>(
        'sendMessage',
        textMessage(bo, 'through the cli'),
      );
      assert.equal((await bob.nextPush('message')).data.ID, sent.message.ID);
      await alice.close();
      await bob.close();
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  test('a --db or --redis URL of another kind is refused with exit code 2', () => {
    for (const [flag, value, message] of [
      ['--db', 'mysql://127.0.0.1/x', /--db must be a postgres:\/\/ URL/],
      ['--redis', 'memcached://127.0.0.1', /--redis must be a redis:\/\/ URL/],
    ] as const) {
      const result = spawnSync(
        process.execPath,
        ['--import', 'tsx', cli, '--port', '0', flag, value],
        { cwd: root, encoding: 'utf8', env: { ...process.env, IMKIT_LOG: '0' } },
      );
      assert.equal(result.status, 2, flag);
      assert.match(result.stderr, message);
    }
  });
});
