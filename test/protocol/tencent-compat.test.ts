// Our public names and values must match the @tencentcloud/chat Web SDK, so code written against it
// keeps working: constants by value, client methods by name (read from its index.d.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { EVENT, TYPES } from '../../src/protocol/constants.js';

const require = createRequire(import.meta.url);

function loadTencent(): { EVENT: Record<string, string>; TYPES: Record<string, unknown> } {
  const originalLog = console.log;
  console.log = () => {}; // the SDK prints its version on load
  try {
    const mod = require('@tencentcloud/chat');
    return mod.default ?? mod;
  } finally {
    console.log = originalLog;
  }
}

test('every EVENT value equals Tencent’s', () => {
  const tencent = loadTencent();
  for (const [key, value] of Object.entries(EVENT)) {
    assert.ok(key in tencent.EVENT, `Tencent has no EVENT.${key}`);
    assert.equal(value, tencent.EVENT[key], `EVENT.${key}`);
  }
});

test('every TYPES value equals Tencent’s', () => {
  const tencent = loadTencent();
  for (const [key, value] of Object.entries(TYPES)) {
    assert.ok(key in tencent.TYPES, `Tencent has no TYPES.${key}`);
    assert.equal(value, tencent.TYPES[key], `TYPES.${key}`);
  }
});

test('every ChatClient method exists on Tencent’s ChatSDK', () => {
  const dts = readFileSync(require.resolve('@tencentcloud/chat/index.d.ts'), 'utf8');
  const sdk = dts.slice(dts.indexOf('export declare class ChatSDK'));
  const tencentMethods = new Set([...sdk.matchAll(/^\s{2}(\w+)\(/gm)].map((m) => m[1]));
  const ours = readFileSync(new URL('../../src/core/client-types.ts', import.meta.url), 'utf8');
  const iface = ours.slice(ours.indexOf('export interface ChatClient'));
  const ourMethods = [...iface.matchAll(/^\s{2}(\w+)\(/gm)].map((m) => m[1]);
  assert.ok(ourMethods.length >= 20, `found ${ourMethods.length} methods`);
  const extra = ['getNetState']; // ours only: the current NET_STATE_CHANGE state, synchronously
  for (const name of ourMethods) {
    if (extra.includes(name)) continue;
    assert.ok(tencentMethods.has(name), `Tencent's ChatSDK has no ${name}()`);
  }
});
