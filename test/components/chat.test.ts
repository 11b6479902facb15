import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { EVENT } from '../../src/protocol/constants.js';
import { c2cFake, input, mountChat, texts } from './chat-fixtures.js';
import {
  FakeChatClient,
  FakeError,
  makeConversation,
  makeGroup,
  makeMember,
  makeMessage,
} from './fake-client.js';
import {
  AUTH,
  deepPart,
  deepParts,
  part,
  parts,
  resetClientFactory,
  useFakeClient,
} from './setup.js';

const DAY = 86_400;

function history(conversationID: string, count: number, start: number) {
  return Array.from({ length: count }, (_, i) =>
    makeMessage({
      conversationID,
      from: i % 3 === 0 ? 'alice' : 'bob',
      flow: i % 3 === 0 ? 'out' : 'in',
      time: start + i * 60,
      payload: { text: `line ${i}\nsecond line of ${i}` },
    }),
  );
}

const mount = (fake: FakeChatClient, conversationID = 'C2Cbob') =>
  mountChat(fake, conversationID, { height: 360 });

describe('im-chat', () => {
  afterEach(() => resetClientFactory());

  it('shows the peer nick and the newest page with own and other bubbles', async () => {
    const fake = c2cFake();
    const now = Math.floor(Date.now() / 1000);
    fake.addMessages('C2Cbob', [
      makeMessage({
        conversationID: 'C2Cbob',
        flow: 'in',
        time: now - 2 * DAY,
        payload: { text: 'old' },
      }),
      makeMessage({
        conversationID: 'C2Cbob',
        flow: 'in',
        time: now - 60,
        payload: { text: 'hello' },
      }),
      makeMessage({
        conversationID: 'C2Cbob',
        flow: 'out',
        from: 'alice',
        time: now - 30,
        payload: { text: 'hi bob' },
      }),
    ]);
    const el = await mount(fake);
    await waitUntil(() => part(el, 'title')?.textContent === 'Bobby');
    expect(texts(el)).to.deep.equal(['old', 'hello', 'hi bob']);
    const messages = parts(el, 'message');
    expect(messages.map((m) => m.part.contains('message-out'))).to.deep.equal([false, false, true]);
    // Two days: two separators, "Today" for the last.
    const days = parts(el, 'day-separator').map((d) => d.textContent);
    expect(days).to.have.length(2);
    expect(days[1]).to.equal('Today');
    expect(deepParts(el, 'message-time')).to.have.length(3);
    expect(deepParts(el, 'sender')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('shows the group name, member count and sender names in groups', async () => {
    const fake = new FakeChatClient('alice');
    fake.groups.set('team', makeGroup({ groupID: 'team', name: 'The Team', memberCount: 3 }));
    fake.members.set('team', [makeMember({ userID: 'alice' })]);
    fake.addMessages('GROUPteam', [
      makeMessage({ conversationID: 'GROUPteam', from: 'bob', nick: 'Bobby', flow: 'in' }),
      makeMessage({ conversationID: 'GROUPteam', from: 'bob', nick: 'Bobby', flow: 'in' }),
      makeMessage({ conversationID: 'GROUPteam', from: 'carol', nameCard: 'Caz', flow: 'in' }),
      makeMessage({ conversationID: 'GROUPteam', from: 'alice', flow: 'out' }),
    ]);
    const el = await mount(fake, 'GROUPteam');
    await waitUntil(() => part(el, 'title')?.textContent === 'The Team');
    expect(part(el, 'subtitle')!.textContent).to.equal('3 members');
    expect(deepParts(el, 'sender').map((s) => s.textContent)).to.deep.equal(['Bobby', 'Caz']);
    fake.groups.set('team', makeGroup({ groupID: 'team', name: 'Renamed', memberCount: 4 }));
    fake.emit(EVENT.GROUP_LIST_UPDATED, []);
    await waitUntil(() => part(el, 'title')?.textContent === 'Renamed');
    expect(part(el, 'subtitle')!.textContent).to.equal('4 members');
    await expect(el).to.be.accessible();
  });

  it('appends MESSAGE_RECEIVED for this conversation only, once', async () => {
    const fake = c2cFake();
    fake.addMessages('C2Cbob', history('C2Cbob', 3, 1_700_000_000));
    const el = await mount(fake);
    const incoming = makeMessage({ conversationID: 'C2Cbob', payload: { text: 'live!' } });
    fake.receive([
      incoming,
      makeMessage({ conversationID: 'C2Ccarol', payload: { text: 'not here' } }),
    ]);
    fake.receive([incoming]);
    await el.updateComplete;
    const all = texts(el);
    expect(all[all.length - 1]).to.equal('live!');
    expect(all.filter((t) => t === 'live!')).to.have.length(1);
    expect(all).not.to.include('not here');
  });

  it('shows a message another tab of this browser sent once, and applies revokes', async () => {
    const fake = c2cFake();
    const el = await mount(fake);
    const mine = makeMessage({
      conversationID: 'C2Cbob',
      flow: 'out',
      from: 'alice',
      payload: { text: 'from tab two' },
    });
    fake.emit('im:messageSent', { message: mine });
    fake.emit('im:messageSent', { message: mine });
    await el.updateComplete;
    expect(texts(el)).to.deep.equal(['from tab two']);
    expect(parts(el, 'message')[0].part.contains('message-out')).to.equal(true);
    fake.emit(EVENT.MESSAGE_REVOKED, [{ ...mine, isRevoked: true, revoker: 'alice' }]);
    await el.updateComplete;
    expect(texts(el)).to.deep.equal([]);
    expect(part(el, 'tombstone')!.textContent!.trim()).to.equal('You recalled a message');
  });

  it('marks read when CONVERSATION_LIST_UPDATED reports unread here', async () => {
    const fake = c2cFake();
    const el = await mount(fake);
    await el.updateComplete;
    expect(fake.callsOf('setMessageRead')).to.have.length(0);
    fake.updateConversations([
      makeConversation({ conversationID: 'C2Ccarol', unreadCount: 4 }),
      makeConversation({ conversationID: 'C2Cbob', unreadCount: 0 }),
    ]);
    await aTimeout(20);
    expect(fake.callsOf('setMessageRead')).to.have.length(0);
    fake.updateConversations([makeConversation({ conversationID: 'C2Cbob', unreadCount: 1 })]);
    await waitUntil(() => fake.callsOf('setMessageRead').length === 1);
  });

  it('loads the older page when scrolled to the top and keeps the scroll position', async () => {
    const fake = c2cFake();
    fake.addMessages('C2Cbob', history('C2Cbob', 40, 1_700_000_000));
    const el = await mount(fake);
    const log = part(el, 'messages')!;
    await waitUntil(() => log.scrollTop > 0, 'should start scrolled to the bottom');
    expect(parts(el, 'message')).to.have.length(15);
    expect(log.scrollHeight - log.scrollTop - log.clientHeight).to.be.below(2);

    const anchor = el.shadowRoot!.querySelector<HTMLElement>(
      `[data-message-id='${fake.messages.get('C2Cbob')![25].ID}']`,
    )!;
    log.scrollTop = 0;
    const offsetBefore = anchor.getBoundingClientRect().top;
    log.dispatchEvent(new Event('scroll'));
    await waitUntil(() => parts(el, 'message').length === 30, 'older page did not load');
    await el.updateComplete;
    expect(fake.callsOf('getMessageList')[1].args[0]).to.include({
      nextReqMessageID: fake.messages.get('C2Cbob')![25].ID,
    });
    expect(Math.abs(anchor.getBoundingClientRect().top - offsetBefore)).to.be.below(2);
    expect(log.scrollTop).to.be.above(0);
    expect(texts(el)[0]).to.equal('line 10\nsecond line of 10');
  });

  it('sends with Enter, adds a line with Shift+Enter', async () => {
    const fake = c2cFake();
    const el = await mount(fake);
    const box = input(el);
    box.focus();
    await sendKeys({ type: 'first' });
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ type: 'second' });
    expect(box.value).to.equal('first\nsecond');
    expect(fake.callsOf('sendMessage')).to.have.length(0);

    const sent = oneEvent(el, 'im-message-sent');
    await sendKeys({ press: 'Enter' });
    const event = await sent;
    expect(event.detail.message.payload).to.deep.equal({ text: 'first\nsecond' });
    expect(event.detail.conversationID).to.equal('C2Cbob');
    expect(fake.callsOf('createTextMessage')[0].args[0]).to.deep.include({
      to: 'bob',
      conversationType: 'C2C',
    });
    expect(box.value).to.equal('');
    await el.updateComplete;
    expect(texts(el)).to.deep.equal(['first\nsecond']);
    expect(parts(el, 'message')[0].part.contains('message-out')).to.equal(true);
  });

  it('sends with the send button', async () => {
    const fake = c2cFake();
    const el = await mount(fake);
    const box = input(el);
    const button = deepPart<HTMLButtonElement>(el, 'send-button')!;
    expect(button.disabled).to.equal(true);
    box.value = 'via button';
    box.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(button.disabled).to.equal(false);
    button.click();
    await waitUntil(() => fake.callsOf('sendMessage').length === 1);
  });

  it('shows a pending message, then success', async () => {
    const fake = c2cFake();
    fake.holdSends = true;
    const el = await mount(fake);
    const box = input(el);
    box.value = 'wait for it';
    box.dispatchEvent(new Event('input'));
    await el.updateComplete;
    deepPart<HTMLButtonElement>(el, 'send-button')!.click();
    await waitUntil(() => parts(el, 'message-pending').length === 1);
    expect(deepPart(el, 'status')!.textContent).to.equal('Sending…');
    fake.releaseSends();
    await waitUntil(() => parts(el, 'message-pending').length === 0);
    expect(deepPart(el, 'status')).to.equal(null);
    expect(texts(el)).to.deep.equal(['wait for it']);
  });

  it('marks a failed send and retries it with the same message', async () => {
    const fake = c2cFake();
    fake.failSends = new FakeError(9508, 'network down');
    const el = await mount(fake);
    const box = input(el);
    box.value = 'try me';
    box.dispatchEvent(new Event('input'));
    await el.updateComplete;
    const error = oneEvent(el, 'im-error');
    deepPart<HTMLButtonElement>(el, 'send-button')!.click();
    expect((await error).detail).to.deep.equal({ code: 9508, message: 'network down' });
    await waitUntil(() => parts(el, 'message-failed').length === 1);
    expect(deepPart(el, 'status-failed')!.textContent).to.equal('Failed to send');
    await expect(el).to.be.accessible();

    fake.failSends = null;
    deepPart<HTMLButtonElement>(el, 'retry-button')!.click();
    await waitUntil(() => parts(el, 'message-failed').length === 0);
    const [first, second] = fake
      .callsOf('sendMessage')
      .map((c) => (c.args[0] as { ID: string }).ID);
    expect(second).to.equal(first);
    expect(texts(el)).to.deep.equal(['try me']);
  });

  it('disables the composer until the client is ready', async () => {
    const fake = c2cFake();
    fake.ready = false;
    const el = await mount(fake);
    const box = input(el);
    expect(box.disabled).to.equal(true);
    expect(deepPart<HTMLButtonElement>(el, 'send-button')!.disabled).to.equal(true);
    fake.setReady(true);
    await el.updateComplete;
    expect(box.disabled).to.equal(false);
    fake.setReady(false);
    await el.updateComplete;
    expect(box.disabled).to.equal(true);
  });

  it('calls setMessageRead on open with unread and on new incoming messages while visible', async () => {
    const fake = c2cFake();
    fake.conversations = [makeConversation({ conversationID: 'C2Cbob', unreadCount: 2 })];
    fake.addMessages('C2Cbob', history('C2Cbob', 2, 1_700_000_000));
    const el = await mount(fake);
    await waitUntil(() => fake.callsOf('setMessageRead').length === 1, 'not marked read on open');
    expect(fake.callsOf('setMessageRead')[0].args[0]).to.deep.equal({ conversationID: 'C2Cbob' });

    fake.receive([makeMessage({ conversationID: 'C2Cbob', flow: 'in' })]);
    await waitUntil(
      () => fake.callsOf('setMessageRead').length === 2,
      'not marked read on receive',
    );
    // Own messages and other conversations do not trigger it.
    fake.receive([makeMessage({ conversationID: 'C2Cbob', flow: 'out', from: 'alice' })]);
    fake.receive([makeMessage({ conversationID: 'C2Ccarol', flow: 'in' })]);
    await aTimeout(50);
    expect(fake.callsOf('setMessageRead')).to.have.length(2);
    expect(el.isConnected).to.equal(true);
  });

  it('does not mark read while hidden, and does once shown', async () => {
    const fake = c2cFake();
    fake.conversations = [makeConversation({ conversationID: 'C2Cbob', unreadCount: 1 })];
    useFakeClient(fake);
    const provider = await fixture(html`
      <im-provider server=${AUTH.server} app-id=${AUTH.appId} user-id="alice" user-sig="s">
        <div style="display: none"><im-chat conversation-id="C2Cbob"></im-chat></div>
      </im-provider>
    `);
    const el = provider.querySelector('im-chat')!;
    await waitUntil(() => fake.callsOf('getConversationProfile').length >= 1);
    await aTimeout(100);
    expect(fake.callsOf('setMessageRead')).to.have.length(0);
    (el.parentElement as HTMLElement).style.display = '';
    await waitUntil(() => fake.callsOf('setMessageRead').length === 1, 'not marked once shown');
  });

  it('renders message text as text, never as HTML', async () => {
    const fake = c2cFake();
    const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    fake.addMessages('C2Cbob', [
      makeMessage({ conversationID: 'C2Cbob', payload: { text: evil } }),
    ]);
    const el = await mount(fake);
    expect(texts(el)).to.deep.equal([evil]);
    expect(deepPart(el, 'bubble')!.querySelector('img, b')).to.equal(null);
    await aTimeout(20);
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('reloads when conversation-id changes', async () => {
    const fake = c2cFake();
    fake.addMessages('C2Cbob', [
      makeMessage({ conversationID: 'C2Cbob', payload: { text: 'bob' } }),
    ]);
    fake.addMessages('C2Ccarol', [
      makeMessage({ conversationID: 'C2Ccarol', payload: { text: 'carol' } }),
    ]);
    const el = await mount(fake);
    expect(texts(el)).to.deep.equal(['bob']);
    el.conversationId = 'C2Ccarol';
    await waitUntil(() => texts(el)[0] === 'carol');
    expect(texts(el)).to.deep.equal(['carol']);
    await waitUntil(() => part(el, 'title')?.textContent === 'carol');
  });
});
