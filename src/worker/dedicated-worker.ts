/**
 * Dedicated Worker entry (built as `im-worker-dedicated.js`), for browsers without SharedWorker:
 * the page hands its port over with `{type: 'imkit:connect'}`; the protocol is the same.
 */
import { installWorkerEntry } from './entry.js';

installWorkerEntry(self);
