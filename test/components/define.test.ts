import { expect, waitUntil } from '@open-wc/testing';
import { defineElement } from '../../src/components/base/define-element.js';
import { setClientFactory } from '../../src/components/client-source.js';
import { ImProvider } from '../../src/components/provider/provider.js';
import { EVENT, TYPES } from '../../src/protocol/constants.js';
import { FakeChatClient } from './fake-client.js';

// Imported dynamically so the URL can carry a query: a second URL is a second module instance,
// which is what loading the script tag twice does.
const defineURL = new URL('../../src/define.ts', import.meta.url).href;

describe('define.ts', () => {
  afterEach(() => setClientFactory());

  it('registers every tag and exposes window.IMChat', async () => {
    const mod = await import(/* @vite-ignore */ defineURL);
    for (const [tag, ctor] of Object.entries(mod.elements)) {
      expect(customElements.get(tag), tag).to.equal(ctor);
    }
    expect(Object.keys(mod.elements)).to.deep.equal([
      'im-provider',
      'im-conversation-list',
      'im-chat',
      // [issue 6: users and relationships]
      'im-contact-list',
      'im-profile',
      'im-message',
      'im-message-actions',
      'im-composer',
      'im-pinned-bar',
    ]);
    // Defined from their own chunks on first use: asked for here (im-chat asks after its paint).
    expect(Object.keys(mod.lazyElements)).to.deep.equal([
      'im-group-panel',
      'im-merger-dialog',
      'im-conversation-picker',
      'im-read-members',
      'im-lightbox',
      'im-confirm-dialog',
      'im-emoji-picker',
    ]);
    const panel = document.createElement('im-group-panel');
    document.body.append(panel);
    await waitUntil(() => customElements.get('im-group-panel'), 'im-group-panel defined on use');
    expect(panel).to.be.instanceOf(customElements.get('im-group-panel')!);
    panel.remove();
    expect(window.IMChat?.EVENT).to.equal(EVENT);
    expect(window.IMChat?.TYPES).to.equal(TYPES);
    expect(window.IMChat?.create).to.be.a('function');
    expect(document.createElement('im-chat')).to.be.instanceOf(mod.elements['im-chat']);
  });

  it('tolerates being loaded twice', async () => {
    await import(/* @vite-ignore */ defineURL);
    const first = window.IMChat;
    const tags = ['im-provider', 'im-conversation-list', 'im-chat', 'im-group-panel'];
    const before = tags.map((t) => customElements.get(t));
    await import(/* @vite-ignore */ `${defineURL}?second-copy`);
    expect(tags.map((t) => customElements.get(t))).to.deep.equal(before);
    expect(window.IMChat).to.equal(first);
  });

  it('defineElement skips a tag that is already registered', () => {
    class Other extends HTMLElement {}
    expect(defineElement('im-chat', Other)).to.equal(false);
    expect(customElements.get('im-chat')).not.to.equal(Other);
  });

  it('lets a provider upgraded after its children still serve them (ContextRoot)', async () => {
    await import(/* @vite-ignore */ defineURL);
    const fake = new FakeChatClient('alice');
    setClientFactory(() => fake);
    const host = document.createElement('div');
    host.innerHTML = `<late-im-provider app-id="1" user-id="alice" user-sig="s">
        <im-conversation-list></im-conversation-list>
      </late-im-provider>`;
    document.body.append(host);
    const list = host.querySelector('im-conversation-list')!;
    // No provider yet: the request is parked at the ContextRoot.
    expect(list.client).to.equal(null);
    defineElement('late-im-provider', class extends ImProvider {});
    await waitUntil(() => list.client === fake, 'the late provider did not serve its child');
    host.remove();
  });
});
