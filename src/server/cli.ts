/**
 * `npm start` (bundled to dist/server/cli.js) or `node --import tsx src/server/cli.ts`.
 *
 *   --port N            default $PORT or 8080 (0 picks a free port)
 *   --host H            default 127.0.0.1
 *   --data DIR          default ./data (holds imkit.sqlite)
 *   --dev               dev mode: GET /dev/usersig, demo pages
 *   --allow-remote-dev  allow dev mode on a non-loopback host
 *   --max-instances N   login instances per user (default: the app's setting, 10)
 *   --recall-window S   seconds a sender may recall a message (default 120)
 *   --translate-url URL translator for translateText (POST JSON; default: none, 2118)
 *   --public-url URL    base of upload URLs when behind a proxy (default: from the Host header)
 *   --media DIR         uploads directory (default <data>/media)
 *   --help
 */
import { parseArgs } from 'node:util';
import { startServer } from './index.js';

const USAGE = `Usage: imkit-server [options]

  --port N            port to listen on (default $PORT or 8080; 0 picks a free one)
  --host H            interface to bind (default 127.0.0.1)
  --data DIR          data directory holding imkit.sqlite (default ./data)
  --dev               dev mode: enables GET /dev/usersig (UserSigs for anyone) and the demo
  --allow-remote-dev  allow --dev on a non-loopback host (anyone who can reach it can log in as anyone)
  --max-instances N   login instances per user before the oldest is kicked (default 10)
  --recall-window S   seconds a sender may recall a message (default 120)
  --translate-url URL translateText POSTs {sourceTextList, sourceLanguage, targetLanguage} here
                      and expects {translatedTextList} (default: none; translateText answers 2118)
  --public-url URL    base URL of uploaded files when behind a proxy (default: from the Host header)
  --media DIR         uploads directory (default <data>/media)
  --help              show this help
`;

function isLoopback(host: string): boolean {
  return (
    host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}

function intFlag(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`${name} must be an integer >= ${min}\n`);
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
        dev: { type: 'boolean' },
        'allow-remote-dev': { type: 'boolean' },
        'max-instances': { type: 'string' },
        'recall-window': { type: 'string' },
        'translate-url': { type: 'string' },
        'public-url': { type: 'string' },
        media: { type: 'string' },
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
  if (dev && !isLoopback(host) && !values['allow-remote-dev']) {
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
  const server = await startServer({
    port,
    host,
    dataDir: values.data ?? './data',
    dev,
    maxInstances: intFlag(values['max-instances'], '--max-instances', 1),
    recallWindowSeconds: intFlag(values['recall-window'], '--recall-window', 0),
    translateURL: values['translate-url'],
    publicURL: values['public-url'],
    mediaDir: values.media,
    log: process.env.IMKIT_LOG !== '0',
  });
  const lines = [
    `imkit server: ${server.url}`,
    `  WebSocket:  ${server.url.replace(/^http/, 'ws')}/ws`,
    `  SDKAppID:   ${server.app.SDKAppID}`,
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
