/** Shared fixtures of the `<im-chat>` tests: a mounted chat over a fake client. */
import { fixture, html, waitUntil } from '@open-wc/testing';
import type { ImChat } from '../../src/components/chat/chat.js';
import type { ImComposer } from '../../src/components/composer/composer.js';
import type { ImMessage } from '../../src/components/message/message.js';
import {
  FakeChatClient,
  makeConversation,
  makeGroup,
  makeMember,
  makeProfile,
} from './fake-client.js';
import { AUTH, deep, deepAll, deepPart, part, parts, useFakeClient } from './setup.js';

export interface MountOptions {
  attrs?: Record<string, string | boolean>;
  height?: number;
}

export async function mountChat(
  fake: FakeChatClient,
  conversationID = 'C2Cbob',
  options: MountOptions = {},
): Promise<ImChat> {
  useFakeClient(fake);
  const provider = await fixture(html`
    <im-provider
      server=${AUTH.server}
      app-id=${AUTH.appId}
      user-id=${fake.userID}
      user-sig=${AUTH.userSig}
    >
      <im-chat
        conversation-id=${conversationID}
        style="height: ${options.height ?? 420}px; width: 640px"
      ></im-chat>
    </im-provider>
  `);
  const el = provider.querySelector('im-chat')!;
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (value === true) el.setAttribute(name, '');
    else if (value !== false) el.setAttribute(name, value);
  }
  await waitUntil(
    () =>
      parts(el, 'message').length > 0 ||
      parts(el, 'notice').length > 0 ||
      part(el, 'empty')?.textContent === 'No messages yet',
    'chat did not load',
  );
  await el.updateComplete;
  return el;
}

/** The text of every text bubble, in order. */
export const texts = (el: Element): string[] =>
  deepAll(el, "[part~='bubble'] .text").map((b) => b.textContent ?? '');

export const composer = (el: ImChat): ImComposer => el.shadowRoot!.querySelector('im-composer')!;

export const input = (el: ImChat): HTMLTextAreaElement =>
  deepPart<HTMLTextAreaElement>(el, 'input')!;

/** The `<im-message>` of a message ID. */
export function bubble(el: ImChat, messageID: string): ImMessage {
  const found = el.shadowRoot!.querySelector<ImMessage>(
    `im-message[data-message-id="${messageID}"]`,
  );
  if (!found) throw new Error(`no im-message for ${messageID}`);
  return found;
}

/** Open a message's actions menu and pick `action`. */
export async function act(el: ImChat, messageID: string, action: string): Promise<void> {
  const m = bubble(el, messageID);
  await m.updateComplete;
  const menu = m.shadowRoot!.querySelector('im-message-actions')!;
  deepPart<HTMLButtonElement>(menu, 'menu-button')!.click();
  await waitUntil(
    () => deep(menu, `[data-action='${action}']`) !== null,
    `no "${action}" in the menu`,
  );
  deep<HTMLButtonElement>(menu, `[data-action='${action}']`)!.click();
  await el.updateComplete;
}

/** Menu item IDs offered for a message. */
export async function menuActions(el: ImChat, messageID: string): Promise<string[]> {
  const m = bubble(el, messageID);
  const menu = m.shadowRoot!.querySelector('im-message-actions')!;
  deepPart<HTMLButtonElement>(menu, 'menu-button')!.click();
  await waitUntil(() => deepAll(menu, '[data-action]').length > 0, 'menu did not open');
  const ids = deepAll(menu, '[data-action]').map((b) => b.dataset.action ?? '');
  menu.hide();
  return ids;
}

/** Type into the composer as a user would (value + input event). */
export async function typeText(el: ImChat, text: string): Promise<void> {
  const box = input(el);
  box.focus();
  box.value = text;
  box.setSelectionRange(text.length, text.length);
  box.dispatchEvent(new Event('input'));
  await composer(el).updateComplete;
}

export function c2cFake(): FakeChatClient {
  const fake = new FakeChatClient('alice');
  fake.profiles.set('bob', makeProfile({ userID: 'bob', nick: 'Bobby' }));
  fake.conversations = [
    makeConversation({
      conversationID: 'C2Cbob',
      userProfile: makeProfile({ userID: 'bob', nick: 'Bobby' }),
    }),
  ];
  return fake;
}

/** A group `team` with alice (`role`), bob and carol. */
export function groupFake(role: 'Owner' | 'Admin' | 'Member' = 'Member'): FakeChatClient {
  const fake = new FakeChatClient('alice');
  fake.groups.set('team', makeGroup({ groupID: 'team', name: 'The Team', memberCount: 3 }));
  fake.members.set('team', [
    makeMember({ userID: 'alice', role }),
    makeMember({ userID: 'bob', nick: 'Bobby' }),
    makeMember({ userID: 'carol', nameCard: 'Caz' }),
  ]);
  fake.conversations = [
    makeConversation({ conversationID: 'GROUPteam' }),
    makeConversation({ conversationID: 'C2Cbob' }),
  ];
  return fake;
}
