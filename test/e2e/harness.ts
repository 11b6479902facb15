// Shared pieces of the end-to-end suites: a server serving the built bundle and the e2e fixture
// pages, Chromium launched from Debian's package, and a page per user.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserType, Page } from 'playwright-core';
import { startServer } from '../../src/server/index.js';
import { readMetric } from '../helpers/server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = join(root, 'test', 'e2e', 'fixtures');
export const staticDir = join(root, 'dist', 'browser');

export type E2EServer = Awaited<ReturnType<typeof startServer>>;

export async function e2eServer(
  options: Parameters<typeof startServer>[0] = {},
): Promise<E2EServer> {
  if (!existsSync(join(staticDir, 'im.js'))) {
    throw new Error('dist/browser/im.js is missing: run `npm run build` (npm test does it first)');
  }
  return startServer({
    port: 0,
    host: '127.0.0.1',
    dbFile: ':memory:',
    dev: true,
    log: false,
    connectionsPerIP: 0,
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
  // Playwright disables ThirdPartyStoragePartitioning, which real Chrome ships on; without it a
  // cross-site iframe gets no SharedWorker. The last --disable-features wins, so this list replaces
  // Playwright's with the same list minus that feature.
  '--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,MediaRouter,PaintHolding,OptimizationHints,NetworkTimeServiceQuerying,PreconnectToSearch',
];

/**
 * `thirdPartyStorage: false` keeps Playwright's own feature list, under which a cross-site iframe
 * gets no SharedWorker: what browsers that block third-party storage do.
 */
export function launchChromium(
  type: BrowserType,
  { thirdPartyStorage = true }: { thirdPartyStorage?: boolean } = {},
): Promise<Browser> {
  return type.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: thirdPartyStorage ? chromiumFlags : chromiumFlags.slice(0, -1),
  });
}

/** Opens the fixture page as `userID`, chatting with `peer`, and waits for SDK_READY. */
export async function openUserPage(
  context: BrowserContext,
  server: E2EServer,
  userID: string,
  peer: string,
  pageOrigin = server.url,
  assets?: string,
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
  if (assets) q.set('assets', assets);
  await page.goto(`${pageOrigin}/demo/page.html?${q}`);
  await page.waitForFunction(() => (window as any).__chat?.isReady() === true, null, {
    timeout: 15000,
  });
  return page;
}

/** One value from the server's /metrics. */
export const metric = readMetric;

/**
 * A web site of its own, on another port (so another origin than the IM server), hosting its own
 * copy of the bundle next to its pages: the set-up in which the page and the worker stay available
 * while the IM server is down.
 */
export async function startSite(): Promise<{ url: string; close(): Promise<void> }> {
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.map': 'application/json',
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    const file = path.startsWith('/demo/')
      ? join(fixturesDir, path.slice('/demo/'.length))
      : join(staticDir, path.slice(1));
    if (path.includes('..') || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const ext = file.slice(file.lastIndexOf('.'));
    res.writeHead(200, { 'content-type': types[ext] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
