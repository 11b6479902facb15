/** In-process bus and presence: one server process, no network hop. */
import type { Bus, BusEvent, BusHandler, Presence } from './types.js';

export class MemoryBus implements Bus {
  private readonly handlers = new Set<BusHandler>();

  /** Delivers synchronously, so pushes leave in the order the commits happened. */
  async publish(event: BusEvent): Promise<void> {
    for (const handler of this.handlers) handler(event);
  }

  subscribe(handler: BusHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}

interface Instance {
  order: number;
  conns: Set<string>;
}

export class MemoryPresence implements Presence {
  private readonly users = new Map<string, Map<string, Instance>>();
  private counter = 0;

  async attach(
    app: number,
    userID: string,
    instanceID: string,
    connID: string,
    maxInstances: number,
  ): Promise<string[]> {
    const key = `${app}:${userID}`;
    let instances = this.users.get(key);
    if (!instances) {
      instances = new Map();
      this.users.set(key, instances);
    }
    let instance = instances.get(instanceID);
    if (!instance) {
      instance = { order: ++this.counter, conns: new Set() };
      instances.set(instanceID, instance);
    }
    instance.conns.add(connID);
    const evicted: string[] = [];
    if (instances.size > maxInstances) {
      const oldest = [...instances.entries()]
        .filter(([id]) => id !== instanceID)
        .sort((a, b) => a[1].order - b[1].order);
      for (const [id] of oldest) {
        if (instances.size <= maxInstances) break;
        instances.delete(id);
        evicted.push(id);
      }
    }
    return evicted;
  }

  async detach(app: number, userID: string, instanceID: string, connID: string): Promise<void> {
    const key = `${app}:${userID}`;
    const instances = this.users.get(key);
    const instance = instances?.get(instanceID);
    if (!instances || !instance) return;
    instance.conns.delete(connID);
    if (instance.conns.size === 0) instances.delete(instanceID);
    if (instances.size === 0) this.users.delete(key);
  }

  async instanceCount(app: number, userID: string): Promise<number> {
    return this.users.get(`${app}:${userID}`)?.size ?? 0;
  }

  async instanceCounts(app: number, userIDs: string[]): Promise<number[]> {
    return userIDs.map((userID) => this.users.get(`${app}:${userID}`)?.size ?? 0);
  }

  async close(): Promise<void> {
    this.users.clear();
  }
}
