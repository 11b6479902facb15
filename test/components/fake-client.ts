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
  type Profile,
} from '../../src/protocol/types.js';

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
    });
  }

  async sendMessage(message: Message) {
    this.record('sendMessage', message);
    if (this.holdSends) {
      await new Promise<void>((resolve, reject) => this.held.push({ message, resolve, reject }));
    }
    if (this.failSends) throw this.failSends;
    const sent: Message = { ...message, status: 'success', sequence: ++this.sequence, time: now() };
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
}
