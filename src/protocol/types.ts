/**
 * Public data shapes, the same field names as the `@tencentcloud/chat` typings. They cross both
 * wires (server -> worker and worker -> tab) unchanged.
 */
import type {
  ConversationType,
  GroupType,
  JoinOption,
  MemberRole,
  MessagePriority,
} from './constants.js';

export interface TextPayload {
  text: string;
}

export interface CustomPayload {
  data: string;
  description: string;
  extension: string;
}

/** One rendition of an image (`type`: 0 original, 1 large, 2 thumbnail), as Tencent's imageInfoArray. */
export interface ImageInfo {
  type: 0 | 1 | 2;
  url: string;
  width: number;
  height: number;
  size: number;
}

export interface ImagePayload {
  uuid: string;
  imageFormat: string;
  imageInfoArray: ImageInfo[];
}

export interface FilePayload {
  uuid: string;
  fileUrl: string;
  fileName: string;
  fileSize: number;
}

export interface AudioPayload {
  uuid: string;
  url: string;
  /** Seconds. */
  second: number;
  size: number;
}

export interface VideoPayload {
  videoUUID: string;
  videoUrl: string;
  videoSecond: number;
  videoFormat: string;
  videoSize: number;
  thumbUUID: string;
  thumbUrl: string;
  thumbWidth: number;
  thumbHeight: number;
}

export interface LocationPayload {
  description: string;
  longitude: number;
  latitude: number;
}

export interface FacePayload {
  index: number;
  data: string;
}

export interface MergerPayload {
  title: string;
  abstractList: string[];
  compatibleText: string;
  /** The merged messages; empty when `downloadKey` is set (then `downloadMergerMessage` fills it). */
  messageList: Message[];
  downloadKey: string;
  layersOverLimit: boolean;
}

/** What the upload endpoint answers (`POST /upload?kind=image|file|audio|video`). */
export interface UploadResult {
  uuid: string;
  url: string;
  size: number;
  /** The original file name (files). */
  name: string;
  contentType: string;
  /** Images: the renditions (original, large 720 px, thumbnail 198 px short side). */
  imageInfoArray?: ImageInfo[];
  imageFormat?: string;
}

export type MessagePayload = TextPayload | CustomPayload | Record<string, unknown>;

export interface ReadReceiptInfo {
  readCount: number;
  unreadCount: number;
  isPeerRead: boolean;
}

export interface MessageExtension {
  key: string;
  value: string;
}

export interface Reaction {
  reactionID: string;
  totalUserCount: number;
  /** The first users (at most `maxUserCountPerReaction`, Tencent's N <= 10). */
  partialUserList: { userID: string; nick: string; avatar: string }[];
  /** Whether the viewing user is among them. */
  reactedByMyself: boolean;
}

export interface Message {
  /** `${tinyID}-${clientTime}-${random}`; made by the sender's client, unique per sender. */
  ID: string;
  type: string;
  payload: MessagePayload;
  conversationID: string;
  conversationType: ConversationType;
  /** Receiver: userID for C2C, groupID for GROUP. */
  to: string;
  from: string;
  flow: 'in' | 'out';
  /** Server time of the send, in seconds. */
  time: number;
  status: 'unSend' | 'success' | 'fail';
  isRevoked: boolean;
  priority: MessagePriority;
  nick: string;
  avatar: string;
  isPeerRead: boolean;
  nameCard: string;
  atUserList: string[];
  cloudCustomData: string;
  isDeleted: boolean;
  isModified: boolean;
  needReadReceipt: boolean;
  /** Server sequence, strictly increasing within the conversation. 0 until sent. */
  sequence: number;
  /** Client time of creation (seconds); part of the idempotency key. */
  clientTime: number;
  random: number;
  readReceiptInfo: ReadReceiptInfo;
  isSupportExtension: boolean;
  /** Who recalled it ('' when not recalled). */
  revoker: string;
  /** Increases with every modification; `modifyMessage` compares it (compare-and-swap). */
  version: number;
  /** Targeted group message: only these members receive it (empty: everyone). */
  receiverList: string[];
  /** Sent with `onlineUserOnly`: never stored, never counted unread. */
  onlineOnlyFlag: boolean;
  /** Left out of the unread count (`messageControlInfo.excludedFromUnreadCount`). */
  isExcludedFromUnreadCount: boolean;
  isExcludedFromLastMessage: boolean;
}

/** Every Message field that has a neutral value; the rest say what and where. */
export const MESSAGE_DEFAULTS: Omit<
  Message,
  'ID' | 'type' | 'payload' | 'conversationID' | 'conversationType' | 'to' | 'from'
> = {
  flow: 'in',
  time: 0,
  status: 'success',
  isRevoked: false,
  priority: 'Normal',
  nick: '',
  avatar: '',
  isPeerRead: false,
  nameCard: '',
  atUserList: [],
  cloudCustomData: '',
  isDeleted: false,
  isModified: false,
  needReadReceipt: false,
  sequence: 0,
  clientTime: 0,
  random: 0,
  readReceiptInfo: { readCount: 0, unreadCount: 0, isPeerRead: false },
  isSupportExtension: false,
  revoker: '',
  version: 0,
  receiverList: [],
  onlineOnlyFlag: false,
  isExcludedFromUnreadCount: false,
  isExcludedFromLastMessage: false,
};

/** `conversation.lastMessage`, as in Tencent's Web SDK. */
export interface LastMessage {
  ID: string;
  lastTime: number;
  lastSequence: number;
  fromAccount: string;
  type: string;
  payload: MessagePayload;
  messageForShow: string;
  cloudCustomData: string;
  isRevoked: boolean;
  nick: string;
  nameCard: string;
}

export interface Profile {
  userID: string;
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
  lastUpdatedTime: number;
  profileCustomField: { key: string; value: string | number }[];
}

export interface GroupSelfInfo {
  role: MemberRole;
  messageRemindType: string;
  joinTime: number;
  nameCard: string;
  readedSequence: number;
}

export interface Group {
  groupID: string;
  name: string;
  avatar: string;
  type: GroupType;
  introduction: string;
  notification: string;
  ownerID: string;
  createTime: number;
  infoSequence: number;
  lastInfoTime: number;
  selfInfo: GroupSelfInfo | Record<string, never>;
  lastMessage: {
    lastTime: number;
    lastSequence: number;
    fromAccount: string;
    messageForShow: string;
  };
  nextMessageSeq: number;
  memberCount: number;
  maxMemberCount: number;
  muteAllMembers: boolean;
  joinOption: JoinOption;
  groupCustomField: { key: string; value: string }[];
  isSupportTopic: boolean;
}

export interface GroupMember {
  userID: string;
  avatar: string;
  nick: string;
  role: MemberRole;
  joinTime: number;
  nameCard: string;
  muteUntil: number;
  memberCustomField: { key: string; value: string }[];
}

/** `conversation.groupAtInfoList` entries: an @ of this user (or @all) not yet read. */
export interface GroupAtInfo {
  groupID: string;
  messageID: string;
  messageSequence: number;
  /** TYPES.CONV_AT_ME (1), CONV_AT_ALL (2) or CONV_AT_ALL_AT_ME (3). */
  atTypeArray: number[];
}

/** Typing status between two users travels as an online-only custom message with this data. */
export const TYPING_BUSINESS_ID = 'user_typing_status';

export interface Conversation {
  conversationID: string;
  type: ConversationType;
  /** Server-computed from the read sequence; 0 for Meeting groups. */
  unreadCount: number;
  lastMessage: LastMessage | null;
  groupProfile: Group | null;
  userProfile: Profile | null;
  groupAtInfoList: GroupAtInfo[];
  remark: string;
  isPinned: boolean;
  messageRemindType: string;
  markList: number[];
  customData: string;
  conversationGroupList: string[];
  draftText: string;
  /** Sequence up to which this user has read. */
  readSequence: number;
  /** Increases with activity; the list is sorted by it, newest first. */
  orderKey: number;
}

/** Every API resolves with this shape, as Tencent's does. */
export interface IMResponse<T = unknown> {
  code: 0;
  data: T;
}

export interface ConversationIDParts {
  type: ConversationType;
  /** userID (C2C) or groupID (GROUP); '' for the system conversation. */
  target: string;
}

export function parseConversationID(id: string): ConversationIDParts | null {
  if (id === '@TIM#SYSTEM') return { type: '@TIM#SYSTEM', target: '' };
  if (id.startsWith('C2C') && id.length > 3) return { type: 'C2C', target: id.slice(3) };
  if (id.startsWith('GROUP') && id.length > 5) return { type: 'GROUP', target: id.slice(5) };
  return null;
}

export function conversationIDOf(type: ConversationType, target: string): string {
  return type === '@TIM#SYSTEM' ? type : `${type}${target}`;
}

/** A short text for previews (`messageForShow`). */
export function messageForShow(type: string, payload: MessagePayload, isRevoked = false): string {
  if (isRevoked) return '[Recalled]';
  switch (type) {
    case 'TIMTextElem':
      return String((payload as TextPayload).text ?? '');
    case 'TIMImageElem':
      return '[Image]';
    case 'TIMSoundElem':
      return '[Voice]';
    case 'TIMVideoFileElem':
      return '[Video]';
    case 'TIMFileElem':
      return '[File]';
    case 'TIMFaceElem':
      return '[Sticker]';
    case 'TIMLocationElem':
      return '[Location]';
    case 'TIMRelayElem':
      return '[Chat History]';
    case 'TIMCustomElem':
      return String((payload as CustomPayload).description || '[Custom Message]');
    default:
      return '[Message]';
  }
}

// [issue 4: conversations]

// [issue 5: groups]
/** A topic of a Community with topics (`createGroup({type: 'Community', isSupportTopic: true})`). */
export interface Topic {
  topicID: string;
  topicName: string;
  avatar: string;
  introduction: string;
  notification: string;
  customData: string;
  muteAllMembers: boolean;
  createTime: number;
}

// [issue 6: users and relationships]
/** `USER_STATUS_UPDATED` items and getUserStatus results: statusType 0 unknown, 1 online, 2 offline, 3 unlogined. */
export interface UserStatus {
  userID: string;
  statusType: 0 | 1 | 2 | 3;
  customStatus: string;
}

export interface FriendCustomField {
  key: string;
  value: string | number;
}

export interface Friend {
  userID: string;
  remark: string;
  /** Names of the caller's friend groups this friend is in. */
  groupList: string[];
  source: string;
  wording: string;
  profile: Profile;
  friendCustomField: FriendCustomField[];
}

export interface FriendApplication {
  /** The other side: the applicant (SENT_TO_ME) or the target (SENT_BY_ME). */
  userID: string;
  avatar: string;
  nick: string;
  time: number;
  source: string;
  wording: string;
  /** 'Pendency_Type_ComeIn' (sent to me) or 'Pendency_Type_SendOut' (sent by me). */
  type: string;
}

export interface FriendApplicationList {
  friendApplicationList: FriendApplication[];
  /** Applications to me not yet marked read. */
  unreadCount: number;
}

export interface FriendGroup {
  name: string;
  userIDList: string[];
  count: number;
}

export interface RelationFailure {
  userID: string;
  code: number;
  message: string;
}

export interface FollowInfo {
  userID: string;
  followersCount: number;
  followingCount: number;
  mutualFollowersCount: number;
}

export interface FollowListPage {
  resultList: Profile[];
  /** '' when there is no more. */
  nextCursor: string;
}
