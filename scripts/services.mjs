// Throwaway PostgreSQL and Redis servers for the test and bench runs: each in a temporary
// directory, listening on 127.0.0.1 on a free port, removed on stop. `npm test` starts them once
// and hands their URLs to every stage as IMKIT_TEST_PG_URL and IMKIT_TEST_REDIS_URL; a URL already
// set in the environment is used as it is and nothing is started for it.
//
//   node scripts/services.mjs      starts both, prints the two variables, runs until Ctrl-C
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port, ms, child, name) {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) {
        reject(new Error(`${name} exited with code ${child.exitCode}`));
        return;
      }
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`${name} did not listen on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** The directory of Debian's PostgreSQL binaries (the newest version), or of `initdb` on PATH. */
export function findPostgresBin() {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(base, versions[0], 'bin');
  }
  try {
    const initdb = execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim();
    if (initdb) return join(initdb, '..');
  } catch {
    // not on PATH
  }
  return null;
}

export function findRedisServer() {
  for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    return (
      execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null
    );
  } catch {
    return null;
  }
}

/**
 * PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user that
 * Debian's package creates, and its processes run as that user.
 */
function postgresUser() {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root, but there is no postgres user to run PostgreSQL as');
  }
}

/**
 * Starts a PostgreSQL server in a new temporary cluster. `durable: false` turns fsync off (tests);
 * benchmarks keep PostgreSQL's defaults.
 */
export async function startPostgres({ durable = false } = {}) {
  const bin = findPostgresBin();
  if (!bin) return null;
  const user = postgresUser();
  const dir = mkdtempSync(join(tmpdir(), 'imkit-pg-'));
  const data = join(dir, 'data');
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  if (user) chownSync(dir, user.uid, user.gid);
  execFileSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'imkit', '--auth=trust', '--encoding=UTF8', '--no-instructions'],
    { stdio: 'ignore', ...asUser },
  );
  const port = await freePort();
  const settings = [
    ['listen_addresses', '127.0.0.1'],
    ['port', String(port)],
    ['unix_socket_directories', dir],
    ['max_connections', '300'],
    ['shared_buffers', '256MB'],
    ...(durable
      ? []
      : [
          ['fsync', 'off'],
          ['synchronous_commit', 'off'],
          ['full_page_writes', 'off'],
        ]),
  ];
  const child = spawn(
    join(bin, 'postgres'),
    ['-D', data, ...settings.flatMap(([k, v]) => ['-c', `${k}=${v}`])],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...asUser,
    },
  );
  let log = '';
  child.stderr.on('data', (chunk) => {
    log = (log + chunk).slice(-4000);
  });
  try {
    await waitForPort(port, 20_000, child, 'postgres');
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${error.message}\n${log}`);
  }
  return {
    url: `postgres://imkit@127.0.0.1:${port}/postgres`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT'); // fast shutdown
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts a Redis server with no persistence. */
export async function startRedis() {
  const server = findRedisServer();
  if (!server) return null;
  const dir = mkdtempSync(join(tmpdir(), 'imkit-redis-'));
  const port = await freePort();
  const child = spawn(
    server,
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  try {
    await waitForPort(port, 10_000, child, 'redis-server');
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts what the environment does not already point at; answers the environment to hand on and a
 * stop function. Missing binaries leave the variable unset (the suites that need it say so).
 */
export async function startTestServices(options = {}) {
  const env = {};
  const started = [];
  if (process.env.IMKIT_TEST_PG_URL) env.IMKIT_TEST_PG_URL = process.env.IMKIT_TEST_PG_URL;
  else {
    const pgServer = await startPostgres(options);
    if (pgServer) {
      started.push(pgServer);
      env.IMKIT_TEST_PG_URL = pgServer.url;
    }
  }
  if (process.env.IMKIT_TEST_REDIS_URL) env.IMKIT_TEST_REDIS_URL = process.env.IMKIT_TEST_REDIS_URL;
  else {
    const redisServer = await startRedis();
    if (redisServer) {
      started.push(redisServer);
      env.IMKIT_TEST_REDIS_URL = redisServer.url;
    }
  }
  return {
    env,
    async stop() {
      await Promise.all(started.map((s) => s.stop()));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const services = await startTestServices();
  for (const [key, value] of Object.entries(services.env)) console.log(`export ${key}=${value}`);
  const stop = async () => {
    await services.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => {}, 1 << 30);
}
