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
import type { FakeChatClient } from './fake-client.js';

defineElement('im-provider', ImProvider);
defineElement('im-conversation-list', ImConversationList);
defineElement('im-chat', ImChat);
defineElement('im-group-panel', ImGroupPanel);

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

export { shadow, part, parts } from './setup-queries.js';
