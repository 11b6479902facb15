import { expect } from '@open-wc/testing';
import {
  canRecall,
  fileKind,
  fillTemplate,
  fitBox,
  formatDuration,
  groupTipText,
  humanSize,
  recallText,
  replyFor,
  replyOf,
  safeUrl,
  splitMentions,
  withReply,
} from '../../src/components/base/message-utils.js';
import { makeMessage } from './fake-client.js';

describe('message helpers', () => {
  it('splits @mentions only in messages that mention someone, without punctuation', () => {
    expect(splitMentions('mail me @ home', [])).to.deep.equal([
      { text: 'mail me @ home', mention: false },
    ]);
    expect(splitMentions('@Bobby, see @Caz! a@b.c', ['bob'])).to.deep.equal([
      { text: '@Bobby', mention: true },
      { text: ', see ', mention: false },
      { text: '@Caz', mention: true },
      { text: '! a@b.c', mention: false },
    ]);
  });

  it('reads and writes TUIKit replies in cloudCustomData, keeping other keys', () => {
    const original = makeMessage({
      conversationID: 'C2Cbob',
      nick: 'Bobby',
      payload: { text: 'a\nlong   text' },
    });
    const reply = replyFor(original);
    expect(reply).to.deep.equal({
      messageID: original.ID,
      messageAbstract: 'a long text',
      messageSender: 'Bobby',
      messageType: 1,
      version: 1,
    });
    const data = withReply('{"other":1}', reply);
    expect(JSON.parse(data)).to.deep.equal({ other: 1, messageReply: reply });
    expect(replyOf({ ...original, cloudCustomData: data })).to.deep.equal(reply);
    expect(replyOf({ ...original, cloudCustomData: 'not json' })).to.equal(null);
    expect(replyOf({ ...original, cloudCustomData: '{"messageReply":{}}' })).to.equal(null);
    // Web TUIKit variants that store the type name.
    const named = JSON.stringify({ messageReply: { messageID: 'x', messageType: 'TIMImageElem' } });
    expect(replyOf({ ...original, cloudCustomData: named })!.messageType).to.equal(3);
  });

  it('formats sizes and durations', () => {
    expect(humanSize(512)).to.equal('512 B');
    expect(humanSize(1536)).to.equal('1.5 KB');
    expect(humanSize(25 * 1024 * 1024)).to.equal('25 MB');
    expect(formatDuration(7)).to.equal('0:07');
    expect(formatDuration(3723)).to.equal('1:02:03');
    expect(fitBox(1600, 1200, 240)).to.deep.equal({ w: 240, h: 180 });
    expect(fitBox(100, 50, 240)).to.deep.equal({ w: 100, h: 50 });
  });

  it('allows only http(s) and blob URLs, also from templates', () => {
    expect(safeUrl('https://x.example/a')).to.equal('https://x.example/a');
    expect(safeUrl('javascript:alert(1)')).to.equal(undefined);
    expect(safeUrl('data:text/html,hi')).to.equal(undefined);
    expect(fillTemplate('https://m.example/?q={lat},{lng}', { lat: 1.5, lng: -2 })).to.equal(
      'https://m.example/?q=1.5,-2',
    );
    expect(fillTemplate('https://c.example/{data}.png', { data: '../x y' })).to.equal(
      'https://c.example/..%2Fx%20y.png',
    );
    expect(fillTemplate('javascript:{lat}', { lat: 1 })).to.equal(undefined);
    expect(fillTemplate(undefined, {})).to.equal(undefined);
  });

  it('allows recall of own sent messages for two minutes', () => {
    const now = 1_700_000_000;
    const m = makeMessage({ conversationID: 'C2Cbob', from: 'alice', time: now - 60 });
    expect(canRecall(m, 'alice', now)).to.equal(true);
    expect(canRecall(m, 'bob', now)).to.equal(false);
    expect(canRecall({ ...m, time: now - 121 }, 'alice', now)).to.equal(false);
    expect(canRecall({ ...m, status: 'fail' }, 'alice', now)).to.equal(false);
    expect(recallText({ ...m, isRevoked: true, revoker: 'alice' }, 'alice')).to.equal(
      'You recalled a message',
    );
    expect(recallText({ ...m, nick: 'Al', isRevoked: true }, 'bob')).to.equal(
      'Al recalled a message',
    );
    expect(recallText({ ...m, isRevoked: true, revoker: 'admin' }, 'bob')).to.equal(
      'admin recalled a message',
    );
  });

  it('describes group tips and picks the create method by MIME type', () => {
    const tip = (payload: Record<string, unknown>) =>
      groupTipText(makeMessage({ conversationID: 'GROUPg', type: 'TIMGroupTipElem', payload }));
    expect(tip({ operationType: 2, userIDList: ['bob'] })).to.equal('bob left the group');
    expect(tip({ operationType: 3, userIDList: ['bob'], operatorID: 'alice' })).to.equal(
      'bob was removed by alice',
    );
    expect(tip({ text: 'Custom tip' })).to.equal('Custom tip');
    expect(tip({})).to.equal('Group update');
    expect(fileKind(new Blob([], { type: 'image/jpeg' }))).to.equal('image');
    expect(fileKind(new Blob([], { type: 'image/svg+xml' }))).to.equal('file');
    expect(fileKind(new Blob([], { type: 'video/mp4' }))).to.equal('video');
    expect(fileKind(new Blob([], { type: 'audio/ogg' }))).to.equal('audio');
    expect(fileKind(new Blob([], { type: '' }))).to.equal('file');
  });
});
