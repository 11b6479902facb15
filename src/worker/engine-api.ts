/**
 * The engine's answers to tab requests: the public ChatClient methods, by the same names.
 * Input is validated once here against the wire schemas (bad input -> 6017, nothing sent).
 * Reads that the engine keeps current (conversation list, group list, own profile) come from
 * memory, so they work from the cache before the socket is up; the rest go to the server.
 * Message handlers live in engine-messages.ts (send, recall, modify, delete, clear, hopping,
 * merger, pins, translation) and engine-receipts.ts (receipts, receive options, extensions,
 * reactions); this table merges them.
 */
import { ErrorCode } from '../protocol/codes.js';
import { EVENT, LIMITS } from '../protocol/constants.js';
import type { Conversation, Group, GroupMember, Profile } from '../protocol/types.js';
import type { MessageListResult, OpData } from '../protocol/wire.js';
import { isNetworkError, validate, type Handler } from './api-util.js';
import { messageHandlers } from './engine-messages.js';
import { receiptHandlers } from './engine-receipts.js';
import { IMError } from '../core/errors.js';
import type { Engine } from './engine.js';
import type { PortPeer } from './port-peer.js';
import { refreshConversation, refreshGroups } from './sync.js';
// [issue 4: conversations]
import { conversationHandlers } from './engine-conversations.js';

// [issue 5: groups]
import { dropGroupConversations, groupHandlers } from './engine-groups.js';

// [issue 6: users and relationships]
import { userHandlers } from './engine-users.js';

const handlers: Record<string, Handler> = {
  ...messageHandlers,
  ...receiptHandlers,
  // [issue 4: conversations]
  ...conversationHandlers,

  // [issue 5: groups]
  ...groupHandlers,

  // [issue 6: users and relationships]
  ...userHandlers,

  getMessageList,
  async getConversationProfile(e, _peer, p: { conversationID?: unknown }) {
    const { conversationID } = validate('getConversationProfile', p);
    const known = e.data.book.get(conversationID);
    if (known && e.conn.state !== 'connected') return { conversation: known };
    if (known && e.syncedSession === e.session) return { conversation: known };
    const res = await e.conn.request<{ conversation: Conversation }>('getConversationProfile', {
      conversationID,
    });
    return res;
  },
  async setMessageRead(e, _peer, p) {
    const data = validate('setMessageRead', p);
    await e.conn.request('setMessageRead', data);
    const r = e.data.book.markRead(data.conversationID);
    if (r.changed) e.data.conversationsChanged();
    return {};
  },
  async createGroup(e, _peer, p) {
    const res = await e.conn.request<{ group: Group }>('createGroup', validate('createGroup', p));
    e.data.groups.set(res.group.groupID, res.group);
    e.data.groupsChanged();
    // The new group's conversation is in the list at once (Tencent's behaviour).
    await refreshConversation(e, `GROUP${res.group.groupID}`);
    return res;
  },
  async joinGroup(e, _peer, p) {
    const data = validate('joinGroup', p);
    const res = await e.conn.request<{ status: string; group?: Group }>('joinGroup', data);
    if (res.group) {
      e.data.groups.set(res.group.groupID, res.group);
      e.data.groupsChanged();
    } else if (res.status === 'JoinedSuccess') {
      await refreshGroups(e);
    }
    if (e.data.groups.has(data.groupID)) await refreshConversation(e, `GROUP${data.groupID}`);
    return res;
  },
  async quitGroup(e, _peer, p) {
    const data = validate('quitGroup', p);
    const res = await e.conn.request<{ groupID: string }>('quitGroup', data);
    if (e.data.groups.delete(data.groupID)) e.data.groupsChanged();
    dropGroupConversations(e);
    return res;
  },
  getGroupList: (e) => ({ groupList: [...e.data.groups.values()] }),
  async getGroupProfile(e, _peer, p) {
    const { groupID } = validate('getGroupProfile', p);
    const known = e.data.groups.get(groupID);
    if (known && e.conn.state !== 'connected') return { group: known };
    const res = await e.conn.request<{ group: Group }>('getGroupProfile', { groupID });
    if (e.data.groups.has(groupID)) {
      e.data.groups.set(groupID, res.group);
      void e.data.cache?.saveGroups([...e.data.groups.values()]);
    }
    return res;
  },
  getGroupMemberList: (e, _peer, p) =>
    e.conn.request<{ memberList: GroupMember[]; offset: number }>(
      'getGroupMemberList',
      validate('getGroupMemberList', { ...p, count: p?.count ?? LIMITS.groupMemberListDefault }),
    ),
  async getMyProfile(e) {
    if (e.data.myProfile) return e.data.myProfile;
    const profile = await e.conn.request<Profile>('getMyProfile', {});
    e.data.setMyProfile(profile);
    return profile;
  },
  async getUserProfile(e, _peer, p) {
    const data = validate('getUserProfile', p);
    const cached = data.userIDList.map((id) => e.data.profiles.get(id));
    if (e.conn.state !== 'connected' && cached.every((x) => x !== undefined)) return cached;
    const list = await e.conn.request<Profile[]>('getUserProfile', data);
    e.data.setProfiles(list);
    return list;
  },
  async updateMyProfile(e, _peer, p) {
    const profile = await e.conn.request<Profile>(
      'updateMyProfile',
      validate('updateMyProfile', p),
    );
    e.data.setMyProfile(profile);
    e.broadcast(EVENT.PROFILE_UPDATED, [profile]);
    return profile;
  },
};

export function isApiMethod(method: string): boolean {
  return Object.prototype.hasOwnProperty.call(handlers, method);
}

export function handleApi(
  engine: Engine,
  peer: PortPeer,
  method: string,
  payload: unknown,
): Promise<unknown> | unknown {
  const handler = handlers[method];
  if (!handler) throw new IMError(ErrorCode.INVALID_COMMAND, `Unknown method ${method}`);
  return handler(engine, peer, payload);
}

/**
 * A page of history: from the server when connected, else from the cache (or the server once it is
 * back). The newest page (no `nextReqMessageID`) ends with the conversation's messages waiting in
 * the outbox, `status: 'unSend'`.
 */
async function getMessageList(e: Engine, _peer: PortPeer, p: unknown): Promise<MessageListResult> {
  const data = validate('getMessageList', p);
  const pending = data.nextReqMessageID ? [] : e.outbox.pending(data.conversationID);
  const res = await historyPage(e, data, pending.length > 0);
  if (pending.length === 0) return res;
  const known = new Set(res.messageList.map((m) => m.ID));
  return { ...res, messageList: [...res.messageList, ...pending.filter((m) => !known.has(m.ID))] };
}

async function historyPage(
  e: Engine,
  data: OpData<'getMessageList'>,
  hasPending: boolean,
): Promise<MessageListResult> {
  if (e.conn.state === 'connected') {
    try {
      const res = await e.conn.request<MessageListResult>('getMessageList', data);
      const messageList = res.messageList.map((m) => e.data.normalize(m));
      if (!data.nextReqMessageID)
        void e.data.cache?.appendMessages(data.conversationID, messageList);
      return { ...res, messageList };
    } catch (err) {
      if (!isNetworkError(err)) throw err;
    }
  }
  const cached = await fromCache(
    e,
    data.conversationID,
    data.nextReqMessageID,
    data.count ?? LIMITS.messageListPage,
  );
  if (cached) return cached;
  // Nothing cached but messages waiting to be sent: those, without waiting for the server.
  if (hasPending && e.conn.state !== 'connected')
    return { messageList: [], nextReqMessageID: '', isCompleted: false };
  // Nothing cached: wait for the connection (the request queues until login or times out).
  const res = await e.conn.request<MessageListResult>('getMessageList', data);
  return { ...res, messageList: res.messageList.map((m) => e.data.normalize(m)) };
}

/** A page of the cached recent messages (newest `count` older than `before`), or null. */
async function fromCache(
  e: Engine,
  conversationID: string,
  before: string | undefined,
  count: number,
): Promise<MessageListResult | null> {
  const all = (await e.data.cache?.loadMessages(conversationID)) ?? [];
  let end = all.length;
  if (before) {
    end = all.findIndex((m) => m.ID === before);
    if (end < 0) return null;
  }
  const page = all.slice(Math.max(0, end - count), end);
  if (page.length === 0) return null;
  return { messageList: page, nextReqMessageID: page[0].ID, isCompleted: false };
}
