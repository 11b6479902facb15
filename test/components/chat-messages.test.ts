import { aTimeout, expect, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ImLightbox } from '../../src/components/lightbox/lightbox.js';
import type { ImMergerDialog } from '../../src/components/merger-dialog/merger-dialog.js';
import { deepActiveElement } from '../../src/components/base/message-utils.js';
import { EVENT, TYPES } from '../../src/protocol/constants.js';
import type { Message } from '../../src/protocol/types.js';
import { bubble, c2cFake, groupFake, mountChat, texts } from './chat-fixtures.js';
import { makeMessage } from './fake-client.js';
import { deep, deepAll, deepPart, deepParts, part, parts, resetClientFactory } from './setup.js';

const C2C = 'C2Cbob';

function msg(partial: Partial<Message>): Message {
  return makeMessage({ conversationID: C2C, from: 'bob', nick: 'Bobby', ...partial });
}

const image = msg({
  type: TYPES.MSG_IMAGE,
  payload: {
    uuid: 'img1',
    imageFormat: 'png',
    imageInfoArray: [
      { type: 0, url: 'https://files.example/orig.png', width: 1600, height: 1200, size: 900000 },
      { type: 1, url: 'https://files.example/large.png', width: 960, height: 720, size: 200000 },
      { type: 2, url: 'https://files.example/thumb.png', width: 264, height: 198, size: 9000 },
    ],
  },
});
const file = msg({
  type: TYPES.MSG_FILE,
  payload: {
    uuid: 'f1',
    fileUrl: 'https://files.example/report.pdf',
    fileName: 'report.pdf',
    fileSize: 1536,
  },
});
const audio = msg({
  type: TYPES.MSG_AUDIO,
  payload: { uuid: 'a1', url: 'https://files.example/voice.m4a', second: 7, size: 12000 },
});
const video = msg({
  type: TYPES.MSG_VIDEO,
  payload: {
    videoUUID: 'v1',
    videoUrl: 'https://files.example/clip.mp4',
    videoSecond: 65,
    videoFormat: 'mp4',
    videoSize: 1000000,
    thumbUUID: 't1',
    thumbUrl: 'https://files.example/clip.jpg',
    thumbWidth: 320,
    thumbHeight: 180,
  },
});
const location = msg({
  type: TYPES.MSG_LOCATION,
  payload: { description: 'Office', latitude: 22.54, longitude: 113.93 },
});
const face = msg({ type: TYPES.MSG_FACE, payload: { index: 3, data: 'wave' } });
const custom = msg({
  type: TYPES.MSG_CUSTOM,
  payload: { data: '{"kind":"order"}', description: 'Order #12', extension: '' },
});
const mention = msg({
  conversationID: C2C,
  payload: { text: 'hi @Alice how are you' },
  atUserList: ['alice'],
});

describe('im-chat message types', () => {
  afterEach(() => resetClientFactory());

  it('renders text with mentions, file, audio, video, location, face and custom messages', async () => {
    const fake = c2cFake();
    fake.addMessages(C2C, [mention, file, audio, video, location, face, custom]);
    const el = await mountChat(fake);

    expect(deepParts(el, 'mention').map((m) => m.textContent)).to.deep.equal(['@Alice']);
    expect(texts(el)[0]).to.equal('hi @Alice how are you');

    const link = deepPart<HTMLAnchorElement>(el, 'file-link')!;
    expect(link.textContent).to.equal('report.pdf');
    expect(link.getAttribute('download')).to.equal('report.pdf');
    expect(link.href).to.equal('https://files.example/report.pdf');
    expect(deepPart(el, 'file-size')!.textContent).to.equal('1.5 KB');

    const player = deepPart<HTMLAudioElement>(el, 'audio')!;
    expect(player.controls).to.equal(true);
    expect(player.src).to.equal('https://files.example/voice.m4a');
    expect(deepParts(el, 'duration').map((d) => d.textContent)).to.deep.equal(['0:07', '1:05']);

    const clip = deepPart<HTMLVideoElement>(el, 'video')!;
    expect(clip.controls).to.equal(true);
    expect(clip.poster).to.equal('https://files.example/clip.jpg');
    expect(clip.src).to.equal('https://files.example/clip.mp4');

    expect(deepPart(el, 'location-description')!.textContent).to.equal('Office');
    expect(deepPart(el, 'location-coordinates')!.textContent).to.equal('22.54000, 113.93000');
    expect(deepPart(el, 'map-link')).to.equal(null);

    expect(deepPart(el, 'face-label')!.textContent).to.equal('[Sticker wave]');
    expect(deepPart(el, 'custom')!.textContent).to.equal('[Custom message] Order #12');
    await expect(el).to.be.accessible();
  });

  it('links locations and shows faces when the page gives URL templates', async () => {
    const fake = c2cFake();
    fake.addMessages(C2C, [location, face]);
    const el = await mountChat(fake, C2C, {
      attrs: {
        'map-url-template': 'https://maps.example/?q={lat},{lng}',
        'face-url-template': 'https://cdn.example/faces/{index}/{data}.png',
      },
    });
    await waitUntil(() => deepPart(el, 'map-link') !== null);
    expect(deepPart<HTMLAnchorElement>(el, 'map-link')!.href).to.equal(
      'https://maps.example/?q=22.54,113.93',
    );
    const sticker = deepPart<HTMLImageElement>(el, 'face')!;
    expect(sticker.src).to.equal('https://cdn.example/faces/3/wave.png');
    expect(sticker.alt).to.equal('Sticker wave');
    // A template that does not produce an http(s) URL is ignored.
    el.setAttribute('map-url-template', 'javascript:alert({lat})');
    await el.updateComplete;
    await bubble(el, location.ID).updateComplete;
    expect(deepPart(el, 'map-link')).to.equal(null);
  });

  it('renders custom messages through customRenderer', async () => {
    const fake = c2cFake();
    fake.addMessages(C2C, [custom]);
    const el = await mountChat(fake);
    el.customRenderer = (m) =>
      m.type === TYPES.MSG_CUSTOM
        ? html`<strong class="order"
            >Order ${JSON.parse((m.payload as { data: string }).data).kind}</strong
          >`
        : null;
    await el.updateComplete;
    await bubble(el, custom.ID).updateComplete;
    expect(deep(el, '.order')!.textContent).to.equal('Order order');
    el.customRenderer = () => '<b>as text</b>';
    await el.updateComplete;
    await bubble(el, custom.ID).updateComplete;
    expect(texts(el)).to.deep.equal(['<b>as text</b>']);
    expect(deepPart(el, 'bubble')!.querySelector('b')).to.equal(null);
  });

  it('shows the image thumbnail with its size reserved, and the large one in a lightbox', async () => {
    const fake = c2cFake();
    fake.addMessages(C2C, [image]);
    const el = await mountChat(fake);
    const thumb = deepPart<HTMLImageElement>(el, 'image')!;
    expect(thumb.getAttribute('src')).to.equal('https://files.example/thumb.png');
    expect(thumb.getAttribute('width')).to.equal('240');
    expect(thumb.getAttribute('height')).to.equal('180');

    const button = deepPart<HTMLButtonElement>(el, 'image-button')!;
    button.focus();
    button.click();
    const lightbox = el.shadowRoot!.querySelector<ImLightbox>('im-lightbox')!;
    await waitUntil(() => lightbox.isOpen, 'the lightbox did not open');
    const big = deepPart<HTMLImageElement>(lightbox, 'image')!;
    expect(big.getAttribute('src')).to.equal('https://files.example/large.png');
    expect(big.alt).to.equal('Image from Bobby');
    expect(deepPart<HTMLAnchorElement>(lightbox, 'original-link')!.href).to.equal(
      'https://files.example/orig.png',
    );
    await expect(el).to.be.accessible();

    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !lightbox.isOpen, 'Escape did not close the lightbox');
    await waitUntil(() => deepActiveElement() === button, 'focus did not return');
  });

  it('opens a chat history, downloading the merged messages when stored apart', async () => {
    const fake = c2cFake();
    const inner = [
      makeMessage({
        conversationID: 'GROUPx',
        from: 'carol',
        nick: 'Caz',
        payload: { text: 'one' },
      }),
      makeMessage({ conversationID: 'GROUPx', from: 'dave', payload: { text: '<i>two</i>' } }),
    ];
    fake.mergerStore.set('key-1', inner);
    const merger = msg({
      type: TYPES.MSG_MERGER,
      payload: {
        title: 'Chat history of X',
        abstractList: ['Caz: one', 'dave: <i>two</i>'],
        compatibleText: '[Chat History]',
        messageList: [],
        downloadKey: 'key-1',
        layersOverLimit: false,
      },
    });
    fake.addMessages(C2C, [merger]);
    const el = await mountChat(fake);
    expect(deepPart(el, 'merger-title')!.textContent).to.equal('Chat history of X');
    expect(deepAll(el, "[part~='merger-abstracts'] li").map((li) => li.textContent)).to.deep.equal([
      'Caz: one',
      'dave: <i>two</i>',
    ]);
    deepPart<HTMLButtonElement>(el, 'merger-open')!.click();
    const dialog = el.shadowRoot!.querySelector<ImMergerDialog>('im-merger-dialog')!;
    await waitUntil(() => deepParts(dialog, 'item').length === 2, 'merged messages not listed');
    expect(fake.callsOf('downloadMergerMessage')).to.have.length(1);
    expect((fake.callsOf('downloadMergerMessage')[0].args[0] as Message).ID).to.equal(merger.ID);
    expect(deepParts(dialog, 'item-sender').map((s) => s.textContent)).to.deep.equal([
      'Caz',
      'dave',
    ]);
    expect(deepParts(dialog, 'item-body').map((s) => s.textContent!.trim())).to.deep.equal([
      'one',
      '<i>two</i>',
    ]);
    expect(deep(dialog, 'i')).to.equal(null);
    expect(deepPart(dialog, 'dialog-title')!.textContent).to.equal('Chat history of X');
    await expect(el).to.be.accessible();
    dialog.close();
    await waitUntil(() => !dialog.isOpen);
  });

  it('shows group tips as notices, recalls as tombstones and edited messages as edited', async () => {
    const fake = groupFake();
    const G = 'GROUPteam';
    fake.addMessages(G, [
      makeMessage({
        conversationID: G,
        type: TYPES.MSG_GRP_TIP,
        payload: { operationType: 1, userIDList: ['carol'] },
      }),
      makeMessage({ conversationID: G, from: 'bob', nick: 'Bobby', isRevoked: true }),
      makeMessage({
        conversationID: G,
        from: 'alice',
        flow: 'out',
        isRevoked: true,
        revoker: 'alice',
      }),
      makeMessage({ conversationID: G, from: 'bob', payload: { text: 'fixed' }, isModified: true }),
    ]);
    const el = await mountChat(fake, G);
    const notices = parts(el, 'notice').map((n) => n.textContent!.trim());
    expect(notices).to.deep.equal([
      'carol joined the group',
      'Bobby recalled a message',
      'You recalled a message',
    ]);
    expect(parts(el, 'tombstone')).to.have.length(2);
    expect(texts(el)).to.deep.equal(['fixed']);
    expect(deepPart(el, 'edited')!.textContent).to.equal('Edited');
  });

  it('applies MESSAGE_MODIFIED and MESSAGE_REVOKED live', async () => {
    const fake = c2cFake();
    const m = msg({ payload: { text: 'before' } });
    fake.addMessages(C2C, [m]);
    const el = await mountChat(fake);
    fake.emit(EVENT.MESSAGE_MODIFIED, [
      { ...m, payload: { text: 'after' }, isModified: true, version: 1 },
    ]);
    await waitUntil(() => texts(el)[0] === 'after');
    await bubble(el, m.ID).updateComplete;
    expect(deepPart(el, 'edited')).to.not.equal(null);
    fake.emit(EVENT.MESSAGE_REVOKED, [{ ...m, isRevoked: true, revoker: 'bob' }]);
    await waitUntil(() => part(el, 'tombstone') !== null);
    expect(part(el, 'tombstone')!.textContent!.trim()).to.equal('Bobby recalled a message');
  });

  it('renders markup in text, file names, nicks, quotes and custom descriptions as text', async () => {
    const fake = c2cFake();
    const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    const quoted = JSON.stringify({
      messageReply: {
        messageID: 'nope',
        messageAbstract: evil,
        messageSender: evil,
        messageType: 1,
        version: 1,
      },
    });
    fake.addMessages('GROUPteam', []);
    fake.addMessages(C2C, [
      msg({ payload: { text: evil }, cloudCustomData: quoted }),
      msg({
        type: TYPES.MSG_FILE,
        payload: { uuid: 'x', fileUrl: 'javascript:alert(1)', fileName: evil, fileSize: 10 },
      }),
      msg({ type: TYPES.MSG_CUSTOM, payload: { data: '', description: evil, extension: '' } }),
      msg({
        type: TYPES.MSG_LOCATION,
        payload: { description: evil, latitude: 1, longitude: 2 },
      }),
    ]);
    const el = await mountChat(fake);
    expect(texts(el)).to.deep.equal([evil]);
    expect(deepPart(el, 'quote-text')!.textContent).to.equal(evil);
    expect(deepPart(el, 'quote-sender')!.textContent).to.equal(evil);
    // An unsafe URL gives no link at all.
    expect(deepPart(el, 'file-link')).to.equal(null);
    expect(deepPart(el, 'file-name')!.textContent).to.equal(evil);
    expect(deepPart(el, 'custom')!.textContent).to.equal(`[Custom message] ${evil}`);
    expect(deepPart(el, 'location-description')!.textContent).to.equal(evil);
    for (const b of deepParts(el, 'bubble'))
      expect(b.querySelector('b, img[src=x]')).to.equal(null);

    // A group sender nick with markup.
    const group = groupFake();
    group.addMessages('GROUPteam', [
      makeMessage({
        conversationID: 'GROUPteam',
        from: 'bob',
        nick: evil,
        payload: { text: 'hi' },
      }),
    ]);
    const el2 = await mountChat(group, 'GROUPteam');
    expect(deepPart(el2, 'sender')!.textContent).to.equal(evil);
    expect(deepPart(el2, 'sender')!.querySelector('b')).to.equal(null);
    await aTimeout(20);
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('stays accessible in the dark theme', async () => {
    const fake = c2cFake();
    fake.addMessages(C2C, [
      mention,
      file,
      msg({ flow: 'out', from: 'alice', payload: { text: 'mine' } }),
    ]);
    const el = await mountChat(fake, C2C, { attrs: { theme: 'dark' } });
    await el.updateComplete;
    expect(bubble(el, mention.ID).getAttribute('theme')).to.equal('dark');
    await expect(el).to.be.accessible();
  });
});
