/**
 * What a group change tells people:
 * - group tips (TIMGroupTipElem): server-generated messages committed to the group's history like
 *   any message (a sequence, a cursor, synced after a disconnect), excluded from unread counts
 *   (Tencent, web >= 2.20), pushed to every member. AVChatRoom groups store no history: their tips
 *   go out to the members' open sockets only (`onlineMessage`).
 * - group system notices (TIMGroupSystemNoticeElem, conversation @TIM#SYSTEM): stored for the users
 *   concerned (applications to the owner and admins, the result to the applicant, kick, dismissal,
 *   invitation and role changes to the member) as one change of the change stream, then pushed
 *   with its change cursor. A device that was offline gets them from `syncChanges`; the
 *   @TIM#SYSTEM conversation's history (getMessageList) pages them.
 */
import { randomBytes } from 'node:crypto';
import { MESSAGE_DEFAULTS, type Group, type Message } from '../../protocol/types.js';
import { GROUP_RULES } from '../../protocol/group-rules.js';
import {
  groupKey,
  type GroupRecord,
  type NewSystemNotice,
  type StoredMessage,
  type SystemNoticeRecord,
} from '../storage/types.js';
import { pushTo, type ServiceDeps } from './deps.js';
import { messageView } from './views.js';

/** Tencent's TYPES.GRP_TIP_* operation types. */
export const TIP = {
  MEMBER_JOIN: 1,
  MEMBER_QUIT: 2,
  MEMBER_KICKED: 3,
  SET_ADMIN: 4,
  CANCEL_ADMIN: 5,
  PROFILE_UPDATED: 6,
  MEMBER_PROFILE_UPDATED: 7,
} as const;

/** Tencent's group system notice operation types (payload.operationType). */
export const NOTICE = {
  JOIN_APPLICATION: 1,
  APPLICATION_ACCEPTED: 2,
  APPLICATION_REFUSED: 3,
  KICKED: 4,
  DISMISSED: 5,
  CREATED: 6,
  INVITED: 7,
  QUIT: 8,
  SET_ADMIN: 9,
  CANCEL_ADMIN: 10,
} as const;

export interface TipPayload {
  operationType: number;
  operatorID: string;
  userIDList: string[];
  newGroupProfile?: Record<string, unknown>;
  memberList?: { userID: string; muteTime?: number; nameCard?: string }[];
}

function randomID(prefix: string): string {
  return `${prefix}-${Date.now()}-${randomBytes(6).toString('hex')}`;
}

/** Commits a tip to the group's history and pushes it to every member (all of their sockets). */
export async function groupTip(
  deps: ServiceDeps,
  app: number,
  group: GroupRecord,
  payload: TipPayload,
): Promise<void> {
  const { storage } = deps;
  const operator = await storage.getUser(app, payload.operatorID);
  const draft = {
    convKey: groupKey(group.groupID),
    conversationType: 'GROUP' as const,
    to: group.groupID,
    from: payload.operatorID,
    ID: randomID('tip'),
    type: 'TIMGroupTipElem',
    payload: { ...payload },
    priority: 'Normal',
    cloudCustomData: '',
    clientTime: deps.now(),
    random: 0,
    time: deps.now(),
    nick: operator?.nick ?? '',
    avatar: operator?.avatar ?? '',
    atUserList: [],
    receiverList: [],
    needReadReceipt: false,
    isSupportExtension: false,
    excludedFromUnreadCount: true,
    excludedFromLastMessage: false,
  };
  const members = (await storage.allMembers(app, group.groupID)).map((m) => m.userID);
  if (!GROUP_RULES[group.type].storesHistory) {
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
    await pushTo(deps, app, members, (userID) => ({
      push: 'onlineMessage',
      data: { ...messageView(stored, userID), onlineOnlyFlag: true },
    }));
    return;
  }
  const { message } = await storage.appendMessage(app, draft, []);
  await pushTo(deps, app, members, (userID) => ({
    push: 'message',
    cursor: message.cursor,
    data: messageView(message, userID),
  }));
}

/** A stored group system notice as its recipient sees it (conversation @TIM#SYSTEM). */
export function noticeView(notice: SystemNoticeRecord): Message {
  return {
    ...MESSAGE_DEFAULTS,
    ID: notice.ID,
    type: 'TIMGroupSystemNoticeElem',
    payload: notice.payload,
    conversationID: '@TIM#SYSTEM',
    conversationType: '@TIM#SYSTEM',
    to: notice.userID,
    from: '@TIM#SYSTEM',
    flow: 'in',
    time: notice.time,
    status: 'success',
    clientTime: notice.time,
  };
}

/** A group system notice to `userIDs`: stored as one change, then pushed to all their sockets. */
export async function groupNotice(
  deps: ServiceDeps,
  app: number,
  userIDs: Iterable<string>,
  group: Group | GroupRecord,
  notice: { operationType: number; operatorID: string; handleMessage?: string },
): Promise<void> {
  const users = [...new Set(userIDs)];
  if (users.length === 0) return;
  const stored: NewSystemNotice = {
    ID: randomID('notice'),
    payload: {
      operationType: notice.operationType,
      operatorID: notice.operatorID,
      groupProfile: {
        groupID: group.groupID,
        name: group.name,
        type: group.type,
        avatar: group.avatar,
      },
      handleMessage: notice.handleMessage ?? '',
    },
    time: deps.now(),
  };
  const changeSeq = await deps.storage.addSystemNotice(app, users, stored);
  await pushTo(deps, app, users, (userID) => ({
    push: 'groupSystemNotice',
    cursor: changeSeq,
    data: noticeView({ ...stored, userID, changeSeq }),
  }));
}
