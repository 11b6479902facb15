// Runs one IM server (real SQLite file in a temp dir, WAL, every message committed before its ack)
// in its own process for the benchmarks, and prints `{url, SDKAppID, secretKey}` as one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/server/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'imkit-bench-'));
// Load from one address at full speed: the per-address and per-user rate limits are off here.
const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  dataDir,
  log: false,
  connectionsPerIP: 0,
  sendRate: 0,
  groupRate: 0,
});
process.stdout.write(
  JSON.stringify({
    url: server.url,
    SDKAppID: server.app.SDKAppID,
    secretKey: server.app.secretKey,
  }) + '\n',
);
const stop = async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
