// The lit-html fix of scripts/lit-fixes.mjs: removePart() (used by `repeat`) must remove a part's
// end marker too (lit/lit#5298). Checks the fix applies to the lit-html installed (both builds),
// that the bundle carries it, and that it runs: a part removed through the fixed function takes
// both its markers with it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { fixRemovePart, litFixesEsbuild, REMOVE_PART_FILE } from '../../scripts/lit-fixes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const litDir = join(root, 'node_modules', 'lit-html');
const files = [
  join(litDir, 'directive-helpers.js'),
  join(litDir, 'development', 'directive-helpers.js'),
];

/** A container of nodes with the two methods removePart uses. */
function fakeDom(names: string[]) {
  const nodes = names.map((name) => ({ name, remove: () => {} }));
  const live = [...nodes];
  for (const n of nodes) n.remove = () => void live.splice(live.indexOf(n), 1);
  return { nodes, live };
}

test('the fix recognizes both builds of the installed lit-html', () => {
  for (const file of files) {
    assert.match(file, REMOVE_PART_FILE);
    const source = readFileSync(file, 'utf8');
    const fixed = fixRemovePart(source, file);
    assert.notEqual(fixed, source, file);
    assert.equal(fixed.length - source.length < 40, true, 'only removePart changes');
  }
  assert.throws(() => fixRemovePart('export const removePart = () => {};'), /lit\/lit#5298/);
});

/** The fixed removePart function alone, taken out of the module's source. */
function removePartOf(fixed: string): (part: unknown) => void {
  const dev = /export const removePart = (\(\w+\) => \{[^}]*\});/.exec(fixed);
  if (dev) return new Function(`return ${dev[1]}`)() as (part: unknown) => void;
  const exported = /\b([\w$]+) as removePart\b/.exec(fixed)![1];
  const min = new RegExp(`[,{]${exported.replace('$', '\\$')}=([\\w$]+=>\\{[^}]*\\})`).exec(fixed)!;
  return new Function(`return ${min[1]}`)() as (part: unknown) => void;
}

test('the fixed removePart removes the content and both markers of a part', () => {
  for (const file of files) {
    const removePart = removePartOf(fixRemovePart(readFileSync(file, 'utf8'), file));
    const { nodes, live } = fakeDom(['before', 'start', 'row', 'end', 'after']);
    const part = {
      _$startNode: nodes[1],
      _$endNode: nodes[3],
      _$AA: nodes[1],
      _$AB: nodes[3],
      // _$clear (_$AR minified): removes what lies between the markers.
      _$clear: () => nodes[2].remove(),
      _$AR: () => nodes[2].remove(),
    };
    removePart(part);
    assert.deepEqual(
      live.map((n) => n.name),
      ['before', 'after'],
      file,
    );
  }
});

test('the bundle built with the plugin carries the fix', async () => {
  const result = await build({
    stdin: {
      contents: "export { repeat } from 'lit/directives/repeat.js';",
      resolveDir: root,
      loader: 'js',
    },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    plugins: [litFixesEsbuild],
    logLevel: 'silent',
  });
  const text = result.outputFiles[0].text;
  assert.match(text, /\._\$AB\?\.remove\(\)/);
});
