import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { ImChat } from '../../src/components/chat/chat.js';
import type { ImConversationList } from '../../src/components/conversation-list/conversation-list.js';
import type { ImProvider } from '../../src/components/provider/provider.js';
import { setClientFactory } from '../../src/components/client-source.js';
import { FakeChatClient, FakeError, makeConversation } from './fake-client.js';
import { AUTH, part, parts, resetClientFactory, useFakeClient } from './setup.js';

describe('im-provider and client resolution', () => {
  afterEach(() => resetClientFactory());

  it('provides one client to its descendants through context', async () => {
    const fake = new FakeChatClient('alice');
    fake.conversations = [makeConversation({ conversationID: 'C2Cbob' })];
    const configs = useFakeClient(fake);
    const provider = await fixture<ImProvider>(html`
      <im-provider server=${AUTH.server} app-id=${AUTH.appId} user-id="alice" user-sig="sig-a">
        <im-conversation-list></im-conversation-list>
        <im-chat conversation-id="C2Cbob"></im-chat>
      </im-provider>
    `);
    const list = provider.querySelector('im-conversation-list')!;
    const chat = provider.querySelector('im-chat')!;
    await waitUntil(() => list.client === fake && chat.client === fake);
    expect(provider.client).to.equal(fake);
    expect(configs).to.deep.equal([
      { server: AUTH.server, SDKAppID: AUTH.appId, userID: 'alice', userSig: 'sig-a' },
    ]);
    await waitUntil(() => parts(list, 'item').length === 1);
    await expect(provider).to.be.accessible();
  });

  it('fires im-ready with the client', async () => {
    const fake = new FakeChatClient('alice');
    useFakeClient(fake);
    const provider = document.createElement('im-provider');
    provider.setAttribute('app-id', String(AUTH.appId));
    provider.setAttribute('user-id', 'alice');
    provider.setAttribute('user-sig', 'sig');
    const ready = oneEvent(provider, 'im-ready');
    document.body.append(provider);
    const event = await ready;
    expect(event.detail.client).to.equal(fake);
    expect(event.detail.userID).to.equal('alice');
    provider.remove();
  });

  it('fires im-ready on SDK_READY when the client was not ready yet', async () => {
    const fake = new FakeChatClient('alice');
    fake.ready = false;
    useFakeClient(fake);
    let fired = 0;
    const provider = await fixture<ImProvider>(html`
      <im-provider app-id=${AUTH.appId} user-id="alice" user-sig="sig" @im-ready=${() => fired++}>
      </im-provider>
    `);
    await waitUntil(() => provider.client === fake);
    expect(fired).to.equal(0);
    fake.setReady(true);
    expect(fired).to.equal(1);
  });

  it('fires im-error when the client cannot be created', async () => {
    setClientFactory(() => Promise.reject(new FakeError(70001, 'UserSig expired')));
    const provider = document.createElement('im-provider');
    Object.assign(provider, { appId: AUTH.appId, userId: 'alice', userSig: 'old' });
    const error = oneEvent(provider, 'im-error');
    document.body.append(provider);
    expect((await error).detail).to.deep.equal({ code: 70001, message: 'UserSig expired' });
    provider.remove();
  });

  it('fires im-error for client ERROR and KICKED_OUT events', async () => {
    const fake = new FakeChatClient('alice');
    useFakeClient(fake);
    const provider = await fixture<ImProvider>(html`
      <im-provider app-id=${AUTH.appId} user-id="alice" user-sig="sig"></im-provider>
    `);
    await waitUntil(() => provider.client === fake);
    let error = oneEvent(provider, 'im-error');
    fake.emit('error', { code: 2801, message: 'boom' });
    expect((await error).detail).to.deep.equal({ code: 2801, message: 'boom' });
    error = oneEvent(provider, 'im-error');
    fake.emit('kickedOut', { type: 'multipleAccount' });
    expect((await error).detail.message).to.contain('multipleAccount');
  });

  it('resolves a standalone element from its own attributes', async () => {
    const fake = new FakeChatClient('bob');
    const configs = useFakeClient(fake);
    const list = await fixture<ImConversationList>(html`
      <im-conversation-list
        server="http://im.example"
        app-id="1400000009"
        user-id="bob"
        user-sig="sig-b"
      ></im-conversation-list>
    `);
    await waitUntil(() => list.client === fake);
    expect(configs).to.deep.equal([
      { server: 'http://im.example', SDKAppID: 1400000009, userID: 'bob', userSig: 'sig-b' },
    ]);
    await waitUntil(() => part(list, 'empty')?.textContent?.trim() === 'No conversations yet');
  });

  it('reports a standalone client ERROR event as im-error, but not inside a provider', async () => {
    const fake = new FakeChatClient('bob');
    useFakeClient(fake);
    const chat = await fixture<ImChat>(html`
      <im-chat app-id="1" user-id="bob" user-sig="s" conversation-id="C2Calice"></im-chat>
    `);
    await waitUntil(() => chat.client === fake);
    const error = oneEvent(chat, 'im-error');
    fake.emit('error', { code: 70001, message: 'UserSig expired' });
    expect((await error).detail).to.deep.equal({ code: 70001, message: 'UserSig expired' });

    const provider = await fixture<ImProvider>(html`
      <im-provider app-id="1" user-id="bob" user-sig="s">
        <im-chat conversation-id="C2Calice"></im-chat>
      </im-provider>
    `);
    const inner = provider.querySelector('im-chat')!;
    await waitUntil(() => inner.client === fake);
    const seen: string[] = [];
    provider.addEventListener('im-error', (e) => seen.push((e.target as Element).localName));
    fake.emit('error', { code: 1, message: 'x' });
    // the standalone chat above still reports; inside the provider only the provider does
    expect(seen).to.deep.equal(['im-provider']);
  });

  it('reports a missing client factory as im-error', async () => {
    setClientFactory();
    const list = document.createElement('im-conversation-list');
    Object.assign(list, { appId: 1, userId: 'alice', userSig: 's' });
    const error = oneEvent(list, 'im-error');
    document.body.append(list);
    expect((await error).detail.code).to.equal(6013);
    list.remove();
  });

  it('re-resolves when a standalone attribute changes, and waits while one is missing', async () => {
    const clients = new Map([
      ['alice', new FakeChatClient('alice')],
      ['bob', new FakeChatClient('bob')],
    ]);
    setClientFactory((config) => clients.get(config.userID)!);
    const chat = await fixture<ImChat>(html`
      <im-chat app-id="1400000001" user-id="alice" conversation-id="C2Ccarol"></im-chat>
    `);
    expect(chat.client).to.equal(null);
    chat.setAttribute('user-sig', 'sig');
    await waitUntil(() => chat.client === clients.get('alice'));
    chat.setAttribute('user-id', 'bob');
    await waitUntil(() => chat.client === clients.get('bob'));
    expect(clients.get('alice')!.listenerCount('onMessageReceived')).to.equal(0);
    expect(clients.get('bob')!.listenerCount('onMessageReceived')).to.equal(1);
  });

  it('prefers the provider over the element attributes', async () => {
    const providerClient = new FakeChatClient('alice');
    const other = new FakeChatClient('mallory');
    setClientFactory((config) => (config.userID === 'alice' ? providerClient : other));
    const provider = await fixture(html`
      <im-provider app-id="1" user-id="alice" user-sig="s">
        <im-group-panel app-id="1" user-id="mallory" user-sig="s" group-id="g"></im-group-panel>
      </im-provider>
    `);
    const panel = provider.querySelector('im-group-panel')!;
    await waitUntil(() => panel.client !== null);
    expect(panel.client).to.equal(providerClient);
  });

  it('serves children appended inside a provider built by script', async () => {
    const fake = new FakeChatClient('alice');
    useFakeClient(fake);
    const provider = document.createElement('im-provider');
    const list = document.createElement('im-conversation-list');
    provider.append(list);
    Object.assign(provider, { appId: 1, userId: 'alice', userSig: 's' });
    document.body.append(provider);
    await waitUntil(() => list.client === fake);
    provider.remove();
  });
});
