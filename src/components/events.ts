/**
 * Public events. Each is an `Event` subclass with a typed `detail`, named `im-*`, bubbling.
 * Events of the public (outer) elements are `composed` so they cross the shadow boundary of
 * whatever page or framework component hosts the element; an element used only inside another
 * element's shadow root passes `{composed: false}`.
 */
import type { ChatClient } from '../core/client-types.js';
import type { Conversation, Message } from '../protocol/types.js';

export interface ImEventInit {
  composed?: boolean;
}

abstract class ImEvent<T> extends Event {
  readonly detail: T;
  constructor(type: string, detail: T, init: ImEventInit = {}) {
    super(type, { bubbles: true, composed: init.composed ?? true });
    this.detail = detail;
  }
}

export interface ImErrorDetail {
  /** Tencent-compatible numeric error code; 0 when the failure had none. */
  code: number;
  message: string;
}

export class ImErrorEvent extends ImEvent<ImErrorDetail> {
  static readonly eventName = 'im-error';
  constructor(detail: ImErrorDetail, init?: ImEventInit) {
    super(ImErrorEvent.eventName, detail, init);
  }
}

export interface ImReadyDetail {
  client: ChatClient;
  userID: string;
}

export class ImReadyEvent extends ImEvent<ImReadyDetail> {
  static readonly eventName = 'im-ready';
  constructor(detail: ImReadyDetail, init?: ImEventInit) {
    super(ImReadyEvent.eventName, detail, init);
  }
}

export interface ImConversationSelectDetail {
  conversationID: string;
  conversation: Conversation;
}

export class ImConversationSelectEvent extends ImEvent<ImConversationSelectDetail> {
  static readonly eventName = 'im-conversation-select';
  constructor(detail: ImConversationSelectDetail, init?: ImEventInit) {
    super(ImConversationSelectEvent.eventName, detail, init);
  }
}

export interface ImMessageSentDetail {
  conversationID: string;
  message: Message;
}

export class ImMessageSentEvent extends ImEvent<ImMessageSentDetail> {
  static readonly eventName = 'im-message-sent';
  constructor(detail: ImMessageSentDetail, init?: ImEventInit) {
    super(ImMessageSentEvent.eventName, detail, init);
  }
}

export interface ImGroupJoinedDetail {
  groupID: string;
  /** `JoinedSuccess`, `AlreadyInGroup` or `WaitAdminApproval` (TYPES.JOIN_STATUS_*). */
  status: string;
}

export class ImGroupJoinedEvent extends ImEvent<ImGroupJoinedDetail> {
  static readonly eventName = 'im-group-joined';
  constructor(detail: ImGroupJoinedDetail, init?: ImEventInit) {
    super(ImGroupJoinedEvent.eventName, detail, init);
  }
}

export interface ImGroupQuitDetail {
  groupID: string;
}

export class ImGroupQuitEvent extends ImEvent<ImGroupQuitDetail> {
  static readonly eventName = 'im-group-quit';
  constructor(detail: ImGroupQuitDetail, init?: ImEventInit) {
    super(ImGroupQuitEvent.eventName, detail, init);
  }
}

export class ImGroupDismissedEvent extends ImEvent<ImGroupQuitDetail> {
  static readonly eventName = 'im-group-dismissed';
  constructor(detail: ImGroupQuitDetail, init?: ImEventInit) {
    super(ImGroupDismissedEvent.eventName, detail, init);
  }
}

/**
 * Internal events of the parts `<im-chat>` is made of. They bubble inside the chat's shadow root
 * and stop there (not `composed`).
 */
const INTERNAL: ImEventInit = { composed: false };

/** What a message's menu, chips and buttons ask the chat to do. */
export type MessageAction =
  | 'reply'
  | 'forward'
  | 'select'
  | 'toggle-select'
  | 'edit'
  | 'recall'
  | 'delete'
  | 'copy'
  | 'react'
  | 'toggle-reaction'
  | 'pin'
  | 'unpin'
  | 'translate'
  | 'read-by'
  | 'retry'
  | 'cancel-upload'
  | 'open-image'
  | 'open-merger'
  | 'quote';

export interface ImMessageActionDetail {
  action: MessageAction;
  message: Message;
  /** `toggle-reaction`: the reaction. */
  reactionID?: string;
  /** `quote`: the quoted message. */
  messageID?: string;
  /** Where a popup (the reaction picker) should appear. */
  anchor?: HTMLElement;
}

export class ImMessageActionEvent extends ImEvent<ImMessageActionDetail> {
  static readonly eventName = 'im-message-action';
  constructor(detail: ImMessageActionDetail) {
    super(ImMessageActionEvent.eventName, detail, INTERNAL);
  }
}

export class ImMenuSelectEvent extends ImEvent<{ action: string }> {
  static readonly eventName = 'im-menu-select';
  constructor(detail: { action: string }) {
    super(ImMenuSelectEvent.eventName, detail, INTERNAL);
  }
}

export class ImEmojiSelectEvent extends ImEvent<{ emoji: string }> {
  static readonly eventName = 'im-emoji-select';
  constructor(detail: { emoji: string }) {
    super(ImEmojiSelectEvent.eventName, detail, INTERNAL);
  }
}

export interface ImComposerSendDetail {
  text: string;
  /** User IDs picked in the mention list (and `TYPES.MSG_AT_ALL`), still present in the text. */
  atUserList: string[];
}

export class ImComposerSendEvent extends ImEvent<ImComposerSendDetail> {
  static readonly eventName = 'im-composer-send';
  constructor(detail: ImComposerSendDetail) {
    super(ImComposerSendEvent.eventName, detail, INTERNAL);
  }
}

export class ImComposerSaveEvent extends ImEvent<{ text: string }> {
  static readonly eventName = 'im-composer-save';
  constructor(detail: { text: string }) {
    super(ImComposerSaveEvent.eventName, detail, INTERNAL);
  }
}

export class ImComposerFilesEvent extends ImEvent<{ files: File[] }> {
  static readonly eventName = 'im-composer-files';
  constructor(detail: { files: File[] }) {
    super(ImComposerFilesEvent.eventName, detail, INTERNAL);
  }
}

export class ImComposerCancelEvent extends ImEvent<{ what: 'reply' | 'edit' }> {
  static readonly eventName = 'im-composer-cancel';
  constructor(detail: { what: 'reply' | 'edit' }) {
    super(ImComposerCancelEvent.eventName, detail, INTERNAL);
  }
}

/** The user typed (`typing: true`) or stopped: sent text, emptied the box, left it. */
export class ImComposerTypingEvent extends ImEvent<{ typing: boolean }> {
  static readonly eventName = 'im-composer-typing';
  constructor(detail: { typing: boolean }) {
    super(ImComposerTypingEvent.eventName, detail, INTERNAL);
  }
}

/** Any rejection (an IM error `{code, message}`, an Error, a string) as an error detail. */
export function toErrorDetail(error: unknown): ImErrorDetail {
  if (typeof error === 'object' && error !== null) {
    const e = error as { code?: unknown; message?: unknown };
    const code = typeof e.code === 'number' ? e.code : 0;
    const message = typeof e.message === 'string' && e.message ? e.message : String(error);
    return { code, message };
  }
  return { code: 0, message: String(error) };
}

declare global {
  interface HTMLElementEventMap {
    'im-error': ImErrorEvent;
    'im-ready': ImReadyEvent;
    'im-conversation-select': ImConversationSelectEvent;
    'im-message-sent': ImMessageSentEvent;
    'im-group-joined': ImGroupJoinedEvent;
    'im-group-quit': ImGroupQuitEvent;
    'im-group-dismissed': ImGroupDismissedEvent;
    'im-message-action': ImMessageActionEvent;
    'im-menu-select': ImMenuSelectEvent;
    'im-emoji-select': ImEmojiSelectEvent;
    'im-composer-send': ImComposerSendEvent;
    'im-composer-save': ImComposerSaveEvent;
    'im-composer-files': ImComposerFilesEvent;
    'im-composer-cancel': ImComposerCancelEvent;
    'im-composer-typing': ImComposerTypingEvent;
  }
}
