import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ImChat } from '../../src/components/chat/chat.js';
import { deepActiveElement } from '../../src/components/base/message-utils.js';
import type { ImConfirmDialog } from '../../src/components/confirm-dialog/confirm-dialog.js';
import type { ImConversationPicker } from '../../src/components/conversation-picker/conversation-picker.js';
import type { ImEmojiPicker } from '../../src/components/emoji-picker/emoji-picker.js';
import type { ImReadMembers } from '../../src/components/read-members/read-members.js';
import { EVENT } from '../../src/protocol/constants.js';
import type { Message } from '../../src/protocol/types.js';
import {
  act,
  bubble,
  c2cFake,
  composer,
  groupFake,
  input,
  menuActions,
  mountChat,
  texts,
  typeText,
} from './chat-fixtures.js';
import { makeConversation, makeMessage, makeProfile, type FakeChatClient } from './fake-client.js';
import { deepAll, deepPart, deepParts, part, resetClientFactory } from './setup.js';

const now = () => Math.floor(Date.now() / 1000);
const C2C = 'C2Cbob';
const G = 'GROUPteam';

function mine(conversationID: string, text: string, extra: Partial<Message> = {}): Message {
  return makeMessage({
    conversationID,
    from: 'alice',
    flow: 'out',
    payload: { text },
    time: now(),
    ...extra,
  });
}

function theirs(conversationID: string, text: string, extra: Partial<Message> = {}): Message {
  return makeMessage({ conversationID, from: 'bob', nick: 'Bobby', payload: { text }, ...extra });
}

const picker = (el: ImChat) =>
  el.shadowRoot!.querySelector<ImConversationPicker>('im-conversation-picker')!;

/** Tick conversations in the open picker and confirm. */
async function pickConversations(el: ImChat, names: string[]): Promise<void> {
  const p = picker(el);
  await waitUntil(() => p.isOpen && deepParts(p, 'option').length > 0, 'picker did not open');
  for (const label of deepParts<HTMLLabelElement>(p, 'option')) {
    const name = label.querySelector("[part~='option-name']")!.textContent!.trim();
    if (names.includes(name)) label.querySelector('input')!.click();
  }
  await p.updateComplete;
  deepPart<HTMLButtonElement>(p, 'confirm-button')!.click();
  await waitUntil(() => !p.isOpen, 'picker did not close');
}

function withFriends(fake: FakeChatClient): FakeChatClient {
  fake.conversations = [
    makeConversation({
      conversationID: C2C,
      userProfile: makeProfile({ userID: 'bob', nick: 'Bobby' }),
    }),
    makeConversation({ conversationID: 'C2Ccarol' }),
    makeConversation({ conversationID: '@TIM#SYSTEM', type: '@TIM#SYSTEM' }),
  ];
  return fake;
}

describe('im-chat message actions', () => {
  afterEach(() => resetClientFactory());

  it('opens the actions menu from the keyboard, moves with arrows and closes with Escape', async () => {
    const fake = c2cFake();
    const m = theirs(C2C, 'hello');
    fake.addMessages(C2C, [m]);
    const el = await mountChat(fake);
    const actions = bubble(el, m.ID).shadowRoot!.querySelector('im-message-actions')!;
    const button = deepPart<HTMLButtonElement>(actions, 'menu-button')!;
    expect(button.getAttribute('aria-haspopup')).to.equal('menu');
    button.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActiveElement()?.getAttribute('role') === 'menuitem');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(deepActiveElement()!.dataset.action).to.equal('reply');
    await sendKeys({ press: 'ArrowDown' });
    expect(deepActiveElement()!.dataset.action).to.equal('forward');
    await sendKeys({ press: 'End' });
    expect(deepActiveElement()!.dataset.action).to.equal('delete');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => deepActiveElement() === button, 'focus did not return to the button');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    // Incoming messages cannot be edited or recalled.
    expect(await menuActions(el, m.ID)).to.not.include.members(['edit', 'recall']);
  });

  it('recalls an own message within two minutes and shows the tombstone', async () => {
    const fake = c2cFake();
    const recent = mine(C2C, 'oops');
    const old = mine(C2C, 'old', { time: now() - 600 });
    fake.addMessages(C2C, [old, recent]);
    const el = await mountChat(fake);
    expect(await menuActions(el, old.ID)).to.not.include('recall');
    expect(await menuActions(el, recent.ID)).to.include('recall');
    await act(el, recent.ID, 'recall');
    await waitUntil(() => part(el, 'tombstone') !== null, 'no tombstone');
    expect((fake.callsOf('revokeMessage')[0].args[0] as Message).ID).to.equal(recent.ID);
    expect(part(el, 'tombstone')!.textContent!.trim()).to.equal('You recalled a message');
    expect(texts(el)).to.deep.equal(['old']);
  });

  it('edits an own text message with Enter and shows it as edited', async () => {
    const fake = c2cFake();
    const m = mine(C2C, 'teh typo');
    fake.addMessages(C2C, [m]);
    const el = await mountChat(fake);
    await act(el, m.ID, 'edit');
    await composer(el).updateComplete;
    expect(input(el).value).to.equal('teh typo');
    expect(deepPart(el, 'edit-bar')).to.not.equal(null);
    expect(deepPart(el, 'send-button')!.textContent!.trim()).to.equal('Save');
    await typeText(el, 'the typo');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => texts(el)[0] === 'the typo', 'not saved');
    const sent = fake.callsOf('modifyMessage')[0].args[0] as Message;
    expect(sent.ID).to.equal(m.ID);
    expect(sent.payload).to.deep.equal({ text: 'the typo' });
    await bubble(el, m.ID).updateComplete;
    expect(deepPart(el, 'edited')).to.not.equal(null);
    await waitUntil(() => deepPart(el, 'edit-bar') === null, 'still editing');
    expect(input(el).value).to.equal('');
    expect(fake.callsOf('sendMessage')).to.have.length(0);
  });

  it('shows the latest text on an edit conflict (2480) and keeps editing', async () => {
    const fake = c2cFake();
    const m = mine(C2C, 'v0');
    fake.addMessages(C2C, [m]);
    const el = await mountChat(fake);
    fake.modifyConflict = { ...m, payload: { text: 'v1 by bob' }, version: 1, isModified: true };
    await act(el, m.ID, 'edit');
    await typeText(el, 'v1 by alice');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => input(el).value === 'v1 by bob', 'latest text not shown');
    expect(texts(el)[0]).to.equal('v1 by bob');
    expect(deepPart(el, 'edit-bar')).to.not.equal(null);
    expect(part(el, 'toast')!.textContent).to.contain('latest version');
    await typeText(el, 'v2 by alice');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => texts(el)[0] === 'v2 by alice');
    const second = fake.callsOf('modifyMessage')[1].args[0] as Message;
    expect(second.version).to.equal(1);
    expect(second.payload).to.deep.equal({ text: 'v2 by alice' });
  });

  it('deletes for me after confirming, and not when cancelled', async () => {
    const fake = c2cFake();
    const a = theirs(C2C, 'keep me');
    const b = theirs(C2C, 'delete me');
    fake.addMessages(C2C, [a, b]);
    const el = await mountChat(fake);
    const confirm = el.shadowRoot!.querySelector<ImConfirmDialog>('im-confirm-dialog')!;
    await act(el, a.ID, 'delete');
    await waitUntil(() => confirm.isOpen);
    await expect(el).to.be.accessible();
    deepPart<HTMLButtonElement>(confirm, 'cancel-button')!.click();
    await waitUntil(() => !confirm.isOpen);
    expect(fake.callsOf('deleteMessage')).to.have.length(0);

    await act(el, b.ID, 'delete');
    await waitUntil(() => confirm.isOpen);
    deepPart<HTMLButtonElement>(confirm, 'confirm-button')!.click();
    await waitUntil(() => texts(el).length === 1, 'not removed');
    expect(texts(el)).to.deep.equal(['keep me']);
    expect((fake.callsOf('deleteMessage')[0].args[0] as Message[]).map((x) => x.ID)).to.deep.equal([
      b.ID,
    ]);
  });

  it('copies text to the clipboard', async () => {
    const fake = c2cFake();
    const m = theirs(C2C, 'copy this');
    fake.addMessages(C2C, [m]);
    const el = await mountChat(fake);
    const written: string[] = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: async (text: string) => void written.push(text) },
    });
    try {
      await act(el, m.ID, 'copy');
      await waitUntil(() => written.length === 1);
      expect(written).to.deep.equal(['copy this']);
      await waitUntil(() => part(el, 'toast')!.textContent === 'Copied');
    } finally {
      delete (navigator as unknown as { clipboard?: unknown }).clipboard;
    }
  });

  it('reacts with the emoji picker, shows chips with counts and toggles on click', async () => {
    const fake = c2cFake();
    const m = theirs(C2C, 'nice');
    const other = theirs(C2C, 'has reactions');
    fake.addMessages(C2C, [m, other]);
    fake.reactions.set(other.ID, new Map([['🎉', ['bob', 'carol']]]));
    const el = await mountChat(fake);
    // Reactions of visible messages are loaded.
    await waitUntil(() => deepParts(bubble(el, other.ID), 'reaction').length === 1);
    expect(fake.callsOf('getMessageReactions').length).to.be.greaterThan(0);
    expect(deepPart(bubble(el, other.ID), 'reaction-count')!.textContent).to.equal('2');

    await act(el, m.ID, 'react');
    const emoji = el.shadowRoot!.querySelector<ImEmojiPicker>('im-emoji-picker')!;
    await waitUntil(() => emoji.isOpen && deepParts(emoji, 'emoji').length > 0);
    await waitUntil(() => deepActiveElement() === deepParts(emoji, 'emoji')[0]);
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Enter' }); // the first emoji: 👍
    const chip = () => deepPart<HTMLButtonElement>(bubble(el, m.ID), 'reaction');
    await waitUntil(() => chip() !== null, 'no chip');
    expect(fake.callsOf('addMessageReaction')[0].args.slice(1)).to.deep.equal(['👍']);
    expect((fake.callsOf('addMessageReaction')[0].args[0] as Message).ID).to.equal(m.ID);
    expect(chip()!.part.contains('reaction-mine')).to.equal(true);
    expect(chip()!.getAttribute('aria-pressed')).to.equal('true');

    // Bob reacts too: the server's push, as bob's instance computed it (reactedByMyself is bob's).
    fake.reactions.get(m.ID)!.set('👍', ['alice', 'bob']);
    fake.emit(EVENT.MESSAGE_REACTIONS_UPDATED, {
      conversationID: C2C,
      messageID: m.ID,
      reactionList: fake.reactionList(m.ID, 'bob'),
    });
    await waitUntil(() => deepPart(bubble(el, m.ID), 'reaction-count')!.textContent === '2');
    expect(chip()!.part.contains('reaction-mine')).to.equal(true);

    chip()!.click();
    await waitUntil(() => fake.callsOf('removeMessageReaction').length === 1);
    await waitUntil(() => deepPart(bubble(el, m.ID), 'reaction-count')?.textContent === '1');
    expect(chip()!.part.contains('reaction-mine')).to.equal(false);
    expect(chip()!.getAttribute('aria-pressed')).to.equal('false');
  });

  it('pins and unpins group messages (owners and admins) with a pinned bar', async () => {
    const fake = groupFake('Owner');
    const m = theirs(G, 'pin me');
    fake.addMessages(G, [m]);
    const el = await mountChat(fake, G);
    expect(fake.callsOf('getPinnedGroupMessageList')[0].args[0]).to.equal('team');
    const bar = el.shadowRoot!.querySelector('im-pinned-bar')!;
    expect(bar.hidden).to.equal(true);
    await waitUntil(async () => (await menuActions(el, m.ID)).includes('pin'), 'no pin item');
    await act(el, m.ID, 'pin');
    await waitUntil(() => !bar.hidden && deepPart(bar, 'pinned-text') !== null, 'no pinned bar');
    expect(fake.callsOf('pinGroupMessage')[0].args[0]).to.deep.include({
      groupID: 'team',
      isPinned: true,
    });
    expect(deepPart(bar, 'pinned-text')!.textContent).to.equal('Bobby: pin me');
    await expect(el).to.be.accessible();

    deepPart<HTMLButtonElement>(bar, 'unpin-button')!.click();
    await waitUntil(() => bar.hidden, 'still pinned');
    expect(fake.callsOf('pinGroupMessage')[1].args[0]).to.deep.include({ isPinned: false });

    // Pins made elsewhere arrive as PINNED_GROUP_MESSAGE_UPDATED.
    fake.emit(EVENT.PINNED_GROUP_MESSAGE_UPDATED, { groupID: 'team', pinnedMessageList: [m] });
    await waitUntil(() => !bar.hidden);
  });

  it('offers no pinning to plain members', async () => {
    const fake = groupFake('Member');
    const m = theirs(G, 'hello');
    fake.addMessages(G, [m]);
    const el = await mountChat(fake, G);
    await new Promise((r) => setTimeout(r, 30));
    expect(await menuActions(el, m.ID)).to.not.include('pin');
  });

  it('translates into translate-to and shows the error when the server has no translator', async () => {
    const fake = c2cFake();
    const m = theirs(C2C, 'hola');
    fake.addMessages(C2C, [m]);
    const el = await mountChat(fake, C2C, { attrs: { 'translate-to': 'fr' } });
    await act(el, m.ID, 'translate');
    await waitUntil(() => deepPart(el, 'translation-error') !== null, 'no error shown');
    expect(deepPart(el, 'translation-error')!.textContent).to.contain(
      'No translator is configured on this server',
    );
    expect(fake.callsOf('translateText')[0].args[0]).to.deep.equal({
      sourceTextList: ['hola'],
      targetLanguage: 'fr',
    });
    await act(el, m.ID, 'translate'); // hide
    await waitUntil(() => deepPart(el, 'translation') === null);

    fake.translator = (text, language) => `[${language}] ${text}`;
    await act(el, m.ID, 'translate');
    await waitUntil(() => deepPart(el, 'translation')?.textContent === '[fr] hola');
    expect(deepPart(el, 'translation')!.getAttribute('lang')).to.equal('fr');
  });

  it('lists who read an own group message, with counts updated by receipts', async () => {
    const fake = groupFake();
    fake.profiles.set('bob', makeProfile({ userID: 'bob', nick: 'Bobby' }));
    const m = mine(G, 'please read', {
      needReadReceipt: true,
      readReceiptInfo: { readCount: 1, unreadCount: 1, isPeerRead: false },
    });
    fake.addMessages(G, [m]);
    fake.readMembers.set(m.ID, { read: ['bob'], unread: ['carol'] });
    const el = await mountChat(fake, G);
    const count = () => deepPart<HTMLButtonElement>(bubble(el, m.ID), 'read-count');
    await waitUntil(() => count()?.textContent!.trim() === '1 read');
    count()!.click();
    const dialog = el.shadowRoot!.querySelector<ImReadMembers>('im-read-members')!;
    await waitUntil(() => dialog.isOpen && deepParts(dialog, 'member').length === 2);
    await waitUntil(() => deepParts(dialog, 'member')[0].textContent === 'Bobby');
    expect(deepParts(dialog, 'member').map((x) => x.textContent)).to.deep.equal(['Bobby', 'carol']);
    expect(deepParts(dialog, 'section-title').map((x) => x.textContent!.trim())).to.deep.equal([
      'Read (1)',
      'Not read yet (1)',
    ]);
    expect(
      fake
        .callsOf('getGroupMessageReadMemberList')
        .map((c) => (c.args[0] as { filter: number }).filter),
    ).to.have.members([0, 1]);
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.isOpen);

    fake.emit(EVENT.MESSAGE_READ_RECEIPT_RECEIVED, [
      { groupID: 'team', messageID: m.ID, readCount: 2, unreadCount: 0 },
    ]);
    await waitUntil(() => count()?.textContent!.trim() === 'All read');
  });

  it('replies with a quote stored in cloudCustomData and jumps to the original', async () => {
    const fake = c2cFake();
    const original = theirs(C2C, 'what time?');
    fake.addMessages(C2C, [original]);
    const el = await mountChat(fake);
    await act(el, original.ID, 'reply');
    await composer(el).updateComplete;
    expect(deepPart(el, 'reply-text')!.textContent).to.equal('what time?');
    expect(deepPart(el, 'reply-label')!.textContent).to.contain('Bobby');
    await typeText(el, 'at noon');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fake.callsOf('sendMessage').length === 1);
    const options = fake.callsOf('createTextMessage')[0].args[0] as { cloudCustomData: string };
    expect(JSON.parse(options.cloudCustomData)).to.deep.equal({
      messageReply: {
        messageID: original.ID,
        messageAbstract: 'what time?',
        messageSender: 'Bobby',
        messageType: 1,
        version: 1,
      },
    });
    await waitUntil(() => deepPart(el, 'reply-preview') === null);
    const sent = (fake.callsOf('sendMessage')[0].args[0] as Message).ID;
    await waitUntil(() => deepPart(bubble(el, sent), 'quote') !== null, 'no quote');
    expect(deepPart(bubble(el, sent), 'quote-text')!.textContent).to.equal('what time?');
    deepPart<HTMLButtonElement>(bubble(el, sent), 'quote')!.click();
    await waitUntil(() => bubble(el, original.ID).highlighted, 'original not highlighted');

    // Cancelling a reply.
    await act(el, original.ID, 'reply');
    deepPart<HTMLButtonElement>(el, 'reply-cancel')!.click();
    await waitUntil(() => deepPart(el, 'reply-preview') === null);
  });

  it('forwards one message through the conversation picker', async () => {
    const fake = withFriends(groupFake());
    const m = theirs(G, 'forward me');
    fake.addMessages(G, [m]);
    const el = await mountChat(fake, G);
    await act(el, m.ID, 'forward');
    const p = picker(el);
    await waitUntil(() => deepParts(p, 'option').length === 2, 'no conversations listed');
    expect(deepParts(p, 'option-name').map((n) => n.textContent)).to.deep.equal(['Bobby', 'carol']);
    await expect(el).to.be.accessible();
    await pickConversations(el, ['Bobby', 'carol']);
    await waitUntil(() => fake.callsOf('sendMessage').length === 2);
    const creates = fake
      .callsOf('createForwardMessage')
      .map((c) => c.args[0] as Record<string, unknown>);
    expect(creates.map((o) => [o.to, o.conversationType])).to.deep.equal([
      ['bob', 'C2C'],
      ['carol', 'C2C'],
    ]);
    expect((creates[0].payload as Message).ID).to.equal(m.ID);
    await waitUntil(() => part(el, 'toast')!.textContent === 'Forwarded to 2 conversations');
  });

  it('forwards a selection as one chat history (merger message)', async () => {
    const fake = withFriends(groupFake());
    const a = theirs(G, 'first');
    const b = mine(G, 'second');
    const c = theirs(G, 'not selected');
    fake.addMessages(G, [a, b, c]);
    const el = await mountChat(fake, G);
    await act(el, a.ID, 'select');
    await waitUntil(() => part(el, 'selection-bar') !== null, 'no selection mode');
    expect(deepPart(el, 'input')).to.equal(null);
    const box = (id: string) => deepPart<HTMLInputElement>(bubble(el, id), 'select')!;
    await bubble(el, b.ID).updateComplete;
    expect(box(a.ID).checked).to.equal(true);
    box(b.ID).click();
    await el.updateComplete;
    expect(part(el, 'selection-count')!.textContent).to.equal('2 selected');
    await expect(el).to.be.accessible();
    part<HTMLButtonElement>(el, 'merge-button')!.click();
    await pickConversations(el, ['Bobby']);
    await waitUntil(() => fake.callsOf('sendMessage').length === 1);
    const options = fake.callsOf('createMergerMessage')[0].args[0] as {
      to: string;
      payload: { messageList: Message[]; title: string; abstractList: string[] };
    };
    expect(options.to).to.equal('bob');
    expect(options.payload.messageList.map((x) => x.ID)).to.deep.equal([a.ID, b.ID]);
    expect(options.payload.title).to.equal('Chat history of The Team');
    expect(options.payload.abstractList).to.deep.equal(['Bobby: first', 'alice: second']);
    await waitUntil(() => part(el, 'selection-bar') === null, 'selection mode not left');
  });

  it('opens the menu with a long press on touch screens', async () => {
    const fake = c2cFake();
    const m = theirs(C2C, 'press and hold');
    fake.addMessages(C2C, [m]);
    const el = await mountChat(fake);
    const target = deepPart(bubble(el, m.ID), 'bubble')!;
    const actions = bubble(el, m.ID).shadowRoot!.querySelector('im-message-actions')!;
    target.dispatchEvent(
      new PointerEvent('pointerdown', {
        pointerType: 'touch',
        bubbles: true,
        clientX: 5,
        clientY: 5,
      }),
    );
    await waitUntil(() => actions.open, 'the long press did not open the menu', { timeout: 2000 });
    await waitUntil(() => deepActiveElement()?.getAttribute('role') === 'menuitem');
    actions.hide();
    // A short tap does not.
    target.dispatchEvent(new PointerEvent('pointerdown', { pointerType: 'touch', bubbles: true }));
    target.dispatchEvent(new PointerEvent('pointerup', { pointerType: 'touch', bubbles: true }));
    await new Promise((r) => setTimeout(r, 700));
    expect(actions.open).to.equal(false);
  });

  it('deletes a selection after confirming', async () => {
    const fake = c2cFake();
    const a = theirs(C2C, 'a');
    const b = theirs(C2C, 'b');
    const c = theirs(C2C, 'c');
    fake.addMessages(C2C, [a, b, c]);
    const el = await mountChat(fake);
    await act(el, a.ID, 'select');
    await waitUntil(() => part(el, 'selection-bar') !== null);
    await bubble(el, c.ID).updateComplete;
    deepPart<HTMLInputElement>(bubble(el, c.ID), 'select')!.click();
    await el.updateComplete;
    part<HTMLButtonElement>(el, 'delete-button')!.click();
    const confirm = el.shadowRoot!.querySelector<ImConfirmDialog>('im-confirm-dialog')!;
    await waitUntil(() => confirm.isOpen);
    expect(deepPart(confirm, 'dialog-title')!.textContent).to.equal('Delete 2 messages?');
    deepPart<HTMLButtonElement>(confirm, 'confirm-button')!.click();
    await waitUntil(() => texts(el).length === 1);
    expect(texts(el)).to.deep.equal(['b']);
    expect(part(el, 'selection-bar')).to.equal(null);
  });

  it('shows read ticks on own C2C messages, updated by MESSAGE_READ_BY_PEER', async () => {
    const fake = c2cFake();
    const a = mine(C2C, 'one', { sequence: 5 });
    const b = mine(C2C, 'two', { sequence: 6 });
    fake.addMessages(C2C, [a, b]);
    const el = await mountChat(fake);
    const status = (id: string) => deepPart(bubble(el, id), 'read-status')!;
    expect(status(a.ID).textContent).to.contain('Sent');
    fake.emit(EVENT.MESSAGE_READ_BY_PEER, { conversationID: C2C, readSequence: 5, time: now() });
    await waitUntil(() => status(a.ID).part.contains('read-status-read'));
    expect(status(a.ID).textContent).to.contain('Read');
    expect(status(b.ID).part.contains('read-status-read')).to.equal(false);
    // Tencent's shape: the messages now read.
    fake.emit(EVENT.MESSAGE_READ_BY_PEER, [{ ...b, isPeerRead: true }]);
    await waitUntil(() => status(b.ID).part.contains('read-status-read'));
  });

  it('retries a failed send from the bubble', async () => {
    const fake = c2cFake();
    fake.failSends = { code: 9508, message: 'down' } as never;
    const el = await mountChat(fake);
    await typeText(el, 'again');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepPart(el, 'retry-button') !== null);
    fake.failSends = null;
    deepPart<HTMLButtonElement>(el, 'retry-button')!.click();
    await waitUntil(() => deepPart(el, 'retry-button') === null);
    expect(deepAll(el, "[part~='status-failed']")).to.have.length(0);
  });
});
