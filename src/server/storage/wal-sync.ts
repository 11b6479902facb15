/**
 * Durability of the SQLite group commit, off the event loop.
 *
 * With `synchronous = FULL` every COMMIT waits for the fsync of the WAL inside the call, on the
 * one thread that also reads and writes every socket. The append batch instead commits with
 * `synchronous = NORMAL` (the frames are written to the WAL, in the OS's cache) and then asks this
 * class for an `fdatasync` of the WAL file, which runs on libuv's thread pool while the event loop
 * goes on decoding the next requests. The batch's messages are answered only when a sync that
 * started after their commit has finished, so an acknowledged message is on disk exactly as with
 * FULL. Syncs do not overlap: commits that land while one runs share the next.
 *
 * A crash of the process loses nothing either way (the WAL frames are in the OS's cache); the
 * sync guards against losing the machine. Between the commit and the end of the sync, other
 * requests can already read the new rows (a history page, a sync); the message is neither
 * acknowledged nor pushed before the sync, and should the machine die in that window, its sender,
 * unanswered, sends it again with the same ID.
 *
 * On Linux (and every POSIX system this runs on) fdatasync flushes the file, not the descriptor:
 * a descriptor of our own on the `-wal` file syncs what SQLite wrote through its own. The WAL file
 * keeps its inode while the database is open by this process (SQLite removes it only when the last
 * connection closes), which is why the server must be the only process that opens its database.
 */
import { close, fdatasync, openSync } from 'node:fs';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class WalSync {
  private next: Waiter[] = [];
  private running = false;
  private idle: (() => void)[] = [];

  private constructor(private readonly fd: number) {}

  /** Opens the database's WAL file (it exists once the WAL-mode database was written to). */
  static open(databaseFile: string): WalSync {
    return new WalSync(openSync(`${databaseFile}-wal`, 'r+'));
  }

  /** Settles once everything committed before this call is on disk. */
  sync(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.next.push({ resolve, reject });
      if (!this.running) this.start();
    });
  }

  private start(): void {
    const waiting = this.next;
    this.next = [];
    this.running = true;
    fdatasync(this.fd, (error) => {
      this.running = false;
      for (const w of waiting) {
        if (error) w.reject(error);
        else w.resolve();
      }
      if (this.next.length > 0) this.start();
      else for (const done of this.idle.splice(0)) done();
    });
  }

  /** Waits for the syncs asked for, then closes the descriptor. */
  async close(): Promise<void> {
    if (this.running) await new Promise<void>((resolve) => this.idle.push(resolve));
    await new Promise<void>((resolve) => close(this.fd, () => resolve()));
  }
}
