import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode } from '../../src/protocol/codes.js';
import { LIMITS } from '../../src/protocol/constants.js';
import type { MessageListResult } from '../../src/protocol/wire.js';
import {
  connectClient,
  readMetric,
  registerUsers,
  startTestServer,
  textMessage,
  uid,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';

describe('bad frames', () => {
  let server: RunningServer;
  let client: TestClient;
  let peer: string;
  before(async () => {
    server = await startTestServer();
    peer = uid('peer');
    await registerUsers(server, peer);
    client = await connectClient(server, uid('me'));
    await client.request('sendMessage', textMessage(peer, 'baseline'));
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  /** The state the errors must not change. */
  async function snapshot() {
    const history = await client.request<MessageListResult>('getMessageList', {
      conversationID: `C2C${peer}`,
    });
    const conversations = await client.request('getConversationList');
    return { history, conversations, messages: await readMetric(server, 'im_messages_total') };
  }

  async function expectFrameError(raw: string | Buffer, id: number, code: number, binary = false) {
    const before = await snapshot();
    client.sendRaw(raw, binary);
    const frame = (await client.nextFrame((f) => 'code' in f && f.code !== 0)) as {
      id: number;
      code: number;
      message: string;
    };
    assert.equal(frame.id, id);
    assert.equal(frame.code, code);
    assert.ok(frame.message.length > 0);
    assert.deepEqual(await client.request('ping'), {}, 'the socket keeps working');
    assert.deepEqual(await snapshot(), before, 'nothing changed');
    return frame;
  }

  const check =
    (raw: string | Buffer, id: number, code: number, binary = false) =>
    async (): Promise<void> => {
      await expectFrameError(raw, id, code, binary);
    };

  test('not JSON -> id 0, 10011', check('{nope', 0, ErrorCode.JSON_PARSE_FAILED));
  test(
    'binary frame -> 10004',
    check(Buffer.from([1, 2, 3]), 0, ErrorCode.INVALID_PARAMETER, true),
  );
  test(
    'bad envelope without id -> id 0, 10004',
    check('{"op":"ping"}', 0, ErrorCode.INVALID_PARAMETER),
  );
  test(
    'bad envelope with id -> that id, 10004',
    check('{"id":77,"op":5}', 77, ErrorCode.INVALID_PARAMETER),
  );
  test('JSON that is not an object -> 10004', check('[1,2]', 0, ErrorCode.INVALID_PARAMETER));
  test('null -> 10004', check('null', 0, ErrorCode.INVALID_PARAMETER));
  test(
    'unknown op -> 10003',
    check('{"id":78,"op":"dropTables","data":{}}', 78, ErrorCode.INVALID_COMMAND),
  );
  test(
    'prototype keys are not ops',
    check('{"id":79,"op":"toString","data":{}}', 79, ErrorCode.INVALID_COMMAND),
  );

  test('invalid data -> 10004 with the validation message', async () => {
    const frame = await expectFrameError(
      JSON.stringify({
        id: 80,
        op: 'sendMessage',
        data: { message: { ...textMessage(peer, 'x').message, type: 'TIMGroupTipElem' } },
      }),
      80,
      ErrorCode.INVALID_PARAMETER,
    );
    assert.match(frame.message, /message\.type/);
  });

  test('message payload over 12 KB -> 80002', async () => {
    const big = 'x'.repeat(LIMITS.messageBodyBytes + 1);
    const frame = await expectFrameError(
      JSON.stringify({ id: 81, op: 'sendMessage', data: textMessage(peer, big) }),
      81,
      ErrorCode.MESSAGE_BODY_TOO_LARGE,
    );
    assert.match(frame.message, /12 KB/);
    // multi-byte characters count as bytes
    const cjk = '字'.repeat(4200);
    await expectFrameError(
      JSON.stringify({ id: 82, op: 'sendMessage', data: textMessage(peer, cjk) }),
      82,
      ErrorCode.MESSAGE_BODY_TOO_LARGE,
    );
  });

  test('a frame over LIMITS.frameBytes closes the socket with 1009', async () => {
    const victim = await connectClient(server, uid('big'));
    victim.sendRaw(
      JSON.stringify({ id: 1, op: 'ping', data: { pad: 'x'.repeat(LIMITS.frameBytes) } }),
    );
    assert.equal((await victim.closed).code, 1009);
    assert.deepEqual(await client.request('ping'), {}, 'other sockets are fine');
  });
});
