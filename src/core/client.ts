/**
 * The public client (tab side): the names and result shapes of the `@tencentcloud/chat` Web SDK.
 * Lifecycle (attach, login, events, getters) is in client-core.ts; this class adds the API.
 *
 * - `create*Message` run synchronously in the tab (message-factory.ts).
 * - `sendMessage` uploads the file of a media message from the tab first (upload.ts), then hands
 *   the message to the engine; the object passed in is updated in place with the server's stamp.
 *   While not connected it stays 'unSend' in the engine's outbox and the promise waits.
 * - Methods that act on a message (revoke, modify, delete, receipts...) update the object passed in
 *   and resolve; the other tabs of this browser get the same events the server pushes to other
 *   browsers (MESSAGE_REVOKED, MESSAGE_MODIFIED, ...), the acting tab gets only the result.
 * - `findMessage` answers from the messages this tab has seen (message-memory.ts): send results,
 *   getMessageList/getMessageListHopping pages, MESSAGE_RECEIVED and the message events. Event
 *   messages are merged into the objects the tab already handed out.
 */
import { ErrorCode } from '../protocol/codes.js';
import { EVENT } from '../protocol/constants.js';
import { INTERNAL_EVENT } from '../protocol/rpc.js';
import type { Message, MergerPayload, MessagePayload } from '../protocol/types.js';
import type { ChatClient, CreateTextMessageOptions, MessageOptions } from './client-types.js';
import { ClientApi } from './client-api.js';
import { invalidParameters } from './errors.js';
import { LIFECYCLE_EVENT, typingData, type MessagesDeletedEventData } from './internal-events.js';
import { deletable, messageRef, sendOptions } from './message-args.js';
import {
  buildCustomMessage,
  buildFaceMessage,
  buildForwardMessage,
  buildLocationMessage,
  buildMediaMessage,
  buildMergerMessage,
  buildTextAtMessage,
  buildTextMessage,
  getMessageFile,
  type Sender,
} from './message-factory.js';
import { cancelUpload, uploadMessageFile } from './upload.js';

export {
  ClientCore,
  TAB_ID,
  destroyHooks,
  normalizeServer,
  type ChatCreateOptions,
} from './client-core.js';

/** While typing, one typing status per peer per this many ms. */
export const TYPING_THROTTLE_MS = 3000;
/** A send waits for its acknowledgement as long as it takes (the largest timer browsers allow). */
const SEND_TIMEOUT_MS = 2_147_483_647;
/** How long a send waits for the client to log in again after the engine was lost. */
const REATTACH_WAIT_MS = 60_000;

export class ChatClientImpl extends ClientApi implements ChatClient {
  /** Media messages whose file is uploaded (a resend does not upload again). */
  private readonly uploaded = new WeakSet<Message>();
  /** Peer userID -> when the last "typing" status went out. */
  private readonly typingSince = new Map<string, number>();

  protected override onEvent(method: string, payload: unknown): unknown {
    switch (method) {
      case EVENT.MESSAGE_RECEIVED:
      case EVENT.MESSAGE_REVOKED:
      case EVENT.MESSAGE_MODIFIED:
      case EVENT.MESSAGE_READ_BY_PEER:
        return this.memory.adoptAll(payload as Message[]);
      case INTERNAL_EVENT.MESSAGE_SENT: {
        const data = payload as { message: Message };
        return { ...data, message: this.memory.adopt(data.message) };
      }
      case LIFECYCLE_EVENT.MESSAGES_DELETED:
        this.memory.deleted((payload as MessagesDeletedEventData).messageIDList ?? []);
        return payload;
      case LIFECYCLE_EVENT.HISTORY_CLEARED:
        this.memory.forgetConversation((payload as { conversationID: string }).conversationID);
        return payload;
      case EVENT.SDK_NOT_READY:
        this.memory.clear();
        this.typingSince.clear();
        return payload;
      default:
        return payload;
    }
  }

  private sender(): Sender {
    return { userID: this.requireLogin().userID, tinyID: this.state.tinyID };
  }

  // --- creating messages (synchronous) ---

  createTextMessage(options: CreateTextMessageOptions): Message {
    return buildTextMessage(options, this.sender());
  }
  createTextAtMessage(options: Parameters<ChatClient['createTextAtMessage']>[0]): Message {
    return buildTextAtMessage(options, this.sender());
  }
  createCustomMessage(options: Parameters<ChatClient['createCustomMessage']>[0]): Message {
    return buildCustomMessage(options, this.sender());
  }
  createFaceMessage(options: Parameters<ChatClient['createFaceMessage']>[0]): Message {
    return buildFaceMessage(options, this.sender());
  }
  createLocationMessage(options: Parameters<ChatClient['createLocationMessage']>[0]): Message {
    return buildLocationMessage(options, this.sender());
  }
  createImageMessage(options: Parameters<ChatClient['createImageMessage']>[0]): Message {
    return buildMediaMessage('image', options, this.sender());
  }
  createFileMessage(options: Parameters<ChatClient['createFileMessage']>[0]): Message {
    return buildMediaMessage('file', options, this.sender());
  }
  createAudioMessage(options: Parameters<ChatClient['createAudioMessage']>[0]): Message {
    return buildMediaMessage('audio', options, this.sender());
  }
  createVideoMessage(options: Parameters<ChatClient['createVideoMessage']>[0]): Message {
    return buildMediaMessage('video', options, this.sender());
  }
  createMergerMessage(options: Parameters<ChatClient['createMergerMessage']>[0]): Message {
    return buildMergerMessage(options, this.sender());
  }
  createForwardMessage(options: MessageOptions<Message>): Message {
    return buildForwardMessage(options, this.sender());
  }

  // --- sending ---

  /**
   * Resolves with the same message object, updated with the server's stamp (sequence, time). Media
   * messages upload their file first (`onProgress` from the create options gets 0..1).
   */
  async sendMessage(message: Message, options?: Record<string, unknown>) {
    if (!message || typeof message !== 'object' || typeof message.ID !== 'string')
      throw invalidParameters('sendMessage: message is required');
    const wireOptions = sendOptions(options);
    const creds = this.requireLogin();
    message.status = 'unSend';
    // This tab's elements hear of sends made through the API here as the other tabs do.
    this.announceSent(message);
    try {
      const media = getMessageFile(message);
      if (media && !this.uploaded.has(message)) {
        const upload = { server: this.server, SDKAppID: this.SDKAppID, ...creds };
        const payload = await uploadMessageFile(message, media, upload);
        message.payload = payload as unknown as MessagePayload;
        this.uploaded.add(message);
      }
      const res = await this.sendToEngine(message, wireOptions);
      Object.assign(message, res.data.message);
      const sent = this.memory.adopt(message);
      this.announceSent(sent);
      return { code: 0 as const, data: { message: sent } };
    } catch (err) {
      message.status = 'fail';
      // A cancelled upload is taken back, not failed (the elements drop it).
      if ((err as { code?: unknown })?.code !== ErrorCode.UPLOAD_CANCELLED)
        this.announceSent(message);
      throw err;
    }
  }

  /** `im:messageSent` to this tab's handlers, with a copy of the message as it is now. */
  private announceSent(message: Message): void {
    this.emitter.emit(INTERNAL_EVENT.MESSAGE_SENT, { message: { ...message } });
  }

  /**
   * The engine answers when the server acknowledged the message, which may take as long as the
   * connection is down (its outbox keeps it, see src/worker/outbox.ts): no RPC timeout. If the
   * engine is lost meanwhile (9521: worker restarted), the outbox it wrote survives; once this
   * client is logged in again the same message is handed over again (same ID: it waits for the
   * outbox entry, or the server answers the stored copy), so the promise still settles once.
   */
  private async sendToEngine(message: Message, options: ReturnType<typeof sendOptions>) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.call<{ message: Message }>(
          'sendMessage',
          { message, options },
          { timeoutMs: SEND_TIMEOUT_MS },
        );
      } catch (err) {
        const lost = (err as { code?: unknown })?.code === ErrorCode.RPC_PORT_CLOSED;
        if (!lost || attempt >= 3 || !(await this.whenLoggedInAgain(REATTACH_WAIT_MS))) throw err;
      }
    }
  }

  /** Sends the same object again (same ID: the server never stores it twice). */
  resendMessage(message: Message, options?: Parameters<ChatClient['resendMessage']>[1]) {
    return this.sendMessage(message, options as Record<string, unknown> | undefined);
  }

  /**
   * Internal test hook: ask the engine to drop its socket, go offline or online, read its counters
   * or its outbox, or end it as a crash would (see `debug` in src/worker/host.ts).
   */
  debug(
    action:
      | 'dropConnection'
      | 'goOffline'
      | 'goOnline'
      | 'info'
      | 'outbox'
      | 'disposeEngine'
      | 'terminateWorker',
  ): Promise<Record<string, unknown>> {
    return this.call<Record<string, unknown>>('im:debug', { action }).then((r) => r.data);
  }

  cancelUploadFile(message: Message): void {
    if (message && typeof message === 'object') cancelUpload(message);
  }

  /**
   * Typing status to a C2C peer: an online-only custom message (never stored, not unread). While
   * typing, at most one per TYPING_THROTTLE_MS per peer; "stopped" goes out once after a "typing".
   */
  async sendTypingStatus(options: { userID: string; typing: boolean }): Promise<void> {
    const userID = options?.userID;
    if (typeof userID !== 'string' || !userID)
      throw invalidParameters('sendTypingStatus: userID is required');
    const typing = !!options.typing;
    const since = this.typingSince.get(userID);
    if (typing && since !== undefined && Date.now() - since < TYPING_THROTTLE_MS) return;
    if (!typing && since === undefined) return;
    const message = buildCustomMessage(
      { to: userID, conversationType: 'C2C', payload: { data: typingData(typing) } },
      this.sender(),
    );
    if (typing) this.typingSince.set(userID, Date.now());
    else this.typingSince.delete(userID);
    try {
      await this.call('sendMessage', { message, options: { onlineUserOnly: true } });
    } catch (err) {
      if (typing) this.typingSince.delete(userID);
      throw err;
    }
  }

  // --- message lifecycle ---

  async revokeMessage(message: Message) {
    const ref = messageRef('revokeMessage', message);
    const res = await this.call<{ message: Message }>('revokeMessage', { ...ref, message });
    Object.assign(message, res.data.message, { isRevoked: true });
    return { code: 0 as const, data: { message: this.memory.adopt(message) } };
  }

  /** Sends the message's current payload and cloudCustomData; 2480 carries `data.message`. */
  async modifyMessage(message: Message) {
    const ref = messageRef('modifyMessage', message);
    const res = await this.call<{ message: Message }>('modifyMessage', {
      ...ref,
      version: message.version ?? 0,
      payload: message.payload,
      cloudCustomData: message.cloudCustomData ?? '',
    });
    Object.assign(message, res.data.message);
    return { code: 0 as const, data: { message: this.memory.adopt(message) } };
  }

  async deleteMessage(messageList: Message[]) {
    const { conversationID, messages } = deletable(messageList);
    // Messages that never reached the server are deleted here only.
    const sent = messages.filter((m) => m.status === 'success');
    if (sent.length > 0)
      await this.call('deleteMessage', { conversationID, messageIDList: sent.map((m) => m.ID) });
    for (const m of messages) m.isDeleted = true;
    this.memory.deleted(messages.map((m) => m.ID));
    return { code: 0 as const, data: { messageList: messages } };
  }

  async clearHistoryMessage(conversationID: string) {
    if (typeof conversationID !== 'string' || !conversationID)
      throw invalidParameters('clearHistoryMessage: conversationID is required');
    await this.call('clearHistoryMessage', { conversationID });
    this.memory.forgetConversation(conversationID);
    return { code: 0 as const, data: {} as Record<string, never> };
  }

  findMessage(messageID: string): Message | null {
    return typeof messageID === 'string' ? this.memory.get(messageID) : null;
  }

  async getMessageList(options: {
    conversationID: string;
    nextReqMessageID?: string;
    count?: number;
  }) {
    const res = await this.call<{
      messageList: Message[];
      nextReqMessageID: string;
      isCompleted: boolean;
    }>('getMessageList', options);
    res.data.messageList = this.memory.adoptAll(res.data.messageList);
    return res;
  }

  async getMessageListHopping(options: Parameters<ChatClient['getMessageListHopping']>[0]) {
    const res = await this.call<{ messageList: Message[] }>('getMessageListHopping', options);
    res.data.messageList = this.memory.adoptAll(res.data.messageList ?? []);
    return res;
  }

  async downloadMergerMessage(message: Message): Promise<Message> {
    if (!message || message.type !== 'TIMRelayElem')
      throw invalidParameters('downloadMergerMessage: a merger message is required');
    const payload = message.payload as unknown as MergerPayload;
    if (!payload.downloadKey || (payload.messageList?.length ?? 0) > 0) return message;
    const res = await this.call<{ messageList: Message[] }>('downloadMergerMessage', {
      downloadKey: payload.downloadKey,
    });
    message.payload = { ...payload, messageList: res.data.messageList ?? [] };
    return message;
  }
}
