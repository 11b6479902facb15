// Shared pieces of the end-to-end suites: a server serving the built bundle and the e2e fixture
// pages, Chromium launched from Debian's package, and a page per user.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserType, Page } from 'playwright-core';
import { startServer } from '../../src/server/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = join(root, 'test', 'e2e', 'fixtures');
export const staticDir = join(root, 'dist', 'browser');

export type E2EServer = Awaited<ReturnType<typeof startServer>>;

export async function e2eServer(options: Parameters<typeof startServer>[0] = {}): Promise<E2EServer> {
  if (!existsSync(join(staticDir, 'im.js'))) {
    throw new Error('dist/browser/im.js is missing: run `npm run build` (npm test does it first)');
  }
  return startServer({
    port: 0,
    host: '127.0.0.1',
    dbFile: ':memory:',
    dev: true,
    log: false,
    staticDir,
    demoDir: fixturesDir,
    ...options,
  });
}

export const chromiumFlags = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export function launchChromium(type: BrowserType): Promise<Browser> {
  return type.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: chromiumFlags,
  });
}

/** Opens the fixture page as `userID`, chatting with `peer`, and waits for SDK_READY. */
export async function openUserPage(
  context: BrowserContext,
  server: E2EServer,
  userID: string,
  peer: string,
  pageOrigin = server.url,
): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${userID}] page error:`, err));
  const q = new URLSearchParams({
    server: server.url,
    app: String(server.app.SDKAppID),
    user: userID,
    sig: server.genUserSig(userID),
    peer,
  });
  await page.goto(`${pageOrigin}/demo/page.html?${q}`);
  await page.waitForFunction(() => (window as any).__chat?.isReady() === true, null, {
    timeout: 15000,
  });
  return page;
}

export async function metric(server: E2EServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'));
  if (!line) throw new Error(`metric ${name} not found`);
  return Number(line.trim().split(/\s+/).pop());
}
