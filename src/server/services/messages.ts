/**
 * Messages: send (validate, commit, then push), history pages and catch-up sync.
 *
 * Order of a send (DESIGN invariant 2): checks -> one transaction (idempotency check, seq, row,
 * conversation rows) -> response and pushes. A retry with the same (sender, ID) returns the stored
 * message and pushes nothing.
 */
import { ErrorCode } from '../../protocol/codes.js';
import { LIMITS } from '../../protocol/constants.js';
import { parseConversationID, type Message } from '../../protocol/types.js';
import type { MessageListResult, OpData, SyncResult } from '../../protocol/wire.js';
import { byteLength, ImError, invalid } from '../errors.js';
import { c2cKey, groupKey, type StoredMessage } from '../storage/types.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import { messageView } from './views.js';

type SendInput = OpData<'sendMessage'>['message'];

function checkPayload(message: SendInput): void {
  const p = message.payload;
  const isString = (key: string) => p[key] === undefined || typeof p[key] === 'string';
  const isNumber = (key: string) => typeof p[key] === 'number' && Number.isFinite(p[key]);
  switch (message.type) {
    case 'TIMTextElem':
      if (typeof p.text !== 'string') throw invalid('payload.text must be a string');
      if (p.atUserList !== undefined && !Array.isArray(p.atUserList)) {
        throw invalid('payload.atUserList must be an array');
      }
      return;
    case 'TIMCustomElem':
      if (!isString('data') || !isString('description') || !isString('extension')) {
        throw invalid('payload.data, description and extension must be strings');
      }
      return;
    case 'TIMFaceElem':
      if (!isNumber('index') || !isString('data'))
        throw invalid('payload needs a numeric index and a string data');
      return;
    case 'TIMLocationElem':
      if (!isString('description') || !isNumber('longitude') || !isNumber('latitude')) {
        throw invalid('payload needs description, numeric longitude and latitude');
      }
      return;
  }
}

export class MessageService {
  constructor(private readonly deps: ServiceDeps) {}

  async send(caller: Caller, data: OpData<'sendMessage'>): Promise<{ message: Message }> {
    const { storage, metrics } = this.deps;
    const input = data.message;
    if (input.conversationType === '@TIM#SYSTEM' || input.to === '@TIM#SYSTEM') {
      throw new ImError(
        ErrorCode.SEND_TO_SYSTEM_CONVERSATION,
        'messages cannot be sent to the system conversation',
      );
    }
    const bodyBytes = byteLength(JSON.stringify(input.payload)) + byteLength(input.cloudCustomData);
    if (bodyBytes > LIMITS.messageBodyBytes) {
      throw new ImError(
        ErrorCode.MESSAGE_BODY_TOO_LARGE,
        `message body is ${bodyBytes} bytes, over 12 KB`,
      );
    }
    checkPayload(input);

    const app = caller.app;
    let convKey: string;
    let participants: string[] = [];
    let recipients: string[];
    if (input.conversationType === 'C2C') {
      if (!(await storage.getUser(app, input.to))) {
        throw new ImError(ErrorCode.ACCOUNT_NOT_FOUND, `user ${input.to} does not exist`);
      }
      convKey = c2cKey(caller.userID, input.to);
      participants = [...new Set([caller.userID, input.to])];
      recipients = participants;
    } else {
      const group = await storage.getGroup(app, input.to);
      if (!group) throw new ImError(ErrorCode.GROUP_NOT_FOUND, `group ${input.to} does not exist`);
      if (!(await storage.getMember(app, input.to, caller.userID))) {
        throw new ImError(ErrorCode.NO_PERMISSION, 'only members can send to this group');
      }
      convKey = groupKey(input.to);
      recipients = [];
    }

    const sender = await storage.getUser(app, caller.userID);
    const { message, duplicate } = await storage.appendMessage(
      app,
      {
        convKey,
        conversationType: input.conversationType,
        to: input.to,
        from: caller.userID,
        ID: input.ID,
        type: input.type,
        payload: input.payload,
        priority: input.priority,
        cloudCustomData: input.cloudCustomData,
        clientTime: input.clientTime,
        random: input.random,
        time: this.deps.now(),
        nick: sender?.nick ?? '',
        avatar: sender?.avatar ?? '',
      },
      participants,
    );
    if (!duplicate) {
      metrics.messages++;
      if (message.conversationType === 'GROUP') {
        recipients = (await storage.allMembers(app, message.to)).map((m) => m.userID);
        if (!recipients.includes(caller.userID)) recipients.push(caller.userID);
      }
      await this.push(app, message, recipients, caller.connID);
    }
    return { message: messageView(message, caller.userID) };
  }

  private async push(
    app: number,
    message: StoredMessage,
    recipients: string[],
    exceptConnID: string,
  ) {
    // Group views differ only by flow: build the two variants once.
    const views = new Map<boolean, Message>();
    const view = (userID: string): Message => {
      if (message.conversationType === 'C2C') return messageView(message, userID);
      const out = userID === message.from;
      let v = views.get(out);
      if (!v) views.set(out, (v = messageView(message, userID)));
      return v;
    };
    await pushTo(
      this.deps,
      app,
      recipients,
      (userID) => ({ push: 'message', cursor: message.cursor, data: view(userID) }),
      exceptConnID,
    );
  }

  async getMessageList(caller: Caller, data: OpData<'getMessageList'>): Promise<MessageListResult> {
    const { storage } = this.deps;
    const app = caller.app;
    const parts = parseConversationID(data.conversationID);
    if (!parts) throw invalid(`invalid conversationID ${data.conversationID}`);
    const count = data.count ?? LIMITS.messageListPage;
    if (parts.type === '@TIM#SYSTEM')
      return { messageList: [], nextReqMessageID: '', isCompleted: true };
    let convKey: string;
    let afterSeq = 0;
    if (parts.type === 'C2C') {
      convKey = c2cKey(caller.userID, parts.target);
    } else {
      if (!(await storage.getGroup(app, parts.target))) {
        throw new ImError(ErrorCode.GROUP_NOT_FOUND, `group ${parts.target} does not exist`);
      }
      const member = await storage.getMember(app, parts.target, caller.userID);
      if (!member) throw new ImError(ErrorCode.NO_PERMISSION, 'only members can read this group');
      convKey = groupKey(parts.target);
      afterSeq = member.visibleSeq;
    }
    let beforeSeq: number | undefined;
    if (data.nextReqMessageID) {
      const from = await storage.findMessage(app, convKey, data.nextReqMessageID);
      if (!from)
        throw invalid(`message ${data.nextReqMessageID} not found in ${data.conversationID}`);
      beforeSeq = from.seq;
    }
    const rows = await storage.getHistory(app, { convKey, afterSeq, beforeSeq, limit: count + 1 });
    const page = rows.slice(0, count).reverse();
    return {
      messageList: page.map((m) => messageView(m, caller.userID)),
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
