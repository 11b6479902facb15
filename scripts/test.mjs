// `npm test`: server suites (node:test), browser suites (web-test-runner in Chromium), then the
// end-to-end suites (node:test driving Chromium through playwright-core). Every stage runs even when
// an earlier one failed; the exit code is non-zero when any failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  ...dirs.flatMap(testFiles),
];
const stages = [
  ['server', nodeTest('test/protocol', 'test/build', 'test/server', 'test/reliability')],
  ['browser', [process.execPath, 'scripts/test-browser.mjs']],
  ['e2e', nodeTest('test/e2e')],
];
let failed = [];
for (const [name, [cmd, ...args]] of stages) {
  if (only && only !== name) continue;
  console.log(`\n[imkit] ${name} tests`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(`\n[imkit] failed stages: ${failed.join(', ')}`);
  process.exit(1);
}
