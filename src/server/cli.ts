/**
 * `npm start` (bundled to dist/server/cli.js) or `node --import tsx src/server/cli.ts`.
 *
 *   --port N            default $PORT or 8080 (0 picks a free port)
 *   --host H            default 127.0.0.1
 *   --data DIR          default ./data (holds imkit.sqlite)
 *   --db URL            PostgreSQL instead of SQLite (default $DATABASE_URL; none: SQLite)
 *   --redis URL         Redis bus and presence for several nodes (default $REDIS_URL; none: in-process)
 *   --node-id NAME      this node's name in logs and presence (default: random)
 *   --dev               dev mode: GET /dev/usersig, demo pages
 *   --allow-remote-dev  allow dev mode on a non-loopback host
 *   --max-instances N   login instances per user (default: the app's setting, 10)
 *   --recall-window S   seconds a sender may recall a message (default 120)
 *   --translate-url URL translator for translateText (POST JSON; default: none, 2118)
 *   --public-url URL    base of upload URLs when behind a proxy (default: from the Host header)
 *   --media DIR         uploads directory (default <data>/media)
 *   --send-rate N       messages per second per user (default 20; 0: off)
 *   --send-burst N      messages a user may send at once (default 40)
 *   --group-rate N      messages per second per group, Normal priority (default 40; 0: off)
 *   --group-high-cap N  messages per second High priority may still fill (default 80)
 *   --ip-connections N  WebSocket connection attempts per client address per window (default 30)
 *   --ip-window S       that window in seconds (default 10)
 *   --trust-proxy       client address from the last X-Forwarded-For entry
 *   --max-upload-mb N   cap on every upload kind, in MB (default: Tencent's per-kind limits)
 *   --help
 */
import { parseArgs } from 'node:util';
import { startServer } from './index.js';
import { isLoopbackHost } from './net.js';

const USAGE = `Usage: imkit-server [options]

  --port N            port to listen on (default $PORT or 8080; 0 picks a free one)
  --host H            interface to bind (default 127.0.0.1)
  --data DIR          data directory holding imkit.sqlite (default ./data)
  --db URL            postgres://user:pass@host:5432/db: store in PostgreSQL instead of SQLite;
                      migrations run on start (default $DATABASE_URL; unset: SQLite in --data)
  --db-pool N         PostgreSQL connections of this node (default 10)
  --redis URL         redis://host:6379: route pushes, kicks and presence through Redis so that
                      several nodes serve the same users (default $REDIS_URL; unset: one node)
  --node-id NAME      this node's name in logs and presence (default: random)
  --dev               dev mode: enables GET /dev/usersig (UserSigs for anyone) and the demo
  --allow-remote-dev  allow --dev on a non-loopback host (anyone who can reach it can log in as anyone)
  --recall-window S   seconds a sender may recall a message (default 120)
  --translate-url URL translateText POSTs {sourceTextList, sourceLanguage, targetLanguage} here
                      and expects {translatedTextList} (default: none; translateText answers 2118)
  --public-url URL    base URL of uploaded files when behind a proxy (default: from the Host header)
  --media DIR         uploads directory (default <data>/media)

Limits (refusals change nothing; 0 turns a rate limit off):
  --send-rate N       sendMessage per user per second, token bucket (default 20); over it: 10023
  --send-burst N      sends a user may make at once before the rate applies (default 40)
  --group-rate N      messages per second per group (default 40, Tencent's), by priority: a
                      message is admitted while the group admitted fewer than N/2 (Lowest),
                      3N/4 (Low), N (Normal) or --group-high-cap (High) messages in the last
                      second; the others get 10023, so Lowest is shed first and High last
  --group-high-cap N  hard cap per group per second that High priority may fill (default 80)
  --ip-connections N  WebSocket connection attempts per client address (IPv4, or IPv6 /64) per
                      window; over it the upgrade is answered HTTP 429 (default 30; loopback too)
  --ip-window S       that window in seconds (default 10)
  --trust-proxy       the client address is the last X-Forwarded-For entry: only behind your own
                      reverse proxy, which must set it (otherwise every client shares its address)
  --max-upload-mb N   cap on every upload kind, in MB (default: 28 MB images/audio, 100 MB
                      files/video, Tencent's); over it: HTTP 413 {code: 7005}
  --max-instances N   login instances per user; a newer one kicks the oldest, which is closed
                      4001 (default: the app's setting, 10)

  --help              show this help
`;

function intFlag(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`${name} must be an integer >= ${min}\n`);
    process.exit(2);
  }
  return n;
}

function numFlag(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    process.stderr.write(`${name} must be a number >= 0\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        db: { type: 'string' },
        'db-pool': { type: 'string' },
        redis: { type: 'string' },
        'node-id': { type: 'string' },
        dev: { type: 'boolean' },
        'allow-remote-dev': { type: 'boolean' },
        'max-instances': { type: 'string' },
        'recall-window': { type: 'string' },
        'translate-url': { type: 'string' },
        'public-url': { type: 'string' },
        media: { type: 'string' },
        'send-rate': { type: 'string' },
        'send-burst': { type: 'string' },
        'group-rate': { type: 'string' },
        'group-high-cap': { type: 'string' },
        'ip-connections': { type: 'string' },
        'ip-window': { type: 'string' },
        'trust-proxy': { type: 'boolean' },
        'max-upload-mb': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const host = values.host ?? '127.0.0.1';
  const dev = values.dev ?? false;
  if (dev && !isLoopbackHost(host) && !values['allow-remote-dev']) {
    process.stderr.write(
      `Refusing dev mode on ${host}: /dev/usersig would let anyone on the network log in as anyone.\n` +
        `Bind to 127.0.0.1, or pass --allow-remote-dev if you mean it.\n`,
    );
    process.exit(2);
  }
  const port = intFlag(values.port ?? process.env.PORT, '--port', 0) ?? 8080;
  for (const flag of ['translate-url', 'public-url'] as const) {
    const value = values[flag];
    if (value !== undefined && !/^https?:\/\/[^/]/.test(value)) {
      process.stderr.write(`--${flag} must be an http(s) URL\n`);
      process.exit(2);
    }
  }
  const ipWindow = numFlag(values['ip-window'], '--ip-window');
  if (ipWindow === 0) {
    process.stderr.write(
      '--ip-window must be > 0 (use --ip-connections 0 to turn the limit off)\n',
    );
    process.exit(2);
  }
  const maxUploadMB = numFlag(values['max-upload-mb'], '--max-upload-mb');
  const databaseURL = values.db ?? (process.env.DATABASE_URL || undefined);
  if (databaseURL !== undefined && !/^postgres(ql)?:\/\//.test(databaseURL)) {
    process.stderr.write('--db must be a postgres:// URL\n');
    process.exit(2);
  }
  const redisURL = values.redis ?? (process.env.REDIS_URL || undefined);
  if (redisURL !== undefined && !/^rediss?:\/\//.test(redisURL)) {
    process.stderr.write('--redis must be a redis:// URL\n');
    process.exit(2);
  }
  const server = await startServer({
    port,
    host,
    dataDir: values.data ?? './data',
    databaseURL,
    databasePoolSize: intFlag(values['db-pool'], '--db-pool', 1),
    redisURL,
    nodeID: values['node-id'],
    dev,
    maxInstances: intFlag(values['max-instances'], '--max-instances', 1),
    recallWindowSeconds: intFlag(values['recall-window'], '--recall-window', 0),
    translateURL: values['translate-url'],
    publicURL: values['public-url'],
    mediaDir: values.media,
    sendRate: numFlag(values['send-rate'], '--send-rate'),
    sendBurst: intFlag(values['send-burst'], '--send-burst', 1),
    groupRate: numFlag(values['group-rate'], '--group-rate'),
    groupHighCap: numFlag(values['group-high-cap'], '--group-high-cap'),
    connectionsPerIP: intFlag(values['ip-connections'], '--ip-connections', 0),
    connectionWindowMs: ipWindow === undefined ? undefined : ipWindow * 1000,
    trustProxy: values['trust-proxy'] ?? false,
    maxUploadBytes: maxUploadMB === undefined ? undefined : Math.floor(maxUploadMB * 1024 * 1024),
    allowRemoteDev: values['allow-remote-dev'] ?? false,
    log: process.env.IMKIT_LOG !== '0',
  });
  const lines = [
    `imkit server: ${server.url}`,
    `  WebSocket:  ${server.url.replace(/^http/, 'ws')}/ws`,
    `  SDKAppID:   ${server.app.SDKAppID}`,
    `  storage:    ${databaseURL ? 'PostgreSQL' : 'SQLite'}${redisURL ? ', Redis bus' : ''}`,
  ];
  if (server.app.created) {
    lines.push(
      `  secretKey:  ${server.app.secretKey}  (new app; keep it secret, it signs UserSigs)`,
    );
  }
  if (dev) lines.push(`  demo:       ${server.url}/demo/   (dev mode)`);
  process.stdout.write(lines.join('\n') + '\n');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write('forced exit\n');
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`${signal}: shutting down\n`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `imkit server failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
