/**
 * Prepared statements cached by SQL text, per database: preparing costs more than running a simple
 * statement, and the storage modules run the same few hundred statements over and over.
 */
import type Database from 'better-sqlite3';

/** More distinct statements than this per database are prepared without being cached. */
const MAX_CACHED = 1000;

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function prepared(db: Database.Database, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    if (cache.size < MAX_CACHED) cache.set(sql, statement);
  }
  return statement;
}
