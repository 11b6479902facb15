// Runs one IM server (real SQLite file in a temp dir, WAL, every message committed before its ack)
// in its own process for the benchmarks, and prints `{url, SDKAppID, secretKey}` as one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/server/index.js';
import { BENCH_SERVER_OPTIONS } from './lib.js';

const dataDir = mkdtempSync(join(tmpdir(), 'imkit-bench-'));
const server = await startServer({ ...BENCH_SERVER_OPTIONS, dataDir });
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
