/**
 * Op -> service method, for every op an authenticated socket may send (login and logout are the
 * connection's own business). Data reaching a handler has been validated against wire.ts.
 */
import type { Op, OpData } from '../protocol/wire.js';
import type { AuthService } from './services/auth.js';
import type { ConversationService } from './services/conversations.js';
import type { Caller } from './services/deps.js';
import type { GroupService } from './services/groups.js';
import type { MessageService } from './services/messages.js';
import type { ProfileService } from './services/profiles.js';

export interface Services {
  auth: AuthService;
  messages: MessageService;
  conversations: ConversationService;
  groups: GroupService;
  profiles: ProfileService;
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
  sendMessage: (s, c, d) => s.messages.send(c, d),
  getMessageList: (s, c, d) => s.messages.getMessageList(c, d),
  getConversationList: (s, c) => s.conversations.list(c),
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
};

export function runHandler<K extends SessionOp>(
  op: K,
  services: Services,
  caller: Caller,
  data: OpData<K>,
): Promise<unknown> {
  return (handlers[op] as Handler<K>)(services, caller, data);
}
