/**
 * An in-memory ChatClient for component tests: conversations, messages, groups and members held
 * in plain arrays, events through on/off with `{name, data}`, every call recorded in `calls`.
 * Tests drive it with `emit()` and the helpers below; nothing touches the network.
 */
import { MESSAGE_DEFAULTS } from '../../src/protocol/types.js';
import type {
  ChatClient,
  ConversationBatchResult,
  GetConversationListOptions,
  CreateGroupOptions,
  UpdateGroupProfileOptions,
  CreateTextMessageOptions,
  GetMessageListOptions,
  IMEventHandler,
  MessageOptions,
  SendMessageOptions,
  UpdateMyProfileOptions,
} from '../../src/core/client-types.js';
import { EVENT, type NetState } from '../../src/protocol/constants.js';
import type { GroupApplication } from '../../src/protocol/wire.js';
import {
  conversationIDOf,
  messageForShow,
  type Conversation,
  type Group,
  type GroupMember,
  type IMResponse,
  type Message,
  type MessageExtension,
  type Profile,
  type Reaction,
  type Topic,
} from '../../src/protocol/types.js';

import { installFakeRelations, type FakeRelationsApi } from './fake-relations.js';

const now = () => Math.floor(Date.now() / 1000);
const ok = <T>(data: T): IMResponse<T> => ({ code: 0, data });

export class FakeError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

let counter = 0;

export function makeMessage(partial: Partial<Message> & { conversationID: string }): Message {
  const t = partial.time ?? now();
  const isGroup = partial.conversationID.startsWith('GROUP');
  counter++;
  return {
    ...MESSAGE_DEFAULTS,
    ID: `m-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    type: 'TIMTextElem',
    payload: { text: `message ${counter}` },
    conversationType: isGroup ? 'GROUP' : 'C2C',
    to: partial.conversationID.replace(/^(C2C|GROUP)/, ''),
    from: 'bob',
    flow: 'in',
    time: t,
    sequence: counter,
    clientTime: t,
    random: counter,
    ...partial,
  };
}

export function makeProfile(partial: Partial<Profile> & { userID: string }): Profile {
  return {
    nick: '',
    avatar: '',
    gender: 'Gender_Type_Unknown',
    selfSignature: '',
    allowType: 'AllowType_Type_AllowAny',
    birthday: 0,
    location: '',
    language: 0,
    messageSettings: 0,
    adminForbidType: '',
    level: 0,
    role: 0,
    lastUpdatedTime: 0,
    profileCustomField: [],
    ...partial,
  };
}

export function makeGroup(partial: Partial<Group> & { groupID: string }): Group {
  return {
    name: partial.groupID,
    avatar: '',
    type: 'Public',
    introduction: '',
    notification: '',
    ownerID: 'owner',
    createTime: now(),
    infoSequence: 1,
    lastInfoTime: now(),
    selfInfo: {},
    lastMessage: { lastTime: 0, lastSequence: 0, fromAccount: '', messageForShow: '' },
    nextMessageSeq: 1,
    memberCount: 0,
    maxMemberCount: 2000,
    muteAllMembers: false,
    joinOption: 'FreeAccess',
    groupCustomField: [],
    isSupportTopic: false,
    ...partial,
  };
}

export function makeMember(partial: Partial<GroupMember> & { userID: string }): GroupMember {
  return {
    avatar: '',
    nick: '',
    role: 'Member',
    joinTime: now(),
    nameCard: '',
    muteUntil: 0,
    memberCustomField: [],
    ...partial,
  };
}

export function makeConversation(
  partial: Partial<Conversation> & { conversationID: string },
): Conversation {
  const isGroup = partial.conversationID.startsWith('GROUP');
  return {
    type: isGroup ? 'GROUP' : 'C2C',
    unreadCount: 0,
    lastMessage: null,
    groupProfile: null,
    userProfile: null,
    groupAtInfoList: [],
    remark: '',
    isPinned: false,
    messageRemindType: 'AcceptAndNotify',
    markList: [],
    customData: '',
    conversationGroupList: [],
    draftText: '',
    readSequence: 0,
    orderKey: 0,
    ...partial,
  };
}

/** A `lastMessage` for a conversation from a message. */
export function lastMessageOf(m: Message): Conversation['lastMessage'] {
  return {
    ID: m.ID,
    lastTime: m.time,
    lastSequence: m.sequence,
    fromAccount: m.from,
    type: m.type,
    payload: m.payload,
    messageForShow: messageForShow(m.type, m.payload, m.isRevoked),
    cloudCustomData: '',
    isRevoked: m.isRevoked,
    nick: m.nick,
    nameCard: m.nameCard,
  };
}

export interface Call {
  method: string;
  args: unknown[];
}

interface HeldSend {
  message: Message;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface HeldUpload extends HeldSend {
  onProgress?: (percent: number) => void;
}

const MEDIA = new Set(['TIMImageElem', 'TIMFileElem', 'TIMSoundElem', 'TIMVideoFileElem']);

/** What a fake upload turns a picked file into. */
function uploadedPayload(message: Message, file: Blob | undefined): Record<string, unknown> {
  const name = (file as File | undefined)?.name ?? 'file';
  const size = file?.size ?? 0;
  const url = `https://files.fake.invalid/${encodeURIComponent(name)}`;
  switch (message.type) {
    case 'TIMImageElem':
      return {
        uuid: `u-${message.ID}`,
        imageFormat: 'png',
        imageInfoArray: [0, 1, 2].map((type) => ({
          type,
          url: `${url}?type=${type}`,
          width: 400,
          height: 300,
          size,
        })),
      };
    case 'TIMSoundElem':
      return { uuid: `u-${message.ID}`, url, second: 3, size };
    case 'TIMVideoFileElem':
      return {
        videoUUID: `u-${message.ID}`,
        videoUrl: url,
        videoSecond: 5,
        videoFormat: 'mp4',
        videoSize: size,
        thumbUUID: `t-${message.ID}`,
        thumbUrl: `${url}.jpg`,
        thumbWidth: 320,
        thumbHeight: 180,
      };
    default:
      return { uuid: `u-${message.ID}`, fileUrl: url, fileName: name, fileSize: size };
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class FakeChatClient implements ChatClient {
  readonly SDKAppID = 1400000001;
  readonly server = 'http://fake.invalid';

  userID: string;
  ready = true;
  netState: NetState = 'connected';
  conversations: Conversation[] = [];
  /** Per conversation, oldest first. */
  messages = new Map<string, Message[]>();
  groups = new Map<string, Group>();
  members = new Map<string, GroupMember[]>();
  profiles = new Map<string, Profile>();
  calls: Call[] = [];

  /** Reject the next sendMessage calls with this error. */
  failSends: FakeError | null = null;
  /** Keep sendMessage pending until `releaseSends()` / `rejectSends()`. */
  holdSends = false;
  held: HeldSend[] = [];
  /** Make getConversationList reject (e.g. not logged in yet). */
  conversationListError: FakeError | null = null;
  /** Keep media sends "uploading" until `finishUploads()`; `uploadProgress()` reports progress. */
  holdUploads = false;
  uploads: HeldUpload[] = [];
  /** The next modifyMessage fails with 2480 and this as the latest version. */
  modifyConflict: Message | null = null;
  /** translateText result per text; null: the server has no translator (2118). */
  translator: ((text: string, language: string) => string) | null = null;
  /** Merged messages stored apart, by downloadKey (downloadMergerMessage). */
  mergerStore = new Map<string, Message[]>();
  /** getGroupMessageReadMemberList answers, by message ID. */
  readMembers = new Map<string, { read: string[]; unread: string[] }>();
  /** messageID -> reactionID -> user IDs. */
  reactions = new Map<string, Map<string, string[]>>();
  /** groupID -> pinned messages, newest first. */
  pinned = new Map<string, Message[]>();
  extensions = new Map<string, MessageExtension[]>();

  private readonly handlers = new Map<string, Set<IMEventHandler>>();
  private sequence = 1000;

  constructor(userID = 'alice') {
    this.userID = userID;
  }

  // --- test helpers ---

  emit(name: string, data?: unknown): void {
    for (const handler of [...(this.handlers.get(name) ?? [])]) handler({ name, data });
  }

  listenerCount(name: string): number {
    return this.handlers.get(name)?.size ?? 0;
  }

  callsOf(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  addMessages(conversationID: string, list: Message[]): void {
    const existing = this.messages.get(conversationID) ?? [];
    this.messages.set(conversationID, [...existing, ...list]);
  }

  /** Deliver messages as the server would: store them and fire MESSAGE_RECEIVED. */
  receive(list: Message[]): void {
    for (const m of list) this.addMessages(m.conversationID, [m]);
    this.emit(EVENT.MESSAGE_RECEIVED, list);
  }

  setNetState(state: NetState): void {
    this.netState = state;
    this.emit(EVENT.NET_STATE_CHANGE, { state });
  }

  setReady(ready: boolean): void {
    this.ready = ready;
    this.emit(ready ? EVENT.SDK_READY : EVENT.SDK_NOT_READY);
  }

  updateConversations(list: Conversation[]): void {
    this.conversations = list;
    this.emit(EVENT.CONVERSATION_LIST_UPDATED, list);
  }

  releaseSends(): void {
    for (const h of this.held.splice(0)) h.resolve();
  }

  rejectSends(error = new FakeError(9508, 'network down')): void {
    for (const h of this.held.splice(0)) h.reject(error);
  }

  // --- ChatClient ---

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  async login(options: { userID: string; userSig: string }) {
    this.record('login', options);
    this.userID = options.userID;
    return ok({ repeatLogin: false });
  }
  async logout() {
    this.record('logout');
    return ok({} as Record<string, never>);
  }
  async destroy(): Promise<void> {
    this.record('destroy');
  }
  on(eventName: string, handler: IMEventHandler): void {
    let set = this.handlers.get(eventName);
    if (!set) this.handlers.set(eventName, (set = new Set()));
    set.add(handler);
  }
  off(eventName: string, handler: IMEventHandler): void {
    this.handlers.get(eventName)?.delete(handler);
  }
  isReady(): boolean {
    return this.ready;
  }
  getLoginUser(): string {
    return this.userID;
  }
  getNetState(): NetState {
    return this.netState;
  }
  getServerTime(): number {
    return now();
  }

  createTextMessage(options: CreateTextMessageOptions): Message {
    this.record('createTextMessage', options);
    const conversationID = conversationIDOf(options.conversationType, options.to);
    return makeMessage({
      conversationID,
      conversationType: options.conversationType,
      to: options.to,
      from: this.userID,
      flow: 'out',
      payload: { text: options.payload.text },
      status: 'unSend',
      sequence: 0,
      cloudCustomData: options.cloudCustomData ?? '',
      needReadReceipt: Boolean(options.needReadReceipt),
    });
  }

  async sendMessage(message: Message, _options?: Record<string, unknown>) {
    this.record('sendMessage', message);
    if (this.holdSends) {
      await new Promise<void>((resolve, reject) => this.held.push({ message, resolve, reject }));
    }
    let payload = message.payload;
    if (MEDIA.has(message.type)) {
      const file = this.files.get(message.ID);
      if (this.holdUploads) {
        await new Promise<void>((resolve, reject) =>
          this.uploads.push({
            message,
            resolve,
            reject,
            onProgress: this.progressHandlers.get(message.ID),
          }),
        );
      }
      this.progressHandlers.get(message.ID)?.(1);
      payload = uploadedPayload(message, file);
    }
    if (this.failSends) throw this.failSends;
    const sent: Message = {
      ...message,
      payload,
      status: 'success',
      sequence: ++this.sequence,
      time: now(),
    };
    this.addMessages(sent.conversationID, [sent]);
    return ok({ message: sent });
  }

  async getMessageList(options: GetMessageListOptions) {
    this.record('getMessageList', options);
    const all = this.messages.get(options.conversationID) ?? [];
    const count = options.count ?? 15;
    let end = all.length;
    if (options.nextReqMessageID) {
      const index = all.findIndex((m) => m.ID === options.nextReqMessageID);
      end = index < 0 ? 0 : index;
    }
    const start = Math.max(0, end - count);
    const messageList = all.slice(start, end);
    return ok({
      messageList,
      nextReqMessageID: messageList[0]?.ID ?? '',
      isCompleted: start === 0,
    });
  }

  async getConversationList(options?: string[] | GetConversationListOptions) {
    this.record('getConversationList', options);
    if (this.conversationListError) throw this.conversationListError;
    if (Array.isArray(options)) {
      const ids = new Set(options);
      const conversationList = this.conversations.filter((c) => ids.has(c.conversationID));
      return ok({ conversationList, isSyncCompleted: true });
    }
    return ok({ conversationList: [...this.conversations], isSyncCompleted: true });
  }

  async getConversationProfile(conversationID: string) {
    this.record('getConversationProfile', conversationID);
    const conversation = this.conversations.find((c) => c.conversationID === conversationID);
    if (!conversation) throw new FakeError(10004, 'conversation not found');
    return ok({ conversation });
  }

  async setMessageRead(options: { conversationID: string }) {
    this.record('setMessageRead', options);
    const c = this.conversations.find((x) => x.conversationID === options.conversationID);
    if (c && c.unreadCount > 0) {
      this.updateConversations(
        this.conversations.map((x) => (x === c ? { ...x, unreadCount: 0 } : x)),
      );
    }
    return ok({} as Record<string, never>);
  }

  getTotalUnreadMessageCount(): number {
    return this.conversations.reduce((n, c) => n + c.unreadCount, 0);
  }

  async createGroup(options: CreateGroupOptions) {
    this.record('createGroup', options);
    const groupID = options.groupID ?? `g${this.groups.size + 1}`;
    const group = makeGroup({
      groupID,
      name: options.name,
      type: (options.type ?? 'Private') as Group['type'],
      ownerID: this.userID,
      memberCount: 1,
      selfInfo: {
        role: 'Owner',
        messageRemindType: '',
        joinTime: now(),
        nameCard: '',
        readedSequence: 0,
      },
    });
    this.groups.set(groupID, group);
    this.members.set(groupID, [makeMember({ userID: this.userID, role: 'Owner' })]);
    this.emit(EVENT.GROUP_LIST_UPDATED, [...this.groups.values()]);
    return ok({ group });
  }

  private isMember(groupID: string): boolean {
    return (this.members.get(groupID) ?? []).some((m) => m.userID === this.userID);
  }

  private selfInfoFor(groupID: string): Group['selfInfo'] {
    const me = (this.members.get(groupID) ?? []).find((m) => m.userID === this.userID);
    return me
      ? {
          role: me.role,
          messageRemindType: '',
          joinTime: me.joinTime,
          nameCard: '',
          readedSequence: 0,
        }
      : {};
  }

  async joinGroup(options: { groupID: string }) {
    this.record('joinGroup', options);
    const group = this.groups.get(options.groupID);
    if (!group) throw new FakeError(10010, 'group not found');
    if (this.isMember(options.groupID)) return ok({ status: 'AlreadyInGroup' });
    if (group.joinOption === 'NeedPermission') return ok({ status: 'WaitAdminApproval' });
    this.members.set(options.groupID, [
      ...(this.members.get(options.groupID) ?? []),
      makeMember({ userID: this.userID }),
    ]);
    this.groups.set(options.groupID, { ...group, memberCount: group.memberCount + 1 });
    this.emit(EVENT.GROUP_LIST_UPDATED, [...this.groups.values()]);
    return ok({ status: 'JoinedSuccess', group });
  }

  async quitGroup(groupID: string) {
    this.record('quitGroup', groupID);
    const group = this.groups.get(groupID);
    if (!group) throw new FakeError(10010, 'group not found');
    const me = (this.members.get(groupID) ?? []).find((m) => m.userID === this.userID);
    if (!me) throw new FakeError(10007, 'not a member');
    if (me.role === 'Owner' && group.type !== 'Private') {
      throw new FakeError(10009, 'the owner cannot quit');
    }
    this.members.set(
      groupID,
      (this.members.get(groupID) ?? []).filter((m) => m.userID !== this.userID),
    );
    this.groups.set(groupID, { ...group, memberCount: group.memberCount - 1 });
    this.emit(EVENT.GROUP_LIST_UPDATED, [...this.groups.values()]);
    return ok({ groupID });
  }

  async getGroupList() {
    this.record('getGroupList');
    const groupList = [...this.groups.values()].filter((g) => this.isMember(g.groupID));
    return ok({ groupList });
  }

  async getGroupProfile(options: { groupID: string }) {
    this.record('getGroupProfile', options);
    const group = this.groups.get(options.groupID);
    if (!group) throw new FakeError(10010, 'group not found');
    return ok({ group: { ...group, selfInfo: this.selfInfoFor(options.groupID) } });
  }

  async getGroupMemberList(options: { groupID: string; count?: number; offset?: number }) {
    this.record('getGroupMemberList', options);
    if (!this.groups.has(options.groupID)) throw new FakeError(10010, 'group not found');
    if (!this.isMember(options.groupID)) throw new FakeError(10007, 'not a member');
    const list = this.members.get(options.groupID) ?? [];
    const offset = options.offset ?? 0;
    const memberList = list.slice(offset, offset + (options.count ?? 15));
    return ok({ memberList, offset: offset + memberList.length });
  }

  async getMyProfile() {
    this.record('getMyProfile');
    return ok(this.profiles.get(this.userID) ?? makeProfile({ userID: this.userID }));
  }

  async getUserProfile(options: { userIDList: string[] }) {
    this.record('getUserProfile', options);
    return ok(options.userIDList.map((id) => this.profiles.get(id) ?? makeProfile({ userID: id })));
  }

  async updateMyProfile(options: UpdateMyProfileOptions) {
    this.record('updateMyProfile', options);
    const profile = { ...makeProfile({ userID: this.userID }), ...options };
    this.profiles.set(this.userID, profile);
    return ok(profile);
  }

  // --- message lifecycle (in memory) ---

  private readonly files = new Map<string, Blob>();
  private readonly progressHandlers = new Map<string, (percent: number) => void>();

  /** Report upload progress (0..1) of every held upload. */
  uploadProgress(percent: number): void {
    for (const u of this.uploads) u.onProgress?.(percent);
  }

  finishUploads(): void {
    for (const u of this.uploads.splice(0)) u.resolve();
  }

  private stored(message: Message): Message | undefined {
    return (this.messages.get(message.conversationID) ?? []).find((m) => m.ID === message.ID);
  }

  private store(message: Message): void {
    const list = this.messages.get(message.conversationID) ?? [];
    this.messages.set(
      message.conversationID,
      list.map((m) => (m.ID === message.ID ? message : m)),
    );
  }

  private create(method: string, type: string, options: MessageOptions, payload: unknown): Message {
    this.record(method, options);
    const message = makeMessage({
      conversationID: conversationIDOf(options.conversationType, options.to),
      conversationType: options.conversationType,
      to: options.to,
      from: this.userID,
      flow: 'out',
      type,
      payload: payload as Message['payload'],
      status: 'unSend',
      sequence: 0,
      cloudCustomData: options.cloudCustomData ?? '',
      needReadReceipt: Boolean(options.needReadReceipt),
      priority: options.priority ?? 'Normal',
    });
    const file = (options.payload as { file?: unknown } | undefined)?.file;
    if (file instanceof Blob) this.files.set(message.ID, file);
    if (options.onProgress) this.progressHandlers.set(message.ID, options.onProgress);
    return message;
  }

  private filePayload(type: string, options: MessageOptions<{ file: unknown }>) {
    const file = options.payload.file as File;
    if (type === 'TIMFileElem') {
      return { uuid: '', fileUrl: '', fileName: file?.name ?? '', fileSize: file?.size ?? 0 };
    }
    if (type === 'TIMImageElem') return { uuid: '', imageFormat: '', imageInfoArray: [] };
    if (type === 'TIMSoundElem') return { uuid: '', url: '', second: 0, size: file?.size ?? 0 };
    return {
      videoUUID: '',
      videoUrl: '',
      videoSecond: 0,
      videoFormat: '',
      videoSize: file?.size ?? 0,
      thumbUUID: '',
      thumbUrl: '',
      thumbWidth: 0,
      thumbHeight: 0,
    };
  }

  createTextAtMessage(options: MessageOptions<{ text: string; atUserList: string[] }>): Message {
    const m = this.create('createTextAtMessage', 'TIMTextElem', options, {
      text: options.payload.text,
    });
    return { ...m, atUserList: [...options.payload.atUserList] };
  }
  createCustomMessage(
    options: MessageOptions<{ data: string; description?: string; extension?: string }>,
  ): Message {
    return this.create('createCustomMessage', 'TIMCustomElem', options, {
      data: options.payload.data,
      description: options.payload.description ?? '',
      extension: options.payload.extension ?? '',
    });
  }
  createFaceMessage(options: MessageOptions<{ index: number; data: string }>): Message {
    return this.create('createFaceMessage', 'TIMFaceElem', options, { ...options.payload });
  }
  createLocationMessage(
    options: MessageOptions<{ description: string; longitude: number; latitude: number }>,
  ): Message {
    return this.create('createLocationMessage', 'TIMLocationElem', options, {
      ...options.payload,
    });
  }
  createImageMessage(options: MessageOptions<{ file: unknown }>): Message {
    const p = this.filePayload('TIMImageElem', options);
    return this.create('createImageMessage', 'TIMImageElem', options, p);
  }
  createFileMessage(options: MessageOptions<{ file: unknown }>): Message {
    const p = this.filePayload('TIMFileElem', options);
    return this.create('createFileMessage', 'TIMFileElem', options, p);
  }
  createAudioMessage(options: MessageOptions<{ file: unknown; duration?: number }>): Message {
    const p = this.filePayload('TIMSoundElem', options);
    return this.create('createAudioMessage', 'TIMSoundElem', options, p);
  }
  createVideoMessage(options: MessageOptions<{ file: unknown }>): Message {
    const p = this.filePayload('TIMVideoFileElem', options);
    return this.create('createVideoMessage', 'TIMVideoFileElem', options, p);
  }
  createMergerMessage(
    options: MessageOptions<{
      messageList: Message[];
      title: string;
      abstractList: string[];
      compatibleText: string;
    }>,
  ): Message {
    return this.create('createMergerMessage', 'TIMRelayElem', options, {
      title: options.payload.title,
      abstractList: options.payload.abstractList,
      compatibleText: options.payload.compatibleText,
      messageList: options.payload.messageList,
      downloadKey: '',
      layersOverLimit: false,
    });
  }
  createForwardMessage(options: MessageOptions<Message>): Message {
    const original = options.payload;
    const m = this.create('createForwardMessage', original.type, options, original.payload);
    return { ...m, atUserList: [] };
  }
  async downloadMergerMessage(message: Message): Promise<Message> {
    this.record('downloadMergerMessage', message);
    const key = String((message.payload as { downloadKey?: unknown }).downloadKey ?? '');
    const list = this.mergerStore.get(key);
    if (!list) throw new FakeError(20026, 'merged messages not found');
    return { ...message, payload: { ...message.payload, messageList: list, downloadKey: '' } };
  }
  cancelUploadFile(message: Message): void {
    this.record('cancelUploadFile', message);
    const index = this.uploads.findIndex((u) => u.message.ID === message.ID);
    if (index >= 0) {
      const [upload] = this.uploads.splice(index, 1);
      upload.reject(new FakeError(7009, 'upload cancelled'));
    }
  }
  async resendMessage(message: Message, _options?: SendMessageOptions) {
    this.record('resendMessage', message);
    return this.sendMessage(message);
  }
  async revokeMessage(message: Message) {
    this.record('revokeMessage', message);
    const revoked: Message = {
      ...(this.stored(message) ?? message),
      isRevoked: true,
      revoker: this.userID,
    };
    this.store(revoked);
    this.emit(EVENT.MESSAGE_REVOKED, [revoked]);
    return ok({ message: revoked });
  }
  async modifyMessage(message: Message) {
    this.record('modifyMessage', message);
    if (this.modifyConflict) {
      const latest = this.modifyConflict;
      this.modifyConflict = null;
      this.store(latest);
      throw new FakeError(2480, 'the message was modified by someone else', { message: latest });
    }
    const current = this.stored(message) ?? message;
    const modified: Message = {
      ...current,
      payload: message.payload,
      cloudCustomData: message.cloudCustomData,
      isModified: true,
      version: current.version + 1,
    };
    this.store(modified);
    this.emit(EVENT.MESSAGE_MODIFIED, [modified]);
    return ok({ message: modified });
  }
  async deleteMessage(messageList: Message[]) {
    this.record('deleteMessage', messageList);
    const ids = new Set(messageList.map((m) => m.ID));
    for (const [id, list] of this.messages) {
      this.messages.set(
        id,
        list.filter((m) => !ids.has(m.ID)),
      );
    }
    return ok({ messageList: messageList.map((m) => ({ ...m, isDeleted: true })) });
  }
  async clearHistoryMessage(conversationID: string) {
    this.record('clearHistoryMessage', conversationID);
    this.messages.set(conversationID, []);
    return ok({} as Record<string, never>);
  }
  findMessage(messageID: string): Message | null {
    for (const list of this.messages.values()) {
      const found = list.find((m) => m.ID === messageID);
      if (found) return found;
    }
    return null;
  }
  async getMessageListHopping(options: {
    conversationID: string;
    sequence?: number;
    time?: number;
    direction?: 0 | 1;
    count?: number;
  }) {
    this.record('getMessageListHopping', options);
    const all = this.messages.get(options.conversationID) ?? [];
    const count = options.count ?? 15;
    const anchor = options.sequence ?? Number.MAX_SAFE_INTEGER;
    const messageList =
      options.direction === 1
        ? all.filter((m) => m.sequence >= anchor).slice(0, count)
        : all.filter((m) => m.sequence <= anchor).slice(-count);
    return ok({ messageList });
  }
  async sendMessageReadReceipt(messageList: Message[]) {
    this.record('sendMessageReadReceipt', messageList);
    return ok({} as Record<string, never>);
  }
  async getMessageReadReceiptList(messageList: Message[]) {
    this.record('getMessageReadReceiptList', messageList);
    return ok({ messageList: messageList.map((m) => this.stored(m) ?? m) });
  }
  async getGroupMessageReadMemberList(options: {
    message: Message;
    filter: 0 | 1;
    cursor?: string;
    count?: number;
  }) {
    this.record('getGroupMessageReadMemberList', options);
    const lists = this.readMembers.get(options.message.ID);
    if (!lists) throw new FakeError(10062, 'read receipt info not found');
    const all = options.filter === 0 ? lists.read : lists.unread;
    const start = Number(options.cursor || 0);
    const page = all.slice(start, start + (options.count ?? 100));
    const end = start + page.length;
    return ok({
      isCompleted: end >= all.length,
      cursor: end >= all.length ? '' : String(end),
      messageID: options.message.ID,
      ...(options.filter === 0 ? { readUserIDList: page } : { unreadUserIDList: page }),
    });
  }
  async setMessageRemindType(options: {
    groupID?: string;
    userIDList?: string[];
    messageRemindType: string;
  }) {
    this.record('setMessageRemindType', options);
    return ok({});
  }
  async setAllReceiveMessageOpt(options: Record<string, unknown>) {
    this.record('setAllReceiveMessageOpt', options);
    return ok({} as Record<string, never>);
  }
  async getAllReceiveMessageOpt() {
    this.record('getAllReceiveMessageOpt');
    return ok({} as Record<string, unknown>);
  }
  async setMessageExtensions(message: Message, extensions: MessageExtension[]) {
    this.record('setMessageExtensions', message, extensions);
    const current = new Map((this.extensions.get(message.ID) ?? []).map((e) => [e.key, e]));
    for (const e of extensions) current.set(e.key, e);
    this.extensions.set(message.ID, [...current.values()]);
    return ok({ successExtensionList: extensions, failureExtensionList: [] });
  }
  async getMessageExtensions(message: Message) {
    this.record('getMessageExtensions', message);
    return ok({ extensionList: this.extensions.get(message.ID) ?? [] });
  }
  async deleteMessageExtensions(message: Message, keyList?: string[]) {
    this.record('deleteMessageExtensions', message, keyList);
    const current = this.extensions.get(message.ID) ?? [];
    const removed = current.filter((e) => !keyList || keyList.includes(e.key));
    this.extensions.set(
      message.ID,
      current.filter((e) => !removed.includes(e)),
    );
    return ok({ successExtensionList: removed, failureExtensionList: [] });
  }

  /** The reaction list of a message as `userID` sees it. */
  reactionList(messageID: string, userID = this.userID): Reaction[] {
    return [...(this.reactions.get(messageID) ?? new Map<string, string[]>())]
      .filter(([, users]) => users.length > 0)
      .map(([reactionID, users]) => ({
        reactionID,
        totalUserCount: users.length,
        partialUserList: users.slice(0, 10).map((u) => ({ userID: u, nick: '', avatar: '' })),
        reactedByMyself: users.includes(userID),
      }));
  }

  private react(message: Message, reactionID: string, add: boolean) {
    const byReaction = this.reactions.get(message.ID) ?? new Map<string, string[]>();
    const users = (byReaction.get(reactionID) ?? []).filter((u) => u !== this.userID);
    if (add) users.push(this.userID);
    byReaction.set(reactionID, users);
    this.reactions.set(message.ID, byReaction);
    this.emit(EVENT.MESSAGE_REACTIONS_UPDATED, {
      conversationID: message.conversationID,
      messageID: message.ID,
      reactionList: this.reactionList(message.ID),
    });
    return ok({ message, reactionID });
  }
  async addMessageReaction(message: Message, reactionID: string) {
    this.record('addMessageReaction', message, reactionID);
    return this.react(message, reactionID, true);
  }
  async removeMessageReaction(message: Message, reactionID: string) {
    this.record('removeMessageReaction', message, reactionID);
    return this.react(message, reactionID, false);
  }
  async getMessageReactions(options: { messageList: Message[]; maxUserCountPerReaction?: number }) {
    this.record('getMessageReactions', options);
    return ok({
      resultList: options.messageList.map((m) => ({
        messageID: m.ID,
        reactionList: this.reactionList(m.ID),
      })),
    });
  }
  async getAllUserListOfMessageReaction(options: {
    message: Message;
    reactionID: string;
    nextSeq?: number;
    count?: number;
  }) {
    this.record('getAllUserListOfMessageReaction', options);
    const users = this.reactions.get(options.message.ID)?.get(options.reactionID) ?? [];
    return ok({
      userList: users.map((u) => ({ userID: u, nick: '', avatar: '' })),
      nextSeq: 0,
      isCompleted: true,
    });
  }
  async pinGroupMessage(options: { groupID: string; message: Message; isPinned: boolean }) {
    this.record('pinGroupMessage', options);
    const list = (this.pinned.get(options.groupID) ?? []).filter(
      (m) => m.ID !== options.message.ID,
    );
    const next = options.isPinned ? [options.message, ...list] : list;
    this.pinned.set(options.groupID, next);
    this.emit(EVENT.PINNED_GROUP_MESSAGE_UPDATED, {
      groupID: options.groupID,
      pinnedMessageList: next,
    });
    return ok({} as Record<string, never>);
  }
  async getPinnedGroupMessageList(groupID: string) {
    this.record('getPinnedGroupMessageList', groupID);
    return ok({ messageList: this.pinned.get(groupID) ?? [] });
  }
  async translateText(options: {
    sourceTextList: string[];
    sourceLanguage?: string;
    targetLanguage: string;
  }) {
    this.record('translateText', options);
    const translate = this.translator;
    if (!translate) throw new FakeError(2118, 'No translator is configured on this server');
    return ok({
      translatedTextList: options.sourceTextList.map((t) => translate(t, options.targetLanguage)),
    });
  }
  async sendTypingStatus(options: { userID: string; typing: boolean }): Promise<void> {
    this.record('sendTypingStatus', options);
  }

  // --- conversations (issue 4) ---

  /** Conversation group names (getConversationGroupList). */
  conversationGroups: string[] = [];

  private patchConversations(ids: string[], patch: (c: Conversation) => Conversation) {
    const want = new Set(ids);
    const success = this.conversations.filter((c) => want.has(c.conversationID));
    this.updateConversations(
      this.conversations.map((c) => (want.has(c.conversationID) ? patch(c) : c)),
    );
    const found = new Set(success.map((c) => c.conversationID));
    return ok<ConversationBatchResult>({
      successConversationIDList: ids.filter((id) => found.has(id)),
      failureConversationIDList: ids
        .filter((id) => !found.has(id))
        .map((conversationID) => ({ conversationID, code: 51007, message: 'not in the list' })),
    });
  }
  async deleteConversation(
    options: string | { conversationIDList: string[]; clearHistoryMessage?: boolean },
  ) {
    this.record('deleteConversation', options);
    const ids = typeof options === 'string' ? [options] : options.conversationIDList;
    this.updateConversations(this.conversations.filter((c) => !ids.includes(c.conversationID)));
    return ok({ conversationIDList: ids });
  }
  async pinConversation(options: { conversationID: string; isPinned: boolean }) {
    this.record('pinConversation', options);
    this.patchConversations([options.conversationID], (c) => ({
      ...c,
      isPinned: options.isPinned,
    }));
    return ok({ conversationID: options.conversationID });
  }
  async setConversationDraft(options: { conversationID: string; draftText: string }) {
    this.record('setConversationDraft', options);
    this.patchConversations([options.conversationID], (c) => ({
      ...c,
      draftText: options.draftText,
    }));
    return ok({ conversationID: options.conversationID });
  }
  async markConversation(options: {
    conversationIDList: string[];
    markType: number;
    enableMark: boolean;
  }) {
    this.record('markConversation', options);
    return this.patchConversations(options.conversationIDList, (c) => ({
      ...c,
      markList: options.enableMark
        ? [...new Set([...c.markList, options.markType])]
        : c.markList.filter((m) => m !== options.markType),
    }));
  }
  async setConversationCustomData(options: { conversationIDList: string[]; customData: string }) {
    this.record('setConversationCustomData', options);
    return this.patchConversations(options.conversationIDList, (c) => ({
      ...c,
      customData: options.customData,
    }));
  }
  async setAllMessageRead(options?: { scope?: string }) {
    this.record('setAllMessageRead', options);
    this.updateConversations(this.conversations.map((c) => ({ ...c, unreadCount: 0 })));
    return ok({} as Record<string, never>);
  }
  private setGroups(names: string[]) {
    this.conversationGroups = names;
    this.emit(EVENT.CONVERSATION_GROUP_LIST_UPDATED, names);
  }
  async createConversationGroup(options: { groupName: string; conversationIDList: string[] }) {
    this.record('createConversationGroup', options);
    this.setGroups([...this.conversationGroups, options.groupName]);
    return this.patchConversations(options.conversationIDList, (c) => ({
      ...c,
      conversationGroupList: [...c.conversationGroupList, options.groupName],
    }));
  }
  async getConversationGroupList() {
    this.record('getConversationGroupList');
    return ok([...this.conversationGroups]);
  }
  async deleteConversationGroup(groupName: string) {
    this.record('deleteConversationGroup', groupName);
    this.setGroups(this.conversationGroups.filter((g) => g !== groupName));
    this.updateConversations(
      this.conversations.map((c) => ({
        ...c,
        conversationGroupList: c.conversationGroupList.filter((g) => g !== groupName),
      })),
    );
    return ok({} as Record<string, never>);
  }
  async renameConversationGroup(options: { oldName: string; newName: string }) {
    this.record('renameConversationGroup', options);
    const rename = (g: string) => (g === options.oldName ? options.newName : g);
    this.setGroups(this.conversationGroups.map(rename));
    this.updateConversations(
      this.conversations.map((c) => ({
        ...c,
        conversationGroupList: c.conversationGroupList.map(rename),
      })),
    );
    return ok({} as Record<string, never>);
  }
  async addConversationsToGroup(options: { groupName: string; conversationIDList: string[] }) {
    this.record('addConversationsToGroup', options);
    return this.patchConversations(options.conversationIDList, (c) => ({
      ...c,
      conversationGroupList: [...new Set([...c.conversationGroupList, options.groupName])],
    }));
  }
  async deleteConversationsFromGroup(options: { groupName: string; conversationIDList: string[] }) {
    this.record('deleteConversationsFromGroup', options);
    return this.patchConversations(options.conversationIDList, (c) => ({
      ...c,
      conversationGroupList: c.conversationGroupList.filter((g) => g !== options.groupName),
    }));
  }

  // [issue 5: groups] the group administration API over the in-memory model (no rule checks:
  // the server's rules are tested in test/server/group-rules.test.ts).
  applications: GroupApplication[] = [];

  private groupOf(groupID: string): Group {
    const group = this.groups.get(groupID);
    if (!group) throw new FakeError(10010, 'group not found');
    return group;
  }
  private changeMember(groupID: string, userID: string, patch: Partial<GroupMember>) {
    const list = this.members.get(groupID) ?? [];
    const member = list.find((m) => m.userID === userID);
    if (!member) throw new FakeError(10004, `${userID} is not a member`);
    Object.assign(member, patch);
    this.emit(EVENT.GROUP_LIST_UPDATED, [...this.groups.values()]);
    return ok({ group: this.groupOf(groupID), member: { ...member } });
  }
  private groupChanged(groupID: string, patch: Partial<Group>) {
    const group = { ...this.groupOf(groupID), ...patch };
    this.groups.set(groupID, group);
    this.emit(EVENT.GROUP_LIST_UPDATED, [...this.groups.values()]);
    return ok({ group });
  }
  async dismissGroup(groupID: string) {
    this.record('dismissGroup', groupID);
    this.groupOf(groupID);
    this.groups.delete(groupID);
    this.members.delete(groupID);
    this.emit(EVENT.GROUP_LIST_UPDATED, [...this.groups.values()]);
    return ok({ groupID });
  }
  async addGroupMember(options: { groupID: string; userIDList: string[] }) {
    this.record('addGroupMember', options);
    const list = this.members.get(options.groupID) ?? [];
    const added = options.userIDList.filter((u) => !list.some((m) => m.userID === u));
    this.members.set(options.groupID, [...list, ...added.map((userID) => makeMember({ userID }))]);
    const res = this.groupChanged(options.groupID, { memberCount: list.length + added.length });
    return ok({
      successUserIDList: added,
      failureUserIDList: [] as string[],
      existedUserIDList: options.userIDList.filter((u) => !added.includes(u)),
      group: res.data.group,
    });
  }
  async deleteGroupMember(options: { groupID: string; userIDList: string[]; reason?: string }) {
    this.record('deleteGroupMember', options);
    const list = (this.members.get(options.groupID) ?? []).filter(
      (m) => !options.userIDList.includes(m.userID),
    );
    this.members.set(options.groupID, list);
    const res = this.groupChanged(options.groupID, { memberCount: list.length });
    return ok({ group: res.data.group, userIDList: options.userIDList });
  }
  async getGroupApplicationList() {
    this.record('getGroupApplicationList');
    return ok({ applicationList: [...this.applications] });
  }
  async handleGroupApplication(options: {
    handleAction: 'Agree' | 'Reject';
    handleMessage?: string;
    message?: Message;
    groupID?: string;
    userID?: string;
  }) {
    this.record('handleGroupApplication', options);
    this.applications = this.applications.filter(
      (a) => !(a.groupID === options.groupID && a.applicant === options.userID),
    );
    if (options.handleAction === 'Agree' && options.groupID && options.userID) {
      await this.addGroupMember({ groupID: options.groupID, userIDList: [options.userID] });
    }
    return ok({ group: this.groupOf(options.groupID ?? '') });
  }
  async changeGroupOwner(options: { groupID: string; newOwnerID: string }) {
    this.record('changeGroupOwner', options);
    for (const m of this.members.get(options.groupID) ?? []) {
      if (m.role === 'Owner') m.role = 'Member';
      if (m.userID === options.newOwnerID) m.role = 'Owner';
    }
    return this.groupChanged(options.groupID, { ownerID: options.newOwnerID });
  }
  async updateGroupProfile(options: UpdateGroupProfileOptions) {
    this.record('updateGroupProfile', options);
    const { groupID, maxMemberNum, joinOption, ...rest } = options;
    return this.groupChanged(groupID, {
      ...rest,
      ...(maxMemberNum !== undefined ? { maxMemberCount: maxMemberNum } : {}),
      ...(joinOption !== undefined ? { joinOption: joinOption as Group['joinOption'] } : {}),
    });
  }
  async setGroupMemberRole(options: { groupID: string; userID: string; role: 'Admin' | 'Member' }) {
    this.record('setGroupMemberRole', options);
    return this.changeMember(options.groupID, options.userID, { role: options.role });
  }
  async setGroupMemberMuteTime(options: { groupID: string; userID: string; muteTime: number }) {
    this.record('setGroupMemberMuteTime', options);
    const muteUntil = options.muteTime ? now() + options.muteTime : 0;
    return this.changeMember(options.groupID, options.userID, { muteUntil });
  }
  async setGroupMemberNameCard(options: { groupID: string; userID?: string; nameCard: string }) {
    this.record('setGroupMemberNameCard', options);
    return this.changeMember(options.groupID, options.userID ?? this.userID, {
      nameCard: options.nameCard,
    });
  }
  async setGroupMemberCustomField(options: {
    groupID: string;
    userID?: string;
    memberCustomField: { key: string; value: string }[];
  }) {
    this.record('setGroupMemberCustomField', options);
    return this.changeMember(options.groupID, options.userID ?? this.userID, {
      memberCustomField: options.memberCustomField,
    });
  }
  async getGroupMemberProfile(options: { groupID: string; userIDList: string[] }) {
    this.record('getGroupMemberProfile', options);
    const list = this.members.get(options.groupID) ?? [];
    return ok({ memberList: list.filter((m) => options.userIDList.includes(m.userID)) });
  }
  async searchGroupByID(groupID: string) {
    this.record('searchGroupByID', groupID);
    return ok({ group: this.groupOf(groupID) });
  }
  /** Members online: those listed in `onlineUsers`. */
  onlineUsers = new Set<string>();
  async getGroupOnlineMemberCount(groupID: string) {
    this.record('getGroupOnlineMemberCount', groupID);
    const list = this.members.get(groupID) ?? [];
    return ok({ memberCount: list.filter((m) => this.onlineUsers.has(m.userID)).length });
  }
  attributes = new Map<string, Record<string, string>>();
  async initGroupAttributes(options: { groupID: string; groupAttributes: Record<string, string> }) {
    this.record('initGroupAttributes', options);
    this.attributes.set(options.groupID, { ...options.groupAttributes });
    return ok({ groupAttributes: { ...options.groupAttributes } });
  }
  async setGroupAttributes(options: { groupID: string; groupAttributes: Record<string, string> }) {
    this.record('setGroupAttributes', options);
    const next = { ...this.attributes.get(options.groupID), ...options.groupAttributes };
    this.attributes.set(options.groupID, next);
    return ok({ groupAttributes: next });
  }
  async deleteGroupAttributes(options: { groupID: string; keyList: string[] }) {
    this.record('deleteGroupAttributes', options);
    const next = { ...this.attributes.get(options.groupID) };
    for (const k of options.keyList) delete next[k];
    this.attributes.set(options.groupID, next);
    return ok({ keyList: options.keyList });
  }
  async getGroupAttributes(options: { groupID: string; keyList?: string[] }) {
    this.record('getGroupAttributes', options);
    return ok({ groupAttributes: { ...this.attributes.get(options.groupID) } });
  }
  counters = new Map<string, Record<string, number>>();
  async setGroupCounters(options: { groupID: string; counters: Record<string, number> }) {
    this.record('setGroupCounters', options);
    const next = { ...this.counters.get(options.groupID), ...options.counters };
    this.counters.set(options.groupID, next);
    return ok({ counters: next });
  }
  async increaseGroupCounter(options: { groupID: string; key: string; value: number }) {
    this.record('increaseGroupCounter', options);
    const next = { ...this.counters.get(options.groupID) };
    next[options.key] = (next[options.key] ?? 0) + options.value;
    this.counters.set(options.groupID, next);
    return ok({ groupID: options.groupID, key: options.key, value: next[options.key] });
  }
  async decreaseGroupCounter(options: { groupID: string; key: string; value: number }) {
    return this.increaseGroupCounter({ ...options, value: -options.value });
  }
  topics = new Map<string, Topic[]>();
  async createTopicInCommunity(options: { groupID: string; topicName: string; topicID?: string }) {
    this.record('createTopicInCommunity', options);
    const topicID = options.topicID ?? `${options.groupID}@TOPIC#_${this.topics.size + 1}`;
    const topic: Topic = {
      topicID,
      topicName: options.topicName,
      avatar: '',
      introduction: '',
      notification: '',
      customData: '',
      muteAllMembers: false,
      createTime: now(),
    };
    this.topics.set(options.groupID, [...(this.topics.get(options.groupID) ?? []), topic]);
    this.emit(EVENT.TOPIC_CREATED, { groupID: options.groupID, topicID });
    return ok({ topicID });
  }
  async getTopicList(options: { groupID: string; topicIDList?: string[] }) {
    this.record('getTopicList', options);
    return ok({
      successTopicList: [...(this.topics.get(options.groupID) ?? [])],
      failureTopicList: [],
    });
  }
  async updateTopicProfile(options: { groupID: string; topicID: string; topicName?: string }) {
    this.record('updateTopicProfile', options);
    const topic = (this.topics.get(options.groupID) ?? []).find(
      (t) => t.topicID === options.topicID,
    );
    if (!topic) throw new FakeError(10004, 'no such topic');
    if (options.topicName) topic.topicName = options.topicName;
    return ok({ topic: { ...topic } });
  }
  async deleteTopicFromCommunity(options: { groupID: string; topicIDList?: string[] }) {
    this.record('deleteTopicFromCommunity', options);
    const list = this.topics.get(options.groupID) ?? [];
    const ids = options.topicIDList ?? list.map((t) => t.topicID);
    this.topics.set(
      options.groupID,
      list.filter((t) => !ids.includes(t.topicID)),
    );
    return ok({ successTopicList: ids.map((topicID) => ({ topicID })), failureTopicList: [] });
  }
  async getJoinedCommunityList() {
    this.record('getJoinedCommunityList');
    return ok({ groupList: [...this.groups.values()].filter((g) => g.isSupportTopic) });
  }
  async getGroupCounters(options: { groupID: string; keyList?: string[] }) {
    this.record('getGroupCounters', options);
    return ok({ counters: { ...this.counters.get(options.groupID) } });
  }
}

// [issue 6: users and relationships]
// The relation methods live in fake-relations.ts and are installed on the prototype.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface FakeChatClient extends FakeRelationsApi {}
installFakeRelations(FakeChatClient);
