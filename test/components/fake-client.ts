/**
 * An in-memory ChatClient for component tests: conversations, messages, groups and members held
 * in plain arrays, events through on/off with `{name, data}`, every call recorded in `calls`.
 * Tests drive it with `emit()` and the helpers below; nothing touches the network.
 */
import { MESSAGE_DEFAULTS } from '../../src/protocol/types.js';
import type {
  ChatClient,
  CreateGroupOptions,
  CreateTextMessageOptions,
  GetMessageListOptions,
  IMEventHandler,
  MessageOptions,
  SendMessageOptions,
  UpdateMyProfileOptions,
} from '../../src/core/client-types.js';
import { EVENT, type NetState } from '../../src/protocol/constants.js';
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

  async getConversationList() {
    this.record('getConversationList');
    if (this.conversationListError) throw this.conversationListError;
    return ok({ conversationList: [...this.conversations] });
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
}

// [issue 6: users and relationships]
// The relation methods live in fake-relations.ts and are installed on the prototype.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface FakeChatClient extends FakeRelationsApi {}
installFakeRelations(FakeChatClient);
