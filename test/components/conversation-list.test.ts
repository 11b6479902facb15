import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { ImConversationList } from '../../src/components/conversation-list/conversation-list.js';
import { EVENT } from '../../src/protocol/constants.js';
import {
  FakeChatClient,
  FakeError,
  lastMessageOf,
  makeConversation,
  makeGroup,
  makeMessage,
  makeProfile,
} from './fake-client.js';
import { AUTH, part, parts, resetClientFactory, useFakeClient } from './setup.js';

function seed(fake: FakeChatClient): void {
  const bobMsg = makeMessage({ conversationID: 'C2Cbob', payload: { text: 'hi alice' } });
  const teamMsg = makeMessage({ conversationID: 'GROUPteam', payload: { text: 'standup?' } });
  fake.conversations = [
    makeConversation({
      conversationID: 'C2Cbob',
      userProfile: makeProfile({ userID: 'bob', nick: 'Bob B.' }),
      lastMessage: lastMessageOf(bobMsg),
      unreadCount: 3,
    }),
    makeConversation({
      conversationID: 'GROUPteam',
      groupProfile: makeGroup({ groupID: 'team', name: 'The Team' }),
      lastMessage: lastMessageOf(teamMsg),
      unreadCount: 250,
    }),
    makeConversation({ conversationID: 'C2Ccarol' }),
  ];
}

async function mount(fake: FakeChatClient): Promise<ImConversationList> {
  useFakeClient(fake);
  const provider = await fixture(html`
    <im-provider
      server=${AUTH.server}
      app-id=${AUTH.appId}
      user-id="alice"
      user-sig=${AUTH.userSig}
    >
      <im-conversation-list></im-conversation-list>
    </im-provider>
  `);
  const el = provider.querySelector('im-conversation-list')!;
  await waitUntil(() => part(el, 'list') || part(el, 'empty')?.textContent?.includes('No conv'));
  return el;
}

const names = (el: Element) => parts(el, 'name').map((n) => n.textContent?.trim());

describe('im-conversation-list', () => {
  afterEach(() => resetClientFactory());

  it('renders conversations in client order: names, previews, badges with a 99+ cap', async () => {
    const fake = new FakeChatClient();
    seed(fake);
    const el = await mount(fake);
    expect(names(el)).to.deep.equal(['Bob B.', 'The Team', 'carol']);
    expect(parts(el, 'preview').map((p) => p.textContent)).to.deep.equal([
      'hi alice',
      'standup?',
      '',
    ]);
    const badges = parts(el, 'badge').map((b) => b.textContent?.replace(/\s+/g, ' ').trim());
    expect(badges).to.deep.equal(['3 unread', '99+ unread']);
    expect(parts(el, 'avatar')[0].textContent).to.equal('BB');
    expect(parts(el, 'time')).to.have.length(2);
    await expect(el).to.be.accessible();
  });

  it('paints from getConversationList before SDK_READY', async () => {
    const fake = new FakeChatClient();
    fake.ready = false;
    seed(fake);
    const el = await mount(fake);
    expect(names(el)).to.have.length(3);
  });

  it('retries on SDK_READY when the list could not be served yet', async () => {
    const fake = new FakeChatClient();
    fake.ready = false;
    seed(fake);
    fake.conversationListError = new FakeError(6014, 'not logged in');
    useFakeClient(fake);
    const provider = await fixture(html`
      <im-provider server=${AUTH.server} app-id=${AUTH.appId} user-id="alice" user-sig="s">
        <im-conversation-list></im-conversation-list>
      </im-provider>
    `);
    const el = provider.querySelector('im-conversation-list')!;
    await waitUntil(() => fake.callsOf('getConversationList').length > 0);
    expect(part(el, 'list')).to.equal(null);
    fake.conversationListError = null;
    fake.setReady(true);
    await waitUntil(() => names(el).length === 3);
  });

  it('updates on CONVERSATION_LIST_UPDATED (new conversation, unread badge)', async () => {
    const fake = new FakeChatClient();
    seed(fake);
    const el = await mount(fake);
    const [bob, team, carol] = fake.conversations;
    fake.updateConversations([
      makeConversation({ conversationID: 'C2Cdave', unreadCount: 1 }),
      { ...bob, unreadCount: 0 },
      team,
      carol,
    ]);
    await el.updateComplete;
    expect(names(el)).to.deep.equal(['dave', 'Bob B.', 'The Team', 'carol']);
    const badges = parts(el, 'badge').map((b) => b.textContent?.replace(/\s+/g, ' ').trim());
    expect(badges).to.deep.equal(['1 unread', '99+ unread']);
  });

  it('shows a connection banner while not connected', async () => {
    const fake = new FakeChatClient();
    seed(fake);
    fake.netState = 'connecting';
    const el = await mount(fake);
    const banner = () => part(el, 'banner')!;
    expect(banner().getAttribute('role')).to.equal('status');
    expect(banner().textContent).to.equal('Connecting…');
    fake.setNetState('disconnected');
    await el.updateComplete;
    expect(banner().textContent).to.equal('Disconnected — showing saved conversations');
    fake.setNetState('connected');
    await el.updateComplete;
    expect(banner().textContent).to.equal('');
    await expect(el).to.be.accessible();
  });

  it('shows an empty state', async () => {
    const fake = new FakeChatClient();
    const el = await mount(fake);
    expect(part(el, 'empty')!.textContent?.trim()).to.equal('No conversations yet');
    await expect(el).to.be.accessible();
  });

  it('selects with a click and emits im-conversation-select', async () => {
    const fake = new FakeChatClient();
    seed(fake);
    const el = await mount(fake);
    const listener = oneEvent(el, 'im-conversation-select');
    parts(el, 'item')[1].click();
    const event = await listener;
    expect(event.detail.conversationID).to.equal('GROUPteam');
    expect(event.detail.conversation.groupProfile?.name).to.equal('The Team');
    expect(event.bubbles).to.equal(true);
    expect(event.composed).to.equal(true);
    await el.updateComplete;
    expect(el.selected).to.equal('GROUPteam');
    expect(el.getAttribute('selected')).to.equal('GROUPteam');
    const items = parts(el, 'item');
    expect(items[1].getAttribute('aria-selected')).to.equal('true');
    expect(items[0].getAttribute('aria-selected')).to.equal('false');
  });

  it('moves focus with the arrow keys and selects with Enter and Space', async () => {
    const fake = new FakeChatClient();
    seed(fake);
    const el = await mount(fake);
    const items = () => parts(el, 'item');
    expect(items().map((i) => i.tabIndex)).to.deep.equal([0, -1, -1]);
    items()[0].focus();
    const key = (k: string) =>
      el.shadowRoot!.activeElement!.dispatchEvent(
        new KeyboardEvent('keydown', { key: k, bubbles: true, composed: true, cancelable: true }),
      );
    key('ArrowDown');
    await el.updateComplete;
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(items()[1]);
    key('End');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(items()[2]);
    key('ArrowUp');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(items()[1]);
    expect(items().map((i) => i.tabIndex)).to.deep.equal([-1, 0, -1]);

    let listener = oneEvent(el, 'im-conversation-select');
    key('Enter');
    expect((await listener).detail.conversationID).to.equal('GROUPteam');

    key('Home');
    await el.updateComplete;
    listener = oneEvent(el, 'im-conversation-select');
    key(' ');
    expect((await listener).detail.conversationID).to.equal('C2Cbob');
  });

  it('marks the conversation from the selected attribute', async () => {
    const fake = new FakeChatClient();
    seed(fake);
    useFakeClient(fake);
    const provider = await fixture(html`
      <im-provider server=${AUTH.server} app-id=${AUTH.appId} user-id="alice" user-sig="s">
        <im-conversation-list selected="C2Ccarol"></im-conversation-list>
      </im-provider>
    `);
    const el = provider.querySelector('im-conversation-list')!;
    await waitUntil(() => parts(el, 'item').length === 3);
    const items = parts(el, 'item');
    expect(items[2].getAttribute('aria-selected')).to.equal('true');
    expect(items[2].tabIndex).to.equal(0);
    expect(items[2].part.contains('item-selected')).to.equal(true);
  });

  it('switches to the dark theme with theme="dark" and stays accessible', async () => {
    const fake = new FakeChatClient();
    seed(fake);
    const el = await mount(fake);
    const light = getComputedStyle(el).backgroundColor;
    el.setAttribute('theme', 'dark');
    await el.updateComplete;
    const dark = getComputedStyle(el).backgroundColor;
    expect(dark).not.to.equal(light);
    expect(dark).to.equal('rgb(22, 24, 29)');
    await expect(el).to.be.accessible();
    // a page token wins over the defaults in both themes
    el.style.setProperty('--im-color-bg', 'rgb(1, 2, 3)');
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(1, 2, 3)');
  });

  it('renders markup in names and previews as text', async () => {
    const fake = new FakeChatClient();
    const evil = '<img src=x onerror="window.__pwned=1">';
    const m = makeMessage({ conversationID: 'C2Cmallory', payload: { text: evil } });
    fake.conversations = [
      makeConversation({
        conversationID: 'C2Cmallory',
        userProfile: makeProfile({ userID: 'mallory', nick: evil }),
        lastMessage: lastMessageOf(m),
      }),
    ];
    const el = await mount(fake);
    expect(part(el, 'preview')!.textContent).to.equal(evil);
    expect(part(el, 'name')!.textContent).to.equal(evil);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('unsubscribes from client events when removed', async () => {
    const fake = new FakeChatClient();
    seed(fake);
    const el = await mount(fake);
    expect(fake.listenerCount(EVENT.CONVERSATION_LIST_UPDATED)).to.equal(1);
    el.remove();
    expect(fake.listenerCount(EVENT.CONVERSATION_LIST_UPDATED)).to.equal(0);
  });
});
