/** What every service gets: storage, bus, counters, logger and a clock. */
import type { PushFrame } from '../../protocol/wire.js';
import type { Bus } from '../bus/types.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { Storage } from '../storage/types.js';

export interface ServiceDeps {
  storage: Storage;
  bus: Bus;
  metrics: Metrics;
  log: Logger;
  /** Server time in seconds. */
  now(): number;
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
  for (const userID of userIDs) {
    const f = typeof frame === 'function' ? frame(userID) : frame;
    await deps.bus.publish({ kind: 'push', app, userID, frame: f, exceptConnID });
  }
}
