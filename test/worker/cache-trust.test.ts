/**
 * A cache that cannot be trusted: older schemas (by name or by the `schema` key), a newer one,
 * corrupted entries, and a database held open by another version (the deletion that would repair
 * it is blocked). The engine never fails because of it: it drops and rebuilds from the server, or
 * runs without a cache.
 */
import { expect } from '@open-wc/testing';
import { createStore, set } from 'idb-keyval';
import { EVENT } from '../../src/protocol/constants.js';
import type { EngineConfig } from '../../src/protocol/rpc.js';
import type { Conversation } from '../../src/protocol/types.js';
import {
  CACHE_SCHEMA_VERSION,
  Cache,
  cacheDatabaseName,
  deleteDatabase,
} from '../../src/worker/cache.js';
import { Host } from '../../src/worker/host.js';
import { socketFactory, tick, until } from './fake-socket.js';
import { conversation, tab } from './two-tabs.js';

let n = 0;
function config(): EngineConfig {
  return { server: 'http://trust.test', SDKAppID: 1400000003, userID: `t_${Date.now()}_${n++}` };
}

/** Open `name` at `version` with these stores and keys, and keep the connection. */
function openAt(
  name: string,
  version: number,
  stores: string[],
  values: Record<string, unknown> = {},
): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, version);
    req.onupgradeneeded = () => {
      for (const s of stores) {
        const store = req.result.createObjectStore(s);
        for (const [k, v] of Object.entries(values)) store.put(v, k);
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** A connection that never closes on `versionchange`: what an older or foreign build may do. */
async function holder(name: string, stores: string[], values: Record<string, unknown> = {}) {
  const db = await openAt(name, 7, stores, values);
  db.onversionchange = () => undefined;
  return db;
}

async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).map((d) => d.name ?? '');
}

function captureWarnings() {
  const original = console.warn;
  const lines: string[] = [];
  console.warn = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  };
  return { lines, restore: () => (console.warn = original) };
}

describe('Cache that cannot be trusted', () => {
  it('an older `schema` key: the database is dropped and rebuilt, logged once', async () => {
    const cfg = config();
    const name = cacheDatabaseName(cfg);
    const db = await openAt(name, 1, ['kv'], { schema: 0, cursor: 99, conversations: [] });
    db.close();
    const warnings = captureWarnings();
    let cache: Cache;
    try {
      cache = await Cache.open(cfg);
    } finally {
      warnings.restore();
    }
    expect(cache.enabled).to.equal(true);
    expect(await cache.loadCursor()).to.equal(undefined);
    expect(await cache.get('schema', (v): v is number => typeof v === 'number')).to.equal(
      CACHE_SCHEMA_VERSION,
    );
    expect(warnings.lines.filter((l) => l.includes(name))).to.have.length(1);
    expect(warnings.lines[0]).to.match(/older schema/);
    await cache.clear();
  });

  it('a database named for an older schema version (imkit-v0:...) is deleted', async () => {
    const cfg = config();
    const name = cacheDatabaseName(cfg);
    const old = name.replace(/^imkit-v1:/, 'imkit-v0:');
    (await openAt(old, 1, ['kv'], { cursor: 3 })).close();
    expect(await databaseNames()).to.include(old);
    const warnings = captureWarnings();
    const cache = await Cache.open(cfg).finally(warnings.restore);
    expect(cache.enabled).to.equal(true);
    expect(await databaseNames()).to.not.include(old);
    await cache.clear();
  });

  it('a newer `schema` key is left alone: no cache, warned once however often it opens', async () => {
    const cfg = config();
    const name = cacheDatabaseName(cfg);
    (await openAt(name, 1, ['kv'], { schema: CACHE_SCHEMA_VERSION + 1, cursor: 5 })).close();
    const warnings = captureWarnings();
    const first = await Cache.open(cfg);
    const second = await Cache.open(cfg).finally(warnings.restore);
    expect(first.enabled).to.equal(false);
    expect(second.enabled).to.equal(false);
    expect(warnings.lines.filter((l) => l.includes(name))).to.have.length(1);
    const raw = await openAt(name, 1, []);
    const cursor = await new Promise((resolve) => {
      const req = raw.transaction('kv').objectStore('kv').get('cursor');
      req.onsuccess = () => resolve(req.result);
    });
    raw.close();
    expect(cursor).to.equal(5); // untouched
    await deleteDatabase(name);
  });

  it('blocked: held open at a higher version without our store, it runs without cache at once', async () => {
    const cfg = config();
    const name = cacheDatabaseName(cfg);
    const db = await holder(name, ['other']);
    const warnings = captureWarnings();
    const started = Date.now();
    const cache = await Cache.open(cfg).finally(warnings.restore);
    expect(Date.now() - started).to.be.below(3000);
    expect(cache.enabled).to.equal(false);
    expect(warnings.lines.join('\n')).to.match(/held open by another version/);
    // once the other version lets go, the queued deletion runs and the next start rebuilds
    db.close();
    for (let i = 0; i < 100 && (await databaseNames()).includes(name); i++) await tick(30);
    const again = await Cache.open(cfg);
    expect(again.enabled).to.equal(true);
    await again.saveCursor(4);
    expect(await again.loadCursor()).to.equal(4);
    await again.clear();
  });

  it('blocked with an older schema: the engine logs in and serves the server data', async () => {
    const cfg = config();
    const name = cacheDatabaseName(cfg);
    const stale: Conversation[] = [conversation('C2Cstale')];
    const db = await holder(name, ['kv'], { schema: 0, cursor: 3, conversations: stale });
    const f = socketFactory();
    const host = new Host({ socketFactory: f.factory, idleMs: 50 });
    const t = tab(host);
    await t.rpc.call('attach', { rpc: 1, tabID: 't', config: cfg });
    const warnings = captureWarnings();
    const login = t.rpc.call('login', { userID: cfg.userID, userSig: 'sig' });
    await until(() => f.sockets.length === 1, 4000).finally(warnings.restore);
    const s = f.last();
    s.open();
    s.acceptLogin(10);
    await login;
    await until(() => s.ops().includes('getMyProfile'));
    expect(s.ops()).to.not.include('sync'); // nothing trusted: no cursor, fresh start
    s.answer('getConversationList', { conversationList: [conversation('C2Cfresh')] });
    s.answer('getGroupList', { groupList: [] });
    s.answer('getMyProfile', { userID: cfg.userID, nick: '' });
    await until(() => t.of(EVENT.SDK_READY).length === 1);
    const res = await t.rpc.call<{ conversationList: Conversation[] }>('getConversationList');
    expect(res.conversationList.map((c) => c.conversationID)).to.deep.equal(['C2Cfresh']);
    const info = await t.rpc.call<{ cacheEnabled: boolean }>('im:debug', { action: 'info' });
    expect(info.cacheEnabled).to.equal(false);
    t.rpc.close();
    db.close();
  });

  it('corrupted entries: the engine keeps what is sound and takes the rest from the server', async () => {
    const cfg = config();
    const seed = await Cache.open(cfg);
    await seed.saveCursor(5);
    seed.close();
    const raw = createStore(cacheDatabaseName(cfg), 'kv');
    await set('conversations', { not: 'a list' }, raw);
    await set('groups', 'garbage', raw);
    await set('outbox', [{ junk: true }], raw);
    const f = socketFactory();
    const host = new Host({ socketFactory: f.factory, idleMs: 50 });
    const t = tab(host);
    await t.rpc.call('attach', { rpc: 1, tabID: 't', config: cfg });
    const login = t.rpc.call('login', { userID: cfg.userID, userSig: 'sig' });
    await until(() => f.sockets.length === 1);
    const s = f.last();
    s.open();
    s.acceptLogin(5);
    await login;
    await until(() => s.ops().includes('sync'));
    expect(s.sent.find((x) => x.op === 'sync')!.data).to.deep.equal({ cursor: 5 }); // sound
    s.answer('sync', { messages: [], cursor: 5, isCompleted: true });
    await until(() => s.ops().includes('getMyProfile'));
    s.answer('getConversationList', { conversationList: [conversation('C2Cpeer')] });
    s.answer('getGroupList', { groupList: [] });
    s.answer('getMyProfile', { userID: cfg.userID, nick: '' });
    await until(() => t.of(EVENT.SDK_READY).length === 1);
    const info = await t.rpc.call<{ outbox: number; cacheEnabled: boolean }>('im:debug', {
      action: 'info',
    });
    expect(info).to.include({ outbox: 0, cacheEnabled: true });
    t.rpc.close();
  });
});
