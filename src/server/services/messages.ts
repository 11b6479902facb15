/**
 * Messages: send (validate, commit, then push), history pages and catch-up sync.
 *
 * Order of a send (DESIGN invariant 2): checks -> one transaction (idempotency check, seq, row,
 * conversation rows, merged list stored apart) -> pushes -> response. A retry with the same
 * (sender, ID) returns the stored message and pushes it again (the first try may have died between
 * its commit and its push); clients drop repeats by message ID. The response waits until the bus
 * has taken the pushes, so an acknowledged message cannot be lost with this node.
 *
 * Send rules beyond the payload (payloads.ts):
 * - `atUserList` (message level, or payload.atUserList of a text message): groups only (10004 in
 *   C2C), userIDs or TYPES.MSG_AT_ALL; not together with `receiverList` (10004).
 * - `receiverList`: groups only, current members only (10004); the message is delivered and
 *   visible to the receivers and the sender only, and never counted unread.
 * - `options.onlineUserOnly`: nothing stored, no sequence, no cursor; pushed as `onlineMessage`
 *   to the recipients' open sockets (and the sender's other sockets); not combinable with
 *   messageControlInfo (10004).
 * - recipients who set Discard for the conversation get no push (the message stays in history).
 *
 * Rate limits (limits.ts), both answered 10023 with nothing stored or pushed:
 * - per user: a token bucket checked first, before anything else is read;
 * - per group: admission by priority, checked after the membership check (so a non-member cannot
 *   use up a group's budget) and right before the commit.
 * A retry of a message already committed (same sender and ID) is never refused by a rate limit:
 * it creates nothing and answers the stored message.
 */
import { ErrorCode } from '../../protocol/codes.js';
import { LIMITS, TYPES } from '../../protocol/constants.js';
import type { Message } from '../../protocol/types.js';
import type {
  MessageListResult,
  OpData,
  PushFrame,
  SyncChangesResult,
  SyncResult,
} from '../../protocol/wire.js';
import { GROUP_RULES } from '../../protocol/group-rules.js';
import { ImError, invalid } from '../errors.js';
import { noSendLimits, SEND_FREQUENCY_LIMIT, type SendLimits } from '../limits.js';
import { c2cKey, groupKey, type StoredMessage } from '../storage/types.js';
import { isParticipant, requireMayPost, resolveConversation, viewsFor } from './access.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import { noticeView } from './group-events.js';
import { PayloadService } from './payloads.js';
import { messageView } from './views.js';

const USER_ID = /^[A-Za-z0-9_-]{1,32}$/;
const RECENT_ONLINE_MAX = 10_000;

/**
 * Online-only messages are never stored; this remembers the last ones sent through this node so
 * that recalling one answers 10032 (not supported) rather than 10030 (not found).
 */
export class RecentOnlineMessages {
  private readonly keys = new Set<string>();

  add(app: number, convKey: string, ID: string): void {
    const key = `${app}|${convKey}|${ID}`;
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > RECENT_ONLINE_MAX) {
      this.keys.delete(this.keys.values().next().value as string);
    }
  }

  has(app: number, convKey: string, ID: string): boolean {
    return this.keys.has(`${app}|${convKey}|${ID}`);
  }
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

export class MessageService {
  private readonly payloads: PayloadService;

  constructor(
    private readonly deps: ServiceDeps,
    readonly onlineOnly = new RecentOnlineMessages(),
    private readonly limits: SendLimits = noSendLimits(),
  ) {
    this.payloads = new PayloadService(deps.storage);
  }

  /** Whether `input` repeats a message this sender already committed (an idempotent retry). */
  private async isRetry(caller: Caller, input: OpData<'sendMessage'>['message']): Promise<boolean> {
    const convKey =
      input.conversationType === 'GROUP' ? groupKey(input.to) : c2cKey(caller.userID, input.to);
    const found = await this.deps.storage.findMessage(caller.app, convKey, input.ID);
    return found !== null && found.from === caller.userID;
  }

  /** 10023 unless the message is a retry of one already committed. */
  private async refuseUnlessRetry(
    caller: Caller,
    input: OpData<'sendMessage'>['message'],
    limit: 'send' | 'group',
    message: string,
  ): Promise<void> {
    if (await this.isRetry(caller, input)) return;
    this.deps.metrics.rateLimited[limit]++;
    throw new ImError(SEND_FREQUENCY_LIMIT, message);
  }

  async send(caller: Caller, data: OpData<'sendMessage'>): Promise<{ message: Message }> {
    const { storage, metrics } = this.deps;
    const input = data.message;
    const app = caller.app;
    if (input.conversationType === '@TIM#SYSTEM' || input.to === '@TIM#SYSTEM') {
      throw new ImError(
        ErrorCode.SEND_TO_SYSTEM_CONVERSATION,
        'messages cannot be sent to the system conversation',
      );
    }
    if (!this.limits.user.take(`${app}|${caller.userID}`)) {
      await this.refuseUnlessRetry(
        caller,
        input,
        'send',
        'message send frequency exceeded: this user sends too fast',
      );
    }
    let onlineOnly = data.options.onlineUserOnly === true;
    const control = data.options.messageControlInfo;
    const excludedFromUnreadCount = control?.excludedFromUnreadCount === true;
    const excludedFromLastMessage = control?.excludedFromLastMessage === true;
    if (onlineOnly && (excludedFromUnreadCount || excludedFromLastMessage)) {
      throw invalid('onlineUserOnly cannot be combined with messageControlInfo');
    }

    const prepared = await this.payloads.prepare(
      app,
      input.type,
      input.payload,
      input.cloudCustomData,
      (convKey) => isParticipant(this.deps, app, caller.userID, convKey),
    );

    const payloadAt =
      input.type === 'TIMTextElem' && Array.isArray(prepared.payload.atUserList)
        ? (prepared.payload.atUserList as string[])
        : [];
    const atUserList = unique([...input.atUserList, ...payloadAt]);
    for (const u of atUserList) {
      if (u !== TYPES.MSG_AT_ALL && !USER_ID.test(u)) {
        throw invalid(`atUserList: ${u} is not a userID`);
      }
    }
    const receiverList = unique(input.receiverList);

    let convKey: string;
    let participants: string[] = [];
    let members: string[] = [];
    let blockedBy = '';
    if (input.conversationType === 'C2C') {
      if (atUserList.length > 0) throw invalid('atUserList is for group messages only');
      if (receiverList.length > 0) throw invalid('receiverList is for group messages only');
      if (!(await storage.getUser(app, input.to))) {
        throw new ImError(ErrorCode.ACCOUNT_NOT_FOUND, `user ${input.to} does not exist`);
      }
      convKey = c2cKey(caller.userID, input.to);
      participants = unique([caller.userID, input.to]);
      // Blocklist (issue 6): the receiver blocked the sender -> silent success (Tencent's
      // default): stored visible to the sender only, never delivered, counted or pushed to them.
      if (await storage.relations.isBlocked(app, input.to, caller.userID)) {
        blockedBy = input.to;
        participants = [caller.userID];
      }
    } else {
      const group = await storage.getGroup(app, input.to);
      if (!group) throw new ImError(ErrorCode.GROUP_NOT_FOUND, `group ${input.to} does not exist`);
      const self = await storage.getMember(app, input.to, caller.userID);
      if (!self) throw new ImError(ErrorCode.NO_PERMISSION, 'only members can send to this group');
      requireMayPost(group, self, this.deps.now());
      // AVChatRoom groups store no history (group-rules.ts): every message is online-only.
      if (!GROUP_RULES[group.type].storesHistory) onlineOnly = true;
      convKey = groupKey(input.to);
      members = (await storage.allMembers(app, input.to)).map((m) => m.userID);
      if (receiverList.length > 0) {
        if (atUserList.length > 0) throw invalid('a targeted message cannot @ anyone');
        const memberSet = new Set(members);
        const strangers = receiverList.filter((u) => !memberSet.has(u));
        if (strangers.length > 0) {
          throw invalid(`receiverList: not members of the group: ${strangers.join(', ')}`);
        }
      }
    }

    const sender = await storage.getUser(app, caller.userID);
    const draft = {
      convKey,
      conversationType: input.conversationType,
      to: input.to,
      from: caller.userID,
      ID: input.ID,
      type: input.type,
      payload: prepared.payload,
      priority: input.priority,
      cloudCustomData: input.cloudCustomData,
      clientTime: input.clientTime,
      random: input.random,
      time: this.deps.now(),
      nick: sender?.nick ?? '',
      avatar: sender?.avatar ?? '',
      atUserList,
      receiverList: blockedBy ? [caller.userID] : receiverList,
      needReadReceipt: input.needReadReceipt,
      isSupportExtension: input.isSupportExtension,
      excludedFromUnreadCount,
      excludedFromLastMessage,
    };

    if (
      input.conversationType === 'GROUP' &&
      !this.limits.group.admit(`${app}|${input.to}`, input.priority)
    ) {
      await this.refuseUnlessRetry(
        caller,
        input,
        'group',
        `message send frequency exceeded: group ${input.to} is over its rate for ${input.priority} priority`,
      );
    }

    let recipients: string[];
    if (input.conversationType === 'C2C')
      recipients = participants; // the sender only when blocked
    else if (receiverList.length > 0) recipients = unique([caller.userID, ...receiverList]);
    else recipients = unique([...members, caller.userID]);

    if (onlineOnly) {
      const stored: StoredMessage = {
        ...draft,
        cursor: 0,
        seq: 0,
        isRevoked: false,
        revoker: '',
        version: 0,
        isModified: false,
        changeSeq: 0,
      };
      const view = (userID: string): Message => ({
        ...messageView(stored, userID),
        onlineOnlyFlag: true,
      });
      const discarding = await storage.discardingUsers(
        app,
        convKey,
        recipients.filter((u) => u !== caller.userID),
      );
      this.onlineOnly.add(app, convKey, input.ID);
      await pushTo(
        this.deps,
        app,
        recipients.filter((u) => !discarding.has(u)),
        (userID) => ({ push: 'onlineMessage', data: view(userID) }),
        caller.connID,
      );
      return { message: view(caller.userID) };
    }

    const { message, duplicate } = await storage.appendMessage(
      app,
      { ...draft, merger: prepared.merger },
      participants,
    );
    // A retry is pushed again: the first try may have committed and then died (its node, its
    // socket) before the push left, and nothing else would deliver it to the recipients' open
    // sockets. Clients drop a message they already have by its ID.
    if (!duplicate) metrics.messages++;
    const discarding = await storage.discardingUsers(
      app,
      convKey,
      recipients.filter((u) => u !== caller.userID),
    );
    await this.push(
      app,
      message,
      recipients.filter((u) => !discarding.has(u)),
      caller.connID,
    );
    return { message: messageView(message, caller.userID) };
  }

  private async push(
    app: number,
    message: StoredMessage,
    recipients: string[],
    exceptConnID: string,
  ) {
    // Group frames differ only by flow: build the two variants once, so every member's socket
    // gets the same frame object (serialized once, connection.ts).
    const frames = new Map<boolean, PushFrame>();
    const frame = (userID: string): PushFrame => {
      const build = (): PushFrame => ({
        push: 'message',
        cursor: message.cursor,
        data: messageView(message, userID),
      });
      if (message.conversationType === 'C2C') return build();
      const out = userID === message.from;
      let f = frames.get(out);
      if (!f) frames.set(out, (f = build()));
      return f;
    };
    await pushTo(this.deps, app, recipients, frame, exceptConnID);
  }

  async getMessageList(caller: Caller, data: OpData<'getMessageList'>): Promise<MessageListResult> {
    const { storage } = this.deps;
    const app = caller.app;
    if (data.conversationID === '@TIM#SYSTEM') return this.systemHistory(caller, data);
    const conv = await resolveConversation(this.deps, caller, data.conversationID);
    const count = data.count ?? LIMITS.messageListPage;
    let beforeSeq: number | undefined;
    if (data.nextReqMessageID) {
      const from = await storage.findMessage(app, conv.convKey, data.nextReqMessageID);
      if (!from)
        throw invalid(`message ${data.nextReqMessageID} not found in ${data.conversationID}`);
      beforeSeq = from.seq;
    }
    const rows = await storage.getHistory(app, {
      convKey: conv.convKey,
      viewer: caller.userID,
      afterSeq: conv.visibleSeq,
      beforeSeq,
      limit: count + 1,
    });
    const page = rows.slice(0, count).reverse();
    return {
      messageList: await viewsFor(this.deps, caller, conv, page),
      nextReqMessageID: page[0]?.ID ?? '',
      isCompleted: rows.length <= count,
    };
  }

  /**
   * The change stream after the client's change cursor, a page at a time: recalled and modified
   * messages in their current state, and the user's group system notices, in change order.
   */
  async syncChanges(caller: Caller, data: OpData<'syncChanges'>): Promise<SyncChangesResult> {
    const { storage } = this.deps;
    const limit = LIMITS.syncPage;
    const [changed, notices] = await Promise.all([
      storage.syncChanges(caller.app, caller.userID, data.cursor, limit + 1),
      storage.syncSystemNotices(caller.app, caller.userID, data.cursor, limit + 1),
    ]);
    const merged = [
      ...changed.map((m) => ({ cursor: m.changeSeq, message: messageView(m, caller.userID) })),
      ...notices.map((n) => ({ cursor: n.changeSeq, message: noticeView(n) })),
    ].sort((a, b) => a.cursor - b.cursor);
    const page = merged.slice(0, limit);
    return {
      changes: page,
      cursor: page.at(-1)?.cursor ?? data.cursor,
      // Each source gave up to limit + 1: more than a page in all means either has more.
      isCompleted: merged.length <= limit,
    };
  }

  /** The @TIM#SYSTEM conversation's history: the user's group system notices, oldest first. */
  private async systemHistory(
    caller: Caller,
    data: OpData<'getMessageList'>,
  ): Promise<MessageListResult> {
    const { storage } = this.deps;
    const count = data.count ?? LIMITS.messageListPage;
    let beforeSeq: number | undefined;
    if (data.nextReqMessageID) {
      const from = await storage.findSystemNotice(caller.app, caller.userID, data.nextReqMessageID);
      if (!from) throw invalid(`message ${data.nextReqMessageID} not found in @TIM#SYSTEM`);
      beforeSeq = from.changeSeq;
    }
    const rows = await storage.systemNoticeHistory(caller.app, caller.userID, beforeSeq, count + 1);
    const page = rows.slice(0, count).reverse();
    return {
      messageList: page.map(noticeView),
      nextReqMessageID: page[0]?.ID ?? '',
      isCompleted: rows.length <= count,
    };
  }

  async sync(caller: Caller, data: OpData<'sync'>): Promise<SyncResult> {
    const rows = await this.deps.storage.syncMessages(
      caller.app,
      caller.userID,
      data.cursor,
      LIMITS.syncPage + 1,
    );
    const page = rows.slice(0, LIMITS.syncPage);
    return {
      messages: page.map((m) => ({ cursor: m.cursor, message: messageView(m, caller.userID) })),
      cursor: page.at(-1)?.cursor ?? data.cursor,
      isCompleted: rows.length <= LIMITS.syncPage,
    };
  }
}
