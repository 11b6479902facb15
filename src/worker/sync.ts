/**
 * Catch-up and pushes: how the engine's data follows the server.
 *
 * After every accepted server login (a "session"), in the engine's serial queue:
 *   1. first login in this browser profile (no stored cursor): start from the login's cursor;
 *      otherwise page `sync` from the stored cursor until complete, applying every message once and
 *      persisting the cursor after each page is applied; then the same for recalls, edits and group
 *      system notices with `syncChanges` from the stored change cursor (catchUpChanges);
 *   2. refetch the conversation list, the group list and the own profile: the server is the
 *      authority, its lists replace the cached ones;
 *   3. mark the session synced, emit the lists, and SDK_READY the first time;
 *   4. send what waits in the outbox (outbox.ts), in order.
 * Message pushes of a session are applied only once that session is synced (they wait in the same
 * queue); if the catch-up fails the socket is dropped, so the next session's sync delivers them.
 * Pushes about messages already delivered (recalls, modifications, receipts, extensions, reactions,
 * pins), conversation settings and online-only messages are applied by pushes.ts.
 */
import { EVENT } from '../protocol/constants.js';
import type { Conversation, Group, Profile } from '../protocol/types.js';
import type { LoginResult, PushFrame, SyncChangesResult, SyncResult } from '../protocol/wire.js';
import type { Engine } from './engine.js';
import { applyGroupPush, applyNotice, dropGroupConversations } from './engine-groups.js';
import { applySyncedChange } from './message-updates.js';
import { applyMessagePush } from './pushes.js';
import { applyConversationPush, refreshConversationGroups } from './engine-conversations.js';
import { applyUserPush, refetchUserLists } from './engine-users.js';
import { errorText } from './util.js';

export async function catchUp(e: Engine, session: number, login: LoginResult): Promise<void> {
  if (session !== e.session || e.disposed) return;
  const { data, conn } = e;
  try {
    if (data.cursor === undefined) {
      await data.advanceCursor(login.cursor);
    } else {
      await pageFrom(
        data.cursor,
        async (cursor) => {
          const res = await conn.request<SyncResult>('sync', { cursor });
          return { ...res, items: res.messages };
        },
        async (items) => {
          await data.applyMessages(
            items.map((m) => m.message),
            { quiet: true },
          );
        },
        (cursor) => data.advanceCursor(cursor),
      );
    }
    await catchUpChanges(e, login);
    const [convs, groups, me] = await Promise.all([
      conn.request<{ conversationList: Conversation[] }>('getConversationList', {}),
      conn.request<{ groupList: Group[] }>('getGroupList', {}),
      conn.request<Profile>('getMyProfile', {}),
    ]);
    if (session !== e.session) return;
    data.book.replace(convs.conversationList);
    data.setGroups(groups.groupList);
    data.setMyProfile(me);
    // [issue 4: conversations]
    // Not awaited: the names follow CONVERSATION_GROUP_LIST_UPDATED; each conversation already
    // carries its `conversationGroupList`.
    void refreshConversationGroups(e);

    // [issue 5: groups]

    // [issue 6: users and relationships]
    void refetchUserLists(e);

    e.syncedSession = session;
    data.conversationsChanged();
    data.groupsChanged();
    e.markReady();
    e.outbox.flush();
  } catch (err) {
    console.warn(`[imkit] catch-up failed: ${errorText(err)}`);
    // Pushes of this session must not move the cursor past what sync missed: start over.
    if (session === e.session && conn.state === 'connected') conn.drop('catch-up failed');
  }
}

/**
 * The change stream since the stored change cursor, a page at a time: recalls and edits, each
 * applied like its push (cached copy, the conversation's last message, MESSAGE_REVOKED /
 * MESSAGE_MODIFIED) unless the cache already shows it, and group system notices
 * (MESSAGE_RECEIVED once each). A first login starts from the login's change cursor; a server that
 * names none (protocol 1) is not asked.
 */
async function catchUpChanges(e: Engine, login: LoginResult): Promise<void> {
  const { data, conn } = e;
  if (login.changeCursor === undefined) return;
  if (data.changeCursor === undefined) {
    await data.advanceChangeCursor(login.changeCursor);
    return;
  }
  await pageFrom(
    data.changeCursor,
    async (cursor) => {
      const res = await conn.request<SyncChangesResult>('syncChanges', { cursor });
      return { ...res, items: res.changes };
    },
    async (items) => {
      for (const { message } of items) {
        if (message.conversationType === '@TIM#SYSTEM') await applyNotice(e, message);
        else await applySyncedChange(e, message);
      }
    },
    (cursor) => data.advanceChangeCursor(cursor),
  );
}

/**
 * Pages a catch-up from `from` until the server says it is complete: each page is applied before
 * the cursor after it is kept, so a catch-up cut short starts again where it stopped.
 */
async function pageFrom<T extends { cursor: number }>(
  from: number,
  fetch: (cursor: number) => Promise<{ items: T[]; cursor: number; isCompleted: boolean }>,
  apply: (items: T[]) => Promise<void>,
  advance: (cursor: number) => Promise<void>,
): Promise<void> {
  let cursor = from;
  for (let page = 0; page < 100_000; page++) {
    const res = await fetch(cursor);
    await apply(res.items);
    const next = Math.max(res.cursor, ...res.items.map((item) => item.cursor));
    await advance(next);
    if (res.isCompleted || next <= cursor) break;
    cursor = next;
  }
}

/**
 * How long a pushed message's cursor waits before it becomes the catch-up cursor. With several
 * server nodes, pushes committed on different nodes can arrive out of cursor order (each node
 * publishes after its own commit); persisting a cursor at once could skip a message with a smaller
 * cursor still on its way if the socket died just then. A cursor persisted only once it is this old
 * is past any such message; after a disconnect the catch-up re-reads at most this window, and the
 * message IDs make the re-read harmless.
 */
export const PUSH_CURSOR_SETTLE_MS = 10_000;

/** The two catch-up cursors a push can move: messages (sync) and changes (syncChanges). */
type PushedCursor = 'messages' | 'changes';

const settling: Record<PushedCursor, WeakMap<Engine, ReturnType<typeof setTimeout>>> = {
  messages: new WeakMap(),
  changes: new WeakMap(),
};

/** Recall, edit and notice pushes carry change cursors, which settle like message cursors. */
function settleCursor(e: Engine, which: PushedCursor, cursor: number, session: number): void {
  const timers = settling[which];
  if (timers.has(e)) return;
  timers.set(
    e,
    setTimeout(() => {
      timers.delete(e);
      // A socket that died meanwhile: the next catch-up starts from the older cursor instead.
      if (session === e.session && !e.disposed && e.conn.state === 'connected') {
        void e.enqueue(() =>
          which === 'messages' ? e.data.advanceCursor(cursor) : e.data.advanceChangeCursor(cursor),
        );
      }
    }, e.pushCursorSettleMs),
  );
}

/** A pushed change cursor settles only once this session caught up with the change stream. */
function settleChange(e: Engine, cursor: number | undefined, session: number): void {
  if (cursor !== undefined && session === e.syncedSession && session === e.session) {
    settleCursor(e, 'changes', cursor, session);
  }
}

export async function applyPush(e: Engine, frame: PushFrame, session: number): Promise<void> {
  const { data } = e;
  switch (frame.push) {
    case 'message':
      // Not caught up in this session: the next sync delivers it.
      if (session !== e.syncedSession || session !== e.session) return;
      await data.applyMessages([frame.data]);
      settleCursor(e, 'messages', frame.cursor, session);
      return;
    case 'messageRevoked':
    case 'messageModified':
      await applyMessagePush(e, frame);
      settleChange(e, frame.cursor, session);
      return;
    case 'groupSystemNotice':
      await applyNotice(e, frame.data);
      settleChange(e, frame.cursor, session);
      return;
    case 'conversationRead': {
      const { conversationID, readSequence } = frame.data;
      const r = data.book.markRead(conversationID, readSequence);
      if (r.changed) data.conversationsChanged();
      else if (!r.exact) void refreshConversation(e, conversationID);
      return;
    }
    case 'groupListChanged': {
      await refreshGroups(e);
      // A group this user was added to (created with them, invited, approved): its conversation.
      const conversationID = `GROUP${frame.data.groupID}`;
      if (e.data.groups.has(frame.data.groupID) && !e.data.book.get(conversationID)) {
        await refreshConversation(e, conversationID);
      }
      return;
    }
    case 'groupUpdated': {
      data.groups.set(frame.data.groupID, frame.data);
      data.groupsChanged();
      if (data.book.updateGroup(frame.data)) data.conversationsChanged();
      return;
    }
    case 'profileUpdated': {
      const profile = frame.data;
      if (profile.userID === e.config.userID) data.setMyProfile(profile);
      data.setProfiles([profile]);
      e.broadcast(EVENT.PROFILE_UPDATED, [profile]);
      if (data.book.updateProfile(profile)) data.conversationsChanged();
      return;
    }
    default:
      // [issue 4: conversations]
      if (await applyConversationPush(e, frame)) return;

      // [issue 5: groups]
      if (applyGroupPush(e, frame)) return;

      // [issue 6: users and relationships]
      if (applyUserPush(e, frame)) return;

      // Recalls, modifications, receipts, extensions, reactions, pins, settings, online messages.
      await applyMessagePush(e, frame);
      return;
  }
}

/**
 * Ask the server for one conversation (server authority for unread and profiles). Runs outside the
 * serial queue, so its answer may be older than a message applied meanwhile: it replaces the local
 * copy only when it has seen at least the same last message; otherwise only the profiles merge.
 */
export async function refreshConversation(e: Engine, conversationID: string): Promise<void> {
  if (e.conn.state !== 'connected') return;
  try {
    const { conversation: remote } = await e.conn.request<{ conversation: Conversation }>(
      'getConversationProfile',
      { conversationID },
    );
    const local = e.data.book.get(conversationID);
    const seq = (c: Conversation | undefined) => c?.lastMessage?.lastSequence ?? 0;
    if (!local || seq(remote) >= seq(local)) e.data.book.upsert(remote);
    else {
      e.data.book.upsert({
        ...local,
        userProfile: remote.userProfile ?? local.userProfile,
        groupProfile: remote.groupProfile ?? local.groupProfile,
      });
    }
    e.data.conversationsChanged();
  } catch (err) {
    console.warn(`[imkit] refreshing ${conversationID} failed: ${errorText(err)}`);
  }
}

export async function refreshGroups(e: Engine): Promise<void> {
  const res = await e.conn.request<{ groupList: Group[] }>('getGroupList', {});
  e.data.setGroups(res.groupList);
  e.data.groupsChanged();
  dropGroupConversations(e);
}
