/**
 * User status (Tencent's): per user, not per device.
 *
 * - statusType 1 (online) while the user has at least one live instance (bus presence; in a
 *   browser the SharedWorker's one socket stands for every tab). When the last instance goes
 *   (socket closed, or terminated by the transport after a missed heartbeat) the user becomes 2
 *   (offline), or 3 (unlogined) when that socket logged out; never logged in is 3 too.
 * - The custom status (<= LIMITS.customStatusBytes, '' clears) is cleared when the user goes
 *   offline or logs out.
 * - Subscriptions: <= LIMITS.statusSubscribeBatch per call, <= LIMITS.statusSubscriptions in all,
 *   the oldest evicted past it; nobody subscribes to themselves (failureUserList, 30001); unknown
 *   users 30003. Logging out clears one's subscriptions. A new subscription is answered with a
 *   userStatusUpdated push of the current status, so a list can paint its dots at once.
 * - userStatusUpdated goes to the user's own sockets, to their subscribers and to the users that
 *   have them in their friend list.
 */
import { ErrorCode } from '../../protocol/codes.js';
import { LIMITS, TYPES } from '../../protocol/constants.js';
import type { RelationFailure, UserStatus } from '../../protocol/types.js';
import type { OpData } from '../../protocol/wire.js';
import type { Presence } from '../bus/types.js';
import { byteLength, ImError, invalid } from '../errors.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';

export class StatusService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly presence: Presence,
  ) {}

  private get rel() {
    return this.deps.storage.relations;
  }

  private async statuses(app: number, ids: string[]): Promise<Map<string, UserStatus>> {
    const stored = await this.rel.getStatus(app, ids);
    const counts = await this.presence.instanceCounts(app, ids);
    const out = new Map<string, UserStatus>();
    for (const [i, id] of ids.entries()) {
      const online = counts[i] > 0;
      const s = stored.get(id);
      out.set(id, {
        userID: id,
        statusType: online
          ? TYPES.USER_STATUS_ONLINE
          : s && !s.loggedOut
            ? TYPES.USER_STATUS_OFFLINE
            : TYPES.USER_STATUS_UNLOGINED,
        customStatus: online ? (s?.customStatus ?? '') : '',
      });
    }
    return out;
  }

  /** Publishes `userID`'s status to their sockets (but `except`), subscribers and friends-of. */
  private async publish(app: number, userID: string, except?: string): Promise<void> {
    const status = (await this.statuses(app, [userID])).get(userID)!;
    const frame = { push: 'userStatusUpdated' as const, data: { userStatusList: [status] } };
    await pushTo(this.deps, app, [userID], frame, except);
    const watchers = new Set([
      ...(await this.rel.subscribersOf(app, userID)),
      ...(await this.rel.friendedBy(app, userID)),
    ]);
    watchers.delete(userID);
    await pushTo(this.deps, app, watchers, frame);
  }

  async get(
    caller: Caller,
    data: OpData<'getUserStatus'>,
  ): Promise<{ successUserList: UserStatus[]; failureUserList: RelationFailure[] }> {
    const ids = [...new Set(data.userIDList)];
    const known = new Set((await this.deps.storage.getUsers(caller.app, ids)).map((u) => u.userID));
    const statuses = await this.statuses(
      caller.app,
      ids.filter((id) => known.has(id)),
    );
    return {
      successUserList: [...statuses.values()],
      failureUserList: ids
        .filter((id) => !known.has(id))
        .map((id) => ({
          userID: id,
          code: ErrorCode.RELATION_ACCOUNT_NOT_FOUND,
          message: `user ${id} does not exist`,
        })),
    };
  }

  async setSelf(caller: Caller, data: OpData<'setSelfStatus'>): Promise<UserStatus> {
    if (byteLength(data.customStatus) > LIMITS.customStatusBytes) {
      throw invalid(`customStatus is longer than ${LIMITS.customStatusBytes} bytes`);
    }
    await this.rel.setCustomStatus(caller.app, caller.userID, data.customStatus);
    await this.publish(caller.app, caller.userID, caller.connID);
    return (await this.statuses(caller.app, [caller.userID])).get(caller.userID)!;
  }

  async subscribe(
    caller: Caller,
    data: OpData<'subscribeUserStatus'>,
  ): Promise<{ failureUserList: RelationFailure[] }> {
    const { app, userID: me } = caller;
    const ids = [...new Set(data.userIDList)];
    const known = new Set((await this.deps.storage.getUsers(app, ids)).map((u) => u.userID));
    const failureUserList: RelationFailure[] = [];
    const ok: string[] = [];
    for (const id of ids) {
      if (id === me) {
        failureUserList.push({
          userID: id,
          code: ErrorCode.RELATION_INVALID,
          message: 'you cannot subscribe to your own status',
        });
      } else if (!known.has(id)) {
        failureUserList.push({
          userID: id,
          code: ErrorCode.RELATION_ACCOUNT_NOT_FOUND,
          message: `user ${id} does not exist`,
        });
      } else ok.push(id);
    }
    if (ok.length > 0) {
      await this.rel.subscribe(app, me, ok, LIMITS.statusSubscriptions);
      const statuses = await this.statuses(app, ok);
      await pushTo(this.deps, app, [me], {
        push: 'userStatusUpdated',
        data: { userStatusList: [...statuses.values()] },
      });
    }
    return { failureUserList };
  }

  async unsubscribe(
    caller: Caller,
    data: OpData<'unsubscribeUserStatus'>,
  ): Promise<{ failureUserList: RelationFailure[] }> {
    await this.rel.unsubscribe(caller.app, caller.userID, [...new Set(data.userIDList)]);
    return { failureUserList: [] };
  }

  /**
   * getGroupOnlineMemberCount: the members with at least one live instance (presence), for any
   * group type (Tencent: all types since 3.2.0). The caller must be a member (10007); 10010 for a
   * group that does not exist.
   */
  async groupOnlineMemberCount(
    caller: Caller,
    data: OpData<'getGroupOnlineMemberCount'>,
  ): Promise<{ memberCount: number }> {
    const { storage } = this.deps;
    const group = await storage.getGroup(caller.app, data.groupID);
    if (!group) {
      throw new ImError(ErrorCode.GROUP_NOT_FOUND, `group ${data.groupID} does not exist`);
    }
    if (!(await storage.getMember(caller.app, data.groupID, caller.userID))) {
      throw new ImError(ErrorCode.NO_PERMISSION, 'not a member of this group');
    }
    const members = await storage.allMembers(caller.app, data.groupID);
    const counts = await this.presence.instanceCounts(
      caller.app,
      members.map((m) => m.userID),
    );
    return { memberCount: counts.filter((n) => n > 0).length };
  }

  /** The connection layer: a socket of `caller` logged in (after presence.attach). */
  async connected(caller: Caller): Promise<void> {
    if ((await this.presence.instanceCount(caller.app, caller.userID)) !== 1) return;
    await this.rel.setSignedOn(caller.app, caller.userID);
    await this.publish(caller.app, caller.userID, caller.connID);
  }

  /** The connection layer: a socket of `caller` closed (after presence.detach). */
  async disconnected(caller: Caller, loggedOut: boolean): Promise<void> {
    if ((await this.presence.instanceCount(caller.app, caller.userID)) > 0) return;
    if (loggedOut) await this.rel.unsubscribe(caller.app, caller.userID, []);
    await this.rel.setSignedOff(caller.app, caller.userID, loggedOut);
    await this.publish(caller.app, caller.userID);
  }
}
