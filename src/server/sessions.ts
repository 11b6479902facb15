/**
 * The authenticated sockets of this node, by user. It subscribes to the bus and delivers each
 * event to the local sockets of its user; it never decides who should receive what.
 */
import type { PushFrame } from '../protocol/wire.js';
import type { BusEvent } from './bus/types.js';
import type { Metrics } from './metrics.js';

export interface Session {
  readonly connID: string;
  readonly app: number;
  readonly userID: string;
  readonly instanceID: string;
  push(frame: PushFrame): void;
  kick(type: string): void;
  close(code: number, reason: string): void;
}

export class SessionRegistry {
  private readonly byUser = new Map<string, Set<Session>>();
  private count = 0;

  constructor(private readonly metrics: Metrics) {}

  private key(app: number, userID: string): string {
    return `${app}:${userID}`;
  }

  add(session: Session): void {
    const key = this.key(session.app, session.userID);
    let set = this.byUser.get(key);
    if (!set) this.byUser.set(key, (set = new Set()));
    if (set.has(session)) return;
    set.add(session);
    this.count++;
    this.updateMetrics();
  }

  remove(session: Session): void {
    const key = this.key(session.app, session.userID);
    const set = this.byUser.get(key);
    if (!set?.delete(session)) return;
    if (set.size === 0) this.byUser.delete(key);
    this.count--;
    this.updateMetrics();
  }

  sessionsOf(app: number, userID: string): Session[] {
    return [...(this.byUser.get(this.key(app, userID)) ?? [])];
  }

  /** Closes every socket of this node (each client reconnects and catches up). */
  closeAll(code: number, reason: string): void {
    for (const set of [...this.byUser.values()]) {
      for (const session of [...set]) session.close(code, reason);
    }
  }

  get size(): number {
    return this.count;
  }

  private updateMetrics(): void {
    this.metrics.connections = this.count;
    this.metrics.usersOnline = this.byUser.size;
  }

  deliver(event: BusEvent): void {
    const sessions = this.byUser.get(this.key(event.app, event.userID));
    if (!sessions) return;
    for (const session of [...sessions]) {
      if (event.kind === 'push') {
        if (session.connID !== event.exceptConnID) session.push(event.frame);
      } else if (event.instanceIDs.includes(session.instanceID)) {
        session.kick(event.type);
      }
    }
  }
}
