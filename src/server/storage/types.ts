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
  /** Profile custom fields (`Tag_Profile_Custom_*` -> value). */
  customFields: Record<string, string | number>;
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
    | 'customFields'
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
  /** Group @-mentions: userIDs and/or TYPES.MSG_AT_ALL. */
  atUserList: string[];
  /** Targeted group message: only these members (and the sender) see it; empty: everyone. */
  receiverList: string[];
  needReadReceipt: boolean;
  isSupportExtension: boolean;
  excludedFromUnreadCount: boolean;
  excludedFromLastMessage: boolean;
  /** Recall tombstone: payload and cloudCustomData are emptied. */
  isRevoked: boolean;
  revoker: string;
  /** modifyMessage compare-and-swap counter. */
  version: number;
  isModified: boolean;
  /** Position in the change stream of its last recall or modification; 0: never changed. */
  changeSeq: number;
}

export type NewMessage = Omit<
  StoredMessage,
  'cursor' | 'seq' | 'isRevoked' | 'revoker' | 'version' | 'isModified' | 'changeSeq'
> & {
  /** A merged-forward list stored apart (its key is already in payload.downloadKey). */
  merger?: { downloadKey: string; messageList: string };
};

/** A group system notice (TIMGroupSystemNoticeElem) as stored for one recipient. */
export interface NewSystemNotice {
  ID: string;
  payload: Record<string, unknown>;
  /** Seconds. */
  time: number;
}
export interface SystemNoticeRecord extends NewSystemNotice {
  userID: string;
  /** Its position in the change stream. */
  changeSeq: number;
}

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
  /** Messages with seq > max(readSeq, joinSeq, visibleSeq) the user counts (see sqlite.ts). */
  unreadCount: number;
  groupType: GroupType | null;
  /** 'AcceptAndNotify' unless set with setMessageRemindType. */
  remindType: string;
}

/** A user's setting for one conversation (exists without a conversation row for C2C). */
export interface ConversationSettings {
  remindType: string;
  /** The global cursor when Discard was set. */
  remindCursor: number;
}

/** An unread @ of the user (or @all) in a group conversation. */
export interface MentionRecord {
  ID: string;
  seq: number;
  atMe: boolean;
  atAll: boolean;
}

/** How `markRead` moved the read sequence. */
export interface MarkReadResult {
  readSeq: number;
  previous: number;
}

export interface ExtensionRecord {
  key: string;
  value: string;
  /** Per-message sequence of the last change of this key. */
  seq: number;
}

export interface ExtensionWrite {
  key: string;
  /** null deletes the key. */
  value: string | null;
}

export interface ExtensionWriteResult {
  /** Keys written (value '' for deletions), in request order. */
  applied: ExtensionRecord[];
  /** Keys refused because of a concurrent write by someone else: their current state. */
  conflicts: ExtensionRecord[];
  /** The message would exceed `maxKeys`: nothing was written. */
  overLimit: boolean;
}

export interface ReactionRow {
  /** Orders reactions (first reaction first) and pages user lists. */
  id: number;
  reactionID: string;
  userID: string;
}

export type MediaKind = 'image' | 'file' | 'audio' | 'video';

export interface MediaRecord {
  uuid: string;
  app: number;
  owner: string;
  kind: MediaKind;
  size: number;
  /** Original file name as uploaded. */
  name: string;
  contentType: string;
  /** File names under `<uuid>/` in the MediaStore; the first is the original. */
  files: string[];
  /** Origin (scheme://host[:port]) of the URLs handed out at upload time. */
  origin: string;
  /** The UploadResult answered to the uploader. */
  info: Record<string, unknown>;
  createdAt: number;
}

export interface ReceiveOpt {
  messageRemindType: string;
  startHour: number;
  startMinute: number;
  startSecond: number;
  duration: number;
  isRepeated: boolean;
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
  /** A Community with topics (createGroup isSupportTopic). */
  isSupportTopic: boolean;
}

export interface MemberRecord {
  userID: string;
  role: MemberRole;
  joinTime: number;
  nameCard: string;
  muteUntil: number;
  /** setGroupMemberCustomField: key -> value. */
  customFields: Record<string, string>;
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
  /** Applies the viewer's rules: targeted messages of others and messages deleted for them are left out. */
  viewer: string;
  /** Only messages with seq < beforeSeq (exclusive); omit for the newest. */
  beforeSeq?: number;
  /** Only messages with seq > afterSeq. */
  afterSeq: number;
  limit: number;
}

// [issue 4: conversations]
/** A user's own settings of one conversation (conversation_state and conversation groups). */
export interface ConversationStateRecord {
  convKey: string;
  pinned: boolean;
  /** Marks without HIDE. */
  marks: number[];
  customData: string;
  draft: string;
  /** Hidden (HIDE mark) while the conversation's last cursor is <= this; -1: not hidden. */
  hiddenCursor: number;
  /** Deleted from the list while the conversation's last cursor is <= this; -1: not deleted. */
  deletedCursor: number;
  groups: string[];
}

export interface ConversationStatePatch {
  pinned?: boolean;
  customData?: string;
  draft?: string;
  /** Set or clear one mark bit (HIDE also hides the conversation until its next message). */
  mark?: { markType: number; enable: boolean };
}

export type ConversationGroupOp =
  | { op: 'create'; name: string; convKeys: string[] }
  | { op: 'delete'; name: string }
  | { op: 'rename'; name: string; newName: string }
  | { op: 'add'; name: string; convKeys: string[] }
  | { op: 'remove'; name: string; convKeys: string[] };

export type ConversationGroupResult = 'ok' | 'missing' | 'exists' | 'full' | 'markLimit';

// [issue 5: groups]
/** updateGroupProfile's fields (each optional). */
export interface GroupPatch {
  name?: string;
  introduction?: string;
  notification?: string;
  avatar?: string;
  maxMemberCount?: number;
  joinOption?: JoinOption;
  muteAllMembers?: boolean;
}

/** setGroupMemberRole / MuteTime / NameCard. */
export interface MemberPatch {
  role?: MemberRole;
  muteUntil?: number;
  nameCard?: string;
  /** Stored as a JSON object. */
  customFields?: Record<string, string>;
}

export interface GroupApplicationRecord {
  groupID: string;
  userID: string;
  message: string;
  time: number;
  status: 'pending' | 'Agree' | 'Reject';
}

export interface TopicRecord {
  topicID: string;
  groupID: string;
  topicName: string;
  avatar: string;
  introduction: string;
  notification: string;
  customData: string;
  muteAllMembers: boolean;
  createTime: number;
}

export type TopicPatch = Partial<
  Pick<
    TopicRecord,
    'topicName' | 'avatar' | 'introduction' | 'notification' | 'customData' | 'muteAllMembers'
  >
>;

/** A key-value map change computed inside the storage transaction; throw to refuse. */
export type MapChange = (current: Record<string, string>) => Record<string, string>;

// [issue 6: users and relationships]
export interface FriendRecord {
  userID: string;
  friendID: string;
  remark: string;
  source: string;
  wording: string;
  custom: Record<string, string | number>;
  addedAt: number;
}

/** One direction of a friendship to create: `userID` gets `friendID` in their list. */
export interface NewFriend {
  userID: string;
  friendID: string;
  remark: string;
  source: string;
  wording: string;
  /** A friend group of `userID` to put the friend in (created if missing); '' for none. */
  groupName: string;
}

export interface FriendApplicationRecord {
  from: string;
  to: string;
  source: string;
  wording: string;
  remark: string;
  groupName: string;
  addType: string;
  time: number;
  read: boolean;
  hiddenFrom: boolean;
  hiddenTo: boolean;
}

export interface FriendGroupRecord {
  name: string;
  userIDList: string[];
}

export interface UserStatusRecord {
  customStatus: string;
  loggedOut: boolean;
}

/**
 * The relationship chain and user status (sqlite-relations.ts). Every method that writes several
 * rows does it in one transaction.
 */
export interface RelationStorage {
  friendsOf(app: number, userID: string, friendIDs?: string[]): Promise<FriendRecord[]>;
  /** Users that have `userID` in their friend list. */
  friendedBy(app: number, userID: string): Promise<string[]>;
  friendCount(app: number, userID: string): Promise<number>;
  /** Creates the directions and deletes any application between the two users. */
  addFriends(app: number, friends: NewFriend[], now: number): Promise<void>;
  /** Deletes the directions (and the friend-group memberships of those directions). */
  deleteFriends(app: number, pairs: { userID: string; friendID: string }[]): Promise<void>;
  updateFriend(
    app: number,
    userID: string,
    friendID: string,
    remark: string | undefined,
    custom: Record<string, string | number> | undefined,
  ): Promise<void>;

  applicationsOf(app: number, userID: string): Promise<FriendApplicationRecord[]>;
  getApplication(app: number, from: string, to: string): Promise<FriendApplicationRecord | null>;
  saveApplication(
    app: number,
    a: Omit<FriendApplicationRecord, 'read' | 'hiddenFrom' | 'hiddenTo'>,
  ): Promise<void>;
  deleteApplication(app: number, from: string, to: string): Promise<void>;
  /** Hides it from one side's list; the row goes when both sides hid it. */
  hideApplication(app: number, from: string, to: string, side: 'from' | 'to'): Promise<void>;
  markApplicationsRead(app: number, to: string): Promise<void>;

  friendGroupsOf(app: number, userID: string): Promise<FriendGroupRecord[]>;
  createFriendGroup(
    app: number,
    userID: string,
    name: string,
    members: string[],
    now: number,
  ): Promise<void>;
  deleteFriendGroup(app: number, userID: string, name: string): Promise<void>;
  renameFriendGroup(app: number, userID: string, oldName: string, newName: string): Promise<void>;
  setFriendGroupMembers(
    app: number,
    userID: string,
    name: string,
    friendIDs: string[],
    add: boolean,
  ): Promise<void>;

  blacklistOf(app: number, userID: string): Promise<string[]>;
  /** Whether `userID` blocked `otherID`. */
  isBlocked(app: number, userID: string, otherID: string): Promise<boolean>;
  /** Blocks, ends both friendship directions and any application between the two. */
  block(app: number, userID: string, blockedIDs: string[], now: number): Promise<void>;
  unblock(app: number, userID: string, blockedIDs: string[]): Promise<void>;

  follow(app: number, follower: string, followees: string[], now: number): Promise<void>;
  unfollow(app: number, follower: string, followees: string[]): Promise<void>;
  followingCount(app: number, userID: string): Promise<number>;
  /** Who of `others` `userID` follows, and who of them follows `userID`. */
  followRelations(
    app: number,
    userID: string,
    others: string[],
  ): Promise<{ following: Set<string>; followers: Set<string> }>;
  followList(
    app: number,
    userID: string,
    list: 'followers' | 'following' | 'mutual',
    offset: number,
    limit: number,
  ): Promise<string[]>;
  followCounts(
    app: number,
    userID: string,
  ): Promise<{ followersCount: number; followingCount: number; mutualFollowersCount: number }>;

  getStatus(app: number, userIDs: string[]): Promise<Map<string, UserStatusRecord>>;
  setCustomStatus(app: number, userID: string, customStatus: string): Promise<void>;
  /** Records how the user's last instance ended; clears the custom status. */
  setSignedOff(app: number, userID: string, loggedOut: boolean): Promise<void>;
  /** Marks the user as having logged in (not logged out). */
  setSignedOn(app: number, userID: string): Promise<void>;
  /** Adds subscriptions (re-subscribing moves one to the newest); evicts the oldest past `max`. */
  subscribe(app: number, userID: string, targets: string[], max: number): Promise<void>;
  /** Empty `targets`: all. */
  unsubscribe(app: number, userID: string, targets: string[]): Promise<void>;
  subscriptionsOf(app: number, userID: string): Promise<string[]>;
  subscribersOf(app: number, targetID: string): Promise<string[]>;
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
  /** Any message of the conversation by ID, whoever may see it. */
  findMessage(app: number, convKey: string, ID: string): Promise<StoredMessage | null>;
  /** Messages by ID visible to `viewer` (seq > afterSeq, targeting, not deleted for them), seq order. */
  findMessagesFor(
    app: number,
    convKey: string,
    IDs: string[],
    viewer: string,
    afterSeq: number,
  ): Promise<StoredMessage[]>;
  /**
   * Up to `limit` messages visible to `viewer` from an anchor (seq or time), inclusive; direction 0:
   * at or before the anchor, newest first; 1: at or after it, oldest first.
   */
  getHopping(
    app: number,
    query: {
      convKey: string;
      viewer: string;
      afterSeq: number;
      anchor: { seq: number } | { time: number };
      direction: 0 | 1;
      limit: number;
    },
  ): Promise<StoredMessage[]>;
  /** The newest message that is `userID`'s lastMessage of the conversation (see sqlite.ts), or null. */
  lastMessageFor(app: number, userID: string, convKey: string): Promise<StoredMessage | null>;
  /** Unread @ of the user in a group conversation, oldest first. */
  mentionsFor(app: number, userID: string, convKey: string): Promise<MentionRecord[]>;
  getMergerList(
    app: number,
    downloadKey: string,
  ): Promise<{ convKey: string; messageList: string } | null>;
  /** Recall tombstone; also drops the message's extensions, reactions, pin and stored merger list. */
  revokeMessage(
    app: number,
    cursor: number,
    revoker: string,
  ): Promise<{ message: StoredMessage; unpinned: boolean } | null>;
  /** Compare-and-swap on version; `ok: false` carries the current message. */
  modifyMessage(
    app: number,
    cursor: number,
    expectedVersion: number,
    patch: { payload?: Record<string, unknown>; cloudCustomData?: string },
  ): Promise<{ ok: boolean; message: StoredMessage } | null>;
  /** Delete for me. */
  deleteMessagesFor(app: number, userID: string, cursors: number[]): Promise<void>;
  /** Hides the conversation's messages so far for the user; false when the user has no such row. */
  clearHistory(app: number, userID: string, convKey: string): Promise<boolean>;
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
  /**
   * Messages recalled or modified after `changeCursor` that the user sees (as syncMessages would
   * deliver them), in change order, each in its current state.
   */
  syncChanges(
    app: number,
    userID: string,
    changeCursor: number,
    limit: number,
  ): Promise<StoredMessage[]>;
  /** The newest change cursor (0 before the first recall or modification). */
  latestChangeCursor(): Promise<number>;
  /** Stores one group system notice for each of `userIDs`, as one change; answers its cursor. */
  addSystemNotice(app: number, userIDs: string[], notice: NewSystemNotice): Promise<number>;
  /** The user's notices after `changeCursor`, oldest first. */
  syncSystemNotices(
    app: number,
    userID: string,
    changeCursor: number,
    limit: number,
  ): Promise<SystemNoticeRecord[]>;
  /** The user's notices before change cursor `beforeSeq` (all when omitted), newest first. */
  systemNoticeHistory(
    app: number,
    userID: string,
    beforeSeq: number | undefined,
    limit: number,
  ): Promise<SystemNoticeRecord[]>;
  /** One of the user's notices by message ID. */
  findSystemNotice(app: number, userID: string, ID: string): Promise<SystemNoticeRecord | null>;

  // conversations
  listConversations(app: number, userID: string): Promise<UserConversationRecord[]>;
  /**
   * One conversation of the user. `unread: false` skips counting the unread messages (`unread` is
   * then 0): the count scans every unread message, which access checks and history pages do not
   * need.
   */
  getConversation(
    app: number,
    userID: string,
    convKey: string,
    options?: { unread?: boolean },
  ): Promise<UserConversationRecord | null>;
  /** Sets read_seq to the conversation's last seq; null when the user has no such conversation. */
  markRead(app: number, userID: string, convKey: string): Promise<MarkReadResult | null>;
  getConversationSettings(
    app: number,
    userID: string,
    convKey: string,
  ): Promise<ConversationSettings | null>;
  /** Creates the conversation (not the user's row) when needed. */
  setRemindType(
    app: number,
    userID: string,
    convKey: string,
    convType: 'C2C' | 'GROUP',
    remindType: string,
    now: number,
  ): Promise<void>;
  /** Users among `userIDs` who set Discard for the conversation. */
  discardingUsers(app: number, convKey: string, userIDs: string[]): Promise<Set<string>>;
  getReceiveOpt(app: number, userID: string): Promise<ReceiveOpt>;
  setReceiveOpt(app: number, userID: string, opt: ReceiveOpt): Promise<void>;

  // read receipts
  /** Records reads; returns the cursors that were not read by the user before. */
  addReads(app: number, reader: string, cursors: number[], now: number): Promise<number[]>;
  /**
   * Read / unread counts of a message over its audience: the C2C peer, or the current group members
   * (the receivers of a targeted message) minus the sender.
   */
  receiptStats(
    app: number,
    message: StoredMessage,
  ): Promise<{ readCount: number; unreadCount: number }>;
  /** A page of the audience that read (filter 0) or did not read (1) it, by userID after `after`. */
  receiptMembers(
    app: number,
    message: StoredMessage,
    filter: 0 | 1,
    after: string,
    limit: number,
  ): Promise<string[]>;

  // extensions
  getExtensions(cursor: number): Promise<ExtensionRecord[]>;
  /**
   * In one transaction: each write succeeds unless the key was last changed by another user at or
   * after `conflictSinceMs`, or the same key came earlier in this call (then it is a conflict).
   */
  writeExtensions(
    cursor: number,
    writes: ExtensionWrite[],
    actor: string,
    nowMs: number,
    conflictSinceMs: number,
    maxKeys: number,
  ): Promise<ExtensionWriteResult>;

  // reactions
  addReaction(
    cursor: number,
    reactionID: string,
    userID: string,
    now: number,
    maxDistinct: number,
  ): Promise<'added' | 'already' | 'limit'>;
  removeReaction(cursor: number, reactionID: string, userID: string): Promise<boolean>;
  /** Every reaction of the messages, in reaction order. */
  listReactions(cursors: number[]): Promise<Map<number, ReactionRow[]>>;
  reactionUsers(
    cursor: number,
    reactionID: string,
    afterID: number,
    limit: number,
  ): Promise<ReactionRow[]>;

  // pins
  pinMessage(
    app: number,
    groupID: string,
    cursor: number,
    by: string,
    now: number,
    max: number,
  ): Promise<'pinned' | 'already' | 'limit'>;
  unpinMessage(app: number, groupID: string, cursor: number): Promise<boolean>;
  /** Pinned messages of the group, most recently pinned first. */
  pinnedMessages(app: number, groupID: string): Promise<StoredMessage[]>;

  // media
  saveMedia(record: MediaRecord): Promise<void>;
  getMedia(uuid: string): Promise<MediaRecord | null>;

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

  // [issue 4: conversations]
  /** The user's settings of every conversation that has any. */
  listConversationStates(app: number, userID: string): Promise<ConversationStateRecord[]>;
  getConversationState(
    app: number,
    userID: string,
    convKey: string,
  ): Promise<ConversationStateRecord | null>;
  /**
   * Applies one patch to each conversation, all or nothing; 'markLimit' (nothing written) when more
   * than `maxMarked` conversations would carry a mark or a conversation group.
   */
  patchConversationStates(
    app: number,
    userID: string,
    convKeys: string[],
    patch: ConversationStatePatch,
    maxMarked: number,
    now: number,
  ): Promise<'ok' | 'markLimit'>;
  /**
   * Deletes conversations from the user's list in one transaction: marks them read, drops their
   * settings and group memberships, clears their history for the user when asked.
   */
  deleteConversationsFor(
    app: number,
    userID: string,
    convKeys: string[],
    clearHistory: boolean,
    now: number,
  ): Promise<void>;
  conversationGroupNames(app: number, userID: string): Promise<string[]>;
  /** One change of the user's conversation groups, in one transaction. */
  changeConversationGroups(
    app: number,
    userID: string,
    change: ConversationGroupOp,
    limits: { maxGroups: number; maxMarked: number },
    now: number,
  ): Promise<ConversationGroupResult>;

  // [issue 5: groups]
  /** Applies the patch, bumps infoSequence and lastInfoTime; null when the group is gone. */
  updateGroup(
    app: number,
    groupID: string,
    patch: GroupPatch,
    now: number,
  ): Promise<GroupRecord | null>;
  /** false when the user is not a member. */
  updateMember(app: number, groupID: string, userID: string, patch: MemberPatch): Promise<boolean>;
  /** In one transaction: `to` becomes Owner, `from` a Member; false unless both are members. */
  transferOwner(app: number, groupID: string, from: string, to: string): Promise<boolean>;
  /** Deletes the group, its members and their conversation rows; answers the former members. */
  dismissGroup(app: number, groupID: string): Promise<string[]>;
  getGroupApplication(
    app: number,
    groupID: string,
    userID: string,
  ): Promise<GroupApplicationRecord | null>;
  /** Pending applications to groups where `userID` is owner or admin, oldest first. */
  pendingApplicationsFor(app: number, userID: string): Promise<GroupApplicationRecord[]>;
  /** First handler wins: false when the application is no longer pending. */
  resolveGroupApplication(
    app: number,
    groupID: string,
    userID: string,
    status: 'Agree' | 'Reject',
  ): Promise<boolean>;
  getGroupAttributes(app: number, groupID: string): Promise<Record<string, string>>;
  /** Replaces the attribute map by `change(current)` inside one transaction; answers the new map. */
  changeGroupAttributes(
    app: number,
    groupID: string,
    change: MapChange,
  ): Promise<Record<string, string>>;
  getGroupCounters(app: number, groupID: string): Promise<Record<string, string>>;
  setSupportTopic(app: number, groupID: string): Promise<void>;
  /** AVChatRoom: the user may not join again before `until` (seconds). */
  banMember(app: number, groupID: string, userID: string, until: number): Promise<void>;
  /** 0 when not banned. */
  bannedUntil(app: number, groupID: string, userID: string): Promise<number>;
  /** false when the topicID is taken, or the community already has `max` topics. */
  createTopic(app: number, topic: TopicRecord, max: number): Promise<'created' | 'taken' | 'limit'>;
  /** Every topic of the community, by creation. */
  listTopics(app: number, groupID: string): Promise<TopicRecord[]>;
  updateTopic(
    app: number,
    groupID: string,
    topicID: string,
    patch: TopicPatch,
  ): Promise<TopicRecord | null>;
  deleteTopic(app: number, groupID: string, topicID: string): Promise<boolean>;
  /** Same as changeGroupAttributes, for counters (values are decimal int64 strings). */
  changeGroupCounters(
    app: number,
    groupID: string,
    change: MapChange,
  ): Promise<Record<string, string>>;

  // [issue 6: users and relationships]
  readonly relations: RelationStorage;

  close(): Promise<void>;
}

export function c2cKey(a: string, b: string): string {
  return a <= b ? `c2c:${a}|${b}` : `c2c:${b}|${a}`;
}

export function groupKey(groupID: string): string {
  return `group:${groupID}`;
}
