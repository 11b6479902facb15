// Makes a fresh clone ready: installs dependencies when they are missing or older than the lock
// file, then builds. Uses nothing but Node's standard library, since it runs before `npm install`.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });

function needsInstall() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return true;
  const lock = join(root, 'package-lock.json');
  if (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000) return true;
  // better-sqlite3 compiles from source; an interrupted install leaves it without its binary.
  return !existsSync(
    join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'),
  );
}

if (needsInstall()) {
  console.log(
    '[imkit] installing dependencies (better-sqlite3 compiles from source, about a minute)…',
  );
  // `npm install`, not `npm ci`: npm 11 writes lock files that `npm ci` rejects for lacking other
  // platforms' optional packages (rollup's); `npm install` follows the same lock file.
  run('npm install --no-audit --no-fund');
}
if (!process.argv.includes('--no-build')) run('node scripts/build.mjs');
