// Runs the browser suites with web-test-runner in Debian's Chromium and prints one
// `browser: N passed, N failed` line, which web-test-runner itself does not print.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(
    `[imkit] Chromium not found at ${chromium}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.`,
  );
  console.log('browser: 0 passed, 1 failed');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'imkit-wtr-'));
const summaryFile = join(dir, 'summary.json');
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    join(root, 'node_modules/@web/test-runner/dist/bin.js'),
    '--config',
    'web-test-runner.config.js',
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, WTR_SUMMARY_FILE: summaryFile, CHROMIUM_PATH: chromium },
  },
);
let summary = { passed: 0, failed: 1, skipped: 0 };
if (existsSync(summaryFile)) summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
rmSync(dir, { recursive: true, force: true });
const failed = summary.failed + (result.status !== 0 && summary.failed === 0 ? 1 : 0);
console.log(
  `browser: ${summary.passed} passed, ${failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ''}`,
);
process.exit(result.status === 0 && failed === 0 ? 0 : 1);
