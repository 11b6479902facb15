/**
 * Changes to messages that were already applied: recalls, modifications, read marks, deletions,
 * cleared history. Each one updates the cached recent list of the conversation (`msgs:<id>`), the
 * conversation's `lastMessage` when it is that message, and tells the tabs. Used alike by the
 * server's pushes (pushes.ts) and by this browser's own actions (engine-messages.ts), which pass
 * the acting port as `except`: the acting tab gets the result, every other tab the event.
 */
import { EVENT } from '../protocol/constants.js';
import type { Conversation, Message } from '../protocol/types.js';
import type { PushFrame } from '../protocol/wire.js';
import { LIFECYCLE_EVENT } from '../core/internal-events.js';
import type { Engine } from './engine.js';
import type { PortPeer } from './port-peer.js';
import { errorText } from './util.js';

export type ReceiptEntry = Extract<PushFrame, { push: 'messageReadReceipt' }>['data'][number];

/**
 * A recalled or modified message. `raw` may be partial (a tombstone): it is laid over the cached
 * copy when there is one. Resolves with the complete message the tabs got.
 */
export async function applyMessageChange(
  e: Engine,
  raw: Partial<Message> & { ID: string; conversationID: string },
  kind: 'revoked' | 'modified',
  except?: PortPeer,
): Promise<Message> {
  const flag: Partial<Message> = kind === 'revoked' ? { isRevoked: true } : { isModified: true };
  let m = e.data.normalize({ ...(raw as Message), ...flag });
  const conversationID = raw.conversationID || m.conversationID;
  await e.data.cache?.updateMessages(conversationID, (list) => {
    const i = list.findIndex((x) => x.ID === raw.ID);
    if (i < 0) return list;
    m = e.data.normalize({ ...list[i], ...(raw as Message), ...flag });
    const next = [...list];
    next[i] = m;
    return next;
  });
  if (e.data.book.updateLastMessage(m)) e.data.conversationsChanged();
  e.broadcast(kind === 'revoked' ? EVENT.MESSAGE_REVOKED : EVENT.MESSAGE_MODIFIED, [m], except);
  return m;
}

/**
 * A message from the change stream (syncChanges), in its current state: applied as its push would
 * be, unless the cached copy already shows that state (its push came, or the catch-up's own sync
 * brought the message as it is now).
 */
export async function applySyncedChange(e: Engine, raw: Message): Promise<void> {
  const m = e.data.normalize(raw);
  const cached = (await e.data.cache?.loadMessages(m.conversationID))?.find((x) => x.ID === m.ID);
  if (cached && (m.isRevoked ? cached.isRevoked : cached.version >= m.version)) return;
  // As its push would be: the server's message laid over the cached copy.
  await applyMessageChange(e, raw, m.isRevoked ? 'revoked' : 'modified');
}

/**
 * The C2C peer read up to `readSequence`: mark this user's cached messages of that conversation
 * `isPeerRead` and emit MESSAGE_READ_BY_PEER with the ones that changed. Only cached messages (the
 * newest ~50 of the conversation) can be listed, so the list may be empty; tabs that hold older
 * messages can compare their sequence with that of the listed ones.
 */
export async function markPeerRead(
  e: Engine,
  conversationID: string,
  readSequence: number,
): Promise<Message[]> {
  const me = e.config.userID;
  const changed: Message[] = [];
  await e.data.cache?.updateMessages(conversationID, (list) => {
    const next = list.map((m) => {
      if (m.from !== me || m.isPeerRead || m.sequence <= 0 || m.sequence > readSequence) return m;
      const read: Message = {
        ...m,
        isPeerRead: true,
        readReceiptInfo: { ...m.readReceiptInfo, isPeerRead: true },
      };
      changed.push(read);
      return read;
    });
    return changed.length > 0 ? next : list;
  });
  e.broadcast(EVENT.MESSAGE_READ_BY_PEER, changed);
  return changed;
}

/** Read receipts of messages this user sent: cached copies updated, the entries go to the tabs. */
export async function applyReceipts(e: Engine, entries: ReceiptEntry[]): Promise<void> {
  const byConversation = new Map<string, Map<string, ReceiptEntry>>();
  for (const entry of entries) {
    const id = entry.conversationID;
    if (!byConversation.has(id)) byConversation.set(id, new Map());
    byConversation.get(id)!.set(entry.messageID, entry);
  }
  for (const [conversationID, byID] of byConversation) {
    await e.data.cache?.updateMessages(conversationID, (list) => {
      let changed = false;
      const next = list.map((m) => {
        const r = byID.get(m.ID);
        if (!r) return m;
        changed = true;
        const readReceiptInfo = {
          readCount: r.readCount,
          unreadCount: r.unreadCount,
          isPeerRead: r.isPeerRead,
        };
        return { ...m, readReceiptInfo, isPeerRead: m.isPeerRead || r.isPeerRead };
      });
      return changed ? next : list;
    });
  }
  e.broadcast(EVENT.MESSAGE_READ_RECEIPT_RECEIVED, entries);
}

/** Messages deleted for this user: out of the cache; the conversation refetched if its last went. */
export async function removeMessages(
  e: Engine,
  conversationID: string,
  messageIDList: string[],
  except?: PortPeer,
): Promise<void> {
  const ids = new Set(messageIDList);
  await e.data.cache?.updateMessages(conversationID, (list) =>
    list.some((m) => ids.has(m.ID)) ? list.filter((m) => !ids.has(m.ID)) : list,
  );
  const last = e.data.book.get(conversationID)?.lastMessage;
  if (last && ids.has(last.ID)) await replaceConversation(e, conversationID);
  e.broadcast(LIFECYCLE_EVENT.MESSAGES_DELETED, { conversationID, messageIDList }, except);
}

/** The history of a conversation was cleared (here or on another device). */
export async function clearHistory(
  e: Engine,
  conversationID: string,
  except?: PortPeer,
): Promise<void> {
  await e.data.cache?.clearMessages(conversationID);
  if (e.data.book.clearHistory(conversationID)) e.data.conversationsChanged();
  e.broadcast(LIFECYCLE_EVENT.HISTORY_CLEARED, { conversationID }, except);
}

/** The server's copy of one conversation replaces ours, whatever it holds (server authority). */
export async function replaceConversation(e: Engine, conversationID: string): Promise<void> {
  try {
    const { conversation } = await e.conn.request<{ conversation: Conversation }>(
      'getConversationProfile',
      { conversationID },
    );
    e.data.book.upsert(conversation);
    e.data.conversationsChanged();
  } catch (err) {
    console.warn(`[imkit] refetching ${conversationID} failed: ${errorText(err)}`);
  }
}

/** Whether any tab but `peer` would get an event (to skip fetching what nobody would see). */
export function hasOtherTabs(e: Engine, peer: PortPeer): boolean {
  for (const p of e.peers) if (p.authorized && p !== peer) return true;
  return false;
}
