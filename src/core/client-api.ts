/**
 * The thin part of the client API: methods that check their arguments, ask the engine and pass the
 * answer on (receipts, receive options, extensions, reactions, pins, translation, conversations,
 * groups, profiles). ChatClientImpl (client.ts) builds on it. Messages in answers go through the
 * tab's message memory (findMessage).
 */
import { LIMITS } from '../protocol/constants.js';
import type {
  Conversation,
  Group,
  GroupMember,
  Message,
  MessageExtension,
  Profile,
  Reaction,
} from '../protocol/types.js';
import type { GroupApplication } from '../protocol/wire.js';
import type {
  ChatClient,
  ConversationBatchResult,
  GetConversationListOptions,
  UpdateGroupProfileOptions,
} from './client-types.js';
import { ClientCore } from './client-core.js';
import { mergeReceipts, messageRef, sameConversation } from './message-args.js';
import { MessageMemory } from './message-memory.js';

type ExtensionResult = {
  successExtensionList: MessageExtension[];
  failureExtensionList: (MessageExtension & { code: number })[];
};

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class ClientApi extends ClientCore {
  protected readonly memory = new MessageMemory();

  // --- receipts and receive options ---

  async sendMessageReadReceipt(messageList: Message[]) {
    const { conversationID, messages } = sameConversation(
      'sendMessageReadReceipt',
      messageList,
      LIMITS.readReceiptsPerCall,
    );
    return this.call<Record<string, never>>('sendMessageReadReceipt', {
      conversationID,
      messageIDList: messages.map((m) => m.ID),
    });
  }

  /** Fills `readReceiptInfo` of the given messages and resolves with them. */
  async getMessageReadReceiptList(messageList: Message[]) {
    const { conversationID, messages } = sameConversation(
      'getMessageReadReceiptList',
      messageList,
      LIMITS.readReceiptsPerCall,
    );
    const res = await this.call('getMessageReadReceiptList', {
      conversationID,
      messageIDList: messages.map((m) => m.ID),
    });
    mergeReceipts(messages, res.data);
    return { code: 0 as const, data: { messageList: messages } };
  }

  getGroupMessageReadMemberList(
    options: Parameters<ChatClient['getGroupMessageReadMemberList']>[0],
  ) {
    const ref = messageRef('getGroupMessageReadMemberList', options?.message);
    type Result = Awaited<ReturnType<ChatClient['getGroupMessageReadMemberList']>>['data'];
    return this.call<Result>('getGroupMessageReadMemberList', {
      ...ref,
      filter: options.filter ?? 0,
      cursor: options.cursor ?? '',
      count: options.count ?? LIMITS.readMemberListPage,
    });
  }

  setMessageRemindType(options: Parameters<ChatClient['setMessageRemindType']>[0]) {
    return this.call<unknown>('setMessageRemindType', options);
  }
  setAllReceiveMessageOpt(options: Parameters<ChatClient['setAllReceiveMessageOpt']>[0]) {
    return this.call<Record<string, never>>('setAllReceiveMessageOpt', options ?? {});
  }
  getAllReceiveMessageOpt() {
    return this.call<Record<string, unknown>>('getAllReceiveMessageOpt', {});
  }

  // --- extensions, reactions, pins, translation ---

  setMessageExtensions(message: Message, extensions: MessageExtension[]) {
    const ref = messageRef('setMessageExtensions', message);
    return this.call<ExtensionResult>('setMessageExtensions', {
      ...ref,
      extensionList: extensions,
    });
  }
  getMessageExtensions(message: Message) {
    const ref = messageRef('getMessageExtensions', message);
    return this.call<{ extensionList: MessageExtension[] }>('getMessageExtensions', ref);
  }
  deleteMessageExtensions(message: Message, keyList?: string[]) {
    const ref = messageRef('deleteMessageExtensions', message);
    return this.call<ExtensionResult>('deleteMessageExtensions', { ...ref, keyList });
  }

  async addMessageReaction(message: Message, reactionID: string) {
    await this.call('addMessageReaction', {
      ...messageRef('addMessageReaction', message),
      reactionID,
    });
    return { code: 0 as const, data: { message, reactionID } };
  }
  async removeMessageReaction(message: Message, reactionID: string) {
    const ref = messageRef('removeMessageReaction', message);
    await this.call('removeMessageReaction', { ...ref, reactionID });
    return { code: 0 as const, data: { message, reactionID } };
  }
  getMessageReactions(options: { messageList: Message[]; maxUserCountPerReaction?: number }) {
    const { conversationID, messages } = sameConversation(
      'getMessageReactions',
      options?.messageList,
      LIMITS.messageListPage,
    );
    return this.call<{ resultList: { messageID: string; reactionList: Reaction[] }[] }>(
      'getMessageReactions',
      {
        conversationID,
        messageIDList: messages.map((m) => m.ID),
        maxUserCountPerReaction: options.maxUserCountPerReaction,
      },
    );
  }
  getAllUserListOfMessageReaction(
    options: Parameters<ChatClient['getAllUserListOfMessageReaction']>[0],
  ) {
    const ref = messageRef('getAllUserListOfMessageReaction', options?.message);
    type Result = Awaited<ReturnType<ChatClient['getAllUserListOfMessageReaction']>>['data'];
    return this.call<Result>('getAllUserListOfMessageReaction', {
      ...ref,
      reactionID: options.reactionID,
      nextSeq: options.nextSeq,
      count: options.count,
    });
  }

  pinGroupMessage(options: { groupID: string; message: Message; isPinned: boolean }) {
    const { messageID } = messageRef('pinGroupMessage', options?.message);
    return this.call<Record<string, never>>('pinGroupMessage', {
      groupID: options.groupID,
      messageID,
      isPinned: options.isPinned,
    });
  }
  async getPinnedGroupMessageList(groupID: string) {
    const res = await this.call<{ messageList: Message[] }>('getPinnedGroupMessageList', {
      groupID,
    });
    res.data.messageList = this.memory.adoptAll(res.data.messageList ?? []);
    return res;
  }

  translateText(options: Parameters<ChatClient['translateText']>[0]) {
    return this.call<{ translatedTextList: string[] }>('translateText', options);
  }

  // --- conversations, groups, profiles: same names over RPC ---

  getConversationList(options?: string[] | GetConversationListOptions) {
    return this.call<{
      conversationList: Conversation[];
      isSyncCompleted: boolean;
      nextSeq?: number;
      isFinished?: boolean;
    }>('getConversationList', options);
  }
  getConversationProfile(conversationID: string) {
    return this.call<{ conversation: Conversation }>('getConversationProfile', { conversationID });
  }
  setMessageRead(options: { conversationID: string }) {
    return this.call<Record<string, never>>('setMessageRead', options);
  }
  createGroup(options: Parameters<ChatClient['createGroup']>[0]) {
    return this.call<{ group: Group }>('createGroup', options);
  }
  joinGroup(options: Parameters<ChatClient['joinGroup']>[0]) {
    return this.call<{ status: string; group?: Group }>('joinGroup', options);
  }
  quitGroup(groupID: string) {
    return this.call<{ groupID: string }>('quitGroup', { groupID });
  }
  getGroupList() {
    return this.call<{ groupList: Group[] }>('getGroupList');
  }
  getGroupProfile(options: { groupID: string }) {
    return this.call<{ group: Group }>('getGroupProfile', options);
  }
  getGroupMemberList(options: { groupID: string; count?: number; offset?: number }) {
    return this.call<{ memberList: GroupMember[]; offset: number }>('getGroupMemberList', options);
  }
  getMyProfile() {
    return this.call<Profile>('getMyProfile');
  }
  getUserProfile(options: { userIDList: string[] }) {
    return this.call<Profile[]>('getUserProfile', options);
  }
  updateMyProfile(options: Parameters<ChatClient['updateMyProfile']>[0]) {
    return this.call<Profile>('updateMyProfile', options);
  }

  // [issue 4: conversations]
  async deleteConversation(options: Parameters<ChatClient['deleteConversation']>[0]) {
    if (typeof options === 'string') {
      const res = await this.call<{ conversationIDList: string[] }>('deleteConversation', {
        conversationIDList: [options],
      });
      return { code: 0 as const, data: { ...res.data, conversationID: options } };
    }
    return this.call<{ conversationID?: string; conversationIDList: string[] }>(
      'deleteConversation',
      options,
    );
  }
  pinConversation(options: Parameters<ChatClient['pinConversation']>[0]) {
    return this.call<{ conversationID: string }>('pinConversation', options);
  }
  setConversationDraft(options: Parameters<ChatClient['setConversationDraft']>[0]) {
    return this.call<{ conversationID: string }>('setConversationDraft', options);
  }
  markConversation(options: Parameters<ChatClient['markConversation']>[0]) {
    return this.call<ConversationBatchResult>('markConversation', options);
  }
  setConversationCustomData(options: Parameters<ChatClient['setConversationCustomData']>[0]) {
    return this.call<ConversationBatchResult>('setConversationCustomData', options);
  }
  setAllMessageRead(options?: { scope?: string }) {
    return this.call<Record<string, never>>('setAllMessageRead', options ?? {});
  }
  createConversationGroup(options: Parameters<ChatClient['createConversationGroup']>[0]) {
    return this.call<ConversationBatchResult>('createConversationGroup', options);
  }
  getConversationGroupList() {
    return this.call<string[]>('getConversationGroupList');
  }
  deleteConversationGroup(groupName: string) {
    return this.call<Record<string, never>>('deleteConversationGroup', { groupName });
  }
  renameConversationGroup(options: Parameters<ChatClient['renameConversationGroup']>[0]) {
    return this.call<Record<string, never>>('renameConversationGroup', options);
  }
  addConversationsToGroup(options: Parameters<ChatClient['addConversationsToGroup']>[0]) {
    return this.call<ConversationBatchResult>('addConversationsToGroup', options);
  }
  deleteConversationsFromGroup(options: Parameters<ChatClient['deleteConversationsFromGroup']>[0]) {
    return this.call<ConversationBatchResult>('deleteConversationsFromGroup', options);
  }

  // [issue 5: groups]
  dismissGroup(groupID: string) {
    return this.call<{ groupID: string }>('dismissGroup', { groupID });
  }
  addGroupMember(options: Parameters<ChatClient['addGroupMember']>[0]) {
    type R = Awaited<ReturnType<ChatClient['addGroupMember']>>['data'];
    return this.call<R>('addGroupMember', options);
  }
  deleteGroupMember(options: Parameters<ChatClient['deleteGroupMember']>[0]) {
    return this.call<{ group: Group; userIDList: string[] }>('deleteGroupMember', options);
  }
  getGroupApplicationList() {
    return this.call<{ applicationList: GroupApplication[] }>('getGroupApplicationList');
  }
  handleGroupApplication(options: Parameters<ChatClient['handleGroupApplication']>[0]) {
    const payload = (options?.message?.payload ?? {}) as {
      groupProfile?: { groupID?: string };
      operatorID?: string;
    };
    const application = options?.application;
    return this.call<{ group: Group }>('handleGroupApplication', {
      groupID: options?.groupID ?? application?.groupID ?? payload.groupProfile?.groupID,
      userID: options?.userID ?? application?.applicant ?? payload.operatorID,
      handleAction: options?.handleAction,
      handleMessage: options?.handleMessage,
    });
  }
  changeGroupOwner(options: { groupID: string; newOwnerID: string }) {
    return this.call<{ group: Group }>('changeGroupOwner', options);
  }
  updateGroupProfile(options: UpdateGroupProfileOptions) {
    return this.call<{ group: Group }>('updateGroupProfile', options);
  }
  setGroupMemberRole(options: Parameters<ChatClient['setGroupMemberRole']>[0]) {
    return this.call<{ group: Group; member: GroupMember }>('setGroupMemberRole', options);
  }
  setGroupMemberMuteTime(options: Parameters<ChatClient['setGroupMemberMuteTime']>[0]) {
    return this.call<{ group: Group; member: GroupMember }>('setGroupMemberMuteTime', options);
  }
  setGroupMemberNameCard(options: Parameters<ChatClient['setGroupMemberNameCard']>[0]) {
    return this.call<{ group: Group; member: GroupMember }>('setGroupMemberNameCard', options);
  }
  setGroupMemberCustomField(options: Parameters<ChatClient['setGroupMemberCustomField']>[0]) {
    return this.call<{ group: Group; member: GroupMember }>('setGroupMemberCustomField', options);
  }
  getGroupMemberProfile(options: { groupID: string; userIDList: string[] }) {
    return this.call<{ memberList: GroupMember[] }>('getGroupMemberProfile', options);
  }
  searchGroupByID(groupID: string) {
    return this.call<{ group: Group }>('searchGroupByID', { groupID });
  }
  getGroupOnlineMemberCount(groupID: string) {
    return this.call<{ memberCount: number }>('getGroupOnlineMemberCount', { groupID });
  }
  initGroupAttributes(options: { groupID: string; groupAttributes: Record<string, string> }) {
    return this.call<{ groupAttributes: Record<string, string> }>('initGroupAttributes', options);
  }
  setGroupAttributes(options: { groupID: string; groupAttributes: Record<string, string> }) {
    return this.call<{ groupAttributes: Record<string, string> }>('setGroupAttributes', options);
  }
  deleteGroupAttributes(options: { groupID: string; keyList: string[] }) {
    return this.call<{ keyList: string[] }>('deleteGroupAttributes', options);
  }
  getGroupAttributes(options: { groupID: string; keyList?: string[] }) {
    return this.call<{ groupAttributes: Record<string, string> }>('getGroupAttributes', options);
  }
  setGroupCounters(options: { groupID: string; counters: Record<string, number> }) {
    return this.call<{ counters: Record<string, number> }>('setGroupCounters', options);
  }
  increaseGroupCounter(options: { groupID: string; key: string; value: number }) {
    return this.call<{ groupID: string; key: string; value: number }>(
      'increaseGroupCounter',
      options,
    );
  }
  decreaseGroupCounter(options: { groupID: string; key: string; value: number }) {
    return this.call<{ groupID: string; key: string; value: number }>(
      'decreaseGroupCounter',
      options,
    );
  }
  getGroupCounters(options: { groupID: string; keyList?: string[] }) {
    return this.call<{ counters: Record<string, number> }>('getGroupCounters', options);
  }
  createTopicInCommunity(options: Parameters<ChatClient['createTopicInCommunity']>[0]) {
    return this.call<{ topicID: string }>('createTopicInCommunity', options);
  }
  getTopicList(options: { groupID: string; topicIDList?: string[] }) {
    type R = Awaited<ReturnType<ChatClient['getTopicList']>>['data'];
    return this.call<R>('getTopicList', options);
  }
  updateTopicProfile(options: Parameters<ChatClient['updateTopicProfile']>[0]) {
    type R = Awaited<ReturnType<ChatClient['updateTopicProfile']>>['data'];
    return this.call<R>('updateTopicProfile', options);
  }
  deleteTopicFromCommunity(options: { groupID: string; topicIDList?: string[] }) {
    type R = Awaited<ReturnType<ChatClient['deleteTopicFromCommunity']>>['data'];
    return this.call<R>('deleteTopicFromCommunity', options);
  }
  getJoinedCommunityList() {
    return this.call<{ groupList: Group[] }>('getJoinedCommunityList');
  }

  // [issue 6: users and relationships]
}

/**
 * Users and relationships (issue 6): methods that hand their options to the engine as they are,
 * installed on the prototype from these lists (same names as Tencent's; the engine validates).
 */
const USER_METHODS = [
  'getUserStatus',
  'setSelfStatus',
  'subscribeUserStatus',
  'unsubscribeUserStatus',
  'getFriendList',
  'addFriend',
  'deleteFriend',
  'checkFriend',
  'getFriendProfile',
  'updateFriend',
  'getFriendApplicationList',
  'acceptFriendApplication',
  'refuseFriendApplication',
  'deleteFriendApplication',
  'setFriendApplicationRead',
  'getFriendGroupList',
  'createFriendGroup',
  'deleteFriendGroup',
  'addToFriendGroup',
  'removeFromFriendGroup',
  'renameFriendGroup',
  'getBlacklist',
  'addToBlacklist',
  'removeFromBlacklist',
] as const;
/** Tencent passes these a userID list: sent as `{userIDList}`. */
const USER_LIST_METHODS = [
  'followUser',
  'unfollowUser',
  'checkFollowType',
  'getUserFollowInfo',
] as const;
/** Tencent passes these a start cursor: sent as `{nextCursor}`. */
const CURSOR_METHODS = [
  'getMyFollowersList',
  'getMyFollowingList',
  'getMutualFollowersList',
] as const;

type Caller = { call(method: string, payload?: unknown): Promise<unknown> };
const proto = ClientApi.prototype as unknown as Record<string, (arg?: unknown) => Promise<unknown>>;
for (const name of USER_METHODS) {
  proto[name] = function (this: Caller, options?: unknown) {
    return this.call(name, options ?? {});
  };
}
for (const name of USER_LIST_METHODS) {
  proto[name] = function (this: Caller, userIDList?: unknown) {
    return this.call(name, { userIDList: userIDList ?? [] });
  };
}
for (const name of CURSOR_METHODS) {
  proto[name] = function (this: Caller, startIndex?: unknown) {
    return this.call(name, { nextCursor: startIndex ?? '' });
  };
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface ClientApi extends Pick<
  ChatClient,
  | (typeof USER_METHODS)[number]
  | (typeof USER_LIST_METHODS)[number]
  | (typeof CURSOR_METHODS)[number]
> {}
