import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ImEmojiPicker } from '../../src/components/emoji-picker/emoji-picker.js';
import { TYPES } from '../../src/protocol/constants.js';
import type { Message } from '../../src/protocol/types.js';
import {
  bubble,
  c2cFake,
  composer,
  groupFake,
  input,
  mountChat,
  texts,
  typeText,
} from './chat-fixtures.js';
import { makeConversation, makeMessage } from './fake-client.js';
import { deep, deepPart, deepParts, part, parts, resetClientFactory } from './setup.js';

const C2C = 'C2Cbob';
const G = 'GROUPteam';

const png = () =>
  new File([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], 'photo.png', {
    type: 'image/png',
  });
const pdf = () => new File(['%PDF-1.4 <b>x</b>'], '<b>report</b>.pdf', { type: 'application/pdf' });

/** Hand files to the composer's hidden file input, as the picker would. */
function pickFiles(el: HTMLElement, files: File[]): void {
  const fileInput = deep<HTMLInputElement>(el, "input[type='file']")!;
  const transfer = new DataTransfer();
  for (const f of files) transfer.items.add(f);
  fileInput.files = transfer.files;
  fileInput.dispatchEvent(new Event('change'));
}

describe('im-chat composer', () => {
  afterEach(() => resetClientFactory());

  it('mentions group members from the keyboard and sends createTextAtMessage', async () => {
    const fake = groupFake();
    const el = await mountChat(fake, G);
    await typeText(el, 'hey @');
    const list = () => deepPart(el, 'mention-list');
    await waitUntil(() => deepParts(el, 'mention-option').length === 2, 'member list not shown');
    expect(fake.callsOf('getGroupMemberList')[0].args[0]).to.deep.include({ groupID: 'team' });
    // Yourself is not offered; nobody but owners and admins gets "@all".
    expect(
      deepParts(el, 'mention-option').map((o) => o.firstElementChild!.textContent),
    ).to.deep.equal(['Bobby', 'Caz']);
    const box = input(el);
    expect(box.getAttribute('aria-controls')).to.equal('mention-list');
    expect(box.getAttribute('aria-activedescendant')).to.equal('mention-0');
    await expect(el).to.be.accessible();

    await sendKeys({ press: 'ArrowDown' });
    await composer(el).updateComplete;
    expect(box.getAttribute('aria-activedescendant')).to.equal('mention-1');
    expect(deepPart(el, 'mention-option-active')!.textContent).to.contain('Caz');
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'ArrowUp' });
    await composer(el).updateComplete;
    expect(deepPart(el, 'mention-option-active')!.textContent).to.contain('Caz');
    await sendKeys({ press: 'Enter' });
    await composer(el).updateComplete;
    expect(box.value).to.equal('hey @Caz ');
    expect(list()).to.equal(null);
    expect(fake.callsOf('sendMessage')).to.have.length(0);

    // Filtering by what follows "@".
    await sendKeys({ type: 'and @bo' });
    await waitUntil(() => deepParts(el, 'mention-option').length === 1);
    await sendKeys({ press: 'Tab' });
    await composer(el).updateComplete;
    expect(box.value).to.equal('hey @Caz and @Bobby ');
    await sendKeys({ type: '!' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fake.callsOf('sendMessage').length === 1);
    const options = fake.callsOf('createTextAtMessage')[0].args[0] as {
      to: string;
      payload: { text: string; atUserList: string[] };
    };
    expect(options.to).to.equal('team');
    expect(options.payload.text).to.equal('hey @Caz and @Bobby !');
    expect(options.payload.atUserList).to.have.members(['carol', 'bob']);
    await waitUntil(() => deepParts(el, 'mention').length === 2);
    expect(deepParts(el, 'mention').map((m) => m.textContent)).to.deep.equal(['@Caz', '@Bobby']);
  });

  it('offers @all to owners and admins, and Escape closes the list', async () => {
    const fake = groupFake('Admin');
    const el = await mountChat(fake, G);
    await waitUntil(() => composer(el).mentionAll, 'role not known');
    await typeText(el, '@');
    await waitUntil(() => deepParts(el, 'mention-option').length === 3);
    expect(deepParts(el, 'mention-option')[0].textContent).to.contain('@all');
    await sendKeys({ press: 'Escape' });
    await composer(el).updateComplete;
    expect(deepPart(el, 'mention-list')).to.equal(null);
    await typeText(el, '@al');
    await waitUntil(() => deepParts(el, 'mention-option').length === 1);
    await sendKeys({ press: 'Enter' });
    await sendKeys({ type: 'meeting now' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fake.callsOf('sendMessage').length === 1);
    const options = fake.callsOf('createTextAtMessage')[0].args[0] as {
      payload: { atUserList: string[] };
    };
    expect(options.payload.atUserList).to.deep.equal([TYPES.MSG_AT_ALL]);
  });

  it('sends plain text (no mention list) in C2C chats', async () => {
    const fake = c2cFake();
    const el = await mountChat(fake);
    await typeText(el, 'mail me @ home');
    expect(deepPart(el, 'mention-list')).to.equal(null);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fake.callsOf('sendMessage').length === 1);
    expect(fake.callsOf('createTextAtMessage')).to.have.length(0);
  });

  it('inserts emoji at the caret', async () => {
    const fake = c2cFake();
    const el = await mountChat(fake);
    await typeText(el, 'hi there');
    input(el).setSelectionRange(2, 2);
    deepPart<HTMLButtonElement>(el, 'emoji-button')!.click();
    const picker = composer(el).shadowRoot!.querySelector<ImEmojiPicker>('im-emoji-picker')!;
    await waitUntil(() => picker.isOpen);
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'ArrowRight' }); // ❤️
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !picker.isOpen);
    await composer(el).updateComplete;
    expect(input(el).value).to.equal('hi❤️ there');
  });

  it('uploads an image with progress and cancels it', async () => {
    const fake = c2cFake();
    fake.holdUploads = true;
    const el = await mountChat(fake);
    pickFiles(el, [png()]);
    await waitUntil(() => deepPart(el, 'progress') !== null, 'no progress bar');
    const options = fake.callsOf('createImageMessage')[0].args[0] as {
      to: string;
      payload: { file: File };
      onProgress: unknown;
    };
    expect(options.to).to.equal('bob');
    expect(options.payload.file.name).to.equal('photo.png');
    expect(options.onProgress).to.be.a('function');
    // The local preview shows while uploading.
    expect(deepPart<HTMLImageElement>(el, 'image')!.src).to.match(/^blob:/);
    fake.uploadProgress(0.42);
    await waitUntil(() => deepPart(el, 'progress-label')?.textContent === '42%');
    expect(deepPart<HTMLProgressElement>(el, 'progress')!.value).to.equal(42);
    await expect(el).to.be.accessible();
    deepPart<HTMLButtonElement>(el, 'cancel-upload')!.click();
    await waitUntil(() => parts(el, 'message').length === 0, 'the cancelled message stayed');
    expect(fake.callsOf('cancelUploadFile')).to.have.length(1);
  });

  it('sends other files as file messages and shows the uploaded file', async () => {
    const fake = c2cFake();
    fake.holdUploads = true;
    const el = await mountChat(fake);
    pickFiles(el, [pdf()]);
    await waitUntil(() => deepPart(el, 'progress') !== null);
    expect(fake.callsOf('createFileMessage')).to.have.length(1);
    expect(deepPart(el, 'file-name')!.textContent).to.equal('<b>report</b>.pdf');
    fake.finishUploads();
    await waitUntil(() => deepPart(el, 'file-link') !== null, 'no file link after upload');
    expect(deepPart(el, 'progress')).to.equal(null);
    expect(deepPart(el, 'file-link')!.textContent).to.equal('<b>report</b>.pdf');
    expect(deepPart(el, 'file-link')!.querySelector('b')).to.equal(null);
  });

  it('sends pasted and dropped files', async () => {
    const fake = c2cFake();
    const el = await mountChat(fake);
    const paste = new DataTransfer();
    paste.items.add(png());
    const pasted = new ClipboardEvent('paste', {
      clipboardData: paste,
      bubbles: true,
      cancelable: true,
    });
    input(el).dispatchEvent(pasted);
    expect(pasted.defaultPrevented).to.equal(true);
    await waitUntil(() => fake.callsOf('sendMessage').length === 1);
    expect(fake.callsOf('createImageMessage')).to.have.length(1);

    const drop = new DataTransfer();
    drop.items.add(pdf());
    const log = part(el, 'messages')!;
    log.dispatchEvent(
      new DragEvent('dragover', {
        dataTransfer: drop,
        bubbles: true,
        composed: true,
        cancelable: true,
      }),
    );
    await el.updateComplete;
    expect(part(el, 'drop-overlay')).to.not.equal(null);
    log.dispatchEvent(
      new DragEvent('drop', {
        dataTransfer: drop,
        bubbles: true,
        composed: true,
        cancelable: true,
      }),
    );
    await waitUntil(() => fake.callsOf('sendMessage').length === 2);
    expect(fake.callsOf('createFileMessage')).to.have.length(1);
    await el.updateComplete;
    expect(part(el, 'drop-overlay')).to.equal(null);
  });

  it('shows the peer typing and tells the peer while the user types', async () => {
    const fake = c2cFake();
    const el = await mountChat(fake);
    await waitUntil(() => part(el, 'title')!.textContent === 'Bobby');
    fake.emit('im:typing', { conversationID: C2C, userID: 'bob', typing: true });
    await el.updateComplete;
    expect(part(el, 'typing')!.textContent!.trim()).to.equal('Bobby is typing…');
    expect(part(el, 'typing')!.getAttribute('role')).to.equal('status');
    fake.emit('im:typing', { conversationID: 'C2Ccarol', userID: 'carol', typing: false });
    await el.updateComplete;
    expect(part(el, 'typing')!.textContent!.trim()).to.equal('Bobby is typing…');
    // The peer's message ends it.
    fake.receive([makeMessage({ conversationID: C2C, from: 'bob', flow: 'in' })]);
    await el.updateComplete;
    expect(part(el, 'typing')!.textContent!.trim()).to.equal('');
    fake.emit('im:typing', { conversationID: C2C, userID: 'bob', typing: true });
    fake.emit('im:typing', { conversationID: C2C, userID: 'bob', typing: false });
    await el.updateComplete;
    expect(part(el, 'typing')!.textContent!.trim()).to.equal('');

    await typeText(el, 'h');
    await typeText(el, 'he');
    expect(fake.callsOf('sendTypingStatus').map((c) => c.args[0])).to.deep.equal([
      { userID: 'bob', typing: true },
    ]);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fake.callsOf('sendTypingStatus').length === 2);
    expect(fake.callsOf('sendTypingStatus')[1].args[0]).to.deep.equal({
      userID: 'bob',
      typing: false,
    });
  });

  it('does not send typing status in groups', async () => {
    const fake = groupFake();
    const el = await mountChat(fake, G);
    await typeText(el, 'hello all');
    await aTimeout(20);
    expect(fake.callsOf('sendTypingStatus')).to.have.length(0);
  });

  it('asks for receipts with need-read-receipt and acknowledges visible incoming ones', async () => {
    const fake = groupFake();
    const incoming = makeMessage({
      conversationID: G,
      from: 'bob',
      needReadReceipt: true,
      payload: { text: 'ack please' },
    });
    const plain = makeMessage({ conversationID: G, from: 'bob', payload: { text: 'plain' } });
    fake.addMessages(G, [incoming, plain]);
    const el = await mountChat(fake, G, { attrs: { 'need-read-receipt': true } });
    await waitUntil(() => fake.callsOf('sendMessageReadReceipt').length === 1, 'no receipt sent');
    const acked = fake.callsOf('sendMessageReadReceipt')[0].args[0] as Message[];
    expect(acked.map((m) => m.ID)).to.deep.equal([incoming.ID]);

    await typeText(el, 'noted');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fake.callsOf('sendMessage').length === 1);
    expect(fake.callsOf('createTextMessage')[0].args[0]).to.deep.include({
      needReadReceipt: true,
    });
    const sent = (fake.callsOf('sendMessage')[0].args[0] as Message).ID;
    await waitUntil(() => deepPart(bubble(el, sent), 'read-count') !== null);
    expect(texts(el)).to.deep.equal(['ack please', 'plain', 'noted']);
  });

  it('keeps what was typed as the conversation draft and brings it back', async () => {
    const fake = c2cFake();
    fake.conversations = [
      ...fake.conversations,
      makeConversation({ conversationID: 'C2Ccarol', draftText: 'half a thought' }),
    ];
    const el = await mountChat(fake);
    await typeText(el, 'see you at');
    // Switching conversations stores the text as C2Cbob's draft and restores C2Ccarol's.
    el.setAttribute('conversation-id', 'C2Ccarol');
    await waitUntil(() => composer(el).value === 'half a thought', 'carol draft restored');
    expect(fake.callsOf('setConversationDraft')[0].args[0]).to.deep.equal({
      conversationID: 'C2Cbob',
      draftText: 'see you at',
    });
    // Back to bob: his draft is in the composer again; sending it clears the stored draft.
    el.setAttribute('conversation-id', 'C2Cbob');
    await waitUntil(() => composer(el).value === 'see you at', 'bob draft restored');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fake.callsOf('sendMessage').length === 1);
    await waitUntil(
      () =>
        fake
          .callsOf('setConversationDraft')
          .some(
            (c) =>
              (c.args[0] as { conversationID: string; draftText: string }).conversationID ===
                'C2Cbob' && (c.args[0] as { draftText: string }).draftText === '',
          ),
      'the draft is cleared once sent',
    );
  });
});
