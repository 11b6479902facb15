// sendMessage for every type, media URLs, merged messages, targeted and online-only messages,
// messageControlInfo. Each error path checks the code and that nothing was stored.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { ErrorCode } from '../../src/protocol/codes.js';
import { LIMITS } from '../../src/protocol/constants.js';
import type { Conversation, Message, UploadResult } from '../../src/protocol/types.js';
import type { MessageListResult } from '../../src/protocol/wire.js';
import { PayloadService } from '../../src/server/services/payloads.js';
import { SqliteStorage } from '../../src/server/storage/sqlite.js';
import {
  connectClient,
  createGroupWith,
  groupText,
  registerUsers,
  startTestServer,
  textMessage,
  uid,
  uploadFile,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';

type Loose = Omit<Message, 'payload'> & { payload: Record<string, unknown> };
const send = (client: TestClient, data: unknown) =>
  client.request<{ message: Loose }>('sendMessage', data);

const typed = (to: string, type: string, payload: unknown, extra: Record<string, unknown> = {}) =>
  textMessage(to, '', { type, payload, ...extra });

async function history(client: TestClient, conversationID: string): Promise<Message[]> {
  const r = await client.request<MessageListResult>('getMessageList', { conversationID });
  return r.messageList;
}

async function conversation(client: TestClient, conversationID: string): Promise<Conversation> {
  return (await client.request('getConversationProfile', { conversationID })).conversation;
}

describe('sendMessage: payloads', () => {
  let server: RunningServer;
  let alice: TestClient;
  let b: string;
  before(async () => {
    server = await startTestServer();
    b = uid('b');
    await registerUsers(server, b);
    alice = await connectClient(server, uid('a'));
  });
  after(async () => {
    await alice.close();
    await server.close();
  });

  test('custom/face/location payloads are normalised; bad fields are 10004 and store nothing', async () => {
    let r = await send(alice, typed(b, 'TIMCustomElem', { data: 'd' }));
    assert.deepEqual(r.message.payload, { data: 'd', description: '', extension: '' });
    r = await send(alice, typed(b, 'TIMFaceElem', { index: 3, data: 'x', junk: 1 }));
    assert.deepEqual(r.message.payload, { index: 3, data: 'x' });
    r = await send(
      alice,
      typed(b, 'TIMLocationElem', { description: 'HQ', longitude: -180, latitude: 90 }),
    );
    assert.equal(r.message.type, 'TIMLocationElem');
    const before = (await history(alice, `C2C${b}`)).length;
    for (const [type, payload] of [
      ['TIMLocationElem', { description: 'x', longitude: 181, latitude: 0 }],
      ['TIMLocationElem', { description: 'x', longitude: 0, latitude: -90.5 }],
      ['TIMLocationElem', { description: 'x', longitude: '1', latitude: 0 }],
      ['TIMFaceElem', { data: 'no index' }],
      ['TIMCustomElem', { data: 5 }],
      ['TIMTextElem', { text: 'x', atUserList: 'a' }],
      ['TIMRelayElem', { title: 't', abstractList: [], messageList: [] }],
    ] as const) {
      await assert.rejects(send(alice, typed(b, type, payload)), {
        code: ErrorCode.INVALID_PARAMETER,
      });
    }
    assert.equal((await history(alice, `C2C${b}`)).length, before);
  });

  test('media messages need uploads of this server, of the right kind and uuid', async () => {
    const jpg = await sharp({
      create: { width: 800, height: 600, channels: 3, background: '#08f' },
    })
      .jpeg()
      .toBuffer();
    const upload = async (kind: string, name: string, body: Uint8Array, contentType: string) => {
      const res = await uploadFile(server, alice.userID, { kind, name, body, contentType });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.data as UploadResult;
    };
    const image = await upload('image', 'pic.jpg', jpg, 'image/jpeg');
    const file = await upload('file', 'notes.txt', Buffer.from('hello'), 'text/plain');
    const audio = await upload('audio', 'voice.mp3', Buffer.from('ID3 audio'), 'audio/mpeg');
    const video = await upload('video', 'clip.mp4', Buffer.from('video bytes'), 'video/mp4');

    const bob = await connectClient(server, b);
    const imagePayload = {
      uuid: image.uuid,
      imageFormat: image.imageFormat,
      imageInfoArray: image.imageInfoArray,
    };
    const sent = await send(alice, typed(b, 'TIMImageElem', imagePayload));
    assert.deepEqual(sent.message.payload, imagePayload);
    assert.deepEqual((await bob.nextPush('message')).data.payload, imagePayload);
    await send(
      alice,
      typed(b, 'TIMFileElem', {
        uuid: file.uuid,
        fileUrl: file.url,
        fileName: 'notes.txt',
        fileSize: file.size,
      }),
    );
    // a relative URL names this server too
    const relative = new URL(audio.url).pathname;
    await send(
      alice,
      typed(b, 'TIMSoundElem', { uuid: audio.uuid, url: relative, second: 3, size: audio.size }),
    );
    const videoPayload = {
      videoUUID: video.uuid,
      videoUrl: video.url,
      videoSecond: 4,
      videoFormat: 'mp4',
      videoSize: video.size,
      thumbUUID: image.uuid,
      thumbUrl: image.imageInfoArray![2].url,
      thumbWidth: 198,
      thumbHeight: 148,
    };
    await send(alice, typed(b, 'TIMVideoFileElem', videoPayload));
    const stored = await history(alice, `C2C${b}`);
    const count = stored.length;

    const bad: [string, Record<string, unknown>][] = [
      // made-up uuid
      [
        'TIMFileElem',
        {
          uuid: '00000000-0000-4000-8000-000000000000',
          fileUrl: `${server.url}/media/00000000-0000-4000-8000-000000000000/x.txt`,
          fileName: 'x',
          fileSize: 1,
        },
      ],
      // another host
      [
        'TIMFileElem',
        {
          uuid: file.uuid,
          fileUrl: file.url.replace('127.0.0.1', 'evil.example'),
          fileName: 'x',
          fileSize: 1,
        },
      ],
      // protocol-relative to another host
      [
        'TIMFileElem',
        {
          uuid: file.uuid,
          fileUrl: `//evil.example${new URL(file.url).pathname}`,
          fileName: 'x',
          fileSize: 1,
        },
      ],
      // right URL, wrong kind (a file upload as an audio message)
      ['TIMSoundElem', { uuid: file.uuid, url: file.url, second: 1, size: 1 }],
      // uuid of the payload and of the URL differ
      ['TIMSoundElem', { uuid: file.uuid, url: audio.url, second: 1, size: 1 }],
      // a file name that is not part of the upload
      [
        'TIMFileElem',
        {
          uuid: file.uuid,
          fileUrl: file.url.replace('notes.txt', 'other.txt'),
          fileName: 'x',
          fileSize: 1,
        },
      ],
      ['TIMImageElem', { ...imagePayload, imageInfoArray: [] }],
      [
        'TIMImageElem',
        { ...imagePayload, imageInfoArray: [{ ...image.imageInfoArray![0], type: 7 }] },
      ],
      ['TIMImageElem', { uuid: image.uuid, imageInfoArray: image.imageInfoArray }],
      ['TIMVideoFileElem', { ...videoPayload, thumbUUID: '' }],
      ['TIMVideoFileElem', { ...videoPayload, videoSize: -1 }],
      ['TIMFileElem', { uuid: file.uuid, fileUrl: file.url, fileName: 'x' }],
    ];
    for (const [type, payload] of bad) {
      await assert.rejects(
        send(alice, typed(b, type, payload)),
        { code: ErrorCode.INVALID_PARAMETER },
        `${type} ${JSON.stringify(payload)}`,
      );
    }
    assert.equal((await history(alice, `C2C${b}`)).length, count, 'nothing stored');
    await bob.close();
  });

  test('uploads of another app are refused (PayloadService)', async () => {
    const storage = new SqliteStorage({ file: ':memory:' });
    const uuid = '11111111-1111-4111-8111-111111111111';
    await storage.saveMedia({
      uuid,
      app: 2,
      owner: 'x',
      kind: 'file',
      size: 1,
      name: 'f',
      contentType: 'text/plain',
      files: ['f'],
      origin: 'http://h',
      info: {},
      createdAt: 1,
    });
    const payloads = new PayloadService(storage);
    const payload = { uuid, fileUrl: `http://h/media/${uuid}/f`, fileName: 'f', fileSize: 1 };
    const ok = await payloads.prepare(2, 'TIMFileElem', payload, '', async () => false);
    assert.equal(ok.payload.fileUrl, payload.fileUrl);
    await assert.rejects(
      payloads.prepare(1, 'TIMFileElem', payload, '', async () => false),
      {
        code: ErrorCode.INVALID_PARAMETER,
      },
    );
    await storage.close();
  });
});

describe('sendMessage: merged messages', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const item = (i: number, text: string) => ({
    ID: `m-${i}`,
    type: 'TIMTextElem',
    payload: { text },
    from: 'x',
    time: i,
    status: 'success',
  });
  const merger = (messageList: unknown[], extra: Record<string, unknown> = {}) => ({
    title: 'Chat history',
    abstractList: ['x: hi'],
    compatibleText: 'please upgrade',
    messageList,
    ...extra,
  });

  test('small lists stay inline; large ones are stored apart and fetched by participants', async () => {
    const [a, b, c] = [uid('a'), uid('b'), uid('c')];
    await registerUsers(server, b, c);
    const alice = await connectClient(server, a);
    const small = await send(alice, typed(b, 'TIMRelayElem', merger([item(1, 'hi')])));
    assert.equal(small.message.payload.downloadKey, '');
    assert.equal((small.message.payload.messageList as unknown[]).length, 1);

    const list = Array.from({ length: 60 }, (_, i) => item(i, 'y'.repeat(400)));
    assert.ok(JSON.stringify(list).length > LIMITS.mergerInlineBytes);
    const big = await send(alice, typed(b, 'TIMRelayElem', merger(list)));
    const key = big.message.payload.downloadKey as string;
    assert.ok(key.length >= 16);
    assert.deepEqual(big.message.payload.messageList, []);
    const bob = await connectClient(server, b);
    const fetched = await bob.request('downloadMergerMessage', { downloadKey: key });
    assert.deepEqual(fetched.messageList, list);

    const carol = await connectClient(server, c);
    await assert.rejects(carol.request('downloadMergerMessage', { downloadKey: key }), {
      code: ErrorCode.NO_PERMISSION,
    });
    await assert.rejects(bob.request('downloadMergerMessage', { downloadKey: 'nope' }), {
      code: ErrorCode.MESSAGE_NOT_FOUND,
    });

    // forwarding the large merged message: bob may read it, so carol gets her own copy
    const fwd = await send(
      bob,
      typed(c, 'TIMRelayElem', merger([], { downloadKey: key, layersOverLimit: false })),
    );
    const key2 = fwd.message.payload.downloadKey as string;
    assert.notEqual(key2, key);
    assert.deepEqual(
      (await carol.request('downloadMergerMessage', { downloadKey: key2 })).messageList,
      list,
    );
    // carol cannot forward alice's key (she is not in that conversation); nothing stored
    const carolBefore = (await history(carol, `C2C${a}`)).length;
    await assert.rejects(send(carol, typed(a, 'TIMRelayElem', merger([], { downloadKey: key }))), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    assert.equal((await history(carol, `C2C${a}`)).length, carolBefore);
    for (const client of [alice, bob, carol]) await client.close();
  });

  test('limits: <= 300 messages, compatibleText required, body 80002 outside the list', async () => {
    const [a, b] = [uid('a'), uid('b')];
    await registerUsers(server, b);
    const alice = await connectClient(server, a);
    const many = Array.from({ length: LIMITS.mergerMessages + 1 }, (_, i) => item(i, 'z'));
    await assert.rejects(send(alice, typed(b, 'TIMRelayElem', merger(many))), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    await assert.rejects(
      send(alice, typed(b, 'TIMRelayElem', merger([item(1, 'x')], { compatibleText: '' }))),
      { code: ErrorCode.INVALID_PARAMETER },
    );
    await assert.rejects(
      send(alice, typed(b, 'TIMRelayElem', merger([{ ...item(1, 'x'), status: 'fail' }]))),
      { code: ErrorCode.INVALID_PARAMETER },
    );
    const bigTitle = 't'.repeat(LIMITS.messageBodyBytes + 1);
    await assert.rejects(
      send(alice, typed(b, 'TIMRelayElem', merger([item(1, 'x')], { title: bigTitle }))),
      { code: ErrorCode.MESSAGE_BODY_TOO_LARGE },
    );
    assert.equal((await history(alice, `C2C${b}`)).length, 0);
    // exactly 300 is fine, and may be far over 12 KB
    const max = Array.from({ length: LIMITS.mergerMessages }, (_, i) => item(i, 'w'.repeat(100)));
    const ok = await send(alice, typed(b, 'TIMRelayElem', merger(max)));
    assert.notEqual(ok.message.payload.downloadKey, '');
    await alice.close();
  });
});

describe('sendMessage: targeting, mentions, online-only, control info', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('C2C refuses atUserList and receiverList (10004), nothing stored', async () => {
    const [a, b] = [uid('a'), uid('b')];
    await registerUsers(server, b);
    const alice = await connectClient(server, a);
    await assert.rejects(send(alice, textMessage(b, 'x', { atUserList: [b] })), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    await assert.rejects(
      send(alice, textMessage(b, 'x', { payload: { text: 'x', atUserList: [b] } })),
      { code: ErrorCode.INVALID_PARAMETER },
    );
    await assert.rejects(send(alice, textMessage(b, 'x', { receiverList: [b] })), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    assert.equal((await history(alice, `C2C${b}`)).length, 0);
    await alice.close();
  });

  test('targeted group messages reach and show only to receivers and the sender; never unread', async () => {
    const [o, a, b, x] = [uid('o'), uid('a'), uid('b'), uid('x')];
    await registerUsers(server, a, b, x);
    const owner = await connectClient(server, o);
    const groupID = await createGroupWith(owner, [a, b]);
    const ann = await connectClient(server, a);
    const ben = await connectClient(server, b);
    const owner2 = await connectClient(server, o);
    const cid = `GROUP${groupID}`;
    await assert.rejects(send(owner, groupText(groupID, 'x', { receiverList: [x] })), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    await assert.rejects(
      send(owner, groupText(groupID, 'x', { receiverList: [a], atUserList: [a] })),
      { code: ErrorCode.INVALID_PARAMETER },
    );
    const { message } = await send(owner, groupText(groupID, 'for ann', { receiverList: [a] }));
    assert.deepEqual(message.receiverList, [a]);
    assert.equal((await ann.nextPush('message')).data.ID, message.ID);
    assert.equal((await owner2.nextPush('message')).data.ID, message.ID);
    assert.equal(await ben.noPush('message', 150), true);

    assert.equal((await history(ann, cid)).length, 1);
    assert.equal((await history(owner, cid)).length, 1);
    assert.equal((await history(ben, cid)).length, 0);
    assert.equal((await ben.request('sync', { cursor: 0 })).messages.length, 0);
    assert.equal((await ann.request('sync', { cursor: 0 })).messages.length, 1);
    const byID = await ben.request('getMessagesByID', {
      conversationID: cid,
      messageIDList: [message.ID],
    });
    assert.equal(byID.messageList.length, 0);
    assert.equal((await conversation(ann, cid)).unreadCount, 0, 'targeted: never unread');
    assert.equal((await conversation(ann, cid)).lastMessage?.ID, message.ID);
    assert.equal((await conversation(ben, cid)).lastMessage, null);
    const benGroup = (await ben.request('getGroupProfile', { groupID })).group;
    assert.equal(benGroup.lastMessage.messageForShow, '', 'no preview of a message for others');
    const annGroup = (await ann.request('getGroupProfile', { groupID })).group;
    assert.equal(annGroup.lastMessage.messageForShow, 'for ann');
    for (const c of [owner, owner2, ann, ben]) await c.close();
  });

  test('onlineUserOnly: pushed to open sockets only, never stored, no sequence, never unread', async () => {
    const [a, b, c] = [uid('a'), uid('b'), uid('c')];
    await registerUsers(server, c);
    const alice = await connectClient(server, a);
    const alice2 = await connectClient(server, a);
    const bob = await connectClient(server, b);
    const data = {
      ...typed(b, 'TIMCustomElem', { data: '{"typing":1}', description: '', extension: '' }),
      options: { onlineUserOnly: true },
    };
    const { message } = await send(alice, data);
    assert.equal(message.onlineOnlyFlag, true);
    assert.equal(message.sequence, 0);
    const push = (await bob.nextPush('onlineMessage')) as {
      push: string;
      cursor?: number;
      data: Message;
    };
    assert.equal(push.cursor, undefined);
    assert.equal(push.data.onlineOnlyFlag, true);
    assert.equal(push.data.flow, 'in');
    assert.equal((await alice2.nextPush('onlineMessage')).data.flow, 'out');
    assert.equal(await alice.noPush('onlineMessage', 100), true);
    assert.equal(await bob.noPush('message', 50), true);
    assert.equal((await history(bob, `C2C${a}`)).length, 0);
    assert.equal((await bob.request('sync', { cursor: 0 })).messages.length, 0);
    // offline users simply miss it
    await send(alice, {
      ...typed(c, 'TIMTextElem', { text: 'hi' }),
      options: { onlineUserOnly: true },
    });
    const carol = await connectClient(server, c);
    assert.equal((await carol.request('sync', { cursor: 0 })).messages.length, 0);
    assert.equal((await carol.request('getConversationList')).conversationList.length, 0);
    await assert.rejects(
      send(alice, {
        ...textMessage(b, 'x'),
        options: { onlineUserOnly: true, messageControlInfo: { excludedFromUnreadCount: true } },
      }),
      { code: ErrorCode.INVALID_PARAMETER },
    );
    assert.equal(await bob.noPush('onlineMessage', 100), true);
    assert.equal((await history(bob, `C2C${a}`)).length, 0);
    for (const client of [alice, alice2, bob, carol]) await client.close();
  });

  test('onlineUserOnly in groups: every open member socket but those who discard the group', async () => {
    const [o, a, b] = [uid('o'), uid('a'), uid('b')];
    await registerUsers(server, a, b);
    const owner = await connectClient(server, o);
    const groupID = await createGroupWith(owner, [a, b]);
    const ann = await connectClient(server, a);
    const ben = await connectClient(server, b);
    await ben.request('setMessageRemindType', { groupID, messageRemindType: 'Discard' });
    await send(owner, { ...groupText(groupID, 'typing...'), options: { onlineUserOnly: true } });
    const push = await ann.nextPush('onlineMessage');
    assert.equal(push.data.conversationID, `GROUP${groupID}`);
    assert.equal(push.data.sequence, 0);
    assert.equal(await ben.noPush('onlineMessage', 150), true);
    assert.equal((await history(ann, `GROUP${groupID}`)).length, 0);
    for (const c of [owner, ann, ben]) await c.close();
  });

  test('messageControlInfo: excluded from unread / from lastMessage, still stored', async () => {
    const [a, b] = [uid('a'), uid('b')];
    await registerUsers(server, b);
    const alice = await connectClient(server, a);
    const bob = await connectClient(server, b);
    const first = await send(alice, textMessage(b, 'counted'));
    const quiet = await send(alice, {
      ...textMessage(b, 'not counted'),
      options: { messageControlInfo: { excludedFromUnreadCount: true } },
    });
    assert.equal(quiet.message.isExcludedFromUnreadCount, true);
    let conv = await conversation(bob, `C2C${a}`);
    assert.equal(conv.unreadCount, 1);
    assert.equal(conv.lastMessage?.ID, quiet.message.ID);
    const hidden = await send(alice, {
      ...textMessage(b, 'not last'),
      options: { messageControlInfo: { excludedFromLastMessage: true } },
    });
    conv = await conversation(bob, `C2C${a}`);
    assert.equal(conv.lastMessage?.ID, quiet.message.ID, 'lastMessage skips it');
    assert.equal(conv.unreadCount, 2);
    const ids = (await history(bob, `C2C${a}`)).map((m) => m.ID);
    assert.deepEqual(ids, [first.message.ID, quiet.message.ID, hidden.message.ID]);
    const stored = (await history(bob, `C2C${a}`))[2];
    assert.equal(stored.isExcludedFromLastMessage, true);
    await alice.close();
    await bob.close();
  });

  test('needReadReceipt and isSupportExtension are stored', async () => {
    const [a, b] = [uid('a'), uid('b')];
    await registerUsers(server, b);
    const alice = await connectClient(server, a);
    const { message } = await send(
      alice,
      textMessage(b, 'x', { needReadReceipt: true, isSupportExtension: true }),
    );
    assert.equal(message.needReadReceipt, true);
    assert.equal(message.isSupportExtension, true);
    const [stored] = await history(alice, `C2C${b}`);
    assert.equal(stored.needReadReceipt, true);
    assert.equal(stored.isSupportExtension, true);
    await alice.close();
  });
});
