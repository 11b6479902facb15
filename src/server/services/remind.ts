/**
 * Do-not-disturb.
 *
 * - setMessageRemindType: either `groupID` (a member, 10007 otherwise; 10010 missing) or
 *   `userIDList` (<= 30; unknown users land in failureUserIDList with 20003), not both (10004).
 *   Stored per user and conversation (conversation_settings), shown as
 *   `conversation.messageRemindType` / `group.selfInfo.messageRemindType`, pushed as
 *   `conversationUpdated` to the user's other sockets. `Discard` also stops pushes and sync of
 *   later messages, their unread count and lastMessage for that user (history keeps them);
 *   AcceptNotNotify and AcceptNotNotifyExceptAt are only stored (the client decides how to alert).
 * - setAllReceiveMessageOpt / getAllReceiveMessageOpt: the global setting, stored per user and
 *   merged field by field; only the notify kinds are accepted (Discard is per conversation, 10004).
 *   Pushed as `allReceiveMessageOptUpdated` to the user's other sockets. Informational: the server
 *   delivers the same either way (there is no offline push for web clients).
 */
import { ErrorCode } from '../../protocol/codes.js';
import type { OpData } from '../../protocol/wire.js';
import { ImError, invalid } from '../errors.js';
import { c2cKey, groupKey, type ReceiveOpt } from '../storage/types.js';
import type { ConversationService } from './conversations.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';

export type RemindResult =
  | { groupID: string; messageRemindType: string }
  | {
      successUserIDList: string[];
      failureUserIDList: { userID: string; code: number; message: string }[];
    };

export class RemindService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly conversations: ConversationService,
  ) {}

  async setRemindType(caller: Caller, data: OpData<'setMessageRemindType'>): Promise<RemindResult> {
    const { storage } = this.deps;
    const app = caller.app;
    const type = data.messageRemindType;
    if ((data.groupID === undefined) === (data.userIDList === undefined)) {
      throw invalid('give either groupID or userIDList');
    }
    if (data.groupID !== undefined) {
      const groupID = data.groupID;
      if (!(await storage.getGroup(app, groupID))) {
        throw new ImError(ErrorCode.GROUP_NOT_FOUND, `group ${groupID} does not exist`);
      }
      if (!(await storage.getMember(app, groupID, caller.userID))) {
        throw new ImError(ErrorCode.NO_PERMISSION, 'not a member of this group');
      }
      await storage.setRemindType(
        app,
        caller.userID,
        groupKey(groupID),
        'GROUP',
        type,
        this.deps.now(),
      );
      await this.conversations.pushUpdated(caller, `GROUP${groupID}`);
      return { groupID, messageRemindType: type };
    }
    const ids = [...new Set(data.userIDList)];
    const known = new Set((await storage.getUsers(app, ids)).map((u) => u.userID));
    const successUserIDList: string[] = [];
    const failureUserIDList: { userID: string; code: number; message: string }[] = [];
    for (const userID of ids) {
      if (!known.has(userID)) {
        failureUserIDList.push({
          userID,
          code: ErrorCode.ACCOUNT_NOT_FOUND,
          message: `user ${userID} does not exist`,
        });
        continue;
      }
      await storage.setRemindType(
        app,
        caller.userID,
        c2cKey(caller.userID, userID),
        'C2C',
        type,
        this.deps.now(),
      );
      successUserIDList.push(userID);
    }
    for (const userID of successUserIDList) {
      await this.conversations.pushUpdated(caller, `C2C${userID}`);
    }
    return { successUserIDList, failureUserIDList };
  }

  async setAll(
    caller: Caller,
    data: OpData<'setAllReceiveMessageOpt'>,
  ): Promise<Record<string, never>> {
    const { storage } = this.deps;
    if (data.messageRemindType === 'Discard') {
      throw invalid('Discard is set per conversation (setMessageRemindType)');
    }
    const current = await storage.getReceiveOpt(caller.app, caller.userID);
    const next: ReceiveOpt = {
      messageRemindType: data.messageRemindType ?? current.messageRemindType,
      startHour: data.startHour ?? current.startHour,
      startMinute: data.startMinute ?? current.startMinute,
      startSecond: data.startSecond ?? current.startSecond,
      duration: data.duration ?? current.duration,
      isRepeated: data.isRepeated ?? current.isRepeated,
    };
    await storage.setReceiveOpt(caller.app, caller.userID, next);
    await pushTo(
      this.deps,
      caller.app,
      [caller.userID],
      { push: 'allReceiveMessageOptUpdated', data: { ...next } },
      caller.connID,
    );
    return {};
  }

  async getAll(caller: Caller): Promise<ReceiveOpt> {
    return this.deps.storage.getReceiveOpt(caller.app, caller.userID);
  }
}
