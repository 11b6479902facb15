/**
 * Library entry: element classes, events, context and the protocol constants and types.
 * No side effects: nothing is registered (import `define.ts`, or the `im.js` bundle, for that).
 */
export { ImProvider } from './components/provider/provider.js';
export { ImConversationList } from './components/conversation-list/conversation-list.js';
export { ImChat } from './components/chat/chat.js';
export { ImGroupPanel } from './components/group-panel/group-panel.js';
// The parts <im-chat> is built from; register them too when registering the classes yourself.
export {
  ImMessage,
  type MessageRenderOptions,
  type MessageTranslation,
} from './components/message/message.js';
export type { CustomRenderer } from './components/message/message-content.js';
export { ImMessageActions, type MenuItem } from './components/message-actions/message-actions.js';
export { ImComposer } from './components/composer/composer.js';
export { ImEmojiPicker } from './components/emoji-picker/emoji-picker.js';
export { ImLightbox, type LightboxImage } from './components/lightbox/lightbox.js';
export { ImMergerDialog } from './components/merger-dialog/merger-dialog.js';
export { ImConversationPicker } from './components/conversation-picker/conversation-picker.js';
export { ImReadMembers } from './components/read-members/read-members.js';
export {
  ImConfirmDialog,
  type ConfirmOptions,
} from './components/confirm-dialog/confirm-dialog.js';
export { ImPinnedBar } from './components/pinned-bar/pinned-bar.js';
export { ImElement } from './components/base/im-element.js';
export { defineElement } from './components/base/define-element.js';
export { imClientContext, type ImClientContextValue } from './components/context.js';
export {
  setClientFactory,
  type ClientConfig,
  type ClientFactory,
} from './components/client-source.js';
export {
  ImErrorEvent,
  ImReadyEvent,
  ImConversationSelectEvent,
  ImMessageSentEvent,
  ImGroupJoinedEvent,
  ImGroupQuitEvent,
  ImMessageActionEvent,
  ImMenuSelectEvent,
  ImEmojiSelectEvent,
  ImComposerSendEvent,
  ImComposerSaveEvent,
  ImComposerFilesEvent,
  ImComposerCancelEvent,
  ImComposerTypingEvent,
  type MessageAction,
  type ImMessageActionDetail,
  type ImComposerSendDetail,
  type ImErrorDetail,
  type ImReadyDetail,
  type ImConversationSelectDetail,
  type ImMessageSentDetail,
  type ImGroupJoinedDetail,
  type ImGroupQuitDetail,
} from './components/events.js';
export * from './protocol/constants.js';
export * from './protocol/types.js';
export type * from './core/client-types.js';
