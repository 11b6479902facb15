/**
 * Who may touch which conversation and message. Every message operation starts here:
 * - the conversationID must be a C2C or GROUP one (10004 otherwise);
 * - a group must exist (10010) and the caller must be a member (10007);
 * - a C2C conversation is always the caller's own (its key is built from the caller), so a message
 *   of another conversation is simply not found there (20026, or 10030 for recall);
 * - a targeted group message exists only for its sender and receivers.
 */
import { ErrorCode } from '../../protocol/codes.js';
import { parseConversationID, type Message } from '../../protocol/types.js';
import { ImError, invalid } from '../errors.js';
import {
  c2cKey,
  groupKey,
  type GroupRecord,
  type MemberRecord,
  type StoredMessage,
  type UserConversationRecord,
} from '../storage/types.js';
import type { Caller, ServiceDeps } from './deps.js';
import { messageView } from './views.js';

const USER_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface ConversationRef {
  conversationID: string;
  type: 'C2C' | 'GROUP';
  /** The peer (C2C) or the groupID. */
  target: string;
  convKey: string;
  group: GroupRecord | null;
  member: MemberRecord | null;
  /** The caller's conversation row (null for a C2C conversation without messages). */
  record: UserConversationRecord | null;
  /** History starts after this sequence for the caller. */
  visibleSeq: number;
}

export async function resolveConversation(
  deps: ServiceDeps,
  caller: Caller,
  conversationID: string,
): Promise<ConversationRef> {
  const { storage } = deps;
  const parts = parseConversationID(conversationID);
  if (!parts) throw invalid(`invalid conversationID ${conversationID}`);
  if (parts.type === '@TIM#SYSTEM') {
    throw invalid('this operation is not supported in the system conversation');
  }
  if (parts.type === 'C2C') {
    if (!USER_ID.test(parts.target)) throw invalid(`invalid conversationID ${conversationID}`);
    const convKey = c2cKey(caller.userID, parts.target);
    const record = await storage.getConversation(caller.app, caller.userID, convKey, {
      unread: false,
    });
    return {
      conversationID,
      type: 'C2C',
      target: parts.target,
      convKey,
      group: null,
      member: null,
      record,
      visibleSeq: record?.visibleSeq ?? 0,
    };
  }
  const group = await storage.getGroup(caller.app, parts.target);
  if (!group) throw new ImError(ErrorCode.GROUP_NOT_FOUND, `group ${parts.target} does not exist`);
  const member = await storage.getMember(caller.app, parts.target, caller.userID);
  if (!member) throw new ImError(ErrorCode.NO_PERMISSION, 'not a member of this group');
  const convKey = groupKey(parts.target);
  const record = await storage.getConversation(caller.app, caller.userID, convKey, {
    unread: false,
  });
  return {
    conversationID,
    type: 'GROUP',
    target: parts.target,
    convKey,
    group,
    member,
    record,
    visibleSeq: member.visibleSeq,
  };
}

/**
 * A member may post to the group unless muted: `muteUntil` still ahead (setGroupMemberMuteTime),
 * or mute-all on and the member is neither owner nor admin. 10017 otherwise.
 */
export function requireMayPost(group: GroupRecord, member: MemberRecord, now: number): void {
  if (member.muteUntil > now) {
    throw new ImError(
      ErrorCode.GROUP_MEMBER_MUTED,
      `muted in this group until ${member.muteUntil}`,
    );
  }
  if (group.muteAllMembers && member.role === 'Member') {
    throw new ImError(ErrorCode.GROUP_MEMBER_MUTED, 'every member of this group is muted');
  }
}

/** A targeted message exists only for its sender and receivers. */
export function canSee(message: StoredMessage, userID: string): boolean {
  return (
    message.receiverList.length === 0 ||
    message.from === userID ||
    message.receiverList.includes(userID)
  );
}

/** The message of the conversation the caller may see, or `notFound` (20026 unless told). */
export async function requireMessage(
  deps: ServiceDeps,
  caller: Caller,
  conv: ConversationRef,
  messageID: string,
  notFound: number = ErrorCode.MESSAGE_NOT_FOUND,
): Promise<StoredMessage> {
  const message = await deps.storage.findMessage(caller.app, conv.convKey, messageID);
  if (!message || !canSee(message, caller.userID)) {
    throw new ImError(notFound, `message ${messageID} not found in ${conv.conversationID}`);
  }
  return message;
}

/** Everyone who can see the message now: both C2C users, or the group's members (receivers). */
export async function audienceOf(
  deps: ServiceDeps,
  app: number,
  message: StoredMessage,
): Promise<string[]> {
  if (message.conversationType === 'C2C') return [...new Set([message.from, message.to])];
  const members = (await deps.storage.allMembers(app, message.to)).map((m) => m.userID);
  if (message.receiverList.length === 0) return members;
  const allowed = new Set([message.from, ...message.receiverList]);
  return members.filter((u) => allowed.has(u));
}

/** 10032 for operations a recalled message no longer supports. */
export function requireNotRevoked(message: StoredMessage): void {
  if (message.isRevoked) {
    throw new ImError(ErrorCode.MESSAGE_OPERATION_UNSUPPORTED, 'the message was recalled');
  }
}

/** Whether the user takes part in the conversation of `convKey` (C2C side or group member). */
export async function isParticipant(
  deps: ServiceDeps,
  app: number,
  userID: string,
  convKey: string,
): Promise<boolean> {
  if (convKey.startsWith('c2c:')) return convKey.slice(4).split('|').includes(userID);
  if (convKey.startsWith('group:')) {
    return (await deps.storage.getMember(app, convKey.slice(6), userID)) !== null;
  }
  return false;
}

/**
 * History-like lists as the caller sees them: C2C messages the caller sent carry isPeerRead when
 * the peer's read sequence (setMessageRead) reached them.
 */
export async function viewsFor(
  deps: ServiceDeps,
  caller: Caller,
  conv: ConversationRef,
  rows: StoredMessage[],
): Promise<Message[]> {
  let peerReadSeq = 0;
  if (conv.type === 'C2C' && conv.target !== caller.userID && rows.length > 0) {
    peerReadSeq =
      (
        await deps.storage.getConversation(caller.app, conv.target, conv.convKey, {
          unread: false,
        })
      )?.readSeq ?? 0;
  }
  return rows.map((m) =>
    messageView(m, caller.userID, {
      isPeerRead: conv.type === 'C2C' && m.from === caller.userID && m.seq <= peerReadSeq,
    }),
  );
}
