import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '../../src/protocol/codes.js';
import type { RunningServer } from '../../src/server/index.js';
import { SEND_FREQUENCY_LIMIT } from '../../src/server/limits.js';
import { genUserSig, verifyUserSig } from '../../src/server/usersig.js';
import { connectClient, sleep, textMessage } from '../helpers/server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const node = (script: string, args: string[]) =>
  [process.execPath, ['--import', 'tsx', join(root, 'src/server', script), ...args]] as const;

test('cli: starts, prints URL and SDKAppID (and the demo in dev mode), stops on SIGTERM', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'imkit-cli-'));
  try {
    const [cmd, args] = node('cli.ts', [
      '--port',
      '0',
      '--data',
      dataDir,
      '--dev',
      '--recall-window',
      '0',
      '--translate-url',
      'http://127.0.0.1:9/translate',
      '--send-rate',
      '0.01',
      '--send-burst',
      '1',
    ]);
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, IMKIT_LOG: '0' } });
    let out = '';
    child.stdout.setEncoding('utf8');
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15000);
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        const m = /imkit server: (http:\/\/\S+)/.exec(out);
        if (m && /demo:/.test(out)) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    const SDKAppID = Number(/SDKAppID:\s+(\d+)/.exec(out)?.[1]);
    assert.ok(SDKAppID >= 1400000000 && SDKAppID < 1500000000);
    assert.match(out, /secretKey:\s+[0-9a-f]{64}/, 'a new app prints its secret once');
    assert.match(out, new RegExp(`demo:\\s+${url}/demo/`));
    const res = await fetch(`${url}/dev/usersig?userID=alice`);
    assert.equal(res.status, 200);

    // the lifecycle flags reach the services
    const secret = /secretKey:\s+([0-9a-f]{64})/.exec(out)![1];
    const handle = {
      url,
      app: { SDKAppID },
      genUserSig: (userID: string) => genUserSig({ SDKAppID, secretKey: secret, userID }),
    } as unknown as RunningServer;
    const alice = await connectClient(handle, 'alice');
    await assert.rejects(
      alice.request('translateText', { sourceTextList: ['hi'], targetLanguage: 'de' }),
      { code: ErrorCode.TRANSLATE_FAILED },
    );
    const { message } = await alice.request('sendMessage', textMessage('alice', 'x'));
    // the limit flags reach the server: a burst of 1
    await assert.rejects(alice.request('sendMessage', textMessage('alice', 'y')), {
      code: SEND_FREQUENCY_LIMIT,
    });
    await sleep(1100);
    await assert.rejects(
      alice.request('revokeMessage', { conversationID: 'C2Calice', messageID: message.ID }),
      { code: ErrorCode.RECALL_TIME_LIMIT },
    );
    await alice.close();
    child.kill('SIGTERM');
    assert.equal(await exited, 0);

    // usersig CLI: same data dir, same app
    const [ucmd, uargs] = node('usersig-cli.ts', ['alice', '--expire', '600', '--data', dataDir]);
    const result = spawnSync(ucmd, uargs, { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const userSig = result.stdout.trim();
    const secretKey = /secretKey:\s+([0-9a-f]{64})/.exec(out)![1];
    const verified = verifyUserSig({ userSig, SDKAppID, secretKey, userID: 'alice' });
    assert.equal(verified.ok, true);
    if (verified.ok) assert.ok(verified.expireAt - Date.now() / 1000 <= 601);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('cli: --help, bad flags, and dev mode refusing a non-loopback host', () => {
  const [cmd, helpArgs] = node('cli.ts', ['--help']);
  const help = spawnSync(cmd, helpArgs, { cwd: root, encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--allow-remote-dev/);
  for (const flag of [
    '--recall-window',
    '--translate-url',
    '--public-url',
    '--media',
    '--send-rate',
    '--send-burst',
    '--group-rate',
    '--group-high-cap',
    '--ip-connections',
    '--ip-window',
    '--trust-proxy',
    '--max-upload-mb',
    '--max-instances',
  ]) {
    assert.ok(help.stdout.includes(flag), flag);
  }
  for (const bad of [
    ['--recall-window', 'soon'],
    ['--recall-window', '-1'],
    ['--translate-url', 'ftp://x'],
    ['--send-rate', '-1'],
    ['--send-rate', 'fast'],
    ['--send-burst', '0'],
    ['--group-rate', ''],
    ['--ip-connections', '2.5'],
    ['--ip-window', '0'],
    ['--max-upload-mb', '-5'],
  ]) {
    const [, args] = node('cli.ts', ['--port', '0', ...bad]);
    const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 2, bad.join(' '));
  }
  const [, badArgs] = node('cli.ts', ['--bogus']);
  assert.equal(spawnSync(cmd, badArgs, { cwd: root, encoding: 'utf8' }).status, 2);
  for (const host of ['0.0.0.0', '::', '192.0.2.10']) {
    const [, remoteArgs] = node('cli.ts', ['--dev', '--host', host, '--port', '0']);
    const remote = spawnSync(cmd, remoteArgs, { cwd: root, encoding: 'utf8' });
    assert.equal(remote.status, 2, host);
    assert.match(remote.stderr, /Refusing dev mode/);
  }
  const [, usage] = node('usersig-cli.ts', []);
  assert.equal(spawnSync(cmd, usage, { cwd: root, encoding: 'utf8' }).status, 2);
});
