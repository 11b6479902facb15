/**
 * The engine's in-memory conversation list: pure bookkeeping, no I/O.
 *
 * Rules (Tencent's): a new message moves its conversation to the top and sets `lastMessage`
 * (unless sent with `excludedFromLastMessage`); `unreadCount` grows by one unless the message is the
 * user's own, the conversation is a Meeting (ChatRoom) or AVChatRoom group, the message is at or
 * below the read sequence, excluded from the unread count, or targeted (`receiverList`). A group
 * message that @-mentions this user or everyone adds a `groupAtInfoList` entry until read. A message
 * whose sequence is not newer than the conversation's last one changes nothing (the server's list
 * already reflects it), which makes applying the same message twice harmless.
 *
 * The total unread count leaves out conversations whose `messageRemindType` is AcceptNotNotify or
 * Discard (Tencent: muted conversations count no total unread) and the system conversation.
 *
 * Order: pinned first, then by `orderKey` (conversation-filter.ts, the same as the server's). A
 * conversation hidden with the HIDE mark loses the mark with its next message (the server does the
 * same: hidden only while no newer message exists).
 */
import { TYPES } from '../protocol/constants.js';
import type {
  Conversation,
  Group,
  GroupAtInfo,
  LastMessage,
  Message,
  Profile,
} from '../protocol/types.js';
import { messageForShow, parseConversationID } from '../protocol/types.js';
import { compareConversations } from '../protocol/conversation-filter.js';

const NO_UNREAD_GROUP_TYPES = new Set(['ChatRoom', 'AVChatRoom']);
/** Remind types whose conversations count no total unread. */
const MUTED = new Set<string>([TYPES.MSG_REMIND_ACPT_NOT_NOTE, TYPES.MSG_REMIND_DISCARD]);

export function lastMessageOf(m: Message): LastMessage {
  return {
    ID: m.ID,
    lastTime: m.time,
    lastSequence: m.sequence,
    fromAccount: m.from,
    type: m.type,
    payload: m.payload,
    messageForShow: messageForShow(m.type, m.payload, m.isRevoked),
    cloudCustomData: m.cloudCustomData,
    isRevoked: m.isRevoked,
    nick: m.nick,
    nameCard: m.nameCard,
  };
}

export function emptyConversation(conversationID: string): Conversation {
  const parts = parseConversationID(conversationID);
  return {
    conversationID,
    type: parts?.type ?? 'C2C',
    unreadCount: 0,
    lastMessage: null,
    groupProfile: null,
    userProfile: null,
    groupAtInfoList: [],
    remark: '',
    isPinned: false,
    messageRemindType: '',
    markList: [],
    customData: '',
    conversationGroupList: [],
    draftText: '',
    readSequence: 0,
    orderKey: 0,
  };
}

export function countsUnread(conv: Conversation): boolean {
  return !(
    conv.type === 'GROUP' &&
    conv.groupProfile &&
    NO_UNREAD_GROUP_TYPES.has(conv.groupProfile.type)
  );
}

export interface ApplyResult {
  /** The conversation changed (list must be re-emitted). */
  changed: boolean;
  /** The conversation did not exist before. */
  created: boolean;
}

export class ConversationBook {
  private list: Conversation[] = [];

  constructor(private readonly me: () => string) {}

  all(): Conversation[] {
    return this.list;
  }

  get(conversationID: string): Conversation | undefined {
    return this.list.find((c) => c.conversationID === conversationID);
  }

  /** Replace the whole list (server authority or cache load). */
  replace(list: Conversation[]): void {
    this.list = [...list];
    this.sort();
  }

  totalUnread(): number {
    let total = 0;
    for (const c of this.list) {
      if (c.type !== '@TIM#SYSTEM' && countsUnread(c) && !MUTED.has(c.messageRemindType))
        total += Math.max(0, c.unreadCount || 0);
    }
    return total;
  }

  /** Drop conversations (deleted); true when any was there. */
  remove(conversationIDs: readonly string[]): boolean {
    const drop = new Set(conversationIDs);
    const before = this.list.length;
    this.list = this.list.filter((c) => !drop.has(c.conversationID));
    return this.list.length !== before;
  }

  /** Put one conversation (from the server) in place of the local copy. */
  upsert(conv: Conversation): void {
    const i = this.list.findIndex((c) => c.conversationID === conv.conversationID);
    if (i >= 0) this.list[i] = conv;
    else this.list.push(conv);
    this.sort();
  }

  applyMessage(
    m: Message,
    groups: ReadonlyMap<string, Group>,
    profiles: ReadonlyMap<string, Profile>,
  ): ApplyResult {
    let conv = this.get(m.conversationID);
    let created = false;
    if (!conv) {
      conv = emptyConversation(m.conversationID);
      const parts = parseConversationID(m.conversationID);
      if (parts?.type === 'GROUP') conv.groupProfile = groups.get(parts.target) ?? null;
      if (parts?.type === 'C2C') conv.userProfile = profiles.get(parts.target) ?? null;
      this.list.push(conv);
      created = true;
    }
    const last = conv.lastMessage;
    if (!created && last && m.sequence > 0 && m.sequence <= last.lastSequence) {
      return { changed: false, created };
    }
    if (last && last.ID === m.ID) return { changed: false, created };
    const next: Conversation = { ...conv };
    if (conv.markList?.includes(TYPES.CONV_MARK_TYPE_HIDE)) {
      next.markList = conv.markList.filter((x) => x !== TYPES.CONV_MARK_TYPE_HIDE);
    }
    if (!m.isExcludedFromLastMessage) {
      next.lastMessage = lastMessageOf(m);
      next.orderKey = this.topOrderKey() + 1;
    }
    const own = m.from === this.me();
    const unread = !own && countsUnread(next) && m.sequence > conv.readSequence;
    if (unread && !m.isExcludedFromUnreadCount && !(m.receiverList?.length > 0)) {
      next.unreadCount = (conv.unreadCount || 0) + 1;
    }
    const at = unread ? this.atInfo(m) : null;
    if (at) next.groupAtInfoList = [...(conv.groupAtInfoList ?? []), at];
    this.upsert(next);
    return { changed: true, created };
  }

  /** The @ entry a group message makes for this user, or null. */
  private atInfo(m: Message): GroupAtInfo | null {
    if (m.conversationType !== 'GROUP' || !m.atUserList?.length) return null;
    const me = m.atUserList.includes(this.me());
    const all = m.atUserList.includes(TYPES.MSG_AT_ALL);
    if (!me && !all) return null;
    const type = me && all ? TYPES.CONV_AT_ALL_AT_ME : me ? TYPES.CONV_AT_ME : TYPES.CONV_AT_ALL;
    return { groupID: m.to, messageID: m.ID, messageSequence: m.sequence, atTypeArray: [type] };
  }

  /** A message changed (recalled, modified): refresh `lastMessage` when it is that message. */
  updateLastMessage(m: Message): boolean {
    const conv = this.get(m.conversationID);
    if (!conv?.lastMessage || conv.lastMessage.ID !== m.ID) return false;
    this.upsert({ ...conv, lastMessage: lastMessageOf(m) });
    return true;
  }

  /** The history was cleared: the conversation stays, without last message, unread or @s. */
  clearHistory(conversationID: string): boolean {
    const conv = this.get(conversationID);
    if (!conv) return false;
    const readSequence = Math.max(conv.readSequence, conv.lastMessage?.lastSequence ?? 0);
    this.upsert({ ...conv, lastMessage: null, unreadCount: 0, groupAtInfoList: [], readSequence });
    return true;
  }

  setRemindType(conversationID: string, messageRemindType: string): boolean {
    const conv = this.get(conversationID);
    if (!conv || conv.messageRemindType === messageRemindType) return false;
    this.upsert({ ...conv, messageRemindType });
    return true;
  }

  /** Local effect of a read report: everything up to `readSequence` is read. */
  markRead(conversationID: string, readSequence?: number): { changed: boolean; exact: boolean } {
    const conv = this.get(conversationID);
    if (!conv) return { changed: false, exact: true };
    const lastSeq = conv.lastMessage?.lastSequence ?? 0;
    const upTo = readSequence ?? lastSeq;
    if (upTo < lastSeq) {
      // Some messages remain unread; only the server knows how many of them are the peer's.
      return { changed: false, exact: false };
    }
    const noAt = !conv.groupAtInfoList?.length;
    if (conv.unreadCount === 0 && noAt && conv.readSequence >= upTo)
      return { changed: false, exact: true };
    this.upsert({
      ...conv,
      unreadCount: 0,
      groupAtInfoList: [],
      readSequence: Math.max(conv.readSequence, upTo),
    });
    return { changed: true, exact: true };
  }

  /** A group changed: refresh the embedded profile. */
  updateGroup(group: Group): boolean {
    const conv = this.get(`GROUP${group.groupID}`);
    if (!conv) return false;
    this.upsert({ ...conv, groupProfile: group });
    return true;
  }

  updateProfile(profile: Profile): boolean {
    const conv = this.get(`C2C${profile.userID}`);
    if (!conv) return false;
    this.upsert({ ...conv, userProfile: profile });
    return true;
  }

  private topOrderKey(): number {
    let max = 0;
    for (const c of this.list) if (c.orderKey > max) max = c.orderKey;
    return max;
  }

  private sort(): void {
    this.list.sort(compareConversations);
  }
}
