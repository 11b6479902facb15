/**
 * Row shapes of the tables and their mapping to storage records: the same for SQLite and
 * PostgreSQL (pg-db.ts reads integers as numbers and keeps JSON columns as text).
 */
import type { GroupType, JoinOption, MemberRole } from '../../protocol/constants.js';
import type {
  AppRecord,
  FriendApplicationRecord,
  FriendRecord,
  GroupRecord,
  NewMessage,
  TopicRecord,
  MemberRecord,
  StoredMessage,
  SystemNoticeRecord,
  UserConversationRecord,
  UserRecord,
} from './types.js';

export interface AppRow {
  sdkappid: number;
  secret_key: string;
  max_instances: number;
  is_default: number;
  created_at: number;
}

export interface UserRow {
  tiny_id: number;
  user_id: string;
  nick: string;
  avatar: string;
  gender: string;
  self_signature: string;
  allow_type: string;
  birthday: number;
  location: string;
  language: number;
  message_settings: number;
  admin_forbid_type: string;
  level: number;
  role: number;
  created_at: number;
  updated_at: number;
  /** JSON object of profile custom fields (schema version 5). */
  custom_fields?: string;
}

export interface MessageRow {
  cursor: number;
  conv_key: string;
  seq: number;
  msg_id: string;
  sender: string;
  conv_type: string;
  target: string;
  type: string;
  payload: string;
  priority: string;
  cloud_custom_data: string;
  client_time: number;
  random: number;
  time: number;
  nick: string;
  avatar: string;
  at_user_list: string;
  receivers: string;
  need_read_receipt: number;
  support_extension: number;
  excluded_unread: number;
  excluded_last: number;
  revoked: number;
  revoker: string;
  version: number;
  modified: number;
  change_seq: number;
}

export interface ConversationRow {
  conv_key: string;
  type: string;
  last_seq: number;
  last_cursor: number;
  read_seq: number;
  join_seq: number;
  visible_seq: number;
  activity_key: number;
  group_type: string | null;
  unread: number;
  remind_type: string | null;
}

export interface GroupRow {
  group_id: string;
  type: string;
  name: string;
  introduction: string;
  notification: string;
  avatar: string;
  owner_id: string;
  create_time: number;
  info_seq: number;
  last_info_time: number;
  max_member: number;
  join_option: string;
  mute_all: number;
  member_count: number;
  last_seq: number;
  /** Schema version 4; absent in older rows. */
  support_topic?: number;
}

export interface MemberRow {
  user_id: string;
  role: string;
  join_time: number;
  name_card: string;
  mute_until: number;
  /** Schema version 4: JSON object of member custom fields. */
  custom_fields?: string;
  read_seq: number | null;
  visible_seq: number | null;
}

/** profile field -> column */
export const PROFILE_COLUMNS = {
  nick: 'nick',
  avatar: 'avatar',
  gender: 'gender',
  selfSignature: 'self_signature',
  allowType: 'allow_type',
  birthday: 'birthday',
  location: 'location',
  language: 'language',
  messageSettings: 'message_settings',
  level: 'level',
  role: 'role',
} as const;

export function toApp(row: AppRow): AppRecord {
  return {
    SDKAppID: row.sdkappid,
    secretKey: row.secret_key,
    maxInstances: row.max_instances,
    isDefault: row.is_default === 1,
    createdAt: row.created_at,
  };
}

export function toUser(row: UserRow): UserRecord {
  return {
    userID: row.user_id,
    tinyID: row.tiny_id,
    nick: row.nick,
    avatar: row.avatar,
    gender: row.gender,
    selfSignature: row.self_signature,
    allowType: row.allow_type,
    birthday: row.birthday,
    location: row.location,
    language: row.language,
    messageSettings: row.message_settings,
    adminForbidType: row.admin_forbid_type,
    level: row.level,
    role: row.role,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    customFields: row.custom_fields
      ? (JSON.parse(row.custom_fields) as UserRecord['customFields'])
      : {},
  };
}

export function toMessage(row: MessageRow): StoredMessage {
  return {
    cursor: row.cursor,
    convKey: row.conv_key,
    conversationType: row.conv_type === 'GROUP' ? 'GROUP' : 'C2C',
    to: row.target,
    from: row.sender,
    seq: row.seq,
    ID: row.msg_id,
    type: row.type,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    priority: row.priority,
    cloudCustomData: row.cloud_custom_data,
    clientTime: row.client_time,
    random: row.random,
    time: row.time,
    nick: row.nick,
    avatar: row.avatar,
    atUserList: JSON.parse(row.at_user_list) as string[],
    receiverList: JSON.parse(row.receivers) as string[],
    needReadReceipt: row.need_read_receipt === 1,
    isSupportExtension: row.support_extension === 1,
    excludedFromUnreadCount: row.excluded_unread === 1,
    excludedFromLastMessage: row.excluded_last === 1,
    isRevoked: row.revoked === 1,
    revoker: row.revoker,
    version: row.version,
    isModified: row.modified === 1,
    changeSeq: row.change_seq,
  };
}

/** The other side of a C2C key from `userID`'s view; the groupID of a group key. */
export function targetOf(convKey: string, userID: string): string {
  if (convKey.startsWith('group:')) return convKey.slice(6);
  const [a, b] = convKey.slice(4).split('|');
  return a === userID ? b : a;
}

export function toConversation(row: ConversationRow, userID: string): UserConversationRecord {
  return {
    convKey: row.conv_key,
    type: row.type === 'GROUP' ? 'GROUP' : 'C2C',
    target: targetOf(row.conv_key, userID),
    readSeq: row.read_seq,
    joinSeq: row.join_seq,
    visibleSeq: row.visible_seq,
    activityKey: row.activity_key,
    lastSeq: row.last_seq,
    lastCursor: row.last_cursor,
    unreadCount: row.unread,
    groupType: (row.group_type as GroupType | null) ?? null,
    remindType: row.remind_type ?? 'AcceptAndNotify',
  };
}

export function toGroup(row: GroupRow): GroupRecord {
  return {
    groupID: row.group_id,
    type: row.type as GroupType,
    name: row.name,
    introduction: row.introduction,
    notification: row.notification,
    avatar: row.avatar,
    ownerID: row.owner_id,
    createTime: row.create_time,
    infoSequence: row.info_seq,
    lastInfoTime: row.last_info_time,
    maxMemberCount: row.max_member,
    joinOption: row.join_option as JoinOption,
    muteAllMembers: row.mute_all === 1,
    memberCount: row.member_count,
    lastSeq: row.last_seq,
    isSupportTopic: row.support_topic === 1,
  };
}

function parseFields(json: string | undefined): Record<string, string> {
  if (!json) return {};
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function toMember(row: MemberRow): MemberRecord {
  return {
    userID: row.user_id,
    role: row.role as MemberRole,
    joinTime: row.join_time,
    nameCard: row.name_card,
    muteUntil: row.mute_until,
    customFields: parseFields(row.custom_fields),
    readSeq: row.read_seq ?? 0,
    visibleSeq: row.visible_seq ?? 0,
  };
}

// Relationship rows (friends, friend applications) of either store.

export interface FriendRow {
  user_id: string;
  friend_id: string;
  remark: string;
  source: string;
  wording: string;
  custom: string;
  added_at: number;
}

export interface ApplicationRow {
  from_id: string;
  to_id: string;
  source: string;
  wording: string;
  remark: string;
  group_name: string;
  add_type: string;
  time: number;
  read: number;
  hidden_from: number;
  hidden_to: number;
}

export const toFriend = (r: FriendRow): FriendRecord => ({
  userID: r.user_id,
  friendID: r.friend_id,
  remark: r.remark,
  source: r.source,
  wording: r.wording,
  custom: JSON.parse(r.custom) as FriendRecord['custom'],
  addedAt: r.added_at,
});

export const toApplication = (r: ApplicationRow): FriendApplicationRecord => ({
  from: r.from_id,
  to: r.to_id,
  source: r.source,
  wording: r.wording,
  remark: r.remark,
  groupName: r.group_name,
  addType: r.add_type,
  time: r.time,
  read: r.read === 1,
  hiddenFrom: r.hidden_from === 1,
  hiddenTo: r.hidden_to === 1,
});

// Community topics.

export interface TopicRow {
  topic_id: string;
  group_id: string;
  name: string;
  avatar: string;
  introduction: string;
  notification: string;
  custom_data: string;
  mute_all: number;
  create_time: number;
}

export const toTopic = (r: TopicRow): TopicRecord => ({
  topicID: r.topic_id,
  groupID: r.group_id,
  topicName: r.name,
  avatar: r.avatar,
  introduction: r.introduction,
  notification: r.notification,
  customData: r.custom_data,
  muteAllMembers: r.mute_all === 1,
  createTime: r.create_time,
});

/**
 * The values of a new message's columns from `msg_id` to `excluded_last`, in the column order of
 * both stores' inserts (sqlite.ts, pg.ts).
 */
export function newMessageValues(message: NewMessage): unknown[] {
  return [
    message.ID,
    message.from,
    message.conversationType,
    message.to,
    message.type,
    JSON.stringify(message.payload),
    message.priority,
    message.cloudCustomData,
    message.clientTime,
    message.random,
    message.time,
    message.nick,
    message.avatar,
    JSON.stringify(message.atUserList),
    JSON.stringify(message.receiverList),
    message.receiverList.length > 0 ? 1 : 0,
    message.needReadReceipt ? 1 : 0,
    message.isSupportExtension ? 1 : 0,
    message.excludedFromUnreadCount ? 1 : 0,
    message.excludedFromLastMessage ? 1 : 0,
  ];
}

/** A system_notices row (group system notices, schema version 6). */
export interface NoticeRow {
  user_id: string;
  change_seq: number;
  msg_id: string;
  payload: string;
  time: number;
}

export const NOTICE_COLUMNS = 'user_id, change_seq, msg_id, payload, time';

export function toNotice(row: NoticeRow): SystemNoticeRecord {
  return {
    userID: row.user_id,
    changeSeq: row.change_seq,
    ID: row.msg_id,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    time: row.time,
  };
}
