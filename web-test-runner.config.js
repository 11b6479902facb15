// Browser tests: Debian's Chromium, a real IM server started for the run (dev mode, in-memory
// SQLite), TypeScript through esbuild. Run through scripts/test-browser.mjs, which loads tsx so this
// file can import the server's TypeScript sources.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { writeFileSync } from 'node:fs';
import { startServer } from './src/server/index.ts';
import { litFixesDevServer } from './scripts/lit-fixes.mjs';

const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  dbFile: ':memory:',
  dev: true,
  log: false,
  // Every test connects from 127.0.0.1, far more often than a real address would.
  connectionsPerIP: 0,
});

const chromiumFlags = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** Counts tests for scripts/test-browser.mjs, which prints `N passed, N failed` for CI. */
function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      const walk = (suite) => {
        for (const t of suite.tests ?? []) {
          if (t.skipped) skipped++;
          else if (t.passed) passed++;
          else failed++;
        }
        for (const s of suite.suites ?? []) walk(s);
      };
      for (const session of sessions) {
        if (session.testResults) walk(session.testResults);
        // A file that failed to load or threw outside a test counts as one failure.
        if (!session.passed && (session.errors?.length ?? 0) > 0) failed++;
      }
      if (process.env.WTR_SUMMARY_FILE) {
        writeFileSync(process.env.WTR_SUMMARY_FILE, JSON.stringify({ passed, failed, skipped }));
      }
    },
  };
}

export default {
  files: process.env.WTR_FILES
    ? process.env.WTR_FILES.split(',')
    : ['test/core/**/*.test.ts', 'test/worker/**/*.test.ts', 'test/components/**/*.test.ts'],
  nodeResolve: true,
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countReporter()],
  concurrency: 1,
  testsFinishTimeout: 180000,
  testFramework: { config: { timeout: 20000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        headless: true,
        args: chromiumFlags,
      },
    }),
  ],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    // The same lit-html fix as the bundle (scripts/lit-fixes.mjs).
    litFixesDevServer,
    {
      name: 'im-test-server',
      serverStop() {
        return server.close();
      },
    },
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html>
  <head><meta charset="utf-8" /></head>
  <body>
    <script>window.__IM_TEST__ = ${JSON.stringify({ server: server.url, SDKAppID: server.app.SDKAppID })};</script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
};
