import { expect } from '@open-wc/testing';
import { createStore, set } from 'idb-keyval';
import type { EngineConfig } from '../../src/protocol/rpc.js';
import { MESSAGE_DEFAULTS, type Conversation, type Message } from '../../src/protocol/types.js';
import { Cache, cacheDatabaseName, deleteDatabase } from '../../src/worker/cache.js';
import { emptyConversation } from '../../src/worker/conversations.js';

let n = 0;
function config(): EngineConfig {
  return {
    server: 'http://cache.test',
    SDKAppID: 1400000001,
    userID: `cache_${Date.now()}_${n++}`,
  };
}

function message(conversationID: string, sequence: number): Message {
  return {
    ...MESSAGE_DEFAULTS,
    ID: `m-${conversationID}-${sequence}`,
    type: 'TIMTextElem',
    payload: { text: `#${sequence}` },
    conversationID,
    conversationType: 'C2C',
    to: 'bob',
    from: 'alice',
    flow: 'out',
    time: 1000 + sequence,
    sequence,
    clientTime: 1000 + sequence,
    random: sequence,
  };
}

async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).map((d) => d.name ?? '');
}

describe('IndexedDB cache', () => {
  it('names one database per (server, app, user) with the schema version', () => {
    const c = { server: 'https://im.example.com', SDKAppID: 1400000001, userID: 'alice' };
    expect(cacheDatabaseName(c)).to.equal('imkit-v1:https://im.example.com:1400000001:alice');
  });

  it('reads back what it wrote after reopening', async () => {
    const cfg = config();
    const cache = await Cache.open(cfg);
    expect(cache.enabled).to.equal(true);
    const conv: Conversation = { ...emptyConversation('C2Cbob'), unreadCount: 3 };
    await cache.saveConversations([conv]);
    await cache.saveCursor(42);
    await cache.saveCursor(17); // never goes backwards
    await cache.saveInstanceID('instance-abc');
    await cache.appendMessages('C2Cbob', [message('C2Cbob', 1), message('C2Cbob', 2)]);
    cache.close();

    const again = await Cache.open(cfg);
    expect(await again.loadConversations()).to.deep.equal([conv]);
    expect(await again.loadCursor()).to.equal(42);
    expect(await again.loadInstanceID()).to.equal('instance-abc');
    expect((await again.loadMessages('C2Cbob')).map((m) => m.sequence)).to.deep.equal([1, 2]);
    await again.clear();
  });

  it('keeps the newest 50 messages per conversation, deduplicated and in order', async () => {
    const cache = await Cache.open(config());
    const first = Array.from({ length: 40 }, (_, i) => message('C2Cbob', i + 1));
    const second = Array.from({ length: 30 }, (_, i) => message('C2Cbob', 31 + i)); // 31..60, overlaps
    await cache.appendMessages('C2Cbob', second);
    await cache.appendMessages('C2Cbob', first);
    const list = await cache.loadMessages('C2Cbob');
    expect(list.length).to.equal(50);
    expect(list[0].sequence).to.equal(11);
    expect(list[49].sequence).to.equal(60);
    expect(new Set(list.map((m) => m.ID)).size).to.equal(50);
    await cache.clear();
  });

  it('is deleted on logout (clear) and starts empty afterwards', async () => {
    const cfg = config();
    const cache = await Cache.open(cfg);
    await cache.saveCursor(5);
    expect(await databaseNames()).to.include(cacheDatabaseName(cfg));
    await cache.clear();
    expect(cache.enabled).to.equal(false);
    expect(await databaseNames()).to.not.include(cacheDatabaseName(cfg));
    const fresh = await Cache.open(cfg);
    expect(await fresh.loadCursor()).to.equal(undefined);
    expect(await fresh.loadConversations()).to.deep.equal([]);
    await fresh.clear();
  });

  it('ignores a corrupt entry and keeps the others', async () => {
    const cfg = config();
    const cache = await Cache.open(cfg);
    await cache.saveCursor(9);
    cache.close();
    const raw = createStore(cacheDatabaseName(cfg), 'kv');
    await set('conversations', 'this is not a list', raw);
    await set('msgs:C2Cbob', [{ nonsense: true }], raw);
    await set('groups', [{ groupID: 'g1', name: 'ok' }, 42], raw);
    const again = await Cache.open(cfg);
    expect(await again.loadConversations()).to.deep.equal([]);
    expect(await again.loadMessages('C2Cbob')).to.deep.equal([]);
    expect(await again.loadGroups()).to.deep.equal([]);
    expect(await again.loadCursor()).to.equal(9);
    // and a read-modify-write over the corrupt entry replaces it
    await again.appendMessages('C2Cbob', [message('C2Cbob', 1)]);
    expect((await again.loadMessages('C2Cbob')).length).to.equal(1);
    await again.clear();
  });

  it('recreates a database that exists without its store', async () => {
    const cfg = config();
    const name = cacheDatabaseName(cfg);
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(name, 3);
      req.onupgradeneeded = () => req.result.createObjectStore('something-else');
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
      req.onerror = () => reject(req.error);
    });
    const cache = await Cache.open(cfg);
    expect(cache.enabled).to.equal(true);
    await cache.saveCursor(3);
    expect(await cache.loadCursor()).to.equal(3);
    await cache.clear();
  });

  it('runs without cache when the database cannot be opened', async () => {
    const cfg = config();
    const name = cacheDatabaseName(cfg);
    // Hold a connection at a newer version that refuses to close: opening at that version works,
    // but deleting it (needed to repair) is blocked. Simulate "unusable" by a database whose store
    // is missing while a blocker keeps it from being deleted.
    const blocker = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name, 5);
      req.onupgradeneeded = () => req.result.createObjectStore('other');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    blocker.onversionchange = () => undefined; // does not close: deletion stays blocked
    const started = Date.now();
    const cache = await Cache.open(cfg);
    expect(cache.enabled).to.equal(false);
    expect(await cache.loadConversations()).to.deep.equal([]);
    await cache.saveCursor(1); // no-op, no throw
    expect(Date.now() - started).to.be.below(15_000);
    blocker.close();
    await deleteDatabase(name);
  });
});
