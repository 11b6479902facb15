/**
 * Pinned group messages: owner and admins pin (any member in Work groups, which have no admins),
 * at most LIMITS.pinnedGroupMessages per group (10070). Recalled (10032) and targeted (10032)
 * messages cannot be pinned; recalling a pinned message unpins it. Every change pushes
 * `pinnedGroupMessageUpdated` (the whole list, most recently pinned first, as each member sees it)
 * to the members' sockets but the caller's.
 */
import { ErrorCode } from '../../protocol/codes.js';
import { LIMITS } from '../../protocol/constants.js';
import type { Message } from '../../protocol/types.js';
import type { OpData } from '../../protocol/wire.js';
import { ImError } from '../errors.js';
import { groupKey, type GroupRecord } from '../storage/types.js';
import { canSee, requireNotRevoked } from './access.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import { messageView } from './views.js';

export class PinService {
  constructor(private readonly deps: ServiceDeps) {}

  private async requireMember(caller: Caller, groupID: string) {
    const { storage } = this.deps;
    const group = await storage.getGroup(caller.app, groupID);
    if (!group) throw new ImError(ErrorCode.GROUP_NOT_FOUND, `group ${groupID} does not exist`);
    const member = await storage.getMember(caller.app, groupID, caller.userID);
    if (!member) throw new ImError(ErrorCode.NO_PERMISSION, 'not a member of this group');
    return { group, member };
  }

  /** Answers the pinned list after the change (the worker hands it to the caller's other tabs). */
  async pin(
    caller: Caller,
    data: OpData<'pinGroupMessage'>,
  ): Promise<{ pinnedMessageList: Message[] }> {
    const { storage } = this.deps;
    const { group, member } = await this.requireMember(caller, data.groupID);
    if (!mayPin(group, member.role)) {
      throw new ImError(ErrorCode.NO_PERMISSION, 'only the owner and admins can pin messages');
    }
    const message = await storage.findMessage(caller.app, groupKey(data.groupID), data.messageID);
    if (!message || !canSee(message, caller.userID)) {
      throw new ImError(
        ErrorCode.MESSAGE_NOT_FOUND,
        `message ${data.messageID} not found in group ${data.groupID}`,
      );
    }
    let changed: boolean;
    if (data.isPinned) {
      requireNotRevoked(message);
      if (message.receiverList.length > 0) {
        throw new ImError(
          ErrorCode.MESSAGE_OPERATION_UNSUPPORTED,
          'targeted messages cannot be pinned',
        );
      }
      const result = await storage.pinMessage(
        caller.app,
        data.groupID,
        message.cursor,
        caller.userID,
        this.deps.nowMs(),
        LIMITS.pinnedGroupMessages,
      );
      if (result === 'limit') {
        throw new ImError(
          ErrorCode.PINNED_MESSAGE_LIMIT,
          `a group has at most ${LIMITS.pinnedGroupMessages} pinned messages`,
        );
      }
      changed = result === 'pinned';
    } else {
      changed = await storage.unpinMessage(caller.app, data.groupID, message.cursor);
    }
    if (changed) await this.pushPinned(caller.app, data.groupID, caller.connID);
    const pinned = await storage.pinnedMessages(caller.app, data.groupID);
    return { pinnedMessageList: pinned.map((m) => messageView(m, caller.userID)) };
  }

  async list(
    caller: Caller,
    data: OpData<'getPinnedGroupMessageList'>,
  ): Promise<{ messageList: Message[] }> {
    await this.requireMember(caller, data.groupID);
    const pinned = await this.deps.storage.pinnedMessages(caller.app, data.groupID);
    return { messageList: pinned.map((m) => messageView(m, caller.userID)) };
  }

  /** `pinnedGroupMessageUpdated` to every member (but the socket `exceptConnID`). */
  async pushPinned(app: number, groupID: string, exceptConnID?: string): Promise<void> {
    const { storage } = this.deps;
    const pinned = await storage.pinnedMessages(app, groupID);
    const members = (await storage.allMembers(app, groupID)).map((m) => m.userID);
    await pushTo(
      this.deps,
      app,
      members,
      (userID) => ({
        push: 'pinnedGroupMessageUpdated',
        data: { groupID, pinnedMessageList: pinned.map((m) => messageView(m, userID)) },
      }),
      exceptConnID,
    );
  }
}

function mayPin(group: GroupRecord, role: string): boolean {
  return group.type === 'Private' || role === 'Owner' || role === 'Admin';
}
