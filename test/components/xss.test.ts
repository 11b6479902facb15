/**
 * Known XSS payloads in every user-controlled field the elements show (message text, file names,
 * custom descriptions, locations, merged-forward titles, quotes, nicks, name cards, group names,
 * introductions, conversation previews, URLs): all render as text, no script runs, no element or
 * handler from a payload reaches the DOM, and no `javascript:` URL becomes a link or a source.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Message } from '../../src/protocol/types.js';
import {
  FakeChatClient,
  lastMessageOf,
  makeConversation,
  makeGroup,
  makeMember,
  makeMessage,
  makeProfile,
} from './fake-client.js';
import { AUTH, deepAll, deepPart, resetClientFactory, useFakeClient } from './setup.js';

const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '<svg onload="window.__xss=1"></svg>',
  '"><iframe src="javascript:parent.__xss=1"></iframe>',
  '<a href="javascript:window.__xss=1">click</a>',
  '<details open ontoggle="window.__xss=1">',
  '<math><mtext><img src=x onerror="window.__xss=1"></mtext></math>',
  '${window.__xss=1}',
  '{{constructor.constructor("window.__xss=1")()}}',
];
const EVIL_URL = 'javascript:window.__xss=1';

declare global {
  interface Window {
    __xss?: number;
  }
}

function messagesFor(conversationID: string, evil: string): Message[] {
  const base = { conversationID, from: 'mallory', nick: evil, nameCard: evil };
  return [
    makeMessage({ ...base, type: 'TIMTextElem', payload: { text: evil } }),
    makeMessage({
      ...base,
      type: 'TIMTextElem',
      payload: { text: 'reply' },
      cloudCustomData: JSON.stringify({
        messageReply: {
          messageID: 'x',
          messageAbstract: evil,
          messageSender: evil,
          messageType: 1,
          version: 1,
        },
      }),
    }),
    makeMessage({
      ...base,
      type: 'TIMFileElem',
      payload: { uuid: 'f', fileUrl: EVIL_URL, fileName: evil, fileSize: 10 },
    }),
    makeMessage({
      ...base,
      type: 'TIMImageElem',
      payload: {
        uuid: 'i',
        imageFormat: 'png',
        imageInfoArray: [0, 1, 2].map((type) => ({
          type,
          url: EVIL_URL,
          width: 10,
          height: 10,
          size: 1,
        })),
      },
    }),
    makeMessage({
      ...base,
      type: 'TIMCustomElem',
      payload: { data: evil, description: evil, extension: evil },
    }),
    makeMessage({
      ...base,
      type: 'TIMLocationElem',
      payload: { description: evil, longitude: 1, latitude: 2 },
    }),
    makeMessage({
      ...base,
      type: 'TIMRelayElem',
      payload: {
        title: evil,
        abstractList: [evil],
        compatibleText: evil,
        messageList: [],
        downloadKey: '',
        layersOverLimit: false,
      },
    }),
    makeMessage({
      ...base,
      type: 'TIMSoundElem',
      payload: { uuid: 'a', url: EVIL_URL, second: 3, size: 5 },
    }),
  ];
}

function hostileNodes(root: Element): string[] {
  const found: string[] = [];
  for (const el of [root, ...deepAll(root, '*')]) {
    const tag = el.tagName.toLowerCase();
    if (['script', 'iframe', 'object', 'embed', 'math', 'details'].includes(tag)) found.push(tag);
    for (const attr of el.getAttributeNames()) {
      if (attr.startsWith('on')) found.push(`${tag}[${attr}]`);
    }
    for (const attr of ['href', 'src', 'poster']) {
      const value = el.getAttribute(attr);
      if (value && /^\s*javascript:/i.test(value)) found.push(`${tag}[${attr}=javascript:]`);
    }
    if (tag === 'img' && el.getAttribute('src') === 'x') found.push('img[src=x]');
    if (tag === 'svg' && el.hasAttribute('onload')) found.push('svg[onload]');
  }
  return found;
}

describe('hostile text and URLs render inert in every element', () => {
  afterEach(() => {
    resetClientFactory();
    delete window.__xss;
  });

  for (const evil of PAYLOADS) {
    it(`payload ${evil.slice(0, 40)}`, async () => {
      const fake = new FakeChatClient('alice');
      const groupID = 'g1';
      const conversationID = `GROUP${groupID}`;
      const messages = messagesFor(conversationID, evil);
      fake.addMessages(conversationID, messages);
      fake.groups.set(
        groupID,
        makeGroup({ groupID, name: evil, introduction: evil, notification: evil, type: 'Public' }),
      );
      fake.members.set(groupID, [
        makeMember({ userID: 'alice', role: 'Owner' }),
        makeMember({ userID: 'mallory', nick: evil, nameCard: evil, role: 'Member' }),
      ]);
      fake.profiles.set(
        'mallory',
        makeProfile({ userID: 'mallory', nick: evil, avatar: EVIL_URL }),
      );
      fake.updateConversations([
        makeConversation({
          conversationID,
          groupProfile: fake.groups.get(groupID)!,
          lastMessage: lastMessageOf(messages[0]),
          unreadCount: 2,
        }),
        makeConversation({
          conversationID: 'C2Cmallory',
          userProfile: fake.profiles.get('mallory')!,
          lastMessage: { ...lastMessageOf(messages[0])!, messageForShow: evil },
        }),
      ]);
      useFakeClient(fake);
      const root = await fixture(html`
        <im-provider
          server=${AUTH.server}
          app-id=${AUTH.appId}
          user-id="alice"
          user-sig=${AUTH.userSig}
        >
          <im-conversation-list></im-conversation-list>
          <im-chat conversation-id=${conversationID}></im-chat>
          <im-group-panel group-id=${groupID}></im-group-panel>
        </im-provider>
      `);
      const list = root.querySelector('im-conversation-list')!;
      const chat = root.querySelector('im-chat')!;
      const panel = root.querySelector('im-group-panel')!;
      await waitUntil(() => deepPart(list, 'item'), 'list did not render');
      await waitUntil(
        () => deepAll(chat, 'im-message').length >= messages.length,
        'chat did not render',
      );
      await waitUntil(() => deepPart(panel, 'member'), 'panel did not render');
      await new Promise((r) => setTimeout(r, 50));

      expect(window.__xss, 'no payload ran').to.equal(undefined);
      for (const el of [list, chat, panel]) {
        expect(hostileNodes(el), `${el.tagName} has no hostile nodes`).to.deep.equal([]);
      }
      // The payload is shown, as text.
      const text = [list, chat, panel]
        .flatMap((el) => [el, ...deepAll(el, '*')])
        .map((el) => (el.shadowRoot ? el.shadowRoot.textContent : ''))
        .join('\n');
      expect(text).to.contain(evil);
    });
  }
});
