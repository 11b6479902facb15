/** What every service gets: storage, bus, counters, logger, clocks and the server's settings. */
import { LIMITS } from '../../protocol/constants.js';
import type { PushFrame } from '../../protocol/wire.js';
import type { Bus } from '../bus/types.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { Storage } from '../storage/types.js';

/** Server settings the services read (ServerOptions in index.ts sets them). */
export interface ServiceConfig {
  /** Sender's recall window (`--recall-window`). */
  recallWindowSeconds: number;
  /** POST target of translateText (`--translate-url`); '' when not configured. */
  translateURL: string;
  translateTimeoutMs: number;
  /**
   * Message extensions: a write to a key that another user changed less than this long ago is a
   * conflict (23001). 0 turns cross-request conflicts off.
   */
  extensionConflictWindowMs: number;
}

export const DEFAULT_CONFIG: ServiceConfig = {
  recallWindowSeconds: LIMITS.recallWindowSeconds,
  translateURL: '',
  translateTimeoutMs: 10_000,
  extensionConflictWindowMs: 1000,
};

export interface ServiceDeps {
  storage: Storage;
  bus: Bus;
  metrics: Metrics;
  log: Logger;
  /** Server time in seconds. */
  now(): number;
  /** Server time in milliseconds. */
  nowMs(): number;
  config: ServiceConfig;
}

/** Who is calling: an authenticated socket. */
export interface Caller {
  app: number;
  userID: string;
  instanceID: string;
  /** The socket that made the request; it gets the response, not the push. */
  connID: string;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Publishes one push to each user (all their sockets except `exceptConnID`). */
export async function pushTo(
  deps: ServiceDeps,
  app: number,
  userIDs: Iterable<string>,
  frame: PushFrame | ((userID: string) => PushFrame),
  exceptConnID?: string,
): Promise<void> {
  // Published in order, awaited together: a remote bus settles each event when it has taken it.
  const published: Promise<void>[] = [];
  for (const userID of userIDs) {
    const f = typeof frame === 'function' ? frame(userID) : frame;
    published.push(deps.bus.publish({ kind: 'push', app, userID, frame: f, exceptConnID }));
  }
  await Promise.all(published);
}
