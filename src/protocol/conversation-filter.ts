/**
 * Order and filters of a conversation list, the same on the server (getConversationList) and in the
 * worker (the list it keeps current): pinned first, then by `orderKey`, newest first; pinned
 * conversations keep their relative order by activity.
 */
import type { Conversation } from './types.js';

export interface ConversationFilter {
  type?: string;
  markType?: number;
  groupName?: string;
  hasUnreadCount?: boolean;
  hasGroupAtInfo?: boolean;
}

export function compareConversations(a: Conversation, b: Conversation): number {
  if (a.isPinned !== b.isPinned) return a.isPinned ? -1 : 1;
  return (
    (b.orderKey || 0) - (a.orderKey || 0) ||
    (b.lastMessage?.lastTime ?? 0) - (a.lastMessage?.lastTime ?? 0) ||
    (a.conversationID < b.conversationID ? -1 : a.conversationID > b.conversationID ? 1 : 0)
  );
}

export function sortConversations(list: Conversation[]): Conversation[] {
  return list.sort(compareConversations);
}

/** The conversations that pass every given filter (in the given order). */
export function filterConversations(
  list: readonly Conversation[],
  f: ConversationFilter,
): Conversation[] {
  return list.filter(
    (c) =>
      (f.type === undefined || c.type === f.type) &&
      (f.markType === undefined || c.markList.includes(f.markType)) &&
      (f.groupName === undefined || c.conversationGroupList.includes(f.groupName)) &&
      (f.hasUnreadCount === undefined || c.unreadCount > 0 === f.hasUnreadCount) &&
      (f.hasGroupAtInfo === undefined || c.groupAtInfoList.length > 0 === f.hasGroupAtInfo),
  );
}
