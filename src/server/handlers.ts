/**
 * Op -> service method, for every op an authenticated socket may send (login and logout are the
 * connection's own business). Data reaching a handler has been validated against wire.ts.
 */
import type { Op, OpData } from '../protocol/wire.js';
import type { AuthService } from './services/auth.js';
import type { ConversationService } from './services/conversations.js';
import type { Caller } from './services/deps.js';
import type { ExtensionService } from './services/extensions.js';
import type { GroupService } from './services/groups.js';
import type { LifecycleService } from './services/lifecycle.js';
import type { MessageService } from './services/messages.js';
import type { PinService } from './services/pins.js';
import type { ProfileService } from './services/profiles.js';
import type { ReactionService } from './services/reactions.js';
import type { ReceiptService } from './services/receipts.js';
import type { RemindService } from './services/remind.js';
import type { TranslateService } from './services/translate.js';
// [issue 4: conversations]
import type { ConversationOpsService } from './services/conversation-ops.js';

// [issue 5: groups]
import type { GroupAdminService } from './services/group-admin.js';
import type { GroupKeyValueService } from './services/group-kv.js';
import type { TopicService } from './services/group-topics.js';

// [issue 6: users and relationships]
import type { FollowService } from './services/follows.js';
import type { RelationService } from './services/relations.js';
import type { StatusService } from './services/status.js';

export interface Services {
  auth: AuthService;
  messages: MessageService;
  lifecycle: LifecycleService;
  receipts: ReceiptService;
  extensions: ExtensionService;
  reactions: ReactionService;
  pins: PinService;
  remind: RemindService;
  translate: TranslateService;
  conversations: ConversationService;
  groups: GroupService;
  profiles: ProfileService;

  // [issue 4: conversations]
  conversationOps: ConversationOpsService;

  // [issue 5: groups]
  groupAdmin: GroupAdminService;
  topics: TopicService;
  groupKV: GroupKeyValueService;

  // [issue 6: users and relationships]
  relations: RelationService;
  follows: FollowService;
  status: StatusService;
}

export type SessionOp = Exclude<Op, 'login' | 'logout'>;

type Handler<K extends SessionOp> = (
  s: Services,
  caller: Caller,
  data: OpData<K>,
) => Promise<unknown>;

export const handlers: { [K in SessionOp]: Handler<K> } = {
  ping: async () => ({}),
  sync: (s, c, d) => s.messages.sync(c, d),
  syncChanges: (s, c, d) => s.messages.syncChanges(c, d),
  sendMessage: (s, c, d) => s.messages.send(c, d),
  getMessageList: (s, c, d) => s.messages.getMessageList(c, d),
  revokeMessage: (s, c, d) => s.lifecycle.revoke(c, d),
  modifyMessage: (s, c, d) => s.lifecycle.modify(c, d),
  deleteMessage: (s, c, d) => s.lifecycle.delete(c, d),
  clearHistoryMessage: (s, c, d) => s.lifecycle.clearHistory(c, d),
  getMessageListHopping: (s, c, d) => s.lifecycle.hopping(c, d),
  getMessagesByID: (s, c, d) => s.lifecycle.byID(c, d),
  downloadMergerMessage: (s, c, d) => s.lifecycle.downloadMerger(c, d),
  sendMessageReadReceipt: (s, c, d) => s.receipts.send(c, d),
  getMessageReadReceiptList: (s, c, d) => s.receipts.list(c, d),
  getGroupMessageReadMemberList: (s, c, d) => s.receipts.members(c, d),
  setMessageRemindType: (s, c, d) => s.remind.setRemindType(c, d),
  setAllReceiveMessageOpt: (s, c, d) => s.remind.setAll(c, d),
  getAllReceiveMessageOpt: (s, c) => s.remind.getAll(c),
  setMessageExtensions: (s, c, d) => s.extensions.set(c, d),
  getMessageExtensions: (s, c, d) => s.extensions.get(c, d),
  deleteMessageExtensions: (s, c, d) => s.extensions.delete(c, d),
  addMessageReaction: (s, c, d) => s.reactions.add(c, d),
  removeMessageReaction: (s, c, d) => s.reactions.remove(c, d),
  getMessageReactions: (s, c, d) => s.reactions.list(c, d),
  getAllUserListOfMessageReaction: (s, c, d) => s.reactions.userList(c, d),
  pinGroupMessage: (s, c, d) => s.pins.pin(c, d),
  getPinnedGroupMessageList: (s, c, d) => s.pins.list(c, d),
  translateText: (s, c, d) => s.translate.translate(c, d),
  getConversationList: (s, c, d) => s.conversations.list(c, d),
  getConversationProfile: (s, c, d) => s.conversations.profile(c, d),
  setMessageRead: (s, c, d) => s.conversations.markRead(c, d),
  createGroup: (s, c, d) => s.groups.create(c, d),
  joinGroup: (s, c, d) => s.groups.join(c, d),
  quitGroup: (s, c, d) => s.groups.quit(c, d),
  getGroupList: (s, c) => s.groups.list(c),
  getGroupProfile: (s, c, d) => s.groups.profile(c, d),
  getGroupMemberList: (s, c, d) => s.groups.members(c, d),
  getMyProfile: (s, c) => s.profiles.mine(c),
  getUserProfile: (s, c, d) => s.profiles.users(c, d),
  updateMyProfile: (s, c, d) => s.profiles.update(c, d),

  // [issue 4: conversations]
  deleteConversation: (s, c, d) => s.conversationOps.deleteConversation(c, d),
  pinConversation: (s, c, d) => s.conversationOps.pin(c, d),
  setConversationDraft: (s, c, d) => s.conversationOps.draft(c, d),
  markConversation: (s, c, d) => s.conversationOps.mark(c, d),
  setConversationCustomData: (s, c, d) => s.conversationOps.customData(c, d),
  setAllMessageRead: (s, c, d) => s.conversationOps.setAllRead(c, d),
  createConversationGroup: (s, c, d) => s.conversationOps.createGroup(c, d),
  getConversationGroupList: (s, c) => s.conversationOps.groupList(c),
  deleteConversationGroup: (s, c, d) => s.conversationOps.deleteGroup(c, d),
  renameConversationGroup: (s, c, d) => s.conversationOps.renameGroup(c, d),
  addConversationsToGroup: (s, c, d) => s.conversationOps.addToGroup(c, d),
  deleteConversationsFromGroup: (s, c, d) => s.conversationOps.removeFromGroup(c, d),

  // [issue 5: groups]
  dismissGroup: (s, c, d) => s.groupAdmin.dismiss(c, d),
  addGroupMember: (s, c, d) => s.groupAdmin.addMembers(c, d),
  deleteGroupMember: (s, c, d) => s.groupAdmin.deleteMembers(c, d),
  getGroupApplicationList: (s, c) => s.groupAdmin.applications(c),
  handleGroupApplication: (s, c, d) => s.groupAdmin.handleApplication(c, d),
  changeGroupOwner: (s, c, d) => s.groupAdmin.changeOwner(c, d),
  updateGroupProfile: (s, c, d) => s.groupAdmin.updateProfile(c, d),
  setGroupMemberRole: (s, c, d) => s.groupAdmin.setRole(c, d),
  setGroupMemberMuteTime: (s, c, d) => s.groupAdmin.setMuteTime(c, d),
  setGroupMemberNameCard: (s, c, d) => s.groupAdmin.setNameCard(c, d),
  setGroupMemberCustomField: (s, c, d) => s.groupAdmin.setCustomField(c, d),
  getGroupMemberProfile: (s, c, d) => s.groupAdmin.memberProfile(c, d),
  searchGroupByID: (s, c, d) => s.groupAdmin.search(c, d),
  getGroupOnlineMemberCount: (s, c, d) => s.status.groupOnlineMemberCount(c, d),
  initGroupAttributes: (s, c, d) => s.groupKV.initAttributes(c, d),
  setGroupAttributes: (s, c, d) => s.groupKV.setAttributes(c, d),
  deleteGroupAttributes: (s, c, d) => s.groupKV.deleteAttributes(c, d),
  getGroupAttributes: (s, c, d) => s.groupKV.getAttributes(c, d),
  setGroupCounters: (s, c, d) => s.groupKV.setCounters(c, d),
  increaseGroupCounter: (s, c, d) => s.groupKV.addToCounter(c, d, 1),
  decreaseGroupCounter: (s, c, d) => s.groupKV.addToCounter(c, d, -1),
  getGroupCounters: (s, c, d) => s.groupKV.getCounters(c, d),
  createTopicInCommunity: (s, c, d) => s.topics.create(c, d),
  getTopicList: (s, c, d) => s.topics.list(c, d),
  updateTopicProfile: (s, c, d) => s.topics.update(c, d),
  deleteTopicFromCommunity: (s, c, d) => s.topics.delete(c, d),
  getJoinedCommunityList: (s, c) => s.topics.joinedCommunities(c),

  // [issue 6: users and relationships]
  getUserStatus: (s, c, d) => s.status.get(c, d),
  setSelfStatus: (s, c, d) => s.status.setSelf(c, d),
  subscribeUserStatus: (s, c, d) => s.status.subscribe(c, d),
  unsubscribeUserStatus: (s, c, d) => s.status.unsubscribe(c, d),
  getFriendList: (s, c) => s.relations.list(c),
  addFriend: (s, c, d) => s.relations.add(c, d),
  deleteFriend: (s, c, d) => s.relations.delete(c, d),
  checkFriend: (s, c, d) => s.relations.check(c, d),
  getFriendProfile: (s, c, d) => s.relations.profile(c, d),
  updateFriend: (s, c, d) => s.relations.update(c, d),
  getFriendApplicationList: (s, c) => s.relations.applications(c),
  acceptFriendApplication: (s, c, d) => s.relations.accept(c, d),
  refuseFriendApplication: (s, c, d) => s.relations.refuse(c, d),
  deleteFriendApplication: (s, c, d) => s.relations.deleteApplication(c, d),
  setFriendApplicationRead: (s, c) => s.relations.setApplicationsRead(c),
  getFriendGroupList: (s, c) => s.relations.groups(c),
  createFriendGroup: (s, c, d) => s.relations.createGroup(c, d),
  deleteFriendGroup: (s, c, d) => s.relations.deleteGroup(c, d),
  addToFriendGroup: (s, c, d) => s.relations.addToGroup(c, d),
  removeFromFriendGroup: (s, c, d) => s.relations.removeFromGroup(c, d),
  renameFriendGroup: (s, c, d) => s.relations.renameGroup(c, d),
  getBlacklist: (s, c) => s.relations.blacklist(c),
  addToBlacklist: (s, c, d) => s.relations.block(c, d),
  removeFromBlacklist: (s, c, d) => s.relations.unblock(c, d),
  followUser: (s, c, d) => s.follows.follow(c, d),
  unfollowUser: (s, c, d) => s.follows.unfollow(c, d),
  getMyFollowersList: (s, c, d) => s.follows.list(c, 'followers', d.nextCursor),
  getMyFollowingList: (s, c, d) => s.follows.list(c, 'following', d.nextCursor),
  getMutualFollowersList: (s, c, d) => s.follows.list(c, 'mutual', d.nextCursor),
  getUserFollowInfo: (s, c, d) => s.follows.info(c, d),
  checkFollowType: (s, c, d) => s.follows.check(c, d),
};

export function runHandler<K extends SessionOp>(
  op: K,
  services: Services,
  caller: Caller,
  data: OpData<K>,
): Promise<unknown> {
  return (handlers[op] as Handler<K>)(services, caller, data);
}
