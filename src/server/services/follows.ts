/**
 * Follow: one-directional, no approval. Rules (Tencent's): at most LIMITS.followBatch users per
 * call, nobody follows themselves (30001 in failureUserIDList), unknown users 30003, at most
 * LIMITS.following followings per user (30010); followers are unlimited. Following someone one
 * already follows (or unfollowing someone one does not) succeeds and changes nothing.
 *
 * Pushes `followListUpdated` to the caller's other sockets (following, and mutual when it changed)
 * and to the other user (followers, and mutual when it changed).
 */
import { ErrorCode } from '../../protocol/codes.js';
import { LIMITS } from '../../protocol/constants.js';
import type { FollowInfo, FollowListPage, RelationFailure } from '../../protocol/types.js';
import type { OpData, PushFrame } from '../../protocol/wire.js';
import { invalid } from '../errors.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import { profileView } from './views.js';

/** checkFollowType values (Tencent's web SDK answers these numbers; it has no TYPES for them). */
const FOLLOW_TYPE = { NONE: 0, FOLLOWER: 1, FOLLOWING: 2, BOTH: 3 } as const;

type Change = Extract<PushFrame, { push: 'followListUpdated' }>['data'][number];

export class FollowService {
  constructor(private readonly deps: ServiceDeps) {}

  private get rel() {
    return this.deps.storage.relations;
  }

  async follow(
    caller: Caller,
    data: OpData<'followUser'>,
  ): Promise<{ successUserIDList: string[]; failureUserIDList: RelationFailure[] }> {
    return this.change(caller, data.userIDList, true);
  }

  async unfollow(
    caller: Caller,
    data: OpData<'unfollowUser'>,
  ): Promise<{ successUserIDList: string[]; failureUserIDList: RelationFailure[] }> {
    return this.change(caller, data.userIDList, false);
  }

  private async change(caller: Caller, list: string[], add: boolean) {
    const { app, userID: me } = caller;
    const ids = [...new Set(list)];
    const failures: RelationFailure[] = [];
    const known = new Set((await this.deps.storage.getUsers(app, ids)).map((u) => u.userID));
    let candidates: string[] = [];
    for (const id of ids) {
      if (id === me) {
        failures.push({
          userID: id,
          code: ErrorCode.RELATION_INVALID,
          message: 'you cannot follow yourself',
        });
      } else if (!known.has(id)) {
        failures.push({
          userID: id,
          code: ErrorCode.RELATION_ACCOUNT_NOT_FOUND,
          message: `user ${id} does not exist`,
        });
      } else candidates.push(id);
    }
    const before = await this.rel.followRelations(app, me, candidates);
    const changed = candidates.filter((id) => before.following.has(id) !== add);
    if (add) {
      const room = LIMITS.following - (await this.rel.followingCount(app, me));
      const over = changed.slice(Math.max(room, 0));
      for (const id of over) {
        failures.push({
          userID: id,
          code: ErrorCode.RELATION_LIMIT,
          message: `you follow ${LIMITS.following} users already`,
        });
      }
      candidates = candidates.filter((id) => !over.includes(id));
      const admitted = changed.filter((id) => !over.includes(id));
      if (admitted.length > 0) await this.rel.follow(app, me, admitted, this.deps.now());
      await this.notify(caller, admitted, before.followers, true);
    } else {
      if (changed.length > 0) await this.rel.unfollow(app, me, changed);
      await this.notify(caller, changed, before.followers, false);
    }
    return { successUserIDList: candidates, failureUserIDList: failures };
  }

  private async notify(caller: Caller, changed: string[], followers: Set<string>, isAdd: boolean) {
    if (changed.length === 0) return;
    const { app, userID: me } = caller;
    const mutual = changed.filter((id) => followers.has(id));
    const mine: Change[] = [{ list: 'following', userIDList: changed, isAdd }];
    if (mutual.length > 0) mine.push({ list: 'mutual', userIDList: mutual, isAdd });
    await pushTo(this.deps, app, [me], { push: 'followListUpdated', data: mine }, caller.connID);
    await pushTo(this.deps, app, changed, (id) => ({
      push: 'followListUpdated',
      data: [
        { list: 'followers', userIDList: [me], isAdd },
        ...(followers.has(id) ? [{ list: 'mutual' as const, userIDList: [me], isAdd }] : []),
      ],
    }));
  }

  async list(
    caller: Caller,
    list: 'followers' | 'following' | 'mutual',
    nextCursor: string,
  ): Promise<FollowListPage> {
    if (nextCursor !== '' && !/^\d{1,9}$/.test(nextCursor)) throw invalid('bad nextCursor');
    const offset = nextCursor === '' ? 0 : Number(nextCursor);
    const page = LIMITS.followListPage;
    const ids = await this.rel.followList(caller.app, caller.userID, list, offset, page + 1);
    const shown = ids.slice(0, page);
    const users = new Map(
      (await this.deps.storage.getUsers(caller.app, shown)).map((u) => [u.userID, u]),
    );
    return {
      resultList: shown.flatMap((id) => {
        const u = users.get(id);
        return u ? [profileView(u)] : [];
      }),
      nextCursor: ids.length > page ? String(offset + page) : '',
    };
  }

  async info(caller: Caller, data: OpData<'getUserFollowInfo'>): Promise<FollowInfo[]> {
    const ids = data.userIDList.length > 0 ? [...new Set(data.userIDList)] : [caller.userID];
    const known = new Set((await this.deps.storage.getUsers(caller.app, ids)).map((u) => u.userID));
    const out: FollowInfo[] = [];
    for (const id of ids) {
      if (!known.has(id)) continue;
      out.push({ userID: id, ...(await this.rel.followCounts(caller.app, id)) });
    }
    return out;
  }

  async check(
    caller: Caller,
    data: OpData<'checkFollowType'>,
  ): Promise<{ userID: string; followType: number }[]> {
    const ids = [...new Set(data.userIDList)];
    const r = await this.rel.followRelations(caller.app, caller.userID, ids);
    return ids.map((id) => {
      const following = r.following.has(id);
      const follower = r.followers.has(id);
      return {
        userID: id,
        followType:
          following && follower
            ? FOLLOW_TYPE.BOTH
            : following
              ? FOLLOW_TYPE.FOLLOWING
              : follower
                ? FOLLOW_TYPE.FOLLOWER
                : FOLLOW_TYPE.NONE,
      };
    });
  }
}
