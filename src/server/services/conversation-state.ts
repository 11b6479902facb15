/**
 * The user's own settings of a conversation (pin, marks, custom data, draft, conversation groups,
 * hidden, deleted) laid over the server's view of it.
 */
import { TYPES } from '../../protocol/constants.js';
import type { Conversation } from '../../protocol/types.js';
import type { ConversationStateRecord } from '../storage/types.js';

export { filterConversations, sortConversations } from '../../protocol/conversation-filter.js';

/** Deleted and not active since: left out of the list. */
export function isDeleted(lastCursor: number, state: ConversationStateRecord | undefined): boolean {
  return state !== undefined && state.deletedCursor >= 0 && lastCursor <= state.deletedCursor;
}

/** Hidden (HIDE mark) until the conversation's next message. */
export function isHidden(lastCursor: number, state: ConversationStateRecord | undefined): boolean {
  return state !== undefined && state.hiddenCursor >= 0 && lastCursor <= state.hiddenCursor;
}

export function withState(
  view: Conversation,
  lastCursor: number,
  state: ConversationStateRecord | undefined,
): Conversation {
  if (!state) return view;
  const markList = isHidden(lastCursor, state)
    ? [...state.marks, TYPES.CONV_MARK_TYPE_HIDE].sort((a, b) => a - b)
    : state.marks;
  return {
    ...view,
    isPinned: state.pinned,
    markList,
    customData: state.customData,
    draftText: state.draft,
    conversationGroupList: state.groups,
  };
}
