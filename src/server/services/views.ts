/**
 * Storage records -> public shapes (src/protocol/types.ts), as seen by one user: the same message
 * is `out` for its sender and `in` for everyone else, and a C2C conversationID names the peer.
 */
import type { MessagePriority } from '../../protocol/constants.js';
import {
  messageForShow,
  type Conversation,
  type Group,
  type GroupAtInfo,
  type GroupMember,
  type LastMessage,
  type Message,
  type Profile,
  type ReadReceiptInfo,
} from '../../protocol/types.js';
import type {
  GroupRecord,
  MemberRecord,
  MemberWithProfile,
  StoredMessage,
  UserConversationRecord,
  UserRecord,
} from '../storage/types.js';

export function conversationIDFor(message: StoredMessage, viewer: string): string {
  if (message.conversationType === 'GROUP') return `GROUP${message.to}`;
  return `C2C${message.from === viewer ? message.to : message.from}`;
}

/** What only some views know: the per-viewer read state and the delete result. */
export interface MessageViewExtra {
  isPeerRead?: boolean;
  isDeleted?: boolean;
  readReceiptInfo?: ReadReceiptInfo;
}

export function messageView(
  message: StoredMessage,
  viewer: string,
  extra: MessageViewExtra = {},
): Message {
  // Every field written out: spreading defaults and then overriding them is ~200 times slower in
  // V8 (the object falls off the fast path), and this runs once per recipient of every message.
  return {
    ID: message.ID,
    type: message.type,
    payload: message.payload,
    conversationID: conversationIDFor(message, viewer),
    conversationType: message.conversationType,
    to: message.to,
    from: message.from,
    flow: message.from === viewer ? 'out' : 'in',
    time: message.time,
    status: 'success',
    isRevoked: message.isRevoked,
    priority: message.priority as MessagePriority,
    nick: message.nick,
    avatar: message.avatar,
    isPeerRead: extra.isPeerRead ?? false,
    nameCard: '',
    atUserList: message.atUserList,
    cloudCustomData: message.cloudCustomData,
    isDeleted: extra.isDeleted ?? false,
    isModified: message.isModified,
    needReadReceipt: message.needReadReceipt,
    sequence: message.seq,
    clientTime: message.clientTime,
    random: message.random,
    readReceiptInfo: extra.readReceiptInfo ?? { readCount: 0, unreadCount: 0, isPeerRead: false },
    isSupportExtension: message.isSupportExtension,
    revoker: message.revoker,
    version: message.version,
    // C2C messages have no receivers; one stored for a blocked sender holds the sender (issue 6).
    receiverList: message.conversationType === 'C2C' ? [] : message.receiverList,
    onlineOnlyFlag: false,
    isExcludedFromUnreadCount: message.excludedFromUnreadCount,
    isExcludedFromLastMessage: message.excludedFromLastMessage,
  };
}

export function lastMessageView(message: StoredMessage): LastMessage {
  return {
    ID: message.ID,
    lastTime: message.time,
    lastSequence: message.seq,
    fromAccount: message.from,
    type: message.type,
    payload: message.payload,
    messageForShow: messageForShow(message.type, message.payload, message.isRevoked),
    cloudCustomData: message.cloudCustomData,
    isRevoked: message.isRevoked,
    nick: message.nick,
    nameCard: '',
  };
}

export function profileView(user: UserRecord): Profile {
  return {
    userID: user.userID,
    nick: user.nick,
    avatar: user.avatar,
    gender: user.gender,
    selfSignature: user.selfSignature,
    allowType: user.allowType,
    birthday: user.birthday,
    location: user.location,
    language: user.language,
    messageSettings: user.messageSettings,
    adminForbidType: user.adminForbidType,
    level: user.level,
    role: user.role,
    lastUpdatedTime: user.updatedAt,
    profileCustomField: Object.entries(user.customFields ?? {}).map(([key, value]) => ({
      key,
      value,
    })),
  };
}

/**
 * A group as seen by `member` (null for a non-member: empty selfInfo, no last message). The last
 * message is only shown when the viewer may see it (after its visibility point).
 */
export function groupView(
  group: GroupRecord,
  member: MemberRecord | null,
  last: StoredMessage | null,
  remindType = 'AcceptAndNotify',
): Group {
  const visible = member !== null && last !== null && last.seq > member.visibleSeq;
  return {
    groupID: group.groupID,
    name: group.name,
    avatar: group.avatar,
    type: group.type,
    introduction: group.introduction,
    notification: group.notification,
    ownerID: group.ownerID,
    createTime: group.createTime,
    infoSequence: group.infoSequence,
    lastInfoTime: group.lastInfoTime,
    selfInfo: member
      ? {
          role: member.role,
          messageRemindType: remindType,
          joinTime: member.joinTime,
          nameCard: member.nameCard,
          readedSequence: member.readSeq,
        }
      : {},
    lastMessage: visible
      ? {
          lastTime: last.time,
          lastSequence: last.seq,
          fromAccount: last.from,
          messageForShow: messageForShow(last.type, last.payload, last.isRevoked),
        }
      : { lastTime: 0, lastSequence: 0, fromAccount: '', messageForShow: '' },
    nextMessageSeq: group.lastSeq + 1,
    memberCount: group.memberCount,
    maxMemberCount: group.maxMemberCount,
    muteAllMembers: group.muteAllMembers,
    joinOption: group.joinOption,
    groupCustomField: [],
    isSupportTopic: group.isSupportTopic,
  };
}

export function memberView(member: MemberWithProfile): GroupMember {
  return {
    userID: member.userID,
    avatar: member.avatar,
    nick: member.nick,
    role: member.role,
    joinTime: member.joinTime,
    nameCard: member.nameCard,
    muteUntil: member.muteUntil,
    memberCustomField: Object.entries(member.customFields).map(([key, value]) => ({ key, value })),
  };
}

/**
 * `last` is the user's lastMessage (storage.lastMessageFor: already filtered for them); orderKey
 * follows it, or the activity key when the conversation has no message for them.
 */
export function conversationView(
  record: UserConversationRecord,
  last: StoredMessage | null,
  profile: { user?: UserRecord | null; group?: Group | null },
  groupAtInfoList: GroupAtInfo[] = [],
): Conversation {
  const type = record.type;
  const lastVisible = last !== null && last.seq > record.visibleSeq ? last : null;
  return {
    conversationID: `${type}${record.target}`,
    type,
    unreadCount: record.groupType === 'ChatRoom' ? 0 : record.unreadCount,
    lastMessage: lastVisible ? lastMessageView(lastVisible) : null,
    groupProfile: profile.group ?? null,
    userProfile: profile.user ? profileView(profile.user) : null,
    groupAtInfoList,
    remark: '',
    isPinned: false,
    messageRemindType: record.remindType,
    markList: [],
    customData: '',
    conversationGroupList: [],
    draftText: '',
    readSequence: record.readSeq,
    orderKey: Math.max(lastVisible ? lastVisible.cursor : 0, record.activityKey),
  };
}
