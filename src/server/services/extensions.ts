/**
 * Message key-value extensions (messages sent with isSupportExtension; 10032 otherwise and for
 * recalled messages). Keys <= 100 bytes, values <= 1 KB (10004), <= 20 per call (schema), <= 300
 * per message (10004, nothing written).
 *
 * Conflicts (Tencent: "when several users set the same key at the same time only the first
 * succeeds; the others get 23001 and the latest value"), kept simple and deterministic:
 * - a key that another user changed less than `extensionConflictWindowMs` ago (default 1 s) is
 *   refused with 23001 and its current value, so two users racing on a key cannot overwrite each
 *   other blindly; the same user may rewrite their own key at once;
 * - a key repeated within one call: the first entry wins, the later ones get 23001.
 * The others of the call succeed. Each written key gets the message's next sequence number.
 * `messageExtensionsUpdated` / `messageExtensionsDeleted` go to every participant (and the caller's
 * other sockets) when something changed.
 */
import { ErrorCode } from '../../protocol/codes.js';
import { LIMITS } from '../../protocol/constants.js';
import type { MessageExtension } from '../../protocol/types.js';
import type { OpData } from '../../protocol/wire.js';
import { byteLength, ImError, invalid } from '../errors.js';
import type { ExtensionWrite, StoredMessage } from '../storage/types.js';
import { audienceOf, requireMessage, requireNotRevoked, resolveConversation } from './access.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import { conversationIDFor } from './views.js';

export interface ExtensionResult {
  successExtensionList: MessageExtension[];
  failureExtensionList: (MessageExtension & { code: number })[];
}

export class ExtensionService {
  constructor(private readonly deps: ServiceDeps) {}

  private async target(
    caller: Caller,
    conversationID: string,
    messageID: string,
  ): Promise<StoredMessage> {
    const conv = await resolveConversation(this.deps, caller, conversationID);
    const message = await requireMessage(this.deps, caller, conv, messageID);
    requireNotRevoked(message);
    if (!message.isSupportExtension) {
      throw new ImError(
        ErrorCode.MESSAGE_OPERATION_UNSUPPORTED,
        'the message was not sent with isSupportExtension',
      );
    }
    return message;
  }

  /** `writes` are all sets or all deletions (value null). */
  private async write(
    caller: Caller,
    message: StoredMessage,
    writes: ExtensionWrite[],
  ): Promise<ExtensionResult> {
    const nowMs = this.deps.nowMs();
    const window = this.deps.config.extensionConflictWindowMs;
    const result = await this.deps.storage.writeExtensions(
      message.cursor,
      writes,
      caller.userID,
      nowMs,
      window > 0 ? nowMs - window : Number.MAX_SAFE_INTEGER,
      LIMITS.extensionsPerMessage,
    );
    if (result.overLimit) {
      throw invalid(`a message has at most ${LIMITS.extensionsPerMessage} extensions`);
    }
    const deleting = writes.some((w) => w.value === null);
    const set = deleting ? [] : result.applied;
    const deleted = deleting ? result.applied : [];
    const audience = await audienceOf(this.deps, caller.app, message);
    if (set.length > 0) {
      await pushTo(
        this.deps,
        caller.app,
        audience,
        (userID) => ({
          push: 'messageExtensionsUpdated',
          data: {
            conversationID: conversationIDFor(message, userID),
            messageID: message.ID,
            extensionList: set.map(({ key, value }) => ({ key, value })),
          },
        }),
        caller.connID,
      );
    }
    if (deleted.length > 0) {
      await pushTo(
        this.deps,
        caller.app,
        audience,
        (userID) => ({
          push: 'messageExtensionsDeleted',
          data: {
            conversationID: conversationIDFor(message, userID),
            messageID: message.ID,
            keyList: deleted.map((e) => e.key),
          },
        }),
        caller.connID,
      );
    }
    return {
      successExtensionList: result.applied.map(({ key, value }) => ({ key, value })),
      failureExtensionList: result.conflicts.map(({ key, value }) => ({
        key,
        value,
        code: ErrorCode.EXTENSION_CONFLICT,
      })),
    };
  }

  async set(caller: Caller, data: OpData<'setMessageExtensions'>): Promise<ExtensionResult> {
    for (const { key, value } of data.extensionList) {
      if (byteLength(key) > LIMITS.extensionKeyBytes) {
        throw invalid(
          `extension key ${key.slice(0, 20)}... is over ${LIMITS.extensionKeyBytes} bytes`,
        );
      }
      if (byteLength(value) > LIMITS.extensionValueBytes) {
        throw invalid(`the value of ${key} is over ${LIMITS.extensionValueBytes} bytes`);
      }
    }
    const message = await this.target(caller, data.conversationID, data.messageID);
    return this.write(
      caller,
      message,
      data.extensionList.map(({ key, value }) => ({ key, value })),
    );
  }

  async get(
    caller: Caller,
    data: OpData<'getMessageExtensions'>,
  ): Promise<{ extensionList: MessageExtension[] }> {
    const message = await this.target(caller, data.conversationID, data.messageID);
    const list = await this.deps.storage.getExtensions(message.cursor);
    return { extensionList: list.map(({ key, value }) => ({ key, value })) };
  }

  async delete(caller: Caller, data: OpData<'deleteMessageExtensions'>): Promise<ExtensionResult> {
    const message = await this.target(caller, data.conversationID, data.messageID);
    const keys =
      data.keyList ?? (await this.deps.storage.getExtensions(message.cursor)).map((e) => e.key);
    if (keys.length === 0) return { successExtensionList: [], failureExtensionList: [] };
    return this.write(
      caller,
      message,
      keys.map((key) => ({ key, value: null })),
    );
  }
}
