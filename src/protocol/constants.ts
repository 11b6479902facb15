/**
 * Public constants with the wire values of the `@tencentcloud/chat` Web SDK, so code written
 * against that SDK keeps working: `IMChat.EVENT.SDK_READY === 'sdkStateReady'`, and so on.
 */
export const EVENT = {
  SDK_READY: 'sdkStateReady',
  SDK_NOT_READY: 'sdkStateNotReady',
  MESSAGE_RECEIVED: 'onMessageReceived',
  MESSAGE_MODIFIED: 'onMessageModified',
  MESSAGE_REVOKED: 'onMessageRevoked',
  MESSAGE_READ_BY_PEER: 'onMessageReadByPeer',
  MESSAGE_READ_RECEIPT_RECEIVED: 'onMessageReadReceiptReceived',
  MESSAGE_EXTENSIONS_UPDATED: 'onMessageExtensionsUpdated',
  MESSAGE_EXTENSIONS_DELETED: 'onMessageExtensionsDeleted',
  MESSAGE_REACTIONS_UPDATED: 'onMessageReactionsUpdated',
  ALL_RECEIVE_MESSAGE_OPT_UPDATED: 'onAllReceiveMessageOptUpdated',
  PINNED_GROUP_MESSAGE_UPDATED: 'onPinnedGroupMessageUpdated',
  CONVERSATION_LIST_UPDATED: 'onConversationListUpdated',
  TOTAL_UNREAD_MESSAGE_COUNT_UPDATED: 'onTotalUnreadMessageCountUpdated',
  CONVERSATION_GROUP_LIST_UPDATED: 'onConversationGroupListUpdated',
  CONVERSATION_IN_GROUP_UPDATED: 'onConversationInGroupUpdated',
  GROUP_LIST_UPDATED: 'onGroupListUpdated',
  GROUP_ATTRIBUTES_UPDATED: 'groupAttributesUpdated',
  GROUP_COUNTER_UPDATED: 'onGroupCounterUpdated',
  TOPIC_CREATED: 'onTopicCreated',
  TOPIC_DELETED: 'onTopicDeleted',
  TOPIC_UPDATED: 'onTopicUpdated',
  PROFILE_UPDATED: 'onProfileUpdated',
  USER_STATUS_UPDATED: 'onUserStatusUpdated',
  BLACKLIST_UPDATED: 'blacklistUpdated',
  FRIEND_LIST_UPDATED: 'onFriendListUpdated',
  FRIEND_GROUP_LIST_UPDATED: 'onFriendGroupListUpdated',
  FRIEND_APPLICATION_LIST_UPDATED: 'onFriendApplicationListUpdated',
  MY_FOLLOWERS_LIST_UPDATED: 'onMyFollowersListUpdated',
  MY_FOLLOWING_LIST_UPDATED: 'onMyFollowingListUpdated',
  MUTUAL_FOLLOWERS_LIST_UPDATED: 'onMutualFollowersListUpdated',
  KICKED_OUT: 'kickedOut',
  ERROR: 'error',
  NET_STATE_CHANGE: 'netStateChange',
} as const;

export type EventName = (typeof EVENT)[keyof typeof EVENT];

export const TYPES = {
  MSG_TEXT: 'TIMTextElem',
  MSG_IMAGE: 'TIMImageElem',
  MSG_AUDIO: 'TIMSoundElem',
  MSG_SOUND: 'TIMSoundElem',
  MSG_VIDEO: 'TIMVideoFileElem',
  MSG_FILE: 'TIMFileElem',
  MSG_CUSTOM: 'TIMCustomElem',
  MSG_FACE: 'TIMFaceElem',
  MSG_LOCATION: 'TIMLocationElem',
  MSG_GEO: 'TIMLocationElem',
  MSG_MERGER: 'TIMRelayElem',
  MSG_GRP_TIP: 'TIMGroupTipElem',
  MSG_GRP_SYS_NOTICE: 'TIMGroupSystemNoticeElem',

  MSG_PRIORITY_HIGH: 'High',
  MSG_PRIORITY_NORMAL: 'Normal',
  MSG_PRIORITY_LOW: 'Low',
  MSG_PRIORITY_LOWEST: 'Lowest',

  CONV_C2C: 'C2C',
  CONV_GROUP: 'GROUP',
  CONV_SYSTEM: '@TIM#SYSTEM',

  GRP_WORK: 'Private',
  GRP_PRIVATE: 'Private',
  GRP_PUBLIC: 'Public',
  GRP_MEETING: 'ChatRoom',
  GRP_CHATROOM: 'ChatRoom',
  GRP_AVCHATROOM: 'AVChatRoom',
  GRP_COMMUNITY: 'Community',

  GRP_MBR_ROLE_OWNER: 'Owner',
  GRP_MBR_ROLE_ADMIN: 'Admin',
  GRP_MBR_ROLE_MEMBER: 'Member',

  JOIN_OPTIONS_FREE_ACCESS: 'FreeAccess',
  JOIN_OPTIONS_NEED_PERMISSION: 'NeedPermission',
  JOIN_OPTIONS_DISABLE_APPLY: 'DisableApply',
  JOIN_STATUS_SUCCESS: 'JoinedSuccess',
  JOIN_STATUS_ALREADY_IN_GROUP: 'AlreadyInGroup',
  JOIN_STATUS_WAIT_APPROVAL: 'WaitAdminApproval',

  MSG_REMIND_ACPT_AND_NOTE: 'AcceptAndNotify',
  MSG_REMIND_ACPT_NOT_NOTE: 'AcceptNotNotify',
  MSG_REMIND_DISCARD: 'Discard',
  NOT_RECEIVE_OFFLINE_PUSH_EXCEPT_AT: 'AcceptNotNotifyExceptAt',

  CONV_AT_ME: 1,
  CONV_AT_ALL: 2,
  CONV_AT_ALL_AT_ME: 3,

  /** Conversation marks (markConversation): labels only, bits of `markList`. */
  CONV_MARK_TYPE_STAR: 0x1,
  CONV_MARK_TYPE_UNREAD: 0x2,
  CONV_MARK_TYPE_FOLD: 0x4,
  CONV_MARK_TYPE_HIDE: 0x8,

  /** setAllMessageRead scopes. */
  READ_ALL_C2C_MSG: 'readAllC2CMessage',
  READ_ALL_GROUP_MSG: 'readAllGroupMessage',
  READ_ALL_MSG: 'readAllMessage',

  GENDER_UNKNOWN: 'Gender_Type_Unknown',
  GENDER_FEMALE: 'Gender_Type_Female',
  GENDER_MALE: 'Gender_Type_Male',

  ALLOW_TYPE_ALLOW_ANY: 'AllowType_Type_AllowAny',
  ALLOW_TYPE_NEED_CONFIRM: 'AllowType_Type_NeedConfirm',
  ALLOW_TYPE_DENY_ANY: 'AllowType_Type_DenyAny',

  USER_STATUS_UNKNOWN: 0,
  USER_STATUS_ONLINE: 1,
  USER_STATUS_OFFLINE: 2,
  USER_STATUS_UNLOGINED: 3,

  SNS_ADD_TYPE_SINGLE: 'Add_Type_Single',
  SNS_ADD_TYPE_BOTH: 'Add_Type_Both',
  SNS_DELETE_TYPE_SINGLE: 'Delete_Type_Single',
  SNS_DELETE_TYPE_BOTH: 'Delete_Type_Both',
  SNS_APPLICATION_TYPE_BOTH: 'Pendency_Type_Both',
  SNS_APPLICATION_SENT_TO_ME: 'Pendency_Type_ComeIn',
  SNS_APPLICATION_SENT_BY_ME: 'Pendency_Type_SendOut',
  SNS_APPLICATION_AGREE: 'Response_Action_Agree',
  SNS_APPLICATION_AGREE_AND_ADD: 'Response_Action_AgreeAndAdd',
  SNS_CHECK_TYPE_BOTH: 'CheckResult_Type_Both',
  SNS_CHECK_TYPE_SINGLE: 'CheckResult_Type_Single',
  SNS_TYPE_NO_RELATION: 'CheckResult_Type_NoRelation',
  SNS_TYPE_A_WITH_B: 'CheckResult_Type_AWithB',
  SNS_TYPE_B_WITH_A: 'CheckResult_Type_BWithA',
  SNS_TYPE_BOTH_WAY: 'CheckResult_Type_BothWay',

  KICKED_OUT_MULT_ACCOUNT: 'multipleAccount',
  KICKED_OUT_MULT_DEVICE: 'multipleDevice',
  KICKED_OUT_USERSIG_EXPIRED: 'userSigExpired',
  KICKED_OUT_REST_API: 'REST_API_Kick',

  NET_STATE_CONNECTED: 'connected',
  NET_STATE_CONNECTING: 'connecting',
  NET_STATE_DISCONNECTED: 'disconnected',

  MSG_AT_ALL: '__kImSDK_MesssageAtALL__',
} as const;

export type ConversationType = 'C2C' | 'GROUP' | '@TIM#SYSTEM';
export type GroupType = 'Private' | 'Public' | 'ChatRoom' | 'AVChatRoom' | 'Community';
export type MemberRole = 'Owner' | 'Admin' | 'Member';
export type JoinOption = 'FreeAccess' | 'NeedPermission' | 'DisableApply';
export type NetState = 'connected' | 'connecting' | 'disconnected';
export type MessagePriority = 'High' | 'Normal' | 'Low' | 'Lowest';

/** Group types supported by the current server build. */
export const SUPPORTED_GROUP_TYPES: readonly GroupType[] = [
  'Private',
  'Public',
  'ChatRoom',
  'AVChatRoom',
  'Community',
];

/** Tencent's limits used on both sides. */
export const LIMITS = {
  userIDBytes: 32,
  messageBodyBytes: 12 * 1024,
  messageListPage: 15,
  groupNameBytes: 30,
  groupIntroductionBytes: 240,
  groupNotificationBytes: 300,
  groupAvatarBytes: 100,
  groupIDBytes: 48,
  createGroupMembers: 500,
  groupMemberListPage: 100,
  groupMemberListDefault: 15,
  userProfileBatch: 100,
  nickBytes: 500,
  avatarBytes: 500,
  /** Largest WebSocket frame the server reads before closing (ws maxPayload). */
  frameBytes: 256 * 1024,
  /** How many messages one catch-up page carries. */
  syncPage: 200,
  /** Sender's recall window, seconds (Tencent's default; `--recall-window` changes it). */
  recallWindowSeconds: 120,
  deleteMessagesPerCall: 30,
  readReceiptsPerCall: 30,
  readMemberListPage: 100,
  remindTypeUsersPerCall: 30,
  receiverList: 50,
  mergerMessages: 300,
  /** A merged-forward message larger than this is stored apart and fetched with its downloadKey. */
  mergerInlineBytes: 12 * 1024,
  extensionKeyBytes: 100,
  extensionValueBytes: 1024,
  extensionsPerCall: 20,
  extensionsPerMessage: 300,
  reactionIDBytes: 64,
  reactionsPerMessage: 20,
  reactionUsersPreviewMax: 10,
  pinnedGroupMessages: 10,
  translateTextsPerCall: 20,
  translateChars: 2000,
  /** Upload limits in bytes, per kind (Tencent: files 100 MB; images and audio 28 MB). */
  uploadBytes: {
    image: 28 * 1024 * 1024,
    audio: 28 * 1024 * 1024,
    video: 100 * 1024 * 1024,
    file: 100 * 1024 * 1024,
  },
  /** Image renditions: the short side of `large` and `thumb`, in pixels. */
  imageLargeShortSide: 720,
  imageThumbShortSide: 198,

  // [issue 4: conversations]
  /** getConversationList page size (default and maximum when `count` is given). */
  conversationListPage: 100,
  /** Conversations per markConversation / deleteConversation / custom-data / group call. */
  conversationsPerCall: 100,
  /** setConversationCustomData. */
  conversationCustomDataBytes: 256,
  /** setConversationDraft. */
  conversationDraftBytes: 12 * 1024,
  /** Conversation groups per user, and the byte length of their names. */
  conversationGroups: 20,
  conversationGroupNameBytes: 32,
  /** Conversations that carry a mark or belong to a conversation group, per user. */
  markedConversations: 1000,

  // [issue 5: groups]
  groupAttributeKeys: 16,
  groupAttributeKeyBytes: 32,
  groupAttributeValueBytes: 4096,
  groupAttributesTotalBytes: 16 * 1024,
  groupCounterKeys: 20,
  groupCounterKeyBytes: 128,
  groupMemberProfileBatch: 50,
  groupNameCardBytes: 50,
  /** addGroupMember / deleteGroupMember user IDs per call. */
  groupMembersPerCall: 500,
  /** setGroupMemberMuteTime: seconds (Tencent: uint32). */
  groupMuteTimeMax: 4294967295,
  topicIDBytes: 128,
  /** Group member custom fields: keys per member, key and value bytes. */
  memberCustomFields: 5,
  memberCustomFieldKeyBytes: 16,
  memberCustomFieldValueBytes: 64,
  topicsPerCommunity: 1000,
  topicCustomDataBytes: 4096,

  // [issue 6: users and relationships]
  /** Profile custom fields (`Tag_Profile_Custom_*`) per user; key suffix and string value bytes. */
  profileCustomFields: 20,
  profileCustomKeyBytes: 8,
  profileCustomValueBytes: 500,
  /** Friend custom fields (`Tag_SNS_Custom_*`) per friend. */
  friendCustomFields: 20,
  customStatusBytes: 100,
  userStatusBatch: 500,
  statusSubscribeBatch: 100,
  /** Subscriptions per user; the oldest is evicted past it. */
  statusSubscriptions: 200,
  friends: 3000,
  deleteFriendBatch: 100,
  checkFriendBatch: 1000,
  addFriendSourceBytes: 8,
  addFriendWordingBytes: 256,
  friendRemarkBytes: 96,
  friendGroupNameBytes: 30,
  friendGroups: 100,
  friendGroupBatch: 1000,
  blacklistBatch: 1000,
  blacklist: 1000,
  followBatch: 20,
  following: 5000,
  followInfoBatch: 100,
  followListPage: 500,
} as const;
