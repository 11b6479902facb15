/** Tencent-style `on(name, handler, context)` / `off(...)`; handlers get `{name, data}`. */
import type { IMEventHandler } from './client-types.js';

interface Entry {
  handler: IMEventHandler;
  context: unknown;
}

export class Emitter {
  private readonly map = new Map<string, Entry[]>();

  on(name: string, handler: IMEventHandler, context?: unknown): void {
    if (typeof handler !== 'function') return;
    const list = this.map.get(name) ?? [];
    if (list.some((e) => e.handler === handler && e.context === context)) return;
    list.push({ handler, context });
    this.map.set(name, list);
  }

  /** Remove `handler` (only the entry with that `context` when one is given). */
  off(name: string, handler: IMEventHandler, context?: unknown): void {
    const list = this.map.get(name);
    if (!list) return;
    const next = list.filter(
      (e) => !(e.handler === handler && (context === undefined || e.context === context)),
    );
    if (next.length) this.map.set(name, next);
    else this.map.delete(name);
  }

  emit(name: string, data: unknown): void {
    const list = this.map.get(name);
    if (!list) return;
    for (const { handler, context } of [...list]) {
      try {
        handler.call(context, { name, data });
      } catch (err) {
        console.error(`[imkit] ${name} handler threw`, err);
      }
    }
  }

  clear(): void {
    this.map.clear();
  }
}
