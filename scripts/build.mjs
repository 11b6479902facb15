// Builds everything the server serves and runs:
//   dist/browser/im.js (+ chunks/)   the script-tag bundle: elements + client proxy
//   dist/browser/im-worker.js        the SharedWorker engine (also used as a dedicated Worker)
//   dist/browser/bridge.html|js      same-origin bridge for pages on another origin
//   dist/server/cli.js, usersig-cli.js
// The build id (a hash of the worker) goes into the worker name so tabs of different builds never
// share a worker.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { litFixesEsbuild } from './lit-fixes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const browserOut = join(out, 'browser');
rmSync(out, { recursive: true, force: true });
mkdirSync(browserOut, { recursive: true });

const browserCommon = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  tsconfig: join(root, 'tsconfig.json'),
  logLevel: 'warning',
  // lit-html's removePart() leaks a comment per removed row (scripts/lit-fixes.mjs).
  plugins: [litFixesEsbuild],
};

const workerEntries = {
  'im-worker': 'src/worker/shared-worker.ts',
  'im-worker-dedicated': 'src/worker/dedicated-worker.ts',
};
const present = Object.fromEntries(
  Object.entries(workerEntries).filter(([, src]) => existsSync(join(root, src))),
);
await build({
  ...browserCommon,
  entryPoints: Object.fromEntries(Object.entries(present).map(([k, v]) => [k, join(root, v)])),
  outdir: browserOut,
});
const hash = createHash('sha256');
for (const name of Object.keys(present)) hash.update(readFileSync(join(browserOut, `${name}.js`)));
const buildId = hash.digest('hex').slice(0, 12);
const banner = { js: `globalThis.__IMKIT_BUILD_ID__=${JSON.stringify(buildId)};` };

// Rebuild the workers with the banner so both sides agree on the id.
await build({
  ...browserCommon,
  entryPoints: Object.fromEntries(Object.entries(present).map(([k, v]) => [k, join(root, v)])),
  outdir: browserOut,
  banner,
});

await build({
  ...browserCommon,
  entryPoints: { im: join(root, 'src/define.ts') },
  outdir: browserOut,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  banner,
  metafile: true,
});

if (existsSync(join(root, 'src/bridge/bridge.ts'))) {
  await build({
    ...browserCommon,
    entryPoints: { bridge: join(root, 'src/bridge/bridge.ts') },
    outdir: browserOut,
    banner,
  });
  copyFileSync(join(root, 'src/bridge/bridge.html'), join(browserOut, 'bridge.html'));
}

await build({
  entryPoints: {
    cli: join(root, 'src/server/cli.ts'),
    'usersig-cli': join(root, 'src/server/usersig-cli.ts'),
  },
  outdir: join(out, 'server'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  tsconfig: join(root, 'tsconfig.json'),
  logLevel: 'warning',
});

console.log(`[imkit] built dist/ (build ${buildId})`);
