// Pinned group messages and translateText (with a tiny local translator).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ErrorCode } from '../../src/protocol/codes.js';
import { LIMITS } from '../../src/protocol/constants.js';
import type { Message } from '../../src/protocol/types.js';
import {
  connectClient,
  createGroupWith,
  groupText,
  registerUsers,
  startTestServer,
  uid,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';

const send = (client: TestClient, data: unknown) =>
  client.request<{ message: Message }>('sendMessage', data);

describe('pinned group messages', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('owner and admins pin (any member in Work groups); members are told; <= 10', async () => {
    const [o, adm, m] = [uid('o'), uid('adm'), uid('m')];
    await registerUsers(server, adm, m);
    const owner = await connectClient(server, o);
    const { group } = await owner.request('createGroup', {
      name: 'pub',
      type: 'Public',
      memberList: [{ userID: adm, role: 'Admin' }, { userID: m }],
    });
    const groupID = group.groupID as string;
    const admin = await connectClient(server, adm);
    const member = await connectClient(server, m);
    const sent: Message[] = [];
    for (let i = 0; i < LIMITS.pinnedGroupMessages + 1; i++) {
      sent.push((await send(owner, groupText(groupID, `m${i}`))).message);
    }
    const pin = (client: TestClient, messageID: string, isPinned = true) =>
      client.request('pinGroupMessage', { groupID, messageID, isPinned });

    const answered = await pin(admin, sent[0].ID);
    assert.deepEqual(
      answered.pinnedMessageList.map((x: Message) => x.ID),
      [sent[0].ID],
    );
    const pushed = await member.nextPush('pinnedGroupMessageUpdated');
    assert.equal(pushed.data.groupID, groupID);
    assert.deepEqual(
      pushed.data.pinnedMessageList.map((x) => [x.ID, x.flow]),
      [[sent[0].ID, 'in']],
    );
    assert.equal(
      (await owner.nextPush('pinnedGroupMessageUpdated')).data.pinnedMessageList[0].flow,
      'out',
    );
    assert.equal(await admin.noPush('pinnedGroupMessageUpdated', 50), true);
    await pin(admin, sent[0].ID);
    assert.equal(await member.noPush('pinnedGroupMessageUpdated', 100), true, 'idempotent');

    await assert.rejects(pin(member, sent[1].ID), { code: ErrorCode.NO_PERMISSION });
    for (let i = 1; i < LIMITS.pinnedGroupMessages; i++) await pin(owner, sent[i].ID);
    await assert.rejects(pin(owner, sent[LIMITS.pinnedGroupMessages].ID), {
      code: ErrorCode.PINNED_MESSAGE_LIMIT,
    });
    const list = async (client: TestClient) =>
      (await client.request('getPinnedGroupMessageList', { groupID })).messageList as Message[];
    const pinned = await list(member);
    assert.equal(pinned.length, LIMITS.pinnedGroupMessages);
    assert.equal(pinned[0].ID, sent[LIMITS.pinnedGroupMessages - 1].ID, 'most recent first');
    assert.ok(!pinned.some((x) => x.ID === sent[LIMITS.pinnedGroupMessages].ID));

    await pin(owner, sent[0].ID, false);
    assert.ok(!(await list(owner)).some((x) => x.ID === sent[0].ID));
    await pin(owner, sent[LIMITS.pinnedGroupMessages].ID);
    // recalling a pinned message unpins it and tells the members
    while (!(await member.noPush('pinnedGroupMessageUpdated', 30))) {
      await member.nextPush('pinnedGroupMessageUpdated');
    }
    await owner.request('revokeMessage', {
      conversationID: `GROUP${groupID}`,
      messageID: sent[5].ID,
    });
    const afterRecall = await member.nextPush('pinnedGroupMessageUpdated');
    assert.ok(!afterRecall.data.pinnedMessageList.some((x) => x.ID === sent[5].ID));
    await assert.rejects(pin(owner, sent[5].ID), { code: ErrorCode.MESSAGE_OPERATION_UNSUPPORTED });
    await assert.rejects(pin(owner, 'nope'), { code: ErrorCode.MESSAGE_NOT_FOUND });
    for (const c of [owner, admin, member]) await c.close();
  });

  test('Work groups: any member pins; strangers and missing groups are refused', async () => {
    const [o, m, x] = [uid('o'), uid('m'), uid('x')];
    await registerUsers(server, m);
    const owner = await connectClient(server, o);
    const groupID = await createGroupWith(owner, [m]);
    const member = await connectClient(server, m);
    const outsider = await connectClient(server, x);
    const { message } = await send(owner, groupText(groupID, 'w'));
    const targeted = await send(owner, groupText(groupID, 't', { receiverList: [m] }));
    await member.request('pinGroupMessage', { groupID, messageID: message.ID, isPinned: true });
    await assert.rejects(
      member.request('pinGroupMessage', {
        groupID,
        messageID: targeted.message.ID,
        isPinned: true,
      }),
      { code: ErrorCode.MESSAGE_OPERATION_UNSUPPORTED },
    );
    await assert.rejects(
      outsider.request('pinGroupMessage', { groupID, messageID: message.ID, isPinned: false }),
      { code: ErrorCode.NO_PERMISSION },
    );
    await assert.rejects(outsider.request('getPinnedGroupMessageList', { groupID }), {
      code: ErrorCode.NO_PERMISSION,
    });
    await assert.rejects(
      owner.request('pinGroupMessage', { groupID: 'nope', messageID: message.ID, isPinned: true }),
      { code: ErrorCode.GROUP_NOT_FOUND },
    );
    const list = await owner.request('getPinnedGroupMessageList', { groupID });
    assert.deepEqual(
      list.messageList.map((x: Message) => x.ID),
      [message.ID],
    );
    for (const c of [owner, member, outsider]) await c.close();
  });
});

describe('translateText', () => {
  let translator: Server;
  let translatorURL: string;
  let mode: 'ok' | 'short' | 'error' | 'slow' | 'garbage' = 'ok';
  const received: unknown[] = [];

  before(async () => {
    translator = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const data = JSON.parse(body) as { sourceTextList: string[]; targetLanguage: string };
        received.push(data);
        if (mode === 'slow') return void setTimeout(() => res.end('{}'), 1000);
        if (mode === 'error') {
          res.writeHead(500);
          return void res.end('boom');
        }
        if (mode === 'garbage') return void res.end('not json');
        const list = data.sourceTextList.map((t) => `[${data.targetLanguage}] ${t}`);
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ translatedTextList: mode === 'short' ? list.slice(1) : list }));
      });
    });
    await new Promise<void>((r) => translator.listen(0, '127.0.0.1', () => r()));
    translatorURL = `http://127.0.0.1:${(translator.address() as AddressInfo).port}/translate`;
  });
  after(async () => {
    translator.closeAllConnections();
    await new Promise((r) => translator.close(r));
  });

  test('without --translate-url: 2118', async () => {
    const server = await startTestServer();
    const alice = await connectClient(server, uid('a'));
    await assert.rejects(
      alice.request('translateText', { sourceTextList: ['hi'], targetLanguage: 'fr' }),
      {
        code: ErrorCode.TRANSLATE_NOT_CONFIGURED,
        message: /translation is not configured on this server/,
      },
    );
    await alice.close();
    await server.close();
  });

  test('through the configured translator; its failures are 2117', async () => {
    const server = await startTestServer({ translateURL: translatorURL, translateTimeoutMs: 300 });
    const alice = await connectClient(server, uid('a'));
    const translate = (sourceTextList: string[]) =>
      alice.request('translateText', {
        sourceTextList,
        sourceLanguage: 'en',
        targetLanguage: 'fr',
      });
    mode = 'ok';
    assert.deepEqual(await translate(['hello', 'world']), {
      translatedTextList: ['[fr] hello', '[fr] world'],
    });
    assert.deepEqual(received.at(-1), {
      sourceTextList: ['hello', 'world'],
      sourceLanguage: 'en',
      targetLanguage: 'fr',
    });
    for (const m of ['short', 'error', 'slow', 'garbage'] as const) {
      mode = m;
      await assert.rejects(translate(['a', 'b']), { code: ErrorCode.TRANSLATE_FAILED }, m);
    }
    mode = 'ok';
    const calls = received.length;
    await assert.rejects(translate(['x'.repeat(LIMITS.translateChars + 1)]), {
      code: ErrorCode.INVALID_PARAMETER,
    });
    await assert.rejects(
      translate(Array.from({ length: LIMITS.translateTextsPerCall + 1 }, () => 'a')),
      { code: ErrorCode.INVALID_PARAMETER },
    );
    assert.equal(received.length, calls, 'refused before reaching the translator');
    await alice.close();
    await server.close();
  });

  test('an unreachable translator is 2117', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const server = await startTestServer({ translateURL: `http://127.0.0.1:${port}/` });
    const alice = await connectClient(server, uid('a'));
    await assert.rejects(
      alice.request('translateText', { sourceTextList: ['hi'], targetLanguage: 'de' }),
      { code: ErrorCode.TRANSLATE_FAILED },
    );
    await alice.close();
    await server.close();
  });
});
