/**
 * The conversation model in the engine: the list with paging and filters (from memory: the book is
 * the server's list kept current), and the ops that change conversations (delete, pin, draft,
 * marks, custom data, conversation groups, read-all). Each op goes to the server; the answer
 * carries the changed conversations, which replace the local copies and are broadcast to every
 * tab. The user's other devices learn the same from the server's pushes (applyConversationPush).
 *
 * Events: CONVERSATION_LIST_UPDATED (+ TOTAL_UNREAD_MESSAGE_COUNT_UPDATED when it changed) on every
 * change; CONVERSATION_GROUP_LIST_UPDATED (the names) on create/delete/rename of a conversation
 * group; CONVERSATION_IN_GROUP_UPDATED `{groupName, conversationList}` on add/remove.
 */
import { EVENT, TYPES } from '../protocol/constants.js';
import { filterConversations } from '../protocol/conversation-filter.js';
import type { Conversation } from '../protocol/types.js';
import type { ConversationBatchResult, PushFrame } from '../protocol/wire.js';
import { LIFECYCLE_EVENT } from '../core/internal-events.js';
import { validate, type Handler } from './api-util.js';
import type { Engine } from './engine.js';
import { errorText } from './util.js';

const HIDE = TYPES.CONV_MARK_TYPE_HIDE;

/** Replace local copies with the server's and tell every tab. */
function upsertAll(e: Engine, list: readonly Conversation[] | undefined): void {
  if (!list || list.length === 0) return;
  for (const c of list) e.data.book.upsert(c);
  e.data.conversationsChanged();
}

/** Drop deleted conversations everywhere in this browser: book, cache, open chats. */
async function removeAll(e: Engine, ids: string[], clearHistory: boolean): Promise<void> {
  if (e.data.book.remove(ids)) e.data.conversationsChanged();
  if (!clearHistory) return;
  for (const conversationID of ids) {
    await e.data.cache?.clearMessages(conversationID);
    e.broadcast(LIFECYCLE_EVENT.HISTORY_CLEARED, { conversationID });
  }
}

function setGroupNames(e: Engine, names: string[]): void {
  const same =
    names.length === e.data.conversationGroups.length &&
    names.every((n, i) => n === e.data.conversationGroups[i]);
  e.data.conversationGroups = [...names];
  if (!same) e.broadcast(EVENT.CONVERSATION_GROUP_LIST_UPDATED, [...names]);
}

function inGroupUpdated(e: Engine, groupName: string, ids: string[]): void {
  const conversationList = ids
    .map((id) => e.data.book.get(id))
    .filter((c): c is Conversation => c !== undefined);
  e.broadcast(EVENT.CONVERSATION_IN_GROUP_UPDATED, { groupName, conversationList });
}

/** The public part of a batch answer (without the conversations it carries for the engine). */
function batchResult(res: ConversationBatchResult) {
  return {
    successConversationIDList: res.successConversationIDList,
    failureConversationIDList: res.failureConversationIDList,
  };
}

/**
 * getConversationList(): every conversation but hidden ones; (string[]): those known; ({filter,
 * nextSeq, count}): filtered (HIDE only when asked for by markType) and paged.
 */
function getConversationList(e: Engine, _peer: unknown, p: unknown) {
  const all = e.data.book.all();
  const isSyncCompleted = e.syncedSession === e.session;
  if (Array.isArray(p)) {
    const wanted = new Set(p.map(String));
    return {
      conversationList: all.filter((c) => wanted.has(c.conversationID)),
      isSyncCompleted,
    };
  }
  const f = validate('getConversationList', p ?? {});
  let list = filterConversations(all, f);
  if (f.markType !== HIDE) list = list.filter((c) => !c.markList?.includes(HIDE));
  const end = f.count === undefined ? list.length : Math.min(list.length, f.nextSeq + f.count);
  return {
    conversationList: list.slice(f.nextSeq, end),
    nextSeq: end,
    isFinished: end >= list.length,
    isSyncCompleted,
  };
}

/**
 * A conversation-group operation: the server answers the user's group names and the
 * conversations it changed, which replace the engine's copies.
 */
async function groupListOp<T extends object = object>(
  e: Engine,
  op: 'createConversationGroup' | 'deleteConversationGroup' | 'renameConversationGroup',
  p: unknown,
): Promise<T & { groupList: string[]; conversationList: Conversation[] }> {
  const res = await e.conn.request<T & { groupList: string[]; conversationList: Conversation[] }>(
    op,
    validate(op, p),
  );
  setGroupNames(e, res.groupList);
  upsertAll(e, res.conversationList);
  return res;
}

export const conversationHandlers: Record<string, Handler> = {
  getConversationList,
  async deleteConversation(e, _peer, p) {
    const data = validate('deleteConversation', p);
    const res = await e.conn.request<{ conversationIDList: string[] }>('deleteConversation', data);
    await removeAll(e, res.conversationIDList, data.clearHistoryMessage);
    return res;
  },
  async pinConversation(e, _peer, p) {
    const res = await e.conn.request<{ conversationID: string; conversationList: Conversation[] }>(
      'pinConversation',
      validate('pinConversation', p),
    );
    upsertAll(e, res.conversationList);
    return { conversationID: res.conversationID };
  },
  async setConversationDraft(e, _peer, p) {
    const res = await e.conn.request<{ conversationID: string; conversationList: Conversation[] }>(
      'setConversationDraft',
      validate('setConversationDraft', p),
    );
    upsertAll(e, res.conversationList);
    return { conversationID: res.conversationID };
  },
  async markConversation(e, _peer, p) {
    const res = await e.conn.request<ConversationBatchResult>(
      'markConversation',
      validate('markConversation', p),
    );
    upsertAll(e, res.conversationList);
    return batchResult(res);
  },
  async setConversationCustomData(e, _peer, p) {
    const res = await e.conn.request<ConversationBatchResult>(
      'setConversationCustomData',
      validate('setConversationCustomData', p),
    );
    upsertAll(e, res.conversationList);
    return batchResult(res);
  },
  async setAllMessageRead(e, _peer, p) {
    const data = validate('setAllMessageRead', p);
    await e.conn.request('setAllMessageRead', data);
    let changed = false;
    for (const c of [...e.data.book.all()]) {
      if (data.scope === TYPES.READ_ALL_C2C_MSG && c.type !== 'C2C') continue;
      if (data.scope === TYPES.READ_ALL_GROUP_MSG && c.type !== 'GROUP') continue;
      if (e.data.book.markRead(c.conversationID).changed) changed = true;
    }
    if (changed) e.data.conversationsChanged();
    return {};
  },
  async getConversationGroupList(e) {
    if (e.syncedSession !== e.session && e.conn.state === 'connected') {
      const res = await e.conn.request<{ groupList: string[] }>('getConversationGroupList', {});
      setGroupNames(e, res.groupList);
    }
    return [...e.data.conversationGroups];
  },
  async createConversationGroup(e, _peer, p) {
    return batchResult(await groupListOp<ConversationBatchResult>(e, 'createConversationGroup', p));
  },
  async deleteConversationGroup(e, _peer, p) {
    await groupListOp(e, 'deleteConversationGroup', p);
    return {};
  },
  async renameConversationGroup(e, _peer, p) {
    await groupListOp(e, 'renameConversationGroup', p);
    return {};
  },
  async addConversationsToGroup(e, _peer, p) {
    const data = validate('addConversationsToGroup', p);
    const res = await e.conn.request<ConversationBatchResult>('addConversationsToGroup', data);
    upsertAll(e, res.conversationList);
    if (res.successConversationIDList.length > 0)
      inGroupUpdated(e, data.groupName, res.successConversationIDList);
    return batchResult(res);
  },
  async deleteConversationsFromGroup(e, _peer, p) {
    const data = validate('deleteConversationsFromGroup', p);
    const res = await e.conn.request<ConversationBatchResult>('deleteConversationsFromGroup', data);
    upsertAll(e, res.conversationList);
    if (res.successConversationIDList.length > 0)
      inGroupUpdated(e, data.groupName, res.successConversationIDList);
    return batchResult(res);
  },
};

/** The conversation pushes of the server; false for any other push. */
export async function applyConversationPush(e: Engine, frame: PushFrame): Promise<boolean> {
  switch (frame.push) {
    case 'conversationsChanged':
      upsertAll(e, frame.data.conversationList);
      return true;
    case 'conversationDeleted':
      await removeAll(e, frame.data.conversationIDList, frame.data.clearHistoryMessage);
      return true;
    case 'conversationGroupListUpdated':
      setGroupNames(e, frame.data.groupList);
      return true;
    case 'conversationInGroupUpdated':
      inGroupUpdated(e, frame.data.groupName, frame.data.conversationIDList);
      return true;
    default:
      return false;
  }
}

/** After catch-up: the server's conversation group names replace the known ones. */
export async function refreshConversationGroups(e: Engine): Promise<void> {
  try {
    const res = await e.conn.request<{ groupList: string[] }>('getConversationGroupList', {});
    setGroupNames(e, res.groupList);
  } catch (err) {
    console.warn(`[imkit] conversation groups: ${errorText(err)}`);
  }
}
