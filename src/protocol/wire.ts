/**
 * Worker <-> server frames: JSON text frames over one WebSocket.
 *
 * Client -> server: a request `{id, op, data}`; `id` is a positive integer chosen by the client and
 * echoed in the response. The first request on a socket must be `login`; nothing else is accepted
 * before it.
 * Server -> client: a response `{id, code: 0, data}` or `{id, code, message}`, or a push
 * `{push, data, cursor?}` that answers no request.
 *
 * Each frame is validated once at each boundary against the schemas below; the types are inferred
 * from them.
 */
import * as v from 'valibot';
import { LIMITS } from './constants.js';

const userID = v.pipe(
  v.string(),
  v.minLength(1, 'userID is empty'),
  v.maxLength(LIMITS.userIDBytes, 'userID is longer than 32 bytes'),
  v.regex(/^[A-Za-z0-9_-]+$/, 'userID may only contain A-Z a-z 0-9 _ -'),
);
const groupID = v.pipe(
  v.string(),
  v.minLength(1, 'groupID is empty'),
  v.maxLength(LIMITS.groupIDBytes, 'groupID is too long'),
  v.regex(/^[A-Za-z0-9_@#-]+$/, 'groupID may only contain A-Z a-z 0-9 _ - @ #'),
);
const topicID = v.pipe(
  v.string(),
  v.minLength(1, 'topicID is empty'),
  v.maxLength(LIMITS.topicIDBytes, 'topicID is too long'),
  v.regex(/^[A-Za-z0-9_@#-]+$/, 'topicID may only contain A-Z a-z 0-9 _ - @ #'),
);
const conversationID = v.pipe(v.string(), v.minLength(4), v.maxLength(64));
const shortText = (max: number) => v.pipe(v.string(), v.maxLength(max));
const conversationIDList = v.pipe(
  v.array(conversationID),
  v.minLength(1, 'conversationIDList is empty'),
  v.maxLength(LIMITS.conversationsPerCall, 'too many conversations in one call'),
);
/** A built-in mark (1, 2, 4, 8) or a custom one, 2^n with 32 <= n < 64. */
const markType = v.pipe(
  v.number(),
  v.check((n) => {
    const e = Math.log2(n);
    return Number.isInteger(e) && ((e >= 0 && e <= 3) || (e >= 32 && e < 64)) && 2 ** e === n;
  }, 'markType must be 1, 2, 4, 8 or 2^n with 32 <= n < 64'),
);
/** Byte length is checked by the service (51011), so the schema only bounds the frame. */
const conversationGroupName = v.pipe(v.string(), v.maxLength(256));

export const schemas = {
  login: v.object({
    SDKAppID: v.pipe(v.number(), v.integer(), v.minValue(1)),
    userID,
    userSig: v.pipe(v.string(), v.maxLength(4096)),
    /** Stable per browser profile and user; every socket with the same one counts as one instance. */
    instanceID: v.pipe(v.string(), v.minLength(8), v.maxLength(64)),
    protocol: v.pipe(v.number(), v.integer()),
  }),
  logout: v.object({}),
  ping: v.object({}),
  sync: v.object({
    /** Last cursor the client has applied; 0 for none. */
    cursor: v.pipe(v.number(), v.integer(), v.minValue(0)),
  }),
  /** Protocol 2: recalls and modifications after a change cursor (SyncChangesResult). */
  syncChanges: v.object({
    /** Last change cursor the client has applied; `changeCursor` of its first login. */
    cursor: v.pipe(v.number(), v.integer(), v.minValue(0)),
  }),
  sendMessage: v.object({
    message: v.object({
      ID: v.pipe(v.string(), v.minLength(1), v.maxLength(80)),
      type: v.picklist([
        'TIMTextElem',
        'TIMCustomElem',
        'TIMFaceElem',
        'TIMLocationElem',
        'TIMImageElem',
        'TIMFileElem',
        'TIMSoundElem',
        'TIMVideoFileElem',
        'TIMRelayElem',
      ]),
      /** Per type, as in types.ts (ImagePayload, FilePayload, ...); media payloads carry URLs of uploads. */
      payload: v.record(v.string(), v.unknown()),
      conversationType: v.picklist(['C2C', 'GROUP', '@TIM#SYSTEM']),
      to: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.groupIDBytes)),
      priority: v.optional(v.picklist(['High', 'Normal', 'Low', 'Lowest']), 'Normal'),
      cloudCustomData: v.optional(v.string(), ''),
      clientTime: v.pipe(v.number(), v.integer(), v.minValue(0)),
      random: v.pipe(v.number(), v.integer(), v.minValue(0)),
      /** Group @-mentions: user IDs and/or TYPES.MSG_AT_ALL. */
      atUserList: v.optional(
        v.pipe(v.array(v.string()), v.maxLength(LIMITS.createGroupMembers)),
        [],
      ),
      needReadReceipt: v.optional(v.boolean(), false),
      isSupportExtension: v.optional(v.boolean(), false),
      /** Targeted group message receivers (<= 50); not counted unread. */
      receiverList: v.optional(v.pipe(v.array(userID), v.maxLength(LIMITS.receiverList)), []),
    }),
    options: v.optional(
      v.object({
        onlineUserOnly: v.optional(v.boolean(), false),
        messageControlInfo: v.optional(
          v.object({
            excludedFromUnreadCount: v.optional(v.boolean(), false),
            excludedFromLastMessage: v.optional(v.boolean(), false),
          }),
        ),
      }),
      {},
    ),
  }),
  /** Recall (sender, within the recall window). */
  revokeMessage: v.object({ conversationID, messageID: v.string() }),
  /** Compare-and-swap on `version`; conflict -> 2480 with `data.message` the latest version. */
  modifyMessage: v.object({
    conversationID,
    messageID: v.string(),
    version: v.pipe(v.number(), v.integer(), v.minValue(0)),
    payload: v.optional(v.record(v.string(), v.unknown())),
    cloudCustomData: v.optional(v.string()),
  }),
  /** Delete for me: <= 30 messages of one conversation. */
  deleteMessage: v.object({
    conversationID,
    messageIDList: v.pipe(
      v.array(v.string()),
      v.minLength(1),
      v.maxLength(LIMITS.deleteMessagesPerCall),
    ),
  }),
  clearHistoryMessage: v.object({ conversationID }),
  getMessageListHopping: v.object({
    conversationID,
    sequence: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    time: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    /** 0: older than the anchor (inclusive), 1: newer (inclusive). */
    direction: v.optional(v.picklist([0, 1]), 0),
    count: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.messageListPage)),
    ),
  }),
  /** Messages by ID from one conversation (the client's findMessage misses, forwards, replies). */
  getMessagesByID: v.object({
    conversationID,
    messageIDList: v.pipe(v.array(v.string()), v.minLength(1), v.maxLength(LIMITS.messageListPage)),
  }),
  sendMessageReadReceipt: v.object({
    conversationID,
    messageIDList: v.pipe(
      v.array(v.string()),
      v.minLength(1),
      v.maxLength(LIMITS.readReceiptsPerCall),
    ),
  }),
  getMessageReadReceiptList: v.object({
    conversationID,
    messageIDList: v.pipe(
      v.array(v.string()),
      v.minLength(1),
      v.maxLength(LIMITS.readReceiptsPerCall),
    ),
  }),
  getGroupMessageReadMemberList: v.object({
    conversationID,
    messageID: v.string(),
    /** 0: who read it, 1: who has not. */
    filter: v.picklist([0, 1]),
    cursor: v.optional(v.string(), ''),
    count: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.readMemberListPage)),
      100,
    ),
  }),
  setMessageRemindType: v.object({
    groupID: v.optional(groupID),
    userIDList: v.optional(
      v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.remindTypeUsersPerCall)),
    ),
    messageRemindType: v.picklist([
      'AcceptAndNotify',
      'AcceptNotNotify',
      'Discard',
      'AcceptNotNotifyExceptAt',
    ]),
  }),
  setAllReceiveMessageOpt: v.object({
    messageRemindType: v.optional(
      v.picklist(['AcceptAndNotify', 'AcceptNotNotify', 'Discard', 'AcceptNotNotifyExceptAt']),
    ),
    startHour: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(23))),
    startMinute: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(59))),
    startSecond: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(59))),
    /** Seconds; 0 with no start means always. */
    duration: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    isRepeated: v.optional(v.boolean()),
  }),
  getAllReceiveMessageOpt: v.object({}),
  setMessageExtensions: v.object({
    conversationID,
    messageID: v.string(),
    extensionList: v.pipe(
      v.array(
        v.object({
          key: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.extensionKeyBytes)),
          value: v.pipe(v.string(), v.maxLength(LIMITS.extensionValueBytes)),
        }),
      ),
      v.minLength(1),
      v.maxLength(LIMITS.extensionsPerCall),
    ),
  }),
  getMessageExtensions: v.object({ conversationID, messageID: v.string() }),
  deleteMessageExtensions: v.object({
    conversationID,
    messageID: v.string(),
    /** Omitted: delete all. */
    keyList: v.optional(v.pipe(v.array(v.string()), v.maxLength(LIMITS.extensionsPerCall))),
  }),
  addMessageReaction: v.object({
    conversationID,
    messageID: v.string(),
    reactionID: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.reactionIDBytes)),
  }),
  removeMessageReaction: v.object({
    conversationID,
    messageID: v.string(),
    reactionID: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.reactionIDBytes)),
  }),
  getMessageReactions: v.object({
    conversationID,
    messageIDList: v.pipe(v.array(v.string()), v.minLength(1), v.maxLength(LIMITS.messageListPage)),
    maxUserCountPerReaction: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.reactionUsersPreviewMax)),
      5,
    ),
  }),
  getAllUserListOfMessageReaction: v.object({
    conversationID,
    messageID: v.string(),
    reactionID: v.string(),
    nextSeq: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
    count: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)), 100),
  }),
  pinGroupMessage: v.object({ groupID, messageID: v.string(), isPinned: v.boolean() }),
  getPinnedGroupMessageList: v.object({ groupID }),
  downloadMergerMessage: v.object({
    downloadKey: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  }),
  translateText: v.object({
    sourceTextList: v.pipe(
      v.array(v.string()),
      v.minLength(1),
      v.maxLength(LIMITS.translateTextsPerCall),
    ),
    sourceLanguage: v.optional(v.string(), 'auto'),
    targetLanguage: v.pipe(v.string(), v.minLength(2), v.maxLength(16)),
  }),
  getMessageList: v.object({
    conversationID,
    nextReqMessageID: v.optional(v.string()),
    count: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.messageListPage)),
    ),
  }),
  /** Without `count`: every conversation. Filters combine with AND. */
  getConversationList: v.object({
    nextSeq: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
    count: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.conversationListPage)),
    ),
    type: v.optional(v.picklist(['C2C', 'GROUP', '@TIM#SYSTEM'])),
    markType: v.optional(markType),
    groupName: v.optional(v.pipe(v.string(), v.maxLength(256))),
    hasUnreadCount: v.optional(v.boolean()),
    hasGroupAtInfo: v.optional(v.boolean()),
  }),
  getConversationProfile: v.object({ conversationID }),
  setMessageRead: v.object({ conversationID }),
  createGroup: v.object({
    name: v.pipe(v.string(), v.minLength(1, 'name is required')),
    type: v.optional(v.string(), 'Private'),
    groupID: v.optional(groupID),
    introduction: v.optional(v.string(), ''),
    notification: v.optional(v.string(), ''),
    avatar: v.optional(v.string(), ''),
    maxMemberNum: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    joinOption: v.optional(v.string()),
    memberList: v.optional(
      v.array(v.object({ userID, role: v.optional(v.picklist(['Admin', 'Member'])) })),
      [],
    ),
    /** Community only: a community with topics. */
    isSupportTopic: v.optional(v.boolean(), false),
  }),
  joinGroup: v.object({ groupID, applyMessage: v.optional(shortText(300), '') }),
  quitGroup: v.object({ groupID }),
  getGroupList: v.object({}),
  getGroupProfile: v.object({ groupID }),
  getGroupMemberList: v.object({
    groupID,
    count: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.groupMemberListPage)),
    ),
    offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
  }),
  getMyProfile: v.object({}),
  getUserProfile: v.object({
    userIDList: v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.userProfileBatch)),
  }),
  updateMyProfile: v.object({
    nick: v.optional(shortText(LIMITS.nickBytes)),
    avatar: v.optional(shortText(LIMITS.avatarBytes)),
    gender: v.optional(v.string()),
    selfSignature: v.optional(shortText(500)),
    allowType: v.optional(v.string()),
    birthday: v.optional(v.pipe(v.number(), v.integer())),
    location: v.optional(shortText(16)),
    language: v.optional(v.pipe(v.number(), v.integer())),
    messageSettings: v.optional(v.pipe(v.number(), v.integer())),
    level: v.optional(v.pipe(v.number(), v.integer())),
    role: v.optional(v.pipe(v.number(), v.integer())),
    /** `Tag_Profile_Custom_*` keys; validated by the profile service. */
    profileCustomField: v.optional(
      v.pipe(
        v.array(v.object({ key: v.string(), value: v.union([v.string(), v.number()]) })),
        v.maxLength(LIMITS.profileCustomFields),
      ),
    ),
  }),

  // [issue 4: conversations]
  deleteConversation: v.object({
    conversationIDList,
    clearHistoryMessage: v.optional(v.boolean(), true),
  }),
  pinConversation: v.object({ conversationID, isPinned: v.boolean() }),
  setConversationDraft: v.object({
    conversationID,
    draftText: v.pipe(
      v.string(),
      v.check(
        (t) => new TextEncoder().encode(t).length <= LIMITS.conversationDraftBytes,
        'draftText is too long',
      ),
    ),
  }),
  markConversation: v.object({ conversationIDList, markType, enableMark: v.boolean() }),
  setConversationCustomData: v.object({
    conversationIDList,
    customData: v.pipe(
      v.string(),
      v.check(
        (t) => new TextEncoder().encode(t).length <= LIMITS.conversationCustomDataBytes,
        'customData is longer than 256 bytes',
      ),
    ),
  }),
  setAllMessageRead: v.object({
    scope: v.optional(
      v.picklist(['readAllC2CMessage', 'readAllGroupMessage', 'readAllMessage']),
      'readAllMessage',
    ),
  }),
  createConversationGroup: v.object({ groupName: conversationGroupName, conversationIDList }),
  getConversationGroupList: v.object({}),
  deleteConversationGroup: v.object({ groupName: conversationGroupName }),
  renameConversationGroup: v.object({
    oldName: conversationGroupName,
    newName: conversationGroupName,
  }),
  addConversationsToGroup: v.object({ groupName: conversationGroupName, conversationIDList }),
  deleteConversationsFromGroup: v.object({
    groupName: conversationGroupName,
    conversationIDList,
  }),

  // [issue 5: groups]
  dismissGroup: v.object({ groupID }),
  addGroupMember: v.object({
    groupID,
    userIDList: v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.groupMembersPerCall)),
  }),
  deleteGroupMember: v.object({
    groupID,
    userIDList: v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.groupMembersPerCall)),
    reason: v.optional(shortText(300), ''),
    /** AVChatRoom only: seconds the removed users may not join again. */
    duration: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.groupMuteTimeMax)),
    ),
  }),
  getGroupApplicationList: v.object({}),
  handleGroupApplication: v.object({
    groupID,
    /** The applicant. */
    userID,
    handleAction: v.picklist(['Agree', 'Reject']),
    handleMessage: v.optional(shortText(300), ''),
  }),
  changeGroupOwner: v.object({ groupID, newOwnerID: userID }),
  updateGroupProfile: v.object({
    groupID,
    name: v.optional(v.pipe(v.string(), v.minLength(1, 'name is empty'))),
    introduction: v.optional(v.string()),
    notification: v.optional(v.string()),
    avatar: v.optional(v.string()),
    maxMemberNum: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    joinOption: v.optional(v.picklist(['FreeAccess', 'NeedPermission', 'DisableApply'])),
    muteAllMembers: v.optional(v.boolean()),
  }),
  setGroupMemberRole: v.object({ groupID, userID, role: v.picklist(['Admin', 'Member']) }),
  setGroupMemberMuteTime: v.object({
    groupID,
    userID,
    /** Seconds from now; 0 unmutes. */
    muteTime: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.groupMuteTimeMax)),
  }),
  setGroupMemberNameCard: v.object({
    groupID,
    /** Omitted: the caller. */
    userID: v.optional(userID),
    nameCard: v.pipe(v.string(), v.maxLength(LIMITS.groupNameCardBytes)),
  }),
  setGroupMemberCustomField: v.object({
    groupID,
    /** Omitted: the caller. */
    userID: v.optional(userID),
    memberCustomField: v.pipe(
      v.array(v.object({ key: v.pipe(v.string(), v.minLength(1)), value: v.string() })),
      v.minLength(1),
      v.maxLength(LIMITS.memberCustomFields),
    ),
  }),
  getGroupMemberProfile: v.object({
    groupID,
    /** Tencent drops IDs beyond the first 50. */
    userIDList: v.pipe(v.array(userID), v.minLength(1)),
  }),
  searchGroupByID: v.object({ groupID }),
  getGroupOnlineMemberCount: v.object({ groupID }),
  initGroupAttributes: v.object({ groupID, groupAttributes: v.record(v.string(), v.string()) }),
  setGroupAttributes: v.object({ groupID, groupAttributes: v.record(v.string(), v.string()) }),
  deleteGroupAttributes: v.object({
    groupID,
    /** [] deletes every key. */
    keyList: v.pipe(v.array(v.string()), v.maxLength(LIMITS.groupAttributeKeys)),
  }),
  getGroupAttributes: v.object({
    groupID,
    /** [] reads every key. */
    keyList: v.optional(v.pipe(v.array(v.string()), v.maxLength(LIMITS.groupAttributeKeys)), []),
  }),
  setGroupCounters: v.object({
    groupID,
    counters: v.record(v.string(), v.pipe(v.number(), v.integer())),
  }),
  increaseGroupCounter: v.object({
    groupID,
    key: v.string(),
    value: v.pipe(v.number(), v.integer(), v.minValue(0)),
  }),
  decreaseGroupCounter: v.object({
    groupID,
    key: v.string(),
    value: v.pipe(v.number(), v.integer(), v.minValue(0)),
  }),
  createTopicInCommunity: v.object({
    groupID,
    topicName: v.pipe(v.string(), v.minLength(1, 'topicName is empty')),
    /** Custom: `<groupID>@TOPIC#<id>`; generated when omitted. */
    topicID: v.optional(topicID),
    avatar: v.optional(v.string(), ''),
    notification: v.optional(v.string(), ''),
    introduction: v.optional(v.string(), ''),
    customData: v.optional(v.string(), ''),
  }),
  getTopicList: v.object({
    groupID,
    /** Omitted: every topic. */
    topicIDList: v.optional(v.pipe(v.array(topicID), v.maxLength(LIMITS.topicsPerCommunity))),
  }),
  updateTopicProfile: v.object({
    groupID,
    topicID,
    topicName: v.optional(v.pipe(v.string(), v.minLength(1, 'topicName is empty'))),
    avatar: v.optional(v.string()),
    notification: v.optional(v.string()),
    introduction: v.optional(v.string()),
    customData: v.optional(v.string()),
    muteAllMembers: v.optional(v.boolean()),
  }),
  deleteTopicFromCommunity: v.object({
    groupID,
    /** Omitted: every topic. */
    topicIDList: v.optional(v.pipe(v.array(topicID), v.maxLength(LIMITS.topicsPerCommunity))),
  }),
  getJoinedCommunityList: v.object({}),
  getGroupCounters: v.object({
    groupID,
    keyList: v.optional(v.pipe(v.array(v.string()), v.maxLength(LIMITS.groupCounterKeys)), []),
  }),

  // [issue 6: users and relationships]
  getUserStatus: v.object({
    userIDList: v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.userStatusBatch)),
  }),
  setSelfStatus: v.object({ customStatus: v.optional(v.string(), '') }),
  subscribeUserStatus: v.object({
    userIDList: v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.statusSubscribeBatch)),
  }),
  /** Omitted or empty: unsubscribe from everyone. */
  unsubscribeUserStatus: v.object({
    userIDList: v.optional(v.pipe(v.array(userID), v.maxLength(LIMITS.statusSubscribeBatch)), []),
  }),
  getFriendList: v.object({}),
  addFriend: v.object({
    to: userID,
    source: v.optional(v.string(), ''),
    wording: v.optional(v.string(), ''),
    type: v.optional(v.picklist(['Add_Type_Single', 'Add_Type_Both']), 'Add_Type_Both'),
    remark: v.optional(v.string(), ''),
    groupName: v.optional(v.string(), ''),
  }),
  deleteFriend: v.object({
    userIDList: v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.deleteFriendBatch)),
    type: v.optional(v.picklist(['Delete_Type_Single', 'Delete_Type_Both']), 'Delete_Type_Both'),
  }),
  checkFriend: v.object({
    userIDList: v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.checkFriendBatch)),
    type: v.optional(
      v.picklist(['CheckResult_Type_Single', 'CheckResult_Type_Both']),
      'CheckResult_Type_Both',
    ),
  }),
  getFriendProfile: v.object({
    userIDList: v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.userProfileBatch)),
  }),
  updateFriend: v.object({
    userID,
    remark: v.optional(v.string()),
    friendCustomField: v.optional(
      v.pipe(
        v.array(v.object({ key: v.string(), value: v.union([v.string(), v.number()]) })),
        v.maxLength(LIMITS.friendCustomFields),
      ),
    ),
  }),
  getFriendApplicationList: v.object({}),
  acceptFriendApplication: v.object({
    userID,
    remark: v.optional(v.string(), ''),
    type: v.optional(
      v.picklist(['Response_Action_Agree', 'Response_Action_AgreeAndAdd']),
      'Response_Action_AgreeAndAdd',
    ),
  }),
  refuseFriendApplication: v.object({ userID }),
  deleteFriendApplication: v.object({
    userID,
    type: v.picklist(['Pendency_Type_ComeIn', 'Pendency_Type_SendOut']),
  }),
  setFriendApplicationRead: v.object({}),
  getFriendGroupList: v.object({}),
  createFriendGroup: v.object({
    name: v.string(),
    userIDList: v.optional(v.pipe(v.array(userID), v.maxLength(LIMITS.friendGroupBatch)), []),
  }),
  deleteFriendGroup: v.object({ name: v.string() }),
  addToFriendGroup: v.object({
    name: v.string(),
    userIDList: v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.friendGroupBatch)),
  }),
  removeFromFriendGroup: v.object({
    name: v.string(),
    userIDList: v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.friendGroupBatch)),
  }),
  renameFriendGroup: v.object({ oldName: v.string(), newName: v.string() }),
  getBlacklist: v.object({}),
  addToBlacklist: v.object({
    userIDList: v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.blacklistBatch)),
  }),
  removeFromBlacklist: v.object({
    userIDList: v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.blacklistBatch)),
  }),
  followUser: v.object({
    userIDList: v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.followBatch)),
  }),
  unfollowUser: v.object({
    userIDList: v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.followBatch)),
  }),
  /** `nextCursor` of the previous page ('' for the first). */
  getMyFollowersList: v.object({ nextCursor: v.optional(v.string(), '') }),
  getMyFollowingList: v.object({ nextCursor: v.optional(v.string(), '') }),
  getMutualFollowersList: v.object({ nextCursor: v.optional(v.string(), '') }),
  /** Omitted or empty: the caller. */
  getUserFollowInfo: v.object({
    userIDList: v.optional(v.pipe(v.array(userID), v.maxLength(LIMITS.followInfoBatch)), []),
  }),
  checkFollowType: v.object({
    userIDList: v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.followInfoBatch)),
  }),
} as const;

export type Op = keyof typeof schemas;
export type OpData<K extends Op> = v.InferOutput<(typeof schemas)[K]>;
export type OpInput<K extends Op> = v.InferInput<(typeof schemas)[K]>;

export const OPS = Object.keys(schemas) as Op[];

export const requestEnvelope = v.object({
  id: v.pipe(v.number(), v.integer(), v.minValue(1)),
  op: v.string(),
  data: v.optional(v.unknown(), {}),
});

export type RequestFrame = v.InferOutput<typeof requestEnvelope>;

export interface OkFrame<T = unknown> {
  id: number;
  code: 0;
  data: T;
}
export interface ErrorFrame {
  /** 0 when the error answers no request (the frame could not be read). */
  id: number;
  code: number;
  message: string;
  data?: unknown;
}
export type ResponseFrame = OkFrame | ErrorFrame;

/** Pushes from the server; `cursor` is set on every push that advances the user's sync cursor. */
export type PushFrame =
  | { push: 'message'; cursor: number; data: import('./types.js').Message }
  | { push: 'conversationRead'; data: { conversationID: string; readSequence: number } }
  | { push: 'groupListChanged'; data: { groupID: string } }
  | { push: 'groupUpdated'; data: import('./types.js').Group }
  | { push: 'profileUpdated'; data: import('./types.js').Profile }
  | { push: 'kicked'; data: { type: string } }
  /**
   * A message was recalled; `data.message` is the tombstone (isRevoked, revoker). `cursor` (from
   * protocol 2) is the change's position in the change stream (syncChanges), not a sync cursor.
   */
  | { push: 'messageRevoked'; cursor?: number; data: { message: import('./types.js').Message } }
  | { push: 'messageModified'; cursor?: number; data: { message: import('./types.js').Message } }
  /** The C2C peer read up to `readSequence` (MESSAGE_READ_BY_PEER). */
  | {
      push: 'messageReadByPeer';
      data: { conversationID: string; readSequence: number; time: number };
    }
  | {
      push: 'messageReadReceipt';
      data: {
        conversationID: string;
        groupID: string;
        userID: string;
        messageID: string;
        readCount: number;
        unreadCount: number;
        isPeerRead: boolean;
      }[];
    }
  | {
      push: 'messageExtensionsUpdated';
      data: {
        conversationID: string;
        messageID: string;
        extensionList: import('./types.js').MessageExtension[];
      };
    }
  | {
      push: 'messageExtensionsDeleted';
      data: { conversationID: string; messageID: string; keyList: string[] };
    }
  | {
      push: 'messageReactionsUpdated';
      data: {
        conversationID: string;
        messageID: string;
        reactionList: import('./types.js').Reaction[];
      };
    }
  | {
      push: 'pinnedGroupMessageUpdated';
      data: { groupID: string; pinnedMessageList: import('./types.js').Message[] };
    }
  /** One conversation of this user changed (remind type, @ info, cleared history, deleted messages). */
  | { push: 'conversationUpdated'; data: import('./types.js').Conversation }
  | { push: 'allReceiveMessageOptUpdated'; data: Record<string, unknown> }
  /** An online-only message (typing status and the like): never stored, no cursor. */
  | { push: 'onlineMessage'; data: import('./types.js').Message }
  | ConversationPush
  | GroupPush
  | UserPush;

/** Pushes of the conversation model (issue 4). */
export type ConversationPush =
  // [issue 4: conversations]
  /** Conversations of this user changed (pin, marks, draft, custom data, conversation groups). */
  | {
      push: 'conversationsChanged';
      data: { conversationList: import('./types.js').Conversation[] };
    }
  /** Deleted from this user's list (history cleared too unless `clearHistoryMessage` was false). */
  | {
      push: 'conversationDeleted';
      data: { conversationIDList: string[]; clearHistoryMessage: boolean };
    }
  /** The user's conversation groups were created, deleted or renamed: the whole list of names. */
  | { push: 'conversationGroupListUpdated'; data: { groupList: string[] } }
  /** Conversations were added to or removed from one conversation group. */
  | {
      push: 'conversationInGroupUpdated';
      data: { groupName: string; conversationIDList: string[] };
    };

/** Pushes of the group model (issue 5). */
export type GroupPush =
  /** A group system notice (application, its result, invitation, kick, dismissal, role): MESSAGE_RECEIVED in @TIM#SYSTEM. */
  /** `cursor` (from protocol 2): the notice's position in the change stream (syncChanges). */
  | { push: 'groupSystemNotice'; cursor?: number; data: import('./types.js').Message }
  /** The full attribute map after a change (GROUP_ATTRIBUTES_UPDATED). */
  | {
      push: 'groupAttributesUpdated';
      data: { groupID: string; groupAttributes: Record<string, string> };
    }
  /** One counter changed (GROUP_COUNTER_UPDATED). */
  | { push: 'groupCounterUpdated'; data: { groupID: string; key: string; value: number } }
  /** TOPIC_CREATED / TOPIC_DELETED / TOPIC_UPDATED to every member of the community. */
  | { push: 'topicCreated'; data: { groupID: string; topicID: string } }
  | { push: 'topicDeleted'; data: { groupID: string; topicIDList: string[] } }
  | { push: 'topicUpdated'; data: { groupID: string; topic: import('./types.js').Topic } };

/** Pushes of users and relationships (issue 6). */
export type UserPush =
  | { push: 'userStatusUpdated'; data: { userStatusList: import('./types.js').UserStatus[] } }
  /** The friend list changed: `added` are the new or changed entries, `deleted` the userIDs removed. */
  | { push: 'friendListUpdated'; data: { added: import('./types.js').Friend[]; deleted: string[] } }
  | { push: 'friendApplicationListUpdated'; data: import('./types.js').FriendApplicationList }
  | {
      push: 'friendGroupListUpdated';
      data: { friendGroupList: import('./types.js').FriendGroup[] };
    }
  | { push: 'blacklistUpdated'; data: { blacklist: string[] } }
  /** Someone followed or unfollowed the receiver, or the receiver (on another device) did. */
  | {
      push: 'followListUpdated';
      data: {
        list: 'followers' | 'following' | 'mutual';
        userIDList: string[];
        isAdd: boolean;
      }[];
    };

export type ServerFrame = ResponseFrame | PushFrame;

/** Results of the ops, as the server answers them. */
export interface LoginResult {
  userID: string;
  tinyID: number;
  serverTime: number;
  /** The user's newest sync cursor at login. */
  cursor: number;
  /** Protocol 2: the newest change cursor at login (syncChanges). */
  changeCursor?: number;
  protocol: number;
}
export interface SyncResult {
  messages: { cursor: number; message: import('./types.js').Message }[];
  cursor: number;
  isCompleted: boolean;
}
/**
 * Recalled and modified messages in their current state, and group system notices (conversation
 * @TIM#SYSTEM), oldest change first.
 */
export interface SyncChangesResult {
  changes: { cursor: number; message: import('./types.js').Message }[];
  cursor: number;
  isCompleted: boolean;
}
export interface MessageListResult {
  messageList: import('./types.js').Message[];
  nextReqMessageID: string;
  isCompleted: boolean;
}

// [issue 4: conversations]
export interface ConversationListResult {
  conversationList: import('./types.js').Conversation[];
  /** Pass back as `nextSeq` for the next page. */
  nextSeq: number;
  isFinished: boolean;
}
/** Result of the batch conversation ops; `conversationList` holds the conversations as changed. */
export interface ConversationBatchResult {
  successConversationIDList: string[];
  failureConversationIDList: { conversationID: string; code: number; message: string }[];
  conversationList: import('./types.js').Conversation[];
}

// [issue 5: groups]
export interface GroupApplication {
  groupID: string;
  /** The applicant. */
  applicant: string;
  applicantNick: string;
  applyMessage: string;
  time: number;
}

// [issue 6: users and relationships]

export function isPush(frame: ServerFrame): frame is PushFrame {
  return 'push' in frame;
}

/** Validate the data of one op; returns the parsed value or the first issue's text. */
export function parseOp<K extends Op>(
  op: K,
  data: unknown,
): { ok: true; value: OpData<K> } | { ok: false; message: string } {
  const result = v.safeParse(schemas[op], data);
  if (result.success) return { ok: true, value: result.output as OpData<K> };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  return { ok: false, message: path ? `${path}: ${issue.message}` : issue.message };
}
