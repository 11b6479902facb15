// End to end: alice's network goes dark while bob keeps sending to her. A TCP proxy between her
// browser and the IM server first swallows every byte both ways (the server's pushes to her are
// lost on the wire, and neither side notices), then drops the connections without a WebSocket close
// frame. Her client reconnects by itself, catches up, and shows every message once: on screen, in
// MESSAGE_RECEIVED and in the history.
import assert from 'node:assert/strict';
import { createServer, connect, type Socket, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { e2eServer, launchChromium, openUserPage, type E2EServer } from './harness.js';

let server: E2EServer;
let browser: Browser;
let proxy: Proxy;

/** A TCP proxy that can swallow traffic and cut its connections without any close frame. */
interface Proxy {
  url: string;
  /** Forward bytes (true) or drop them on the floor (false). */
  forwarding: boolean;
  /** Destroy every connection (TCP close; no WebSocket close frame either way). */
  cut(): void;
  close(): Promise<void>;
}

async function startProxy(target: number): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const state = { forwarding: true };
  const srv: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.on('data', (chunk) => {
      if (state.forwarding) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (state.forwarding) client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get forwarding() {
      return state.forwarding;
    },
    set forwarding(value: boolean) {
      state.forwarding = value;
    },
    cut() {
      for (const s of sockets) s.destroy();
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => srv.close(() => resolve()));
    },
  };
}

before(async () => {
  server = await e2eServer();
  proxy = await startProxy(server.port);
  browser = await launchChromium(chromium);
});

after(async () => {
  await browser?.close();
  await proxy?.close();
  await server?.close();
});

test('pushes lost to a dead network are caught up once after the client reconnects', async () => {
  const aliceCtx = await browser.newContext();
  const bobCtx = await browser.newContext();
  // alice reaches the server (page, bundle and socket) only through the proxy
  const viaProxy = Object.assign(Object.create(server) as E2EServer, { url: proxy.url });
  const alice = await openUserPage(aliceCtx, viaProxy, 'alice', 'bob');
  const bob = await openUserPage(bobCtx, server, 'bob', 'alice');

  const send = (text: string) =>
    bob.evaluate(
      `(async () => {
        const chat = window.__chat;
        const m = chat.createTextMessage({ to: 'alice', conversationType: 'C2C', payload: { text: ${JSON.stringify(text)} } });
        await chat.sendMessage(m);
        return m.ID;
      })()`,
    ) as Promise<string>;

  const texts: string[] = [];
  const say = async (text: string) => {
    texts.push(text);
    await send(text);
  };
  await say('before the drop');
  await alice.locator('im-chat').getByText('before the drop').waitFor();

  // The network goes dark: the server keeps pushing to alice's socket, the bytes are lost.
  proxy.forwarding = false;
  for (let i = 1; i <= 8; i++) await say(`lost on the wire ${i}`);
  // Then the connections die without a close frame; alice's client has to notice and reconnect.
  proxy.cut();
  proxy.forwarding = true;
  await alice.waitForFunction(() => (window as any).__chat.getNetState() !== 'connected', null, {
    timeout: 10000,
  });
  for (let i = 1; i <= 3; i++) await say(`while reconnecting ${i}`);
  await alice.waitForFunction(() => (window as any).__chat.isReady() === true, null, {
    timeout: 30000,
  });
  await say('after the reconnect');

  for (const text of texts) {
    await alice.locator('im-chat').getByText(text, { exact: true }).waitFor({ timeout: 20000 });
  }
  await new Promise((r) => setTimeout(r, 500));
  for (const text of texts) {
    assert.equal(
      await alice.locator('im-chat').getByText(text, { exact: true }).count(),
      1,
      `"${text}" is shown once`,
    );
  }
  const received: string[] = await alice.evaluate(
    `window.__events.filter((e) => e.name === 'MESSAGE_RECEIVED')
      .flatMap((e) => e.data).filter((m) => m.conversationID === 'C2Cbob')
      .map((m) => m.payload.text)`,
  );
  assert.deepEqual(
    [...received].sort(),
    [...texts].sort(),
    'each message reached MESSAGE_RECEIVED exactly once',
  );
  const history: string[] = await alice.evaluate(`(async () => {
    const res = await window.__chat.getMessageList({ conversationID: 'C2Cbob', count: 15 });
    return res.data.messageList.map((m) => m.payload.text);
  })()`);
  assert.deepEqual(history, texts, 'the history holds them in order, once each');
  const states: string[] = await alice.evaluate(
    `window.__events.filter((e) => e.name === 'NET_STATE_CHANGE').map((e) => e.data.state)`,
  );
  assert.ok(states.includes('disconnected') || states.includes('connecting'));
  assert.equal(states.at(-1), 'connected');
  await aliceCtx.close();
  await bobCtx.close();
});

test('recalls and edits made while the network was down reach the open chat once it is back', async () => {
  const erinCtx = await browser.newContext();
  const frankCtx = await browser.newContext();
  const viaProxy = Object.assign(Object.create(server) as E2EServer, { url: proxy.url });
  const erin = await openUserPage(erinCtx, viaProxy, 'erin', 'frank');
  const frank = await openUserPage(frankCtx, server, 'frank', 'erin');
  const chat = erin.locator('im-chat');

  for (const text of ['recall me', 'edit me', 'keep me']) {
    await frank.evaluate(
      `(async () => {
        const chat = window.__chat;
        const m = chat.createTextMessage({ to: 'erin', conversationType: 'C2C', payload: { text: ${JSON.stringify(text)} } });
        const res = await chat.sendMessage(m);
        (window.__sent ??= {})[${JSON.stringify(text)}] = res.data.message;
      })()`,
    );
    await chat.getByText(text, { exact: true }).waitFor();
  }

  // Dark, then cut: erin's socket never hears of the recall and the edit.
  proxy.forwarding = false;
  await frank.evaluate(`(async () => {
    const chat = window.__chat;
    await chat.revokeMessage(window.__sent['recall me']);
    const m = window.__sent['edit me'];
    m.payload.text = 'edited while away';
    await chat.modifyMessage(m);
  })()`);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await chat.getByText('recall me', { exact: true }).count(), 1, 'not heard yet');
  proxy.cut();
  proxy.forwarding = true;
  await erin.waitForFunction(() => (window as any).__chat.getNetState() !== 'connected', null, {
    timeout: 10000,
  });
  await erin.waitForFunction(() => (window as any).__chat.isReady() === true, null, {
    timeout: 30000,
  });

  await chat.getByText('edited while away', { exact: true }).waitFor({ timeout: 20000 });
  await chat.getByText('frank recalled a message').waitFor({ timeout: 20000 });
  assert.equal(await chat.getByText('recall me', { exact: true }).count(), 0);
  assert.equal(await chat.getByText('edit me', { exact: true }).count(), 0);
  assert.equal(await chat.getByText('keep me', { exact: true }).count(), 1);
  await new Promise((r) => setTimeout(r, 300));
  const events: Record<string, string[]> = await erin.evaluate(`(() => {
    const ids = (name) => window.__events.filter((e) => e.name === name)
      .flatMap((e) => e.data).map((m) => m.payload.text ?? m.ID);
    return { revoked: ids('MESSAGE_REVOKED').length, modified: ids('MESSAGE_MODIFIED') };
  })()`);
  assert.deepEqual(events, { revoked: 1, modified: ['edited while away'] }, 'each event once');
  await erinCtx.close();
  await frankCtx.close();
});
