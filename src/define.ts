/**
 * The script-tag entry: registers every element and exposes `window.IMChat`.
 * Safe to load twice: tags already registered are skipped and the first `IMChat` stays.
 */
import { ContextRoot } from '@lit/context';
import { create, getClient } from './core/chat-client.js';
import { EVENT, TYPES } from './protocol/constants.js';
import { defineElement } from './components/base/define-element.js';
import { defineLazily } from './components/base/lazy-define.js';
import { setClientFactory } from './components/client-source.js';
import { ImProvider } from './components/provider/provider.js';
import { ImConversationList } from './components/conversation-list/conversation-list.js';
import { ImChat } from './components/chat/chat.js';
import { ImMessage } from './components/message/message.js';
import { ImMessageActions } from './components/message-actions/message-actions.js';
import { ImComposer } from './components/composer/composer.js';
import { ImPinnedBar } from './components/pinned-bar/pinned-bar.js';
// [issue 4: conversations]

// [issue 5: groups]

// [issue 6: users and relationships]
import { ImContactList } from './components/contact-list/contact-list.js';
import { ImProfile } from './components/profile/profile.js';

export interface IMChatGlobal {
  create: typeof create;
  EVENT: typeof EVENT;
  TYPES: typeof TYPES;
}

declare global {
  interface Window {
    IMChat?: IMChatGlobal;
  }
}

/**
 * Tags most pages do not show at first paint: defined from their own chunk when one appears in the
 * document (components/base/lazy-define.ts), which keeps the initial script under its budget.
 */
export const lazyElements = {
  'im-group-panel': () =>
    import('./components/group-panel/group-panel.js').then((m) => m.ImGroupPanel),
  // Dialogs of <im-chat>, which asks for them (loadElement) after its first paint.
  'im-merger-dialog': () =>
    import('./components/merger-dialog/merger-dialog.js').then((m) => m.ImMergerDialog),
  'im-conversation-picker': () =>
    import('./components/conversation-picker/conversation-picker.js').then(
      (m) => m.ImConversationPicker,
    ),
  'im-read-members': () =>
    import('./components/read-members/read-members.js').then((m) => m.ImReadMembers),
  'im-lightbox': () => import('./components/lightbox/lightbox.js').then((m) => m.ImLightbox),
  'im-confirm-dialog': () =>
    import('./components/confirm-dialog/confirm-dialog.js').then((m) => m.ImConfirmDialog),
  // The composer's emoji button and the reaction picker; fetched right after the chat's first paint.
  'im-emoji-picker': () =>
    import('./components/emoji-picker/emoji-picker.js').then((m) => m.ImEmojiPicker),
} as const;

/**
 * Tag -> class, in registration order: the provider first, so it upgrades before its children;
 * then the public elements, then the parts `<im-chat>` renders in its shadow root.
 */
export const elements = {
  'im-provider': ImProvider,
  'im-conversation-list': ImConversationList,
  'im-chat': ImChat,
  // [issue 6: users and relationships]
  'im-contact-list': ImContactList,
  'im-profile': ImProfile,

  'im-message': ImMessage,
  'im-message-actions': ImMessageActions,
  'im-composer': ImComposer,
  'im-pinned-bar': ImPinnedBar,
} as const;

const ROOT_FLAG = Symbol.for('imkit.context-root');

if (typeof document !== 'undefined') {
  // Lets a provider that upgrades after its children (custom load orders) still serve them.
  const root = document.documentElement as HTMLElement & { [ROOT_FLAG]?: boolean };
  if (!root[ROOT_FLAG]) {
    root[ROOT_FLAG] = true;
    new ContextRoot().attach(root);
  }
}

// Elements configured by attributes get the core's shared per-user client.
setClientFactory((config) => getClient(config));

for (const [tag, ctor] of Object.entries(elements)) defineElement(tag, ctor);
defineLazily(lazyElements);

if (typeof window !== 'undefined' && !window.IMChat) {
  window.IMChat = { create, EVENT, TYPES };
}
