/**
 * Message types through real ChatClients and the real server: every create*Message kind received
 * by the peer, uploads (progress, renditions, cancel, resend), merged and forwarded messages,
 * typing status, findMessage.
 */
import { expect } from '@open-wc/testing';
import { EVENT, LIMITS, TYPES } from '../../src/protocol/constants.js';
import type {
  AudioPayload,
  FilePayload,
  ImagePayload,
  MergerPayload,
  Message,
} from '../../src/protocol/types.js';
import { LIFECYCLE_EVENT, type TypingEventData } from '../../src/core/internal-events.js';
import { destroyAll, readyUser, rejection, secondTab, waitFor, type LiveUser } from './live.js';

afterEach(destroyAll);

async function pair(): Promise<[LiveUser, LiveUser]> {
  return Promise.all([readyUser('alice'), readyUser('bob')]);
}

async function png(width: number, height: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#2a6';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#fff';
  ctx.fillRect(10, 10, width / 3, height / 3);
  return canvas.convertToBlob({ type: 'image/png' });
}

/** A silent 16-bit mono PCM WAV of `seconds`. */
function wav(seconds: number, rate = 8000): Blob {
  const samples = Math.round(seconds * rate);
  const buf = new ArrayBuffer(44 + samples * 2);
  const v = new DataView(buf);
  const text = (o: number, s: string) =>
    [...s].forEach((c, i) => v.setUint8(o + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  v.setUint32(4, 36 + samples * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  text(36, 'data');
  v.setUint32(40, samples * 2, true);
  return new Blob([buf], { type: 'audio/wav' });
}

describe('message types (live)', () => {
  it('custom, face, location, text-at-less C2C text: the peer receives the same payloads', async () => {
    const [alice, bob] = await pair();
    const to = { to: bob.userID, conversationType: TYPES.CONV_C2C } as const;
    const messages = [
      alice.client.createCustomMessage({
        ...to,
        payload: { data: 'dice', description: '6', extension: 'x' },
      }),
      alice.client.createFaceMessage({ ...to, payload: { index: 3, data: 'smile' } }),
      alice.client.createLocationMessage({
        ...to,
        payload: { description: 'HQ', longitude: 113.941079, latitude: 22.546103 },
      }),
      alice.client.createTextMessage({
        ...to,
        payload: { text: 'plain' },
        cloudCustomData: '{"a":1}',
      }),
    ];
    for (const m of messages) await alice.client.sendMessage(m);
    for (const m of messages) {
      const got = await bob.rec.message(m.ID);
      expect(got.type).to.equal(m.type);
      expect(got.payload).to.deep.equal(m.payload);
      expect(got.cloudCustomData).to.equal(m.cloudCustomData);
      expect(got.flow).to.equal('in');
    }
  });

  it('image: upload progress, three renditions in the received payload, findMessage', async () => {
    const [alice, bob] = await pair();
    const progress: number[] = [];
    const file = new File([await png(1600, 900)], 'green.png', { type: 'image/png' });
    const image = alice.client.createImageMessage({
      to: bob.userID,
      conversationType: 'C2C',
      payload: { file },
      onProgress: (p) => progress.push(p),
    });
    expect(image.status).to.equal('unSend');
    const res = await alice.client.sendMessage(image);
    expect(res.data.message).to.equal(image);
    expect(image.status).to.equal('success');
    expect(progress.length).to.be.greaterThan(0);
    expect(progress.at(-1)).to.equal(1);
    expect(
      progress.every((p, i) => p >= 0 && p <= 1 && (i === 0 || p >= progress[i - 1])),
    ).to.equal(true);

    const got = await bob.rec.message(image.ID);
    const payload = got.payload as unknown as ImagePayload;
    expect(payload.uuid).to.be.a('string').and.not.equal('');
    expect(payload.imageInfoArray.map((i) => i.type)).to.have.members([0, 1, 2]);
    const byType = (t: number) => payload.imageInfoArray.find((i) => i.type === t)!;
    expect(byType(0)).to.include({ width: 1600, height: 900 });
    expect(Math.min(byType(1).width, byType(1).height)).to.equal(LIMITS.imageLargeShortSide);
    expect(Math.min(byType(2).width, byType(2).height)).to.equal(LIMITS.imageThumbShortSide);
    const fetched = await fetch(byType(2).url);
    expect(fetched.ok).to.equal(true);
    expect(alice.client.findMessage(image.ID)).to.equal(image);
    expect(bob.client.findMessage(image.ID)!.ID).to.equal(image.ID);
    expect(bob.client.findMessage('no-such-id')).to.equal(null);
  });

  it('file and audio: payloads with URL, name, size and duration', async () => {
    const [alice, bob] = await pair();
    const text = 'quarterly numbers\n';
    const file = alice.client.createFileMessage({
      to: bob.userID,
      conversationType: 'C2C',
      payload: { file: new File([text], 'report.txt', { type: 'text/plain' }) },
    });
    await alice.client.sendMessage(file);
    const got = (await bob.rec.message(file.ID)).payload as unknown as FilePayload;
    expect(got).to.include({ fileName: 'report.txt', fileSize: text.length });
    expect(await (await fetch(got.fileUrl)).text()).to.equal(text);

    const audio = alice.client.createAudioMessage({
      to: bob.userID,
      conversationType: 'C2C',
      payload: { file: new File([wav(2)], 'voice.wav', { type: 'audio/wav' }) },
    });
    await alice.client.sendMessage(audio);
    const sound = (await bob.rec.message(audio.ID)).payload as unknown as AudioPayload;
    expect(sound.second).to.equal(2); // read from the file through an <audio> element
    expect(sound.url).to.be.a('string').and.not.equal('');
    expect(sound.size).to.equal(wav(2).size);
  });

  it('cancelUploadFile rejects the send with 7009; a resend uploads and sends it', async () => {
    const [alice, bob] = await pair();
    const message = alice.client.createFileMessage({
      to: bob.userID,
      conversationType: 'C2C',
      payload: { file: new File([new Uint8Array(8 * 1024 * 1024)], 'big.bin') },
    });
    const sending = alice.client.sendMessage(message);
    alice.client.cancelUploadFile(message);
    expect((await rejection(sending)).code).to.equal(7009);
    expect(message.status).to.equal('fail');
    await alice.client.resendMessage(message);
    expect(message.status).to.equal('success');
    expect((message.payload as unknown as FilePayload).fileUrl).to.match(/^https?:/);
    await bob.rec.message(message.ID);
  });

  it('an oversized file is refused when the message is created (7005)', async () => {
    const [alice, bob] = await pair();
    const huge = new Blob(['x']);
    Object.defineProperty(huge, 'size', { value: LIMITS.uploadBytes.file + 1 });
    const err = await rejection(() =>
      alice.client.createFileMessage({
        to: bob.userID,
        conversationType: 'C2C',
        payload: { file: huge },
      }),
    );
    expect(err.code).to.equal(7005);
  });

  it('merger (inline and stored apart) and forward', async () => {
    const [alice, bob] = await pair();
    const to = { to: bob.userID, conversationType: 'C2C' } as const;
    const originals: Message[] = [];
    for (const text of ['one', 'two']) {
      const m = alice.client.createTextMessage({ ...to, payload: { text } });
      await alice.client.sendMessage(m);
      originals.push(m);
    }
    const merger = alice.client.createMergerMessage({
      ...to,
      payload: {
        messageList: originals,
        title: 'Chat',
        abstractList: ['a: one', 'a: two'],
        compatibleText: 'upgrade',
      },
    });
    await alice.client.sendMessage(merger);
    const got = await bob.rec.message(merger.ID);
    const payload = got.payload as unknown as MergerPayload;
    expect(payload).to.include({ title: 'Chat', compatibleText: 'upgrade' });
    const inline = await bob.client.downloadMergerMessage(got);
    expect((inline.payload as unknown as MergerPayload).messageList.map((m) => m.ID)).to.deep.equal(
      originals.map((m) => m.ID),
    );

    // a large merged list is stored apart: the receiver downloads it with the downloadKey
    const long: Message[] = [];
    for (let i = 0; i < 8; i++) {
      const m = alice.client.createTextMessage({
        ...to,
        payload: { text: `${i}`.padEnd(2000, '.') },
      });
      await alice.client.sendMessage(m);
      long.push(m);
    }
    const big = alice.client.createMergerMessage({
      ...to,
      payload: { messageList: long, title: 'Long', abstractList: [], compatibleText: 'upgrade' },
    });
    await alice.client.sendMessage(big);
    const bigGot = await bob.rec.message(big.ID);
    const bigPayload = bigGot.payload as unknown as MergerPayload;
    expect(bigPayload.downloadKey).to.not.equal('');
    expect(bigPayload.messageList).to.deep.equal([]);
    const downloaded = await bob.client.downloadMergerMessage(bigGot);
    expect(downloaded).to.equal(bigGot);
    expect((bigGot.payload as unknown as MergerPayload).messageList).to.have.length(8);

    const forward = bob.client.createForwardMessage({
      to: alice.userID,
      conversationType: 'C2C',
      payload: originals[0],
    });
    await bob.client.sendMessage(forward);
    const fwd = await alice.rec.message(forward.ID);
    expect(fwd.payload).to.deep.equal({ text: 'one' });
    expect(fwd.from).to.equal(bob.userID);
  });

  it('typing status: im:typing and an online-only MESSAGE_RECEIVED, throttled, never stored', async () => {
    const [alice, bob] = await pair();
    // a message first so both have the conversation
    const hello = alice.client.createTextMessage({
      to: bob.userID,
      conversationType: 'C2C',
      payload: { text: 'hi' },
    });
    await alice.client.sendMessage(hello);
    await bob.rec.message(hello.ID);
    await waitFor(() => bob.client.getTotalUnreadMessageCount() === 1, 'unread 1');

    await alice.client.sendTypingStatus({ userID: bob.userID, typing: true });
    await alice.client.sendTypingStatus({ userID: bob.userID, typing: true }); // throttled
    await waitFor(() => bob.rec.count(LIFECYCLE_EVENT.TYPING) === 1, 'typing');
    expect(bob.rec.of<TypingEventData>(LIFECYCLE_EVENT.TYPING)[0]).to.deep.equal({
      conversationID: `C2C${alice.userID}`,
      userID: alice.userID,
      typing: true,
    });
    await alice.client.sendTypingStatus({ userID: bob.userID, typing: false });
    await waitFor(() => bob.rec.count(LIFECYCLE_EVENT.TYPING) === 2, 'stopped typing');
    expect(bob.rec.of<TypingEventData>(LIFECYCLE_EVENT.TYPING)[1].typing).to.equal(false);
    const online = bob.rec.messages().filter((m) => m.onlineOnlyFlag);
    expect(online).to.have.length(2);
    expect(online[0].type).to.equal(TYPES.MSG_CUSTOM);
    expect(bob.client.findMessage(online[0].ID)).to.equal(null);

    await new Promise((r) => setTimeout(r, 200));
    const conv = (await bob.client.getConversationList()).data.conversationList[0];
    expect(conv.lastMessage!.ID).to.equal(hello.ID);
    expect(conv.unreadCount).to.equal(1);
    expect(bob.client.getTotalUnreadMessageCount()).to.equal(1);
    const history = await bob.client.getMessageList({ conversationID: `C2C${alice.userID}` });
    expect(history.data.messageList.map((m) => m.ID)).to.deep.equal([hello.ID]);
  });

  it('findMessage follows the events: a recall seen in another tab updates the same object', async () => {
    const [alice, bob] = await pair();
    const bob2 = await secondTab(bob);
    const m = alice.client.createTextMessage({
      to: bob.userID,
      conversationType: 'C2C',
      payload: { text: 'x' },
    });
    await alice.client.sendMessage(m);
    const got = await bob.rec.message(m.ID);
    expect(bob.client.findMessage(m.ID)).to.equal(got);
    const page = await bob.client.getMessageList({ conversationID: `C2C${alice.userID}` });
    expect(page.data.messageList[0]).to.equal(got); // one object per message in a tab
    await alice.client.revokeMessage(m);
    await bob.rec.message(m.ID, EVENT.MESSAGE_REVOKED);
    await bob2.rec.message(m.ID, EVENT.MESSAGE_REVOKED);
    expect(got.isRevoked).to.equal(true);
    expect(bob.client.findMessage(m.ID)!.isRevoked).to.equal(true);
  });
});
