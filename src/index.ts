/**
 * Library entry: element classes, events, context and the protocol constants and types.
 * No side effects: nothing is registered (import `define.ts`, or the `im.js` bundle, for that).
 */
export { ImProvider } from './components/provider/provider.js';
export { ImConversationList } from './components/conversation-list/conversation-list.js';
export { ImChat } from './components/chat/chat.js';
export { ImGroupPanel } from './components/group-panel/group-panel.js';
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
