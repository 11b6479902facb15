/**
 * Registers the elements for component tests without importing src/define.ts (which also pulls in
 * the client core), and routes standalone client lookups to a fake.
 */
import { defineElement } from '../../src/components/base/define-element.js';
import { setClientFactory, type ClientConfig } from '../../src/components/client-source.js';
import { ImChat } from '../../src/components/chat/chat.js';
import { ImConversationList } from '../../src/components/conversation-list/conversation-list.js';
import { ImGroupPanel } from '../../src/components/group-panel/group-panel.js';
import { ImProvider } from '../../src/components/provider/provider.js';
import { ImMessage } from '../../src/components/message/message.js';
import { ImMessageActions } from '../../src/components/message-actions/message-actions.js';
import { ImComposer } from '../../src/components/composer/composer.js';
import { ImEmojiPicker } from '../../src/components/emoji-picker/emoji-picker.js';
import { ImLightbox } from '../../src/components/lightbox/lightbox.js';
import { ImMergerDialog } from '../../src/components/merger-dialog/merger-dialog.js';
import { ImConversationPicker } from '../../src/components/conversation-picker/conversation-picker.js';
import { ImReadMembers } from '../../src/components/read-members/read-members.js';
import { ImConfirmDialog } from '../../src/components/confirm-dialog/confirm-dialog.js';
import { ImPinnedBar } from '../../src/components/pinned-bar/pinned-bar.js';
// [issue 6: users and relationships]
import { ImContactList } from '../../src/components/contact-list/contact-list.js';
import { ImProfile } from '../../src/components/profile/profile.js';
import type { FakeChatClient } from './fake-client.js';

defineElement('im-provider', ImProvider);
defineElement('im-conversation-list', ImConversationList);
defineElement('im-chat', ImChat);
defineElement('im-group-panel', ImGroupPanel);
defineElement('im-message', ImMessage);
defineElement('im-message-actions', ImMessageActions);
defineElement('im-composer', ImComposer);
defineElement('im-emoji-picker', ImEmojiPicker);
defineElement('im-lightbox', ImLightbox);
defineElement('im-merger-dialog', ImMergerDialog);
defineElement('im-conversation-picker', ImConversationPicker);
defineElement('im-read-members', ImReadMembers);
defineElement('im-confirm-dialog', ImConfirmDialog);
defineElement('im-pinned-bar', ImPinnedBar);
defineElement('im-contact-list', ImContactList);
defineElement('im-profile', ImProfile);

/** Every standalone / provider lookup gets `fake`; returns the configs it was asked for. */
export function useFakeClient(fake: FakeChatClient): ClientConfig[] {
  const configs: ClientConfig[] = [];
  setClientFactory((config) => {
    configs.push(config);
    return fake;
  });
  return configs;
}

export function resetClientFactory(): void {
  setClientFactory();
}

/** Attributes that make a provider or a standalone element resolve a client. */
export const AUTH = { server: 'http://fake.invalid', appId: 1400000001, userSig: 'sig' };

export { shadow, part, parts, deep, deepAll, deepPart, deepParts } from './setup-queries.js';
