/**
 * The create*Message builders without a server: every shape and every validation error.
 */
import { expect } from '@open-wc/testing';
import { LIMITS, TYPES } from '../../src/protocol/constants.js';
import { MESSAGE_DEFAULTS, type Message } from '../../src/protocol/types.js';
import { IMError } from '../../src/core/errors.js';
import {
  buildCustomMessage,
  buildFaceMessage,
  buildForwardMessage,
  buildLocationMessage,
  buildMediaMessage,
  buildMergerMessage,
  buildTextAtMessage,
  buildTextMessage,
  getMessageFile,
} from '../../src/core/message-factory.js';
import { payloadFor } from '../../src/core/upload.js';

const me = { userID: 'alice', tinyID: 42 };
const c2c = { to: 'bob', conversationType: 'C2C' as const };
const group = { to: 'g1', conversationType: 'GROUP' as const };

function code(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(IMError);
    return (err as IMError).code;
  }
  throw new Error('expected a throw');
}

/** Every field of Message is present (a complete message, as the Tencent SDK makes). */
function expectComplete(m: Message): void {
  for (const key of Object.keys(MESSAGE_DEFAULTS)) expect(m).to.have.property(key);
  for (const key of ['ID', 'type', 'payload', 'conversationID', 'conversationType', 'to', 'from'])
    expect(m).to.have.property(key);
  expect(m.ID).to.match(/^42-\d+-\d+$/);
  expect(m).to.include({ from: 'alice', flow: 'out', status: 'unSend', sequence: 0 });
}

describe('create*Message shapes', () => {
  it('text, text-at, custom, face, location', () => {
    const text = buildTextMessage({ ...c2c, payload: { text: 'hi' }, cloudCustomData: 'c' }, me);
    expectComplete(text);
    expect(text).to.include({
      type: TYPES.MSG_TEXT,
      conversationID: 'C2Cbob',
      cloudCustomData: 'c',
    });

    const at = buildTextAtMessage(
      { ...group, payload: { text: '@bob hi', atUserList: ['bob', TYPES.MSG_AT_ALL, 'bob'] } },
      me,
    );
    expectComplete(at);
    expect(at.payload).to.deep.equal({ text: '@bob hi' });
    expect(at.atUserList).to.deep.equal(['bob', TYPES.MSG_AT_ALL]);
    expect(at.conversationID).to.equal('GROUPg1');

    const custom = buildCustomMessage({ ...c2c, payload: { data: 'dice', description: '6' } }, me);
    expect(custom.payload).to.deep.equal({ data: 'dice', description: '6', extension: '' });
    expect(custom.type).to.equal(TYPES.MSG_CUSTOM);

    const face = buildFaceMessage({ ...c2c, payload: { index: 1, data: 'smile' } }, me);
    expect(face).to.deep.include({ type: TYPES.MSG_FACE, payload: { index: 1, data: 'smile' } });

    const loc = buildLocationMessage(
      { ...c2c, payload: { description: 'HQ', longitude: 113.94, latitude: 22.54 } },
      me,
    );
    expect(loc.type).to.equal(TYPES.MSG_LOCATION);
    expect(loc.payload).to.deep.equal({ description: 'HQ', longitude: 113.94, latitude: 22.54 });

    const opts = buildTextMessage(
      {
        ...group,
        payload: { text: 'x' },
        priority: 'High',
        needReadReceipt: true,
        receiverList: ['bob'],
        isSupportExtension: true,
      } as never,
      me,
    );
    expect(opts).to.deep.include({
      priority: 'High',
      needReadReceipt: true,
      receiverList: ['bob'],
      isSupportExtension: true,
    });
  });

  it('media: the file stays in the tab, the payload has its final shape with empty URLs', () => {
    const file = new File(['hello'], 'notes.txt', { type: 'text/plain' });
    const progress = () => undefined;
    const m = buildMediaMessage('file', { ...c2c, payload: { file }, onProgress: progress }, me);
    expectComplete(m);
    expect(m.type).to.equal(TYPES.MSG_FILE);
    expect(m.payload).to.deep.equal({ uuid: '', fileUrl: '', fileName: 'notes.txt', fileSize: 5 });
    expect(getMessageFile(m)).to.include({
      file,
      kind: 'file',
      name: 'notes.txt',
      onProgress: progress,
    });
    expect(JSON.stringify(m)).to.not.include('hello');

    const input = document.createElement('input');
    input.type = 'file';
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(10)], 'pic.png', { type: 'image/png' }));
    input.files = dt.files;
    const image = buildMediaMessage('image', { ...c2c, payload: { file: input } }, me);
    expect(image.type).to.equal(TYPES.MSG_IMAGE);
    expect(image.payload).to.deep.equal({ uuid: '', imageFormat: 'png', imageInfoArray: [] });

    const audio = buildMediaMessage(
      'audio',
      {
        ...c2c,
        payload: { file: new Blob([new Uint8Array(3)], { type: 'audio/mpeg' }), duration: 4.4 },
      },
      me,
    );
    expect(audio.type).to.equal(TYPES.MSG_AUDIO);
    expect(audio.payload).to.deep.equal({ uuid: '', url: '', second: 4, size: 3 });
    expect(getMessageFile(audio)!.name).to.equal('audio.mpeg');

    const video = buildMediaMessage(
      'video',
      {
        ...c2c,
        payload: { file: new File([new Uint8Array(8)], 'clip.mp4', { type: 'video/mp4' }) },
      },
      me,
    );
    expect(video.type).to.equal(TYPES.MSG_VIDEO);
    expect(video.payload).to.include({
      videoFormat: 'mp4',
      videoSize: 8,
      videoUrl: '',
      thumbUrl: '',
    });
  });

  it('media payloads from an upload result', () => {
    const media = { file: new Blob(['x']), kind: 'image' as const, name: 'a.png' };
    const imageInfoArray = [
      { type: 0 as const, url: 'u0', width: 10, height: 10, size: 1 },
      { type: 1 as const, url: 'u1', width: 10, height: 10, size: 1 },
      { type: 2 as const, url: 'u2', width: 10, height: 10, size: 1 },
    ];
    const r = { uuid: 'id', url: 'u0', size: 1, name: 'a.png', contentType: 'image/png' };
    expect(payloadFor(media, { ...r, imageInfoArray, imageFormat: 'png' }, 0)).to.deep.equal({
      uuid: 'id',
      imageFormat: 'png',
      imageInfoArray,
    });
    expect(payloadFor({ ...media, kind: 'file' }, r, 0)).to.deep.equal({
      uuid: 'id',
      fileUrl: 'u0',
      fileName: 'a.png',
      fileSize: 1,
    });
    expect(payloadFor({ ...media, kind: 'audio' }, r, 2.6)).to.deep.equal({
      uuid: 'id',
      url: 'u0',
      second: 3,
      size: 1,
    });
    expect(payloadFor({ ...media, kind: 'video' }, r, 5)).to.include({
      videoUUID: 'id',
      videoUrl: 'u0',
      videoSecond: 5,
      videoSize: 1,
      thumbUrl: '',
    });
  });

  it('merger and forward', () => {
    const sent = {
      ...buildTextMessage({ ...c2c, payload: { text: 'a' } }, me),
      status: 'success' as const,
    };
    const merger = buildMergerMessage(
      {
        ...c2c,
        payload: {
          messageList: [sent],
          title: 'Chat',
          abstractList: ['alice: a'],
          compatibleText: 'Upgrade',
        },
      },
      me,
    );
    expectComplete(merger);
    expect(merger.type).to.equal(TYPES.MSG_MERGER);
    expect(merger.payload).to.deep.include({
      title: 'Chat',
      abstractList: ['alice: a'],
      compatibleText: 'Upgrade',
      downloadKey: '',
      layersOverLimit: false,
    });
    expect((merger.payload as { messageList: Message[] }).messageList[0].ID).to.equal(sent.ID);

    const forward = buildForwardMessage({ ...group, payload: sent }, me);
    expectComplete(forward);
    expect(forward.ID).to.not.equal(sent.ID);
    expect(forward).to.deep.include({ type: TYPES.MSG_TEXT, payload: { text: 'a' }, to: 'g1' });
    expect(forward.payload).to.not.equal(sent.payload);
  });
});

describe('create*Message validation', () => {
  it('6017 for bad options, 80002 for a body over 12 KB', () => {
    expect(code(() => buildTextMessage({ ...c2c, payload: { text: '' } }, me))).to.equal(6017);
    expect(
      code(() => buildTextMessage({ to: '', conversationType: 'C2C', payload: { text: 'x' } }, me)),
    ).to.equal(6017);
    expect(
      code(() =>
        buildTextMessage({ to: 'x', conversationType: '@TIM#SYSTEM', payload: { text: 'x' } }, me),
      ),
    ).to.equal(6017);
    const big = 'x'.repeat(LIMITS.messageBodyBytes + 1);
    expect(code(() => buildTextMessage({ ...c2c, payload: { text: big } }, me))).to.equal(80002);
    expect(code(() => buildCustomMessage({ ...c2c, payload: { data: big } }, me))).to.equal(80002);
    expect(
      code(() => buildTextAtMessage({ ...c2c, payload: { text: 'x', atUserList: ['bob'] } }, me)),
    ).to.equal(6017);
    expect(
      code(() =>
        buildTextAtMessage({ ...group, payload: { text: 'x', atUserList: 'bob' as never } }, me),
      ),
    ).to.equal(6017);
    expect(code(() => buildCustomMessage({ ...c2c, payload: { data: 1 as never } }, me))).to.equal(
      6017,
    );
    expect(
      code(() => buildFaceMessage({ ...c2c, payload: { index: 'a' as never, data: '' } }, me)),
    ).to.equal(6017);
    expect(
      code(() =>
        buildLocationMessage(
          { ...c2c, payload: { description: '', longitude: 200, latitude: 0 } },
          me,
        ),
      ),
    ).to.equal(6017);
    expect(
      code(() =>
        buildTextMessage({ ...c2c, payload: { text: 'x' }, receiverList: ['bob'] } as never, me),
      ),
    ).to.equal(6017);
    const many = Array.from({ length: LIMITS.receiverList + 1 }, (_, i) => `u${i}`);
    expect(
      code(() =>
        buildTextMessage({ ...group, payload: { text: 'x' }, receiverList: many } as never, me),
      ),
    ).to.equal(6017);
    expect(
      code(() =>
        buildTextMessage({ ...c2c, payload: { text: 'x' }, priority: 'Urgent' as never }, me),
      ),
    ).to.equal(6017);
  });

  it('media: 6017 without a file, 7006 for an empty one, 7005 over the limit', () => {
    expect(
      code(() => buildMediaMessage('image', { ...c2c, payload: { file: null } }, me)),
    ).to.equal(6017);
    expect(
      code(() =>
        buildMediaMessage(
          'file',
          { ...c2c, payload: { file: document.createElement('input') } },
          me,
        ),
      ),
    ).to.equal(6017);
    expect(
      code(() => buildMediaMessage('file', { ...c2c, payload: { file: new Blob([]) } }, me)),
    ).to.equal(7006);
    // a Blob that claims to be larger than the limit (no bytes are allocated)
    const huge = new Blob(['x']);
    Object.defineProperty(huge, 'size', {
      value: LIMITS.uploadBytes.image + 1,
      configurable: true,
    });
    expect(
      code(() => buildMediaMessage('image', { ...c2c, payload: { file: huge } }, me)),
    ).to.equal(7005);
    Object.defineProperty(huge, 'size', { value: LIMITS.uploadBytes.file + 1, configurable: true });
    expect(code(() => buildMediaMessage('file', { ...c2c, payload: { file: huge } }, me))).to.equal(
      7005,
    );
  });

  it('merger: at most 300 sent messages and a compatibleText; forward: sent messages only', () => {
    const sent: Message = {
      ...buildTextMessage({ ...c2c, payload: { text: 'a' } }, me),
      status: 'success',
    };
    const payload = { messageList: [sent], title: 't', abstractList: [], compatibleText: 'c' };
    const merge = (p: Partial<typeof payload>) => () =>
      buildMergerMessage({ ...c2c, payload: { ...payload, ...p } }, me);
    expect(code(merge({ compatibleText: '' }))).to.equal(6017);
    expect(code(merge({ messageList: [] }))).to.equal(6017);
    expect(code(merge({ messageList: [{ ...sent, status: 'fail' }] }))).to.equal(6017);
    expect(code(merge({ messageList: [{ ...sent, status: 'unSend' }] }))).to.equal(6017);
    expect(code(merge({ messageList: [{ ...sent, type: TYPES.MSG_GRP_TIP }] }))).to.equal(6017);
    expect(code(merge({ messageList: Array.from({ length: 301 }, () => sent) }))).to.equal(6017);
    expect(() => merge({ messageList: Array.from({ length: 300 }, () => sent) })()).to.not.throw();

    expect(
      code(() => buildForwardMessage({ ...c2c, payload: { ...sent, status: 'fail' } }, me)),
    ).to.equal(6017);
    expect(
      code(() => buildForwardMessage({ ...c2c, payload: { ...sent, isRevoked: true } }, me)),
    ).to.equal(6017);
    expect(
      code(() =>
        buildForwardMessage({ ...c2c, payload: { ...sent, type: TYPES.MSG_GRP_TIP } }, me),
      ),
    ).to.equal(6017);
  });
});
