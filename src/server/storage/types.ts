/**
 * Storage interface. Every method is async so that a PostgreSQL implementation can sit behind the
 * same interface; the SQLite implementation (sqlite.ts) answers synchronously inside.
 *
 * Conversations are identified by a canonical key: `c2c:<a>|<b>` (the sorted user pair) or
 * `group:<groupID>`. Every record is scoped by the app (SDKAppID).
 */
import type {
  ConversationType,
  GroupType,
  JoinOption,
  MemberRole,
} from '../../protocol/constants.js';

export interface AppRecord {
  SDKAppID: number;
  secretKey: string;
  maxInstances: number;
  isDefault: boolean;
  createdAt: number;
}

export interface UserRecord {
  userID: string;
  tinyID: number;
  nick: string;
  avatar: string;
  gender: string;
  selfSignature: string;
  allowType: string;
  birthday: number;
  location: string;
  language: number;
  messageSettings: number;
  adminForbidType: string;
  level: number;
  role: number;
  createdAt: number;
  updatedAt: number;
}

export type ProfilePatch = Partial<
  Pick<
    UserRecord,
    | 'nick'
    | 'avatar'
    | 'gender'
    | 'selfSignature'
    | 'allowType'
    | 'birthday'
    | 'location'
    | 'language'
    | 'messageSettings'
    | 'level'
    | 'role'
  >
>;

export interface StoredMessage {
  /** Global, monotonically increasing; the sync position. */
  cursor: number;
  convKey: string;
  conversationType: Exclude<ConversationType, '@TIM#SYSTEM'>;
  /** userID (C2C receiver) or groupID. */
  to: string;
  from: string;
  /** Per-conversation, strictly increasing. */
  seq: number;
  ID: string;
  type: string;
  payload: Record<string, unknown>;
  priority: string;
  cloudCustomData: string;
  clientTime: number;
  random: number;
  /** Server time, seconds. */
  time: number;
  /** Sender profile at send time. */
  nick: string;
  avatar: string;
}

export type NewMessage = Omit<StoredMessage, 'cursor' | 'seq'>;

export interface AppendResult {
  message: StoredMessage;
  /** true when (sender, ID) was already stored: nothing was written. */
  duplicate: boolean;
}

/** One row of a user's conversation list, with the numbers the services need. */
export interface UserConversationRecord {
  convKey: string;
  type: 'C2C' | 'GROUP';
  /** C2C: the peer (the user itself for a self chat); GROUP: the groupID. */
  target: string;
  readSeq: number;
  /** Messages with seq <= joinSeq are not synced nor counted unread. */
  joinSeq: number;
  /** Messages with seq <= visibleSeq are hidden from history. */
  visibleSeq: number;
  activityKey: number;
  lastSeq: number;
  lastCursor: number;
  /** Messages with seq > max(readSeq, joinSeq) not sent by the user. */
  unreadCount: number;
  groupType: GroupType | null;
}

export interface GroupRecord {
  groupID: string;
  type: GroupType;
  name: string;
  introduction: string;
  notification: string;
  avatar: string;
  /** '' when the owner left (Work groups). */
  ownerID: string;
  createTime: number;
  infoSequence: number;
  lastInfoTime: number;
  maxMemberCount: number;
  joinOption: JoinOption;
  muteAllMembers: boolean;
  memberCount: number;
  lastSeq: number;
}

export interface MemberRecord {
  userID: string;
  role: MemberRole;
  joinTime: number;
  nameCard: string;
  muteUntil: number;
  /** From the member's conversation row. */
  readSeq: number;
  visibleSeq: number;
}

export interface MemberWithProfile extends MemberRecord {
  nick: string;
  avatar: string;
}

export interface NewGroup {
  groupID: string;
  type: GroupType;
  name: string;
  introduction: string;
  notification: string;
  avatar: string;
  ownerID: string;
  maxMemberCount: number;
  joinOption: JoinOption;
  createTime: number;
  members: { userID: string; role: MemberRole }[];
}

export type AddMemberResult = 'added' | 'already' | 'full' | 'missing';

export interface HistoryQuery {
  convKey: string;
  /** Only messages with seq < beforeSeq (exclusive); omit for the newest. */
  beforeSeq?: number;
  /** Only messages with seq > afterSeq. */
  afterSeq: number;
  limit: number;
}

export interface Storage {
  // apps
  getApp(SDKAppID: number): Promise<AppRecord | null>;
  getDefaultApp(): Promise<AppRecord | null>;
  /** Inserts the app; makes it the default when no default exists yet. */
  createApp(app: Omit<AppRecord, 'isDefault'>): Promise<void>;

  // users
  /** Registers the user on first login; returns the stored record either way. */
  ensureUser(app: number, userID: string, now: number): Promise<UserRecord>;
  getUser(app: number, userID: string): Promise<UserRecord | null>;
  /** Known users among the IDs, in no particular order; unknown ones are left out. */
  getUsers(app: number, userIDs: string[]): Promise<UserRecord[]>;
  updateUser(
    app: number,
    userID: string,
    patch: ProfilePatch,
    now: number,
  ): Promise<UserRecord | null>;

  // messages
  /**
   * In one transaction: return the stored message if (from, ID) exists; else allocate the next seq
   * of the conversation, insert the message, advance the conversation, and (C2C) make sure both
   * participants have a conversation row.
   */
  appendMessage(app: number, message: NewMessage, participants: string[]): Promise<AppendResult>;
  /** Newest first. */
  getHistory(app: number, query: HistoryQuery): Promise<StoredMessage[]>;
  findMessage(app: number, convKey: string, ID: string): Promise<StoredMessage | null>;
  getMessageBySeq(app: number, convKey: string, seq: number): Promise<StoredMessage | null>;
  /** Messages after `cursor` in the user's conversations (seq > joinSeq), cursor order. */
  syncMessages(
    app: number,
    userID: string,
    cursor: number,
    limit: number,
  ): Promise<StoredMessage[]>;
  /** Newest cursor among the user's conversations (0 for none). */
  latestCursor(app: number, userID: string): Promise<number>;

  // conversations
  listConversations(app: number, userID: string): Promise<UserConversationRecord[]>;
  getConversation(
    app: number,
    userID: string,
    convKey: string,
  ): Promise<UserConversationRecord | null>;
  /** Sets read_seq to the conversation's last seq; null when the user has no such conversation. */
  markRead(app: number, userID: string, convKey: string): Promise<number | null>;

  // groups
  /** false when the groupID is taken. */
  createGroup(app: number, group: NewGroup): Promise<boolean>;
  getGroup(app: number, groupID: string): Promise<GroupRecord | null>;
  getMember(app: number, groupID: string, userID: string): Promise<MemberRecord | null>;
  /** Members in join order. */
  listMembers(
    app: number,
    groupID: string,
    offset: number,
    limit: number,
  ): Promise<MemberWithProfile[]>;
  /** Every member (for fan-out). */
  allMembers(app: number, groupID: string): Promise<MemberRecord[]>;
  /**
   * Adds a member inside a transaction that checks existence and capacity. `seeHistory` lets the
   * member read messages from before the join (Meeting).
   */
  addMember(
    app: number,
    groupID: string,
    userID: string,
    role: MemberRole,
    now: number,
    seeHistory: boolean,
  ): Promise<AddMemberResult>;
  /** Removes the member and its conversation row; clears the owner when the owner leaves. */
  removeMember(app: number, groupID: string, userID: string): Promise<boolean>;
  /** Groups the user belongs to, with the user's membership. */
  listUserGroups(
    app: number,
    userID: string,
  ): Promise<{ group: GroupRecord; member: MemberRecord }[]>;
  saveGroupApplication(
    app: number,
    groupID: string,
    userID: string,
    message: string,
    now: number,
  ): Promise<void>;

  close(): Promise<void>;
}

export function c2cKey(a: string, b: string): string {
  return a <= b ? `c2c:${a}|${b}` : `c2c:${b}|${a}`;
}

export function groupKey(groupID: string): string {
  return `group:${groupID}`;
}
