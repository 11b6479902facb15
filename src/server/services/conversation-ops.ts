/**
 * The conversation model's own ops: delete (with the user's history), pin, draft, marks, custom
 * data, conversation groups and mark-all-read. Everything is per user and stored on the server, so
 * every device sees the same; each change is pushed to the user's other sockets (the calling
 * socket gets the answer, which carries the changed conversations).
 *
 * A conversation ID names a conversation "in the user's list": one the user has a row for (a
 * message was sent or received, or they are in the group) and has not deleted since its last
 * message. Anything else is 51007 (10004 for an ID that is not a conversation ID at all).
 */
import { ErrorCode } from '../../protocol/codes.js';
import { LIMITS } from '../../protocol/constants.js';
import { parseConversationID, type Conversation } from '../../protocol/types.js';
import type { ConversationBatchResult, OpData } from '../../protocol/wire.js';
import { ImError } from '../errors.js';
import {
  c2cKey,
  groupKey,
  type ConversationGroupOp,
  type ConversationGroupResult,
  type ConversationStatePatch,
} from '../storage/types.js';
import { isDeleted } from './conversation-state.js';
import type { ConversationService } from './conversations.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';

interface Resolved {
  ok: { conversationID: string; convKey: string }[];
  failed: { conversationID: string; code: number; message: string }[];
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

function checkGroupName(name: string): void {
  if (bytes(name) < 1 || bytes(name) > LIMITS.conversationGroupNameBytes) {
    throw new ImError(
      ErrorCode.CONVERSATION_GROUP_NAME_INVALID,
      `conversation group name must be 1 to ${LIMITS.conversationGroupNameBytes} bytes`,
    );
  }
}

export class ConversationOpsService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly conversations: ConversationService,
  ) {}

  /** Splits IDs into conversations in the caller's list and failures (deduplicated, in order). */
  private async resolve(caller: Caller, ids: string[]): Promise<Resolved> {
    const { storage } = this.deps;
    const out: Resolved = { ok: [], failed: [] };
    for (const conversationID of [...new Set(ids)]) {
      const parts = parseConversationID(conversationID);
      if (!parts || parts.type === '@TIM#SYSTEM') {
        out.failed.push({
          conversationID,
          code: ErrorCode.INVALID_PARAMETER,
          message: `invalid conversationID ${conversationID}`,
        });
        continue;
      }
      const convKey =
        parts.type === 'C2C' ? c2cKey(caller.userID, parts.target) : groupKey(parts.target);
      const record = await storage.getConversation(caller.app, caller.userID, convKey);
      const state = record
        ? await storage.getConversationState(caller.app, caller.userID, convKey)
        : null;
      if (!record || isDeleted(record.lastCursor, state ?? undefined)) {
        out.failed.push({
          conversationID,
          code: ErrorCode.CONVERSATION_NOT_FOUND,
          message: `conversation ${conversationID} is not in the list`,
        });
        continue;
      }
      out.ok.push({ conversationID, convKey });
    }
    return out;
  }

  /** All of them, or the first failure as an error. */
  private async resolveAll(caller: Caller, ids: string[]): Promise<Resolved['ok']> {
    const r = await this.resolve(caller, ids);
    const [first] = r.failed;
    if (first) throw new ImError(first.code, first.message);
    return r.ok;
  }

  private async views(caller: Caller, ids: string[]): Promise<Conversation[]> {
    const out: Conversation[] = [];
    for (const id of ids) {
      const c = await this.conversations.viewFor(caller.app, caller.userID, id);
      if (c) out.push(c);
    }
    return out;
  }

  /** The changed conversations to the caller's other sockets; returns them for the answer. */
  private async pushChanged(caller: Caller, ids: string[]): Promise<Conversation[]> {
    const conversationList = await this.views(caller, ids);
    if (conversationList.length > 0) {
      await pushTo(
        this.deps,
        caller.app,
        [caller.userID],
        { push: 'conversationsChanged', data: { conversationList } },
        caller.connID,
      );
    }
    return conversationList;
  }

  private async patch(
    caller: Caller,
    ok: Resolved['ok'],
    patch: ConversationStatePatch,
  ): Promise<void> {
    if (ok.length === 0) return;
    const r = await this.deps.storage.patchConversationStates(
      caller.app,
      caller.userID,
      ok.map((x) => x.convKey),
      patch,
      LIMITS.markedConversations,
      this.deps.now(),
    );
    if (r === 'markLimit') {
      throw new ImError(
        ErrorCode.CONVERSATION_MARK_LIMIT,
        `at most ${LIMITS.markedConversations} conversations may be marked or grouped`,
      );
    }
  }

  async deleteConversation(
    caller: Caller,
    data: OpData<'deleteConversation'>,
  ): Promise<{ conversationIDList: string[] }> {
    const ok = await this.resolveAll(caller, data.conversationIDList);
    await this.deps.storage.deleteConversationsFor(
      caller.app,
      caller.userID,
      ok.map((x) => x.convKey),
      data.clearHistoryMessage,
      this.deps.now(),
    );
    const conversationIDList = ok.map((x) => x.conversationID);
    await pushTo(
      this.deps,
      caller.app,
      [caller.userID],
      {
        push: 'conversationDeleted',
        data: { conversationIDList, clearHistoryMessage: data.clearHistoryMessage },
      },
      caller.connID,
    );
    return { conversationIDList };
  }

  private async single(
    caller: Caller,
    conversationID: string,
    patch: ConversationStatePatch,
  ): Promise<{ conversationID: string; conversationList: Conversation[] }> {
    const ok = await this.resolveAll(caller, [conversationID]);
    await this.patch(caller, ok, patch);
    return { conversationID, conversationList: await this.pushChanged(caller, [conversationID]) };
  }

  pin(caller: Caller, data: OpData<'pinConversation'>) {
    return this.single(caller, data.conversationID, { pinned: data.isPinned });
  }

  draft(caller: Caller, data: OpData<'setConversationDraft'>) {
    return this.single(caller, data.conversationID, { draft: data.draftText });
  }

  private async batch(
    caller: Caller,
    ids: string[],
    patch: ConversationStatePatch,
  ): Promise<ConversationBatchResult> {
    const r = await this.resolve(caller, ids);
    await this.patch(caller, r.ok, patch);
    const successConversationIDList = r.ok.map((x) => x.conversationID);
    return {
      successConversationIDList,
      failureConversationIDList: r.failed,
      conversationList: await this.pushChanged(caller, successConversationIDList),
    };
  }

  mark(caller: Caller, data: OpData<'markConversation'>) {
    return this.batch(caller, data.conversationIDList, {
      mark: { markType: data.markType, enable: data.enableMark },
    });
  }

  customData(caller: Caller, data: OpData<'setConversationCustomData'>) {
    return this.batch(caller, data.conversationIDList, { customData: data.customData });
  }

  async setAllRead(
    caller: Caller,
    data: OpData<'setAllMessageRead'>,
  ): Promise<Record<string, never>> {
    const records = await this.deps.storage.listConversations(caller.app, caller.userID);
    for (const record of records) {
      if (data.scope === 'readAllC2CMessage' && record.type !== 'C2C') continue;
      if (data.scope === 'readAllGroupMessage' && record.type !== 'GROUP') continue;
      if (record.readSeq >= record.lastSeq && record.unreadCount === 0) continue;
      await this.conversations.markRead(caller, {
        conversationID: `${record.type}${record.target}`,
      });
    }
    return {};
  }

  // --- conversation groups ---

  async groupList(caller: Caller): Promise<{ groupList: string[] }> {
    return { groupList: await this.deps.storage.conversationGroupNames(caller.app, caller.userID) };
  }

  private async changeGroups(caller: Caller, change: ConversationGroupOp): Promise<void> {
    const r: ConversationGroupResult = await this.deps.storage.changeConversationGroups(
      caller.app,
      caller.userID,
      change,
      { maxGroups: LIMITS.conversationGroups, maxMarked: LIMITS.markedConversations },
      this.deps.now(),
    );
    switch (r) {
      case 'ok':
        return;
      case 'missing':
        throw new ImError(
          ErrorCode.CONVERSATION_GROUP_NOT_FOUND,
          `conversation group ${change.name} does not exist`,
        );
      case 'exists':
        throw new ImError(
          ErrorCode.CONVERSATION_GROUP_NAME_INVALID,
          `conversation group ${change.op === 'rename' ? change.newName : change.name} already exists`,
        );
      case 'full':
        throw new ImError(
          ErrorCode.CONVERSATION_GROUP_LIMIT,
          `at most ${LIMITS.conversationGroups} conversation groups`,
        );
      case 'markLimit':
        throw new ImError(
          ErrorCode.CONVERSATION_MARK_LIMIT,
          `at most ${LIMITS.markedConversations} conversations may be marked or grouped`,
        );
    }
  }

  private async pushGroupList(caller: Caller): Promise<string[]> {
    const { groupList } = await this.groupList(caller);
    await pushTo(
      this.deps,
      caller.app,
      [caller.userID],
      { push: 'conversationGroupListUpdated', data: { groupList } },
      caller.connID,
    );
    return groupList;
  }

  /** IDs of the conversations in one group (from the caller's list). */
  private async membersOf(caller: Caller, name: string): Promise<string[]> {
    const { conversationList } = await this.conversations.list(caller, {
      nextSeq: 0,
      groupName: name,
    });
    return conversationList.map((c) => c.conversationID);
  }

  async createGroup(caller: Caller, data: OpData<'createConversationGroup'>) {
    checkGroupName(data.groupName);
    const r = await this.resolve(caller, data.conversationIDList);
    if (r.ok.length === 0) {
      const [first] = r.failed;
      throw new ImError(first.code, first.message);
    }
    await this.changeGroups(caller, {
      op: 'create',
      name: data.groupName,
      convKeys: r.ok.map((x) => x.convKey),
    });
    const successConversationIDList = r.ok.map((x) => x.conversationID);
    const groupList = await this.pushGroupList(caller);
    return {
      groupName: data.groupName,
      groupList,
      successConversationIDList,
      failureConversationIDList: r.failed,
      conversationList: await this.pushChanged(caller, successConversationIDList),
    };
  }

  async deleteGroup(caller: Caller, data: OpData<'deleteConversationGroup'>) {
    const members = await this.membersOf(caller, data.groupName);
    await this.changeGroups(caller, { op: 'delete', name: data.groupName });
    const groupList = await this.pushGroupList(caller);
    return {
      groupName: data.groupName,
      groupList,
      conversationList: await this.pushChanged(caller, members),
    };
  }

  async renameGroup(caller: Caller, data: OpData<'renameConversationGroup'>) {
    checkGroupName(data.newName);
    const members = await this.membersOf(caller, data.oldName);
    await this.changeGroups(caller, { op: 'rename', name: data.oldName, newName: data.newName });
    const groupList = await this.pushGroupList(caller);
    return {
      oldName: data.oldName,
      newName: data.newName,
      groupList,
      conversationList: await this.pushChanged(caller, members),
    };
  }

  private async moveMembers(
    caller: Caller,
    op: 'add' | 'remove',
    data: OpData<'addConversationsToGroup'>,
  ) {
    const r = await this.resolve(caller, data.conversationIDList);
    await this.changeGroups(caller, {
      op,
      name: data.groupName,
      convKeys: r.ok.map((x) => x.convKey),
    });
    const successConversationIDList = r.ok.map((x) => x.conversationID);
    const conversationList = await this.pushChanged(caller, successConversationIDList);
    if (successConversationIDList.length > 0) {
      await pushTo(
        this.deps,
        caller.app,
        [caller.userID],
        {
          push: 'conversationInGroupUpdated',
          data: { groupName: data.groupName, conversationIDList: successConversationIDList },
        },
        caller.connID,
      );
    }
    return {
      groupName: data.groupName,
      successConversationIDList,
      failureConversationIDList: r.failed,
      conversationList,
    };
  }

  addToGroup(caller: Caller, data: OpData<'addConversationsToGroup'>) {
    return this.moveMembers(caller, 'add', data);
  }

  removeFromGroup(caller: Caller, data: OpData<'deleteConversationsFromGroup'>) {
    return this.moveMembers(caller, 'remove', data);
  }
}
