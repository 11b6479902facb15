/**
 * WAL checkpoints on a thread of their own.
 *
 * SQLite copies the WAL back into the database file (a checkpoint) by itself inside the COMMIT
 * that makes the WAL pass 1,000 pages, with two fsyncs, on the caller's thread: for the server
 * that is the event loop, and under a steady stream of sends nearly every group commit paid for
 * one. The server's connection turns that off (`wal_autocheckpoint = 0`) and this worker thread,
 * with its own connection to the same file, runs a PASSIVE checkpoint every `intervalMs`. PASSIVE
 * never blocks the writer; once it has copied everything, the writer's next transaction starts the
 * WAL again from its beginning, so the WAL stays about as large as what is written between two
 * checkpoints (and `journal_size_limit` trims the file back when it restarts).
 *
 * If the worker fails, `onFail` runs and the caller turns SQLite's own checkpoints back on.
 * The worker is plain CommonJS evaluated from a string: it needs nothing but better-sqlite3, and
 * runs the same from the TypeScript sources and from the bundled server.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)');
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(timer);
  try {
    checkpoint();
  } finally {
    db.close();
    parentPort.close();
  }
});
`;

export class SqliteCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private closing = false;

  constructor(file: string, intervalMs: number, onFail: (error: unknown) => void) {
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        file,
        intervalMs,
      },
    });
    this.worker.unref();
    let failed = false;
    const fail = (error: unknown) => {
      if (failed || this.closing) return;
      failed = true;
      onFail(error);
    };
    this.worker.on('error', fail);
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        fail(new Error(`the checkpoint thread exited (${code})`));
        resolve();
      });
    });
  }

  /** A last checkpoint, then the thread ends (before the server's connection closes). */
  async close(): Promise<void> {
    this.closing = true;
    // Unreferenced while it runs (it must not keep a process alive); waited for now.
    this.worker.ref();
    this.worker.postMessage('close');
    await this.exited;
  }
}
