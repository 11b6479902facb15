// `npm test`: server suites (node:test) on SQLite, the storage contract and the server suites again
// on PostgreSQL + Redis, the cluster suite (two nodes), browser suites (web-test-runner in
// Chromium), then the end-to-end suites (node:test driving Chromium through playwright-core). Every
// stage runs even when an earlier one failed; the exit code is non-zero when any failed.
//
// PostgreSQL and Redis: throwaway servers started here (scripts/services.mjs) from Debian's
// `postgresql` and `redis-server` packages, or the ones IMKIT_TEST_PG_URL / IMKIT_TEST_REDIS_URL
// point at. Without them the PostgreSQL stages say so loudly and are skipped; in CI (CI=true) that
// is a failure.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServices } from './services.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];

/** Node 20's test runner does not look for .ts files by itself: list them. */
function testFiles(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true })
    .filter((f) => String(f).endsWith('.test.ts'))
    .map((f) => join(dir, String(f)))
    .sort();
}
const nodeTest = (...dirs) => [
  process.execPath,
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=1',
  // A test that fails before closing what it opened must not keep its file's process alive, and
  // a test that waits forever fails instead of stalling the run.
  '--test-force-exit',
  '--test-timeout=180000',
  ...dirs.flatMap(testFiles),
];
const PG = { IMKIT_TEST_STORAGE: 'postgres' };
/**
 * [name, command, extra environment, PostgreSQL and Redis: 'required', 'used' when there (the
 * storage contract runs on SQLite in any case; its PostgreSQL half says itself when it is skipped)
 * or false]
 */
const stages = [
  ['server', nodeTest('test/protocol', 'test/build', 'test/server', 'test/reliability'), {}, false],
  ['storage', nodeTest('test/storage'), {}, 'used'],
  ['server-pg', nodeTest('test/server'), PG, 'required'],
  ['cluster', nodeTest('test/cluster'), {}, 'required'],
  ['browser', [process.execPath, 'scripts/test-browser.mjs'], {}, false],
  ['e2e', nodeTest('test/e2e'), {}, false],
];

/** A stage that runs longer than this is stopped and fails: CI must finish, and say why not. */
const STAGE_LIMIT_MS = 25 * 60_000;

let current = null;
const killCurrent = () => {
  try {
    if (current) process.kill(-current.pid, 'SIGKILL');
  } catch {
    // already gone
  }
};

function run(name, cmd, args, env) {
  return new Promise((resolve) => {
    const child = (current = spawn(cmd, args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...env },
      // Its own process group, so that a stage stopped at its limit takes its servers with it.
      detached: true,
    }));
    const timer = setTimeout(() => {
      console.error(`\n[imkit] ${name} tests stopped after ${STAGE_LIMIT_MS / 60_000} minutes`);
      killCurrent();
    }, STAGE_LIMIT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      current = null;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const wanted = stages.filter(([name]) => !only || only === name);
let services = { env: {}, stop: async () => {} };
if (wanted.some((stage) => stage[3])) {
  try {
    services = await startTestServices();
  } catch (error) {
    console.error(`[imkit] could not start PostgreSQL / Redis: ${error.message}`);
  }
}
const haveCluster = Boolean(services.env.IMKIT_TEST_PG_URL && services.env.IMKIT_TEST_REDIS_URL);
const failed = [];
const timings = [];
const stop = () => {
  killCurrent();
  services.stop().finally(() => process.exit(130));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
try {
  for (const [name, [cmd, ...args], env, needsCluster] of wanted) {
    console.log(`\n[imkit] ${name} tests`);
    if (needsCluster === 'required' && !haveCluster) {
      const banner = [
        '',
        '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
        `!! [imkit] ${name} tests NOT RUN: PostgreSQL and Redis are needed`,
        '!!   install them (Debian: apt-get install postgresql redis-server) or set',
        '!!   IMKIT_TEST_PG_URL and IMKIT_TEST_REDIS_URL',
        '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
        '',
      ];
      console.error(banner.join('\n'));
      if (process.env.CI) failed.push(name);
      continue;
    }
    const started = Date.now();
    const code = await run(name, cmd, args, { ...services.env, ...env });
    timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (code !== 0) failed.push(name);
  }
} finally {
  await services.stop();
}
console.log(`\n[imkit] stage times: ${timings.join(', ')}`);
if (failed.length) {
  console.error(`\n[imkit] failed stages: ${failed.join(', ')}`);
  process.exit(1);
}
