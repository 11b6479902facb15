/** Schemas of the pushes of users and relationships (wire.ts UserPush), for frames.ts. */
import * as v from 'valibot';

function push<K extends string, S extends v.GenericSchema>(name: K, data: S) {
  return v.object({ push: v.literal(name), cursor: v.optional(v.number()), data });
}

const friend = v.looseObject({
  userID: v.string(),
  profile: v.looseObject({ userID: v.string() }),
});

export const userPushSchemas = [
  push(
    'userStatusUpdated',
    v.object({
      userStatusList: v.array(
        v.object({
          userID: v.string(),
          statusType: v.picklist([0, 1, 2, 3]),
          customStatus: v.string(),
        }),
      ),
    }),
  ),
  push('friendListUpdated', v.object({ added: v.array(friend), deleted: v.array(v.string()) })),
  push(
    'friendApplicationListUpdated',
    v.object({
      friendApplicationList: v.array(v.looseObject({ userID: v.string(), type: v.string() })),
      unreadCount: v.number(),
    }),
  ),
  push(
    'friendGroupListUpdated',
    v.object({
      friendGroupList: v.array(
        v.object({ name: v.string(), userIDList: v.array(v.string()), count: v.number() }),
      ),
    }),
  ),
  push('blacklistUpdated', v.object({ blacklist: v.array(v.string()) })),
  push(
    'followListUpdated',
    v.array(
      v.object({
        list: v.picklist(['followers', 'following', 'mutual']),
        userIDList: v.array(v.string()),
        isAdd: v.boolean(),
      }),
    ),
  ),
] as const;
