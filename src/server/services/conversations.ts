/**
 * Conversations: the per-user list (server-side unread counts, the user's lastMessage, unread
 * @-mentions, remind type), one conversation's profile, and mark-read (pushed to the user's other
 * sockets, and to the C2C peer as `messageReadByPeer`).
 */
import { ErrorCode } from '../../protocol/codes.js';
import { TYPES } from '../../protocol/constants.js';
import {
  parseConversationID,
  type Conversation,
  type Group,
  type GroupAtInfo,
} from '../../protocol/types.js';
import type { ConversationListResult, OpData } from '../../protocol/wire.js';
import { ImError, invalid } from '../errors.js';
import {
  c2cKey,
  groupKey,
  type UserConversationRecord,
  type UserRecord,
} from '../storage/types.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import { conversationView, groupView } from './views.js';
import {
  filterConversations,
  isDeleted,
  sortConversations,
  withState,
} from './conversation-state.js';

const USER_ID = /^[A-Za-z0-9_-]{1,32}$/;

function emptyRecord(
  type: 'C2C' | 'GROUP',
  target: string,
  remindType = 'AcceptAndNotify',
): UserConversationRecord {
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
    remindType,
  };
}

export class ConversationService {
  constructor(private readonly deps: ServiceDeps) {}

  private lastOf(app: number, userID: string, record: UserConversationRecord) {
    return this.deps.storage.lastMessageFor(app, userID, record.convKey);
  }

  private async atInfoOf(
    app: number,
    userID: string,
    record: UserConversationRecord,
  ): Promise<GroupAtInfo[]> {
    if (record.type !== 'GROUP' || record.groupType === 'ChatRoom') return [];
    const mentions = await this.deps.storage.mentionsFor(app, userID, record.convKey);
    return mentions.map((m) => ({
      groupID: record.target,
      messageID: m.ID,
      messageSequence: m.seq,
      atTypeArray: [
        m.atMe && m.atAll ? TYPES.CONV_AT_ALL_AT_ME : m.atMe ? TYPES.CONV_AT_ME : TYPES.CONV_AT_ALL,
      ],
    }));
  }

  /** The user's list (deleted conversations left out), pinned first, filtered and paged. */
  async list(
    caller: Caller,
    data: OpData<'getConversationList'> = { nextSeq: 0 },
  ): Promise<ConversationListResult> {
    const all = filterConversations(await this.listAll(caller), data);
    const start = data.nextSeq;
    const end = data.count === undefined ? all.length : Math.min(all.length, start + data.count);
    return {
      conversationList: all.slice(start, end),
      nextSeq: end,
      isFinished: end >= all.length,
    };
  }

  private async listAll(caller: Caller): Promise<Conversation[]> {
    const { storage } = this.deps;
    const app = caller.app;
    const states = new Map(
      (await storage.listConversationStates(app, caller.userID)).map((s) => [s.convKey, s]),
    );
    const records = (await storage.listConversations(app, caller.userID)).filter(
      (r) => !isDeleted(r.lastCursor, states.get(r.convKey)),
    );
    const peers = records.filter((r) => r.type === 'C2C').map((r) => r.target);
    const users = new Map((await storage.getUsers(app, peers)).map((u) => [u.userID, u]));
    const byGroup = new Map(records.filter((r) => r.type === 'GROUP').map((r) => [r.target, r]));
    const groups = new Map<string, Group>();
    const lasts = new Map<string, Awaited<ReturnType<ConversationService['lastOf']>>>();
    for (const record of records) {
      lasts.set(record.convKey, await this.lastOf(app, caller.userID, record));
    }
    if (byGroup.size > 0) {
      for (const { group, member } of await storage.listUserGroups(app, caller.userID)) {
        const record = byGroup.get(group.groupID);
        const last = record ? (lasts.get(record.convKey) ?? null) : null;
        groups.set(group.groupID, groupView(group, member, last, record?.remindType));
      }
    }
    const conversationList: Conversation[] = [];
    for (const record of records) {
      const view = conversationView(
        record,
        lasts.get(record.convKey) ?? null,
        {
          user: record.type === 'C2C' ? (users.get(record.target) ?? null) : null,
          group: record.type === 'GROUP' ? (groups.get(record.target) ?? null) : null,
        },
        await this.atInfoOf(app, caller.userID, record),
      );
      conversationList.push(withState(view, record.lastCursor, states.get(record.convKey)));
    }
    return sortConversations(conversationList);
  }

  /** One conversation as `userID` sees it (also for pushes); null for a group they are not in. */
  async viewFor(app: number, userID: string, conversationID: string): Promise<Conversation | null> {
    const view = await this.bareViewFor(app, userID, conversationID);
    if (!view) return null;
    const parts = parseConversationID(conversationID)!;
    const convKey = parts.type === 'C2C' ? c2cKey(userID, parts.target) : groupKey(parts.target);
    const state = await this.deps.storage.getConversationState(app, userID, convKey);
    const record = state ? await this.deps.storage.getConversation(app, userID, convKey) : null;
    return withState(view, record?.lastCursor ?? 0, state ?? undefined);
  }

  private async bareViewFor(
    app: number,
    userID: string,
    conversationID: string,
  ): Promise<Conversation | null> {
    const { storage } = this.deps;
    const parts = parseConversationID(conversationID);
    if (!parts || parts.type === '@TIM#SYSTEM') return null;
    if (parts.type === 'C2C') {
      const user: UserRecord | null = await storage.getUser(app, parts.target);
      if (!user) return null;
      const convKey = c2cKey(userID, parts.target);
      const record = await storage.getConversation(app, userID, convKey);
      if (!record) {
        const settings = await storage.getConversationSettings(app, userID, convKey);
        return conversationView(emptyRecord('C2C', parts.target, settings?.remindType), null, {
          user,
        });
      }
      return conversationView(record, await this.lastOf(app, userID, record), { user });
    }
    const group = await storage.getGroup(app, parts.target);
    if (!group) return null;
    const member = await storage.getMember(app, parts.target, userID);
    const record = member
      ? await storage.getConversation(app, userID, groupKey(parts.target))
      : null;
    if (!member || !record) return null;
    const last = await this.lastOf(app, userID, record);
    return conversationView(
      record,
      last,
      { group: groupView(group, member, last, record.remindType) },
      await this.atInfoOf(app, userID, record),
    );
  }

  /** `conversationUpdated` to the user's sockets but the caller's. */
  async pushUpdated(caller: Caller, conversationID: string): Promise<void> {
    const conversation = await this.viewFor(caller.app, caller.userID, conversationID);
    if (!conversation) return;
    await pushTo(
      this.deps,
      caller.app,
      [caller.userID],
      { push: 'conversationUpdated', data: conversation },
      caller.connID,
    );
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
      if (!(await storage.getUser(app, parts.target)))
        throw new ImError(ErrorCode.ACCOUNT_NOT_FOUND, `user ${parts.target} does not exist`);
    } else {
      if (!(await storage.getGroup(app, parts.target)))
        throw new ImError(ErrorCode.GROUP_NOT_FOUND, `group ${parts.target} does not exist`);
    }
    const conversation = await this.viewFor(app, caller.userID, data.conversationID);
    if (!conversation) throw new ImError(ErrorCode.NO_PERMISSION, 'not a member of this group');
    return { conversation };
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
    const read = await storage.markRead(app, caller.userID, convKey);
    if (read !== null) {
      await pushTo(
        this.deps,
        app,
        [caller.userID],
        {
          push: 'conversationRead',
          data: { conversationID: data.conversationID, readSequence: read.readSeq },
        },
        caller.connID,
      );
      if (parts.type === 'C2C' && parts.target !== caller.userID && read.readSeq > read.previous) {
        await pushTo(this.deps, app, [parts.target], {
          push: 'messageReadByPeer',
          data: {
            conversationID: `C2C${caller.userID}`,
            readSequence: read.readSeq,
            time: this.deps.now(),
          },
        });
      }
    }
    return {};
  }
}
