/**
 * The public client interface: the names and result shapes of the `@tencentcloud/chat` Web SDK
 * (`ChatSDK` in its index.d.ts). `IMChat.create()` returns one of these; the elements consume one
 * through @lit/context, so anything implementing it (a test double included) can drive them.
 */
import type { ConversationType, MessagePriority, NetState } from '../protocol/constants.js';
import type {
  Conversation,
  Group,
  GroupMember,
  IMResponse,
  Message,
  MessageExtension,
  Reaction,
  Profile,
  Topic,
  // [issue 6: users and relationships]
  FollowInfo,
  FollowListPage,
  Friend,
  FriendApplicationList,
  FriendGroup,
  RelationFailure,
  UserStatus,
} from '../protocol/types.js';
import type { GroupApplication } from '../protocol/wire.js';

export interface CreateOptions {
  SDKAppID: number;
  /** Base URL of the IM server; defaults to the origin the script was loaded from. */
  server?: string;
}

export interface IMEvent<T = any> {
  name: string;
  data: T;
}
export type IMEventHandler<T = any> = (event: IMEvent<T>) => void;

export interface CreateTextMessageOptions {
  to: string;
  conversationType: ConversationType;
  payload: { text: string };
  priority?: MessagePriority;
  cloudCustomData?: string;
  needReadReceipt?: boolean;
}

/** Options of every `create*Message` (Tencent's MESSAGE_OPTIONS). */
export interface MessageOptions<P = any> {
  to: string;
  conversationType: ConversationType;
  payload: P;
  priority?: MessagePriority;
  cloudCustomData?: string;
  needReadReceipt?: boolean;
  /** Targeted group message receivers (<= 50). */
  receiverList?: string[];
  isSupportExtension?: boolean;
  /** Upload progress of image/file/audio/video messages: a number from 0 to 1, as Tencent's. */
  onProgress?: (percent: number) => void;
}

/** `payload.file` of media messages: a File/Blob, or an `<input type=file>` (its first file). */
export type FileSource = Blob | HTMLInputElement | { files: FileList | Blob[] };

export interface SendMessageOptions {
  onlineUserOnly?: boolean;
  messageControlInfo?: { excludedFromUnreadCount?: boolean; excludedFromLastMessage?: boolean };
}

export interface GetMessageListOptions {
  conversationID: string;
  nextReqMessageID?: string;
  count?: number;
}

export interface CreateGroupOptions {
  name: string;
  type?: string;
  groupID?: string;
  introduction?: string;
  notification?: string;
  avatar?: string;
  maxMemberNum?: number;
  joinOption?: string;
  memberList?: { userID: string; role?: 'Admin' | 'Member' }[];
  /** Community only: a community with topics. */
  isSupportTopic?: boolean;
}

export interface UpdateGroupProfileOptions {
  groupID: string;
  name?: string;
  introduction?: string;
  notification?: string;
  avatar?: string;
  maxMemberNum?: number;
  joinOption?: string;
  muteAllMembers?: boolean;
}

export interface UpdateMyProfileOptions {
  nick?: string;
  avatar?: string;
  gender?: string;
  selfSignature?: string;
  allowType?: string;
  birthday?: number;
  location?: string;
  language?: number;
  messageSettings?: number;
  level?: number;
  role?: number;
  /** `Tag_Profile_Custom_*` keys; merged into the stored ones. */
  profileCustomField?: { key: string; value: string | number }[];
}

export interface ChatClient {
  readonly SDKAppID: number;
  readonly server: string;

  login(options: {
    userID: string;
    userSig: string;
  }): Promise<IMResponse<{ repeatLogin: boolean }>>;
  logout(): Promise<IMResponse<Record<string, never>>>;
  /** Detach this tab from the shared engine; other tabs stay logged in. */
  destroy(): Promise<void>;
  on(eventName: string, handler: IMEventHandler, context?: unknown): void;
  off(eventName: string, handler: IMEventHandler, context?: unknown): void;
  isReady(): boolean;
  getLoginUser(): string;
  getNetState(): NetState;
  getServerTime(): number;

  createTextMessage(options: CreateTextMessageOptions): Message;
  sendMessage(
    message: Message,
    options?: Record<string, unknown>,
  ): Promise<IMResponse<{ message: Message }>>;
  getMessageList(
    options: GetMessageListOptions,
  ): Promise<
    IMResponse<{ messageList: Message[]; nextReqMessageID: string; isCompleted: boolean }>
  >;

  createTextAtMessage(options: MessageOptions<{ text: string; atUserList: string[] }>): Message;
  createCustomMessage(
    options: MessageOptions<{ data: string; description?: string; extension?: string }>,
  ): Message;
  createFaceMessage(options: MessageOptions<{ index: number; data: string }>): Message;
  createLocationMessage(
    options: MessageOptions<{ description: string; longitude: number; latitude: number }>,
  ): Message;
  createImageMessage(options: MessageOptions<{ file: FileSource }>): Message;
  createFileMessage(options: MessageOptions<{ file: FileSource }>): Message;
  /** Duration in seconds as `payload.duration` (or `payload.file.duration`); read from the file when absent. */
  createAudioMessage(options: MessageOptions<{ file: FileSource; duration?: number }>): Message;
  createVideoMessage(options: MessageOptions<{ file: FileSource }>): Message;
  createMergerMessage(
    options: MessageOptions<{
      messageList: Message[];
      title: string;
      abstractList: string[];
      compatibleText: string;
    }>,
  ): Message;
  /** `payload` is the message to forward. */
  createForwardMessage(options: MessageOptions<Message>): Message;
  downloadMergerMessage(message: Message): Promise<Message>;
  /** Stops a pending upload of a media message; its send rejects with 7009. */
  cancelUploadFile?(message: Message): void;
  resendMessage(
    message: Message,
    options?: SendMessageOptions,
  ): Promise<IMResponse<{ message: Message }>>;
  revokeMessage(message: Message): Promise<IMResponse<{ message: Message }>>;
  modifyMessage(message: Message): Promise<IMResponse<{ message: Message }>>;
  deleteMessage(messageList: Message[]): Promise<IMResponse<{ messageList: Message[] }>>;
  clearHistoryMessage(conversationID: string): Promise<IMResponse<Record<string, never>>>;
  /** Local only (messages this tab has seen), as Tencent's. */
  findMessage(messageID: string): Message | null;
  getMessageListHopping(options: {
    conversationID: string;
    sequence?: number;
    time?: number;
    direction?: 0 | 1;
    count?: number;
  }): Promise<IMResponse<{ messageList: Message[] }>>;
  sendMessageReadReceipt(messageList: Message[]): Promise<IMResponse<Record<string, never>>>;
  getMessageReadReceiptList(
    messageList: Message[],
  ): Promise<IMResponse<{ messageList: Message[] }>>;
  getGroupMessageReadMemberList(options: {
    message: Message;
    filter: 0 | 1;
    cursor?: string;
    count?: number;
  }): Promise<
    IMResponse<{
      isCompleted: boolean;
      cursor: string;
      messageID: string;
      readUserIDList?: string[];
      unreadUserIDList?: string[];
    }>
  >;
  setMessageRemindType(options: {
    groupID?: string;
    userIDList?: string[];
    messageRemindType: string;
  }): Promise<IMResponse<unknown>>;
  setAllReceiveMessageOpt(options: {
    messageRemindType?: string;
    startHour?: number;
    startMinute?: number;
    startSecond?: number;
    duration?: number;
    isRepeated?: boolean;
  }): Promise<IMResponse<Record<string, never>>>;
  getAllReceiveMessageOpt(): Promise<IMResponse<Record<string, unknown>>>;
  setMessageExtensions(
    message: Message,
    extensions: MessageExtension[],
  ): Promise<
    IMResponse<{
      successExtensionList: MessageExtension[];
      failureExtensionList: (MessageExtension & { code: number })[];
    }>
  >;
  getMessageExtensions(
    message: Message,
  ): Promise<IMResponse<{ extensionList: MessageExtension[] }>>;
  deleteMessageExtensions(
    message: Message,
    keyList?: string[],
  ): Promise<
    IMResponse<{
      successExtensionList: MessageExtension[];
      failureExtensionList: (MessageExtension & { code: number })[];
    }>
  >;
  addMessageReaction(
    message: Message,
    reactionID: string,
  ): Promise<IMResponse<{ message: Message; reactionID: string }>>;
  removeMessageReaction(
    message: Message,
    reactionID: string,
  ): Promise<IMResponse<{ message: Message; reactionID: string }>>;
  getMessageReactions(options: {
    messageList: Message[];
    maxUserCountPerReaction?: number;
  }): Promise<IMResponse<{ resultList: { messageID: string; reactionList: Reaction[] }[] }>>;
  getAllUserListOfMessageReaction(options: {
    message: Message;
    reactionID: string;
    nextSeq?: number;
    count?: number;
  }): Promise<
    IMResponse<{
      userList: { userID: string; nick: string; avatar: string }[];
      nextSeq: number;
      isCompleted: boolean;
    }>
  >;
  pinGroupMessage(options: {
    groupID: string;
    message: Message;
    isPinned: boolean;
  }): Promise<IMResponse<Record<string, never>>>;
  getPinnedGroupMessageList(groupID: string): Promise<IMResponse<{ messageList: Message[] }>>;
  translateText(options: {
    sourceTextList: string[];
    sourceLanguage?: string;
    targetLanguage: string;
  }): Promise<IMResponse<{ translatedTextList: string[] }>>;
  /** Typing status to a C2C peer (an online-only custom message with TYPING_BUSINESS_ID). */
  sendTypingStatus?(options: { userID: string; typing: boolean }): Promise<void>;

  /**
   * No argument: every conversation but hidden ones; an array of IDs: those; an object: filtered
   * (`markType` HIDE lists hidden ones) and, with `count`, paged from `nextSeq`.
   */
  getConversationList(options?: string[] | GetConversationListOptions): Promise<
    IMResponse<{
      conversationList: Conversation[];
      isSyncCompleted: boolean;
      nextSeq?: number;
      isFinished?: boolean;
    }>
  >;
  getConversationProfile(
    conversationID: string,
  ): Promise<IMResponse<{ conversation: Conversation }>>;
  setMessageRead(options: { conversationID: string }): Promise<IMResponse<Record<string, never>>>;
  getTotalUnreadMessageCount(): number;

  createGroup(options: CreateGroupOptions): Promise<IMResponse<{ group: Group }>>;
  joinGroup(options: {
    groupID: string;
    applyMessage?: string;
    type?: string;
  }): Promise<IMResponse<{ status: string; group?: Group }>>;
  quitGroup(groupID: string): Promise<IMResponse<{ groupID: string }>>;
  getGroupList(): Promise<IMResponse<{ groupList: Group[] }>>;
  getGroupProfile(options: { groupID: string }): Promise<IMResponse<{ group: Group }>>;
  getGroupMemberList(options: {
    groupID: string;
    count?: number;
    offset?: number;
  }): Promise<IMResponse<{ memberList: GroupMember[]; offset: number }>>;

  getMyProfile(): Promise<IMResponse<Profile>>;
  getUserProfile(options: { userIDList: string[] }): Promise<IMResponse<Profile[]>>;
  updateMyProfile(options: UpdateMyProfileOptions): Promise<IMResponse<Profile>>;
  // [issue 4: conversations]
  /** A string deletes one (answers `{conversationID}`); history is cleared unless told otherwise. */
  deleteConversation(
    options: string | { conversationIDList: string[]; clearHistoryMessage?: boolean },
  ): Promise<IMResponse<{ conversationID?: string; conversationIDList: string[] }>>;
  pinConversation(options: {
    conversationID: string;
    isPinned: boolean;
  }): Promise<IMResponse<{ conversationID: string }>>;
  /** Stored on the server: every tab and device of the user sees the same draft. */
  setConversationDraft(options: {
    conversationID: string;
    draftText: string;
  }): Promise<IMResponse<{ conversationID: string }>>;
  markConversation(options: {
    conversationIDList: string[];
    markType: number;
    enableMark: boolean;
  }): Promise<IMResponse<ConversationBatchResult>>;
  setConversationCustomData(options: {
    conversationIDList: string[];
    customData: string;
  }): Promise<IMResponse<ConversationBatchResult>>;
  setAllMessageRead(options?: { scope?: string }): Promise<IMResponse<Record<string, never>>>;
  createConversationGroup(options: {
    groupName: string;
    conversationIDList: string[];
  }): Promise<IMResponse<ConversationBatchResult>>;
  getConversationGroupList(): Promise<IMResponse<string[]>>;
  deleteConversationGroup(groupName: string): Promise<IMResponse<Record<string, never>>>;
  renameConversationGroup(options: {
    oldName: string;
    newName: string;
  }): Promise<IMResponse<Record<string, never>>>;
  addConversationsToGroup(options: {
    groupName: string;
    conversationIDList: string[];
  }): Promise<IMResponse<ConversationBatchResult>>;
  deleteConversationsFromGroup(options: {
    groupName: string;
    conversationIDList: string[];
  }): Promise<IMResponse<ConversationBatchResult>>;

  // [issue 5: groups]
  dismissGroup(groupID: string): Promise<IMResponse<{ groupID: string }>>;
  addGroupMember(options: { groupID: string; userIDList: string[] }): Promise<
    IMResponse<{
      successUserIDList: string[];
      failureUserIDList: string[];
      existedUserIDList: string[];
      group: Group;
    }>
  >;
  deleteGroupMember(options: {
    groupID: string;
    userIDList: string[];
    reason?: string;
    /** AVChatRoom only: seconds the removed users may not join again. */
    duration?: number;
  }): Promise<IMResponse<{ group: Group; userIDList: string[] }>>;
  getGroupApplicationList(): Promise<IMResponse<{ applicationList: GroupApplication[] }>>;
  /**
   * The application as `message` (the join-application system notice) or `application` (an entry
   * of getGroupApplicationList), or as `groupID` + applicant `userID`.
   */
  handleGroupApplication(options: {
    handleAction: 'Agree' | 'Reject';
    handleMessage?: string;
    message?: Message;
    application?: GroupApplication;
    groupID?: string;
    userID?: string;
  }): Promise<IMResponse<{ group: Group }>>;
  changeGroupOwner(options: {
    groupID: string;
    newOwnerID: string;
  }): Promise<IMResponse<{ group: Group }>>;
  updateGroupProfile(options: UpdateGroupProfileOptions): Promise<IMResponse<{ group: Group }>>;
  setGroupMemberRole(options: {
    groupID: string;
    userID: string;
    role: 'Admin' | 'Member';
  }): Promise<IMResponse<{ group: Group; member: GroupMember }>>;
  setGroupMemberMuteTime(options: {
    groupID: string;
    userID: string;
    muteTime: number;
  }): Promise<IMResponse<{ group: Group; member: GroupMember }>>;
  setGroupMemberNameCard(options: {
    groupID: string;
    userID?: string;
    nameCard: string;
  }): Promise<IMResponse<{ group: Group; member: GroupMember }>>;
  setGroupMemberCustomField(options: {
    groupID: string;
    userID?: string;
    memberCustomField: { key: string; value: string }[];
  }): Promise<IMResponse<{ group: Group; member: GroupMember }>>;
  getGroupMemberProfile(options: {
    groupID: string;
    userIDList: string[];
  }): Promise<IMResponse<{ memberList: GroupMember[] }>>;
  searchGroupByID(groupID: string): Promise<IMResponse<{ group: Group }>>;
  /** Members with at least one connected instance (any group type; the caller must be a member). */
  getGroupOnlineMemberCount(groupID: string): Promise<IMResponse<{ memberCount: number }>>;
  initGroupAttributes(options: {
    groupID: string;
    groupAttributes: Record<string, string>;
  }): Promise<IMResponse<{ groupAttributes: Record<string, string> }>>;
  setGroupAttributes(options: {
    groupID: string;
    groupAttributes: Record<string, string>;
  }): Promise<IMResponse<{ groupAttributes: Record<string, string> }>>;
  deleteGroupAttributes(options: {
    groupID: string;
    keyList: string[];
  }): Promise<IMResponse<{ keyList: string[] }>>;
  getGroupAttributes(options: {
    groupID: string;
    keyList?: string[];
  }): Promise<IMResponse<{ groupAttributes: Record<string, string> }>>;
  setGroupCounters(options: {
    groupID: string;
    counters: Record<string, number>;
  }): Promise<IMResponse<{ counters: Record<string, number> }>>;
  increaseGroupCounter(options: {
    groupID: string;
    key: string;
    value: number;
  }): Promise<IMResponse<{ groupID: string; key: string; value: number }>>;
  decreaseGroupCounter(options: {
    groupID: string;
    key: string;
    value: number;
  }): Promise<IMResponse<{ groupID: string; key: string; value: number }>>;
  getGroupCounters(options: {
    groupID: string;
    keyList?: string[];
  }): Promise<IMResponse<{ counters: Record<string, number> }>>;
  createTopicInCommunity(options: {
    groupID: string;
    topicName: string;
    topicID?: string;
    avatar?: string;
    notification?: string;
    introduction?: string;
    customData?: string;
  }): Promise<IMResponse<{ topicID: string }>>;
  getTopicList(options: { groupID: string; topicIDList?: string[] }): Promise<
    IMResponse<{
      successTopicList: Topic[];
      failureTopicList: { topicID: string; code: number; message: string }[];
    }>
  >;
  updateTopicProfile(options: {
    groupID: string;
    topicID: string;
    topicName?: string;
    avatar?: string;
    notification?: string;
    introduction?: string;
    customData?: string;
    muteAllMembers?: boolean;
  }): Promise<IMResponse<{ topic: Topic }>>;
  deleteTopicFromCommunity(options: { groupID: string; topicIDList?: string[] }): Promise<
    IMResponse<{
      successTopicList: { topicID: string }[];
      failureTopicList: { topicID: string; code: number; message: string }[];
    }>
  >;
  getJoinedCommunityList(): Promise<IMResponse<{ groupList: Group[] }>>;

  // [issue 6: users and relationships]
  getUserStatus(options: {
    userIDList: string[];
  }): Promise<IMResponse<{ successUserList: UserStatus[]; failureUserList: RelationFailure[] }>>;
  setSelfStatus(options: { customStatus?: string }): Promise<IMResponse<UserStatus>>;
  subscribeUserStatus(options: {
    userIDList: string[];
  }): Promise<IMResponse<{ failureUserList: RelationFailure[] }>>;
  unsubscribeUserStatus(options?: {
    userIDList?: string[];
  }): Promise<IMResponse<{ failureUserList: RelationFailure[] }>>;
  getFriendList(): Promise<IMResponse<Friend[]>>;
  addFriend(options: {
    to: string;
    source?: string;
    wording?: string;
    type?: string;
    remark?: string;
    groupName?: string;
  }): Promise<IMResponse<{ userID: string; code: number; message: string }>>;
  deleteFriend(options: {
    userIDList: string[];
    type?: string;
  }): Promise<IMResponse<{ successUserIDList: string[]; failureUserIDList: RelationFailure[] }>>;
  checkFriend(options: { userIDList: string[]; type?: string }): Promise<
    IMResponse<{
      successUserIDList: { userID: string; code: number; relation: string }[];
      failureUserIDList: RelationFailure[];
    }>
  >;
  getFriendProfile(options: {
    userIDList: string[];
  }): Promise<IMResponse<{ friendList: Friend[]; failureUserIDList: RelationFailure[] }>>;
  updateFriend(options: {
    userID: string;
    remark?: string;
    friendCustomField?: { key: string; value: string | number }[];
  }): Promise<IMResponse<Friend>>;
  getFriendApplicationList(): Promise<IMResponse<FriendApplicationList>>;
  acceptFriendApplication(options: {
    userID: string;
    remark?: string;
    type?: string;
  }): Promise<IMResponse<{ userID: string }>>;
  refuseFriendApplication(options: { userID: string }): Promise<IMResponse<{ userID: string }>>;
  deleteFriendApplication(options: {
    userID: string;
    type: string;
  }): Promise<IMResponse<{ userID: string }>>;
  setFriendApplicationRead(): Promise<IMResponse<Record<string, never>>>;
  getFriendGroupList(): Promise<IMResponse<FriendGroup[]>>;
  createFriendGroup(options: {
    name: string;
    userIDList?: string[];
  }): Promise<IMResponse<{ friendGroup: FriendGroup; failureUserIDList: RelationFailure[] }>>;
  deleteFriendGroup(options: { name: string }): Promise<IMResponse<{ name: string }>>;
  addToFriendGroup(options: {
    name: string;
    userIDList: string[];
  }): Promise<IMResponse<{ friendGroup: FriendGroup; failureUserIDList: RelationFailure[] }>>;
  removeFromFriendGroup(options: {
    name: string;
    userIDList: string[];
  }): Promise<IMResponse<{ friendGroup: FriendGroup; failureUserIDList: RelationFailure[] }>>;
  renameFriendGroup(options: {
    oldName: string;
    newName: string;
  }): Promise<IMResponse<{ friendGroup: FriendGroup; failureUserIDList: RelationFailure[] }>>;
  getBlacklist(): Promise<IMResponse<string[]>>;
  addToBlacklist(options: { userIDList: string[] }): Promise<IMResponse<string[]>>;
  removeFromBlacklist(options: { userIDList: string[] }): Promise<IMResponse<string[]>>;
  followUser(
    userIDList: string[],
  ): Promise<IMResponse<{ successUserIDList: string[]; failureUserIDList: RelationFailure[] }>>;
  unfollowUser(
    userIDList: string[],
  ): Promise<IMResponse<{ successUserIDList: string[]; failureUserIDList: RelationFailure[] }>>;
  getMyFollowersList(startIndex?: string): Promise<IMResponse<FollowListPage>>;
  getMyFollowingList(startIndex?: string): Promise<IMResponse<FollowListPage>>;
  getMutualFollowersList(startIndex?: string): Promise<IMResponse<FollowListPage>>;
  getUserFollowInfo(userIDList?: string[]): Promise<IMResponse<FollowInfo[]>>;
  checkFollowType(
    userIDList: string[],
  ): Promise<IMResponse<{ userID: string; followType: number }[]>>;
}

// Conversation model (issue 4): option and result types.
export interface GetConversationListOptions {
  type?: string;
  markType?: number;
  groupName?: string;
  hasUnreadCount?: boolean;
  hasGroupAtInfo?: boolean;
  /** Paging: start at 0, then pass back the answer's `nextSeq`. */
  nextSeq?: number;
  /** Page size, 1..100; omitted: all. */
  count?: number;
}
export interface ConversationBatchResult {
  successConversationIDList: string[];
  failureConversationIDList: { conversationID: string; code: number; message: string }[];
}
