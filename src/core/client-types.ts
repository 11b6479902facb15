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
  Profile,
} from '../protocol/types.js';

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

  getConversationList(): Promise<IMResponse<{ conversationList: Conversation[] }>>;
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
}
