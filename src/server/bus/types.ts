/**
 * The bus routes events to users, wherever their sockets are. Services publish by userID and never
 * assume the recipient's socket is on this node; every node subscribes and delivers to the sockets
 * it holds. The in-process implementation is memory.ts (one node); redis.ts is the one for several
 * nodes sharing a Redis.
 *
 * Presence tracks the login instances of each user across nodes for the kick policy.
 */
import type { PushFrame } from '../../protocol/wire.js';

export type BusEvent =
  | {
      kind: 'push';
      app: number;
      userID: string;
      frame: PushFrame;
      /** The connection that caused the event; it gets a response instead of the push. */
      exceptConnID?: string;
    }
  | {
      kind: 'kick';
      app: number;
      userID: string;
      /** Every socket of these instances is told why, then closed. */
      instanceIDs: string[];
      type: string;
    };

export type BusHandler = (event: BusEvent) => void;

export interface Bus {
  publish(event: BusEvent): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(handler: BusHandler): () => void;
  close(): Promise<void>;
}

export interface Presence {
  /**
   * Records a socket of `instanceID`. Sockets sharing an instanceID count as one instance. Returns
   * the instances, oldest login first, that must be kicked so that at most `maxInstances` remain
   * (never the one being attached); they are forgotten at once.
   */
  attach(
    app: number,
    userID: string,
    instanceID: string,
    connID: string,
    maxInstances: number,
  ): Promise<string[]>;
  /** Forgets a socket; the instance goes away with its last socket. */
  detach(app: number, userID: string, instanceID: string, connID: string): Promise<void>;
  /** Live instances of the user (user status: online while > 0). */
  instanceCount(app: number, userID: string): Promise<number>;
  /** instanceCount of each user, in the same order (one round trip where the store is remote). */
  instanceCounts(app: number, userIDs: string[]): Promise<number[]>;
  close(): Promise<void>;
}
