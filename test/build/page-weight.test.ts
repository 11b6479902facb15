// Page weight budget: what a page loads before the first paint (im.js and the chunks it imports
// statically: the elements and the client proxy), gzipped, must stay under 60 KB. The worker and
// the lazily imported in-page engine are reported apart. Reads the build in dist/ (npm test builds
// first).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'browser');
const BUDGET = 60 * 1024;

const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;

/** im.js plus every chunk reachable through static `import … from "./chunk-….js"`. */
function initialSet(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const source = readFileSync(join(dist, entry), 'utf8');
  for (const m of source.matchAll(/(?:from|import)\s*"\.\/(chunk-[\w-]+\.js)"/g)) {
    initialSet(m[1], seen);
  }
  return seen;
}

test('the script a page loads before first paint stays under 60 KB gzipped', () => {
  assert.ok(existsSync(join(dist, 'im.js')), 'build first: node scripts/build.mjs');
  const initial = initialSet('im.js');
  const sizes = [...initial].map((f) => [f, gz(f)] as const);
  const total = sizes.reduce((n, [, s]) => n + s, 0);
  const lazy = readdirSync(dist).filter((f) => f.endsWith('.js') && !initial.has(f));
  console.log(
    `initial: ${sizes.map(([f, s]) => `${f} ${(s / 1024).toFixed(1)} KB`).join(', ')}; total ${(total / 1024).toFixed(1)} KB gz`,
  );
  console.log(`apart: ${lazy.map((f) => `${f} ${(gz(f) / 1024).toFixed(1)} KB`).join(', ')}`);
  assert.ok(total < BUDGET, `initial script ${(total / 1024).toFixed(1)} KB gz exceeds 60 KB`);
});
