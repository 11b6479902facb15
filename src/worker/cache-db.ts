/**
 * Opening the cache database, and what to do when it cannot be trusted. The cache is only a cache:
 * whatever is wrong with it, the engine drops it and rebuilds from the server, or runs without one.
 *
 * - Databases of older schema versions of the same (server, app, user), `imkit-v0:...`, are
 *   deleted (their data is never read).
 * - A database that opens without our object store, that fails to open (corrupt), or whose
 *   `schema` key holds an older number is deleted and created again. A `schema` key with a newer
 *   number belongs to a newer build: it is left alone and the engine runs without a cache.
 * - When another connection holds the database and does not close on `versionchange` (an older or
 *   foreign build), a deletion is blocked: after a short grace the engine runs without a cache
 *   instead of waiting (the deletion stays queued and happens when that connection closes).
 * Each of these is logged once per database.
 */
export const STORE = 'kv';

/** How long a blocked deletion may take before the engine gives up on the cache. */
export const BLOCKED_GRACE_MS = 1000;

export class CacheBlockedError extends Error {
  constructor(name: string) {
    super(`${name} is held open by another version`);
    this.name = 'CacheBlockedError';
  }
}

const logged = new Set<string>();

/** Log a problem once per key (a database, or a database and entry). */
export function warnOnce(key: string, message: string): void {
  if (logged.has(key)) return;
  logged.add(key);
  console.warn(`[imkit] ${message}`);
}

export function errText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * Make sure the database exists with our store. A database of that name without the store, or one
 * that fails to open, is deleted and created again (once).
 */
export async function ensureDatabase(name: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    let db: IDBDatabase;
    try {
      db = await openDatabase(name);
    } catch (err) {
      if (attempt > 0 || err instanceof CacheBlockedError) throw err;
      warnOnce(`${name}|open`, `cache ${name} does not open (${errText(err)}); recreating it`);
      await deleteDatabase(name, BLOCKED_GRACE_MS);
      continue;
    }
    const ok = db.objectStoreNames.contains(STORE);
    db.close();
    if (ok) return;
    warnOnce(`${name}|store`, `cache ${name} has no '${STORE}' store; recreating it`);
    await deleteDatabase(name, BLOCKED_GRACE_MS);
  }
  throw new Error('the cache database could not be created');
}

function openDatabase(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('open failed'));
    req.onblocked = () => reject(new CacheBlockedError(name));
  });
}

/**
 * Delete a database. With `blockedGraceMs`, a deletion still blocked by another connection after
 * that long rejects with CacheBlockedError (the request itself stays queued in the browser).
 */
export function deleteDatabase(name: string, blockedGraceMs?: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => {
      clearTimeout(timer);
      resolve();
    };
    req.onerror = () => {
      clearTimeout(timer);
      reject(req.error ?? new Error('delete failed'));
    };
    req.onblocked = () => {
      if (blockedGraceMs === undefined) {
        console.info(`[imkit] deleting ${name} waits for open connections to close`);
        return;
      }
      timer ??= setTimeout(() => reject(new CacheBlockedError(name)), blockedGraceMs);
    };
  });
}

/**
 * Delete the databases of older schema versions of the same (server, app, user) (`imkit-v0:...`
 * when the current one is `imkit-v1:...`). Never throws; a blocked deletion is left queued.
 */
export async function dropOlderVersions(currentName: string, version: number): Promise<void> {
  const rest = currentName.slice(`imkit-v${version}:`.length);
  const older = Array.from({ length: version }, (_, v) => `imkit-v${v}:${rest}`);
  let existing: Set<string> | null = null;
  try {
    existing = new Set((await indexedDB.databases()).map((d) => d.name ?? ''));
  } catch {
    // databases() is missing in some browsers: try every older name
  }
  for (const name of older) {
    if (existing && !existing.has(name)) continue;
    try {
      await deleteDatabase(name, BLOCKED_GRACE_MS);
      warnOnce(name, `cache ${name} is of an older schema; deleted`);
    } catch (err) {
      warnOnce(name, `cache ${name} is of an older schema and cannot be deleted: ${errText(err)}`);
    }
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}
