/**
 * The engine's message lifecycle against a scripted server, two tabs of one engine: recalls and
 * modifications (pushed, and made by one tab), online-only messages and typing status.
 */
import { expect } from '@open-wc/testing';
import { EVENT } from '../../src/protocol/constants.js';
import { TYPING_BUSINESS_ID, type Conversation, type Message } from '../../src/protocol/types.js';
import { INTERNAL_EVENT } from '../../src/protocol/rpc.js';
import { LIFECYCLE_EVENT } from '../../src/core/internal-events.js';
import { IMError } from '../../src/core/errors.js';
import { Cache } from '../../src/worker/cache.js';
import { tick, until } from './fake-socket.js';
import { answerWhenAsked, deliver, lastList, message, twoTabs } from './two-tabs.js';

describe('Engine: recalls, modifications, online messages (scripted server)', () => {
  it('a recall from another browser: MESSAGE_REVOKED to every tab, cache and lastMessage follow', async () => {
    const { me, s, a, b, config, close } = await twoTabs();
    const m = message(me, 2);
    await deliver(s, a, m, 2);
    s.receive({
      push: 'messageRevoked',
      data: { message: { ID: m.ID, conversationID: m.conversationID, revoker: 'peer' } },
    });
    await until(
      () => a.of(EVENT.MESSAGE_REVOKED).length === 1 && b.of(EVENT.MESSAGE_REVOKED).length === 1,
    );
    const [revoked] = a.of(EVENT.MESSAGE_REVOKED)[0] as Message[];
    expect(revoked).to.include({ ID: m.ID, isRevoked: true, revoker: 'peer', type: 'TIMTextElem' });
    expect(revoked.payload).to.deep.equal({ text: 'm2' }); // laid over the cached copy
    const conv = lastList(b).find((c) => c.conversationID === m.conversationID)!;
    expect(conv.lastMessage!.isRevoked).to.equal(true);
    expect(conv.lastMessage!.messageForShow).to.equal('[Recalled]');
    const cache = await Cache.open(config);
    expect((await cache.loadMessages(m.conversationID))[0].isRevoked).to.equal(true);
    cache.close();
    close();
  });

  it('own recall: the acting tab gets the result, the other tab MESSAGE_REVOKED', async () => {
    const { me, s, a, b, close } = await twoTabs();
    const own = message(me, 3, { from: me, to: 'peer' });
    const sending = a.rpc.call<{ message: Message }>('sendMessage', {
      message: { ...own, sequence: 0 },
    });
    await answerWhenAsked(s, 'sendMessage', { message: own });
    await sending;
    await until(() => b.of(INTERNAL_EVENT.MESSAGE_SENT).length === 1);
    const revoking = a.rpc.call<{ message: Message }>('revokeMessage', {
      conversationID: own.conversationID,
      messageID: own.ID,
      message: own,
    });
    await until(() => s.ops().includes('revokeMessage'));
    expect(s.sent.find((x) => x.op === 'revokeMessage')!.data).to.deep.equal({
      conversationID: 'C2Cpeer',
      messageID: own.ID,
    });
    s.answer('revokeMessage', {});
    const { message: result } = await revoking;
    expect(result).to.include({ isRevoked: true, revoker: me });
    await until(() => b.of(EVENT.MESSAGE_REVOKED).length === 1);
    await tick(30);
    expect(a.of(EVENT.MESSAGE_REVOKED)).to.have.length(0);
    close();
  });

  it('modify: other tab gets MESSAGE_MODIFIED; a conflict carries the latest version', async () => {
    const { me, s, a, b, close } = await twoTabs();
    const m = message(me, 4);
    await deliver(s, a, m, 4);
    const modifying = a.rpc.call<{ message: Message }>('modifyMessage', {
      conversationID: m.conversationID,
      messageID: m.ID,
      version: 0,
      payload: { text: 'edited' },
    });
    await answerWhenAsked(s, 'modifyMessage', {
      message: { ...m, payload: { text: 'edited' }, version: 1, isModified: true },
    });
    const { message: modified } = await modifying;
    expect(modified).to.include({ version: 1, isModified: true, flow: 'in' });
    await until(() => b.of(EVENT.MESSAGE_MODIFIED).length === 1);
    expect(b.of(EVENT.MESSAGE_MODIFIED)[0][0].payload).to.deep.equal({ text: 'edited' });

    s.sent.length = 0;
    const conflict = a.rpc
      .call('modifyMessage', {
        conversationID: m.conversationID,
        messageID: m.ID,
        version: 0,
        payload: { text: 'stale' },
      })
      .catch((e: unknown) => e as IMError);
    await answerWhenAsked(s, 'modifyMessage', undefined, {
      code: 2480,
      message: 'modified meanwhile',
      data: { message: { ...m, payload: { text: 'edited' }, version: 1 } },
    });
    const err = (await conflict) as IMError;
    expect(err.code).to.equal(2480);
    const latest = (err.data as { message: Message }).message;
    expect(latest).to.include({ version: 1, conversationID: m.conversationID, flow: 'in' });
    close();
  });

  it('online messages: MESSAGE_RECEIVED and im:typing, no conversation, no unread, no cache', async () => {
    const { me, s, a, b, config, close } = await twoTabs();
    const data = JSON.stringify({ businessID: TYPING_BUSINESS_ID, typingStatus: 1 });
    const typing = message(me, 0, {
      ID: 'typing-1',
      type: 'TIMCustomElem',
      payload: { data, description: '', extension: '' },
    });
    s.receive({ push: 'onlineMessage', data: typing });
    await until(() => b.of(LIFECYCLE_EVENT.TYPING).length === 1);
    expect(b.of(LIFECYCLE_EVENT.TYPING)[0]).to.deep.equal({
      conversationID: 'C2Cpeer',
      userID: 'peer',
      typing: true,
    });
    const [received] = a.of(EVENT.MESSAGE_RECEIVED)[0] as Message[];
    expect(received.onlineOnlyFlag).to.equal(true);
    expect(
      a.of(EVENT.CONVERSATION_LIST_UPDATED).some((l: Conversation[]) => l.length > 0),
    ).to.equal(false);
    const cache = await Cache.open(config);
    expect(await cache.loadMessages('C2Cpeer')).to.deep.equal([]);
    cache.close();

    // an online-only send: no list change, no im:messageSent
    const own = message(me, 0, {
      ID: 'own-typing',
      from: me,
      to: 'peer',
      type: 'TIMCustomElem',
      payload: { data, description: '', extension: '' },
    });
    const sending = a.rpc.call<{ message: Message }>('sendMessage', {
      message: own,
      options: { onlineUserOnly: true },
    });
    await until(() => s.ops().includes('sendMessage'));
    expect(
      (s.sent.find((x) => x.op === 'sendMessage')!.data as any).options.onlineUserOnly,
    ).to.equal(true);
    s.answer('sendMessage', { message: own });
    expect((await sending).message.onlineOnlyFlag).to.equal(true);
    await tick(30);
    expect(b.of(INTERNAL_EVENT.MESSAGE_SENT)).to.have.length(0);
    expect(lastList(b)).to.have.length(0);
    close();
  });
});
