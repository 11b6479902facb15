/**
 * SharedWorker entry (built as `im-worker.js`): one per (build, server, app, user), named by
 * src/core/spawn.ts. The same file also works when started as a dedicated Worker.
 */
import { installWorkerEntry } from './entry.js';

installWorkerEntry(self);
