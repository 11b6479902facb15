/**
 * What a message-extension write changes, decided in memory from the rows the store read (inside
 * its transaction, with the message's extensions locked): the same rules for SQLite and PostgreSQL.
 */
import type { ExtensionRecord, ExtensionWrite, ExtensionWriteResult } from './types.js';

/** One row of `message_extensions`. */
export interface ExtensionRow {
  key: string;
  value: string;
  seq: number;
  deleted: number;
  updated_by: string;
  updated_ms: number;
}

export interface ExtensionPlan {
  result: ExtensionWriteResult;
  /** The rows to upsert, one per applied key (the store writes them, then commits). */
  rows: ExtensionRow[];
}

/**
 * A key another user changed since `conflictSinceMs`, or one written twice in the same call, is a
 * conflict and is not written; the others are, each with the message's next sequence. If the
 * message would then hold more than `maxKeys` live keys, nothing is written.
 */
export function planExtensionWrites(
  stored: readonly ExtensionRow[],
  writes: readonly ExtensionWrite[],
  actor: string,
  nowMs: number,
  conflictSinceMs: number,
  maxKeys: number,
): ExtensionPlan {
  const rows = new Map(stored.map((r) => [r.key, r]));
  let seq = Math.max(0, ...stored.map((r) => r.seq));
  const seen = new Set<string>();
  const planned: ExtensionRow[] = [];
  const conflictKeys: string[] = [];
  const live = new Set(stored.filter((r) => !r.deleted).map((r) => r.key));
  for (const write of writes) {
    const row = rows.get(write.key);
    const raced =
      seen.has(write.key) ||
      (row !== undefined && row.updated_by !== actor && row.updated_ms >= conflictSinceMs);
    seen.add(write.key);
    if (raced) {
      conflictKeys.push(write.key);
      continue;
    }
    if (write.value === null) live.delete(write.key);
    else live.add(write.key);
    const next: ExtensionRow = {
      key: write.key,
      value: write.value ?? '',
      seq: ++seq,
      deleted: write.value === null ? 1 : 0,
      updated_by: actor,
      updated_ms: nowMs,
    };
    rows.set(write.key, next);
    planned.push(next);
  }
  if (live.size > maxKeys) {
    return { result: { applied: [], conflicts: [], overLimit: true }, rows: [] };
  }
  // A conflict reports the key's state as this call leaves it (a key written twice: the first).
  const current = (key: string): ExtensionRecord => {
    const r = rows.get(key);
    return { key, value: r && !r.deleted ? r.value : '', seq: r?.seq ?? 0 };
  };
  return {
    result: {
      applied: planned.map((r) => ({ key: r.key, value: r.value, seq: r.seq })),
      conflicts: conflictKeys.map(current),
      overLimit: false,
    },
    rows: planned,
  };
}
