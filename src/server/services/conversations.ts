/**
 * Conversations: the per-user list (server-side unread counts from read_seq), one conversation's
 * profile, and mark-read (pushed to the user's other sockets).
 */
import { ErrorCode } from '../../protocol/codes.js';
import { parseConversationID, type Conversation, type Group } from '../../protocol/types.js';
import type { OpData } from '../../protocol/wire.js';
import { ImError, invalid } from '../errors.js';
import {
  c2cKey,
  groupKey,
  type UserConversationRecord,
  type UserRecord,
} from '../storage/types.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import { conversationView, groupView } from './views.js';

const USER_ID = /^[A-Za-z0-9_-]{1,32}$/;

function emptyRecord(type: 'C2C' | 'GROUP', target: string): UserConversationRecord {
  return {
    convKey: '',
    type,
    target,
    readSeq: 0,
    joinSeq: 0,
    visibleSeq: 0,
    activityKey: 0,
    lastSeq: 0,
    lastCursor: 0,
    unreadCount: 0,
    groupType: null,
  };
}

export class ConversationService {
  constructor(private readonly deps: ServiceDeps) {}

  private async lastOf(app: number, record: UserConversationRecord) {
    if (record.lastSeq <= record.visibleSeq) return null;
    return this.deps.storage.getMessageBySeq(app, record.convKey, record.lastSeq);
  }

  async list(caller: Caller): Promise<{ conversationList: Conversation[] }> {
    const { storage } = this.deps;
    const app = caller.app;
    const records = await storage.listConversations(app, caller.userID);
    const peers = records.filter((r) => r.type === 'C2C').map((r) => r.target);
    const users = new Map((await storage.getUsers(app, peers)).map((u) => [u.userID, u]));
    const groups = new Map<string, Group>();
    if (records.some((r) => r.type === 'GROUP')) {
      for (const { group, member } of await storage.listUserGroups(app, caller.userID)) {
        const last =
          group.lastSeq > member.visibleSeq
            ? await storage.getMessageBySeq(app, groupKey(group.groupID), group.lastSeq)
            : null;
        groups.set(group.groupID, groupView(group, member, last));
      }
    }
    const conversationList: Conversation[] = [];
    for (const record of records) {
      const last = await this.lastOf(app, record);
      conversationList.push(
        conversationView(record, last, {
          user: record.type === 'C2C' ? (users.get(record.target) ?? null) : null,
          group: record.type === 'GROUP' ? (groups.get(record.target) ?? null) : null,
        }),
      );
    }
    conversationList.sort((a, b) => b.orderKey - a.orderKey);
    return { conversationList };
  }

  async profile(
    caller: Caller,
    data: OpData<'getConversationProfile'>,
  ): Promise<{ conversation: Conversation }> {
    const { storage } = this.deps;
    const app = caller.app;
    const parts = parseConversationID(data.conversationID);
    if (!parts) throw invalid(`invalid conversationID ${data.conversationID}`);
    if (parts.type === '@TIM#SYSTEM') {
      const conversation = conversationView(emptyRecord('C2C', ''), null, {});
      return {
        conversation: { ...conversation, conversationID: '@TIM#SYSTEM', type: '@TIM#SYSTEM' },
      };
    }
    if (parts.type === 'C2C') {
      if (!USER_ID.test(parts.target))
        throw invalid(`invalid conversationID ${data.conversationID}`);
      const user: UserRecord | null = await storage.getUser(app, parts.target);
      if (!user)
        throw new ImError(ErrorCode.ACCOUNT_NOT_FOUND, `user ${parts.target} does not exist`);
      const record =
        (await storage.getConversation(app, caller.userID, c2cKey(caller.userID, parts.target))) ??
        emptyRecord('C2C', parts.target);
      const last = record.convKey ? await this.lastOf(app, record) : null;
      return { conversation: conversationView(record, last, { user }) };
    }
    const group = await storage.getGroup(app, parts.target);
    if (!group)
      throw new ImError(ErrorCode.GROUP_NOT_FOUND, `group ${parts.target} does not exist`);
    const member = await storage.getMember(app, parts.target, caller.userID);
    const record = member
      ? await storage.getConversation(app, caller.userID, groupKey(parts.target))
      : null;
    if (!member || !record)
      throw new ImError(ErrorCode.NO_PERMISSION, 'not a member of this group');
    const last = await this.lastOf(app, record);
    return {
      conversation: conversationView(record, last, { group: groupView(group, member, last) }),
    };
  }

  async markRead(caller: Caller, data: OpData<'setMessageRead'>): Promise<Record<string, never>> {
    const { storage } = this.deps;
    const app = caller.app;
    const parts = parseConversationID(data.conversationID);
    if (!parts) throw invalid(`invalid conversationID ${data.conversationID}`);
    if (parts.type === '@TIM#SYSTEM') return {};
    let convKey: string;
    if (parts.type === 'C2C') {
      convKey = c2cKey(caller.userID, parts.target);
    } else {
      if (!(await storage.getGroup(app, parts.target))) {
        throw new ImError(ErrorCode.GROUP_NOT_FOUND, `group ${parts.target} does not exist`);
      }
      if (!(await storage.getMember(app, parts.target, caller.userID))) {
        throw new ImError(ErrorCode.NO_PERMISSION, 'not a member of this group');
      }
      convKey = groupKey(parts.target);
    }
    const readSequence = await storage.markRead(app, caller.userID, convKey);
    if (readSequence !== null) {
      await pushTo(
        this.deps,
        app,
        [caller.userID],
        { push: 'conversationRead', data: { conversationID: data.conversationID, readSequence } },
        caller.connID,
      );
    }
    return {};
  }
}
