/**
 * Profiles: mine, others' (unknown users left out, as Tencent does), and updates.
 *
 * Custom fields: keys `Tag_Profile_Custom_` plus 1-8 characters of [A-Za-z0-9_], string values of
 * at most LIMITS.profileCustomValueBytes bytes or integers, at most LIMITS.profileCustomFields
 * keys per user (10004 otherwise). An update merges the given keys into the stored ones.
 * PROFILE_UPDATED goes to the user's other sockets and to the users that have them as a friend
 * (Tencent pushes friend profile changes, not those of strangers).
 */
import { LIMITS, TYPES } from '../../protocol/constants.js';
import type { Profile } from '../../protocol/types.js';
import type { OpData } from '../../protocol/wire.js';
import { byteLength, invalid } from '../errors.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import { profileView } from './views.js';

const CUSTOM_KEY = /^Tag_Profile_Custom_[A-Za-z0-9_]+$/;
const CUSTOM_PREFIX = 'Tag_Profile_Custom_';

const GENDERS: readonly string[] = [TYPES.GENDER_UNKNOWN, TYPES.GENDER_FEMALE, TYPES.GENDER_MALE];
const ALLOW_TYPES: readonly string[] = [
  TYPES.ALLOW_TYPE_ALLOW_ANY,
  TYPES.ALLOW_TYPE_NEED_CONFIRM,
  TYPES.ALLOW_TYPE_DENY_ANY,
];

export class ProfileService {
  constructor(private readonly deps: ServiceDeps) {}

  async mine(caller: Caller): Promise<Profile> {
    const user = await this.deps.storage.ensureUser(caller.app, caller.userID, this.deps.now());
    return profileView(user);
  }

  async users(caller: Caller, data: OpData<'getUserProfile'>): Promise<Profile[]> {
    const ids = [...new Set(data.userIDList)];
    const found = new Map(
      (await this.deps.storage.getUsers(caller.app, ids)).map((u) => [u.userID, u]),
    );
    return ids.flatMap((id) => {
      const user = found.get(id);
      return user ? [profileView(user)] : [];
    });
  }

  async update(caller: Caller, data: OpData<'updateMyProfile'>): Promise<Profile> {
    if (data.gender !== undefined && !GENDERS.includes(data.gender))
      throw invalid(`invalid gender ${data.gender}`);
    if (data.allowType !== undefined && !ALLOW_TYPES.includes(data.allowType)) {
      throw invalid(`invalid allowType ${data.allowType}`);
    }
    const { profileCustomField, ...patch } = data;
    let customFields: Record<string, string | number> | undefined;
    if (profileCustomField) {
      customFields = {};
      for (const { key, value } of profileCustomField) {
        if (
          !CUSTOM_KEY.test(key) ||
          key.length - CUSTOM_PREFIX.length > LIMITS.profileCustomKeyBytes
        ) {
          throw invalid(
            `profileCustomField key ${key} must be ${CUSTOM_PREFIX} plus 1-${LIMITS.profileCustomKeyBytes} characters`,
          );
        }
        if (typeof value === 'number' && !Number.isInteger(value)) {
          throw invalid(`profileCustomField ${key}: numbers must be integers`);
        }
        if (typeof value === 'string' && byteLength(value) > LIMITS.profileCustomValueBytes) {
          throw invalid(
            `profileCustomField ${key} is longer than ${LIMITS.profileCustomValueBytes} bytes`,
          );
        }
        customFields[key] = value;
      }
      const current = await this.deps.storage.getUser(caller.app, caller.userID);
      const keys = new Set([
        ...Object.keys(current?.customFields ?? {}),
        ...Object.keys(customFields),
      ]);
      if (keys.size > LIMITS.profileCustomFields) {
        throw invalid(`a profile has at most ${LIMITS.profileCustomFields} custom fields`);
      }
    }
    const user = await this.deps.storage.updateUser(
      caller.app,
      caller.userID,
      { ...patch, customFields },
      this.deps.now(),
    );
    if (!user) throw invalid('user does not exist');
    const profile = profileView(user);
    const frame = { push: 'profileUpdated' as const, data: profile };
    await pushTo(this.deps, caller.app, [caller.userID], frame, caller.connID);
    const friendsOf = await this.deps.storage.relations.friendedBy(caller.app, caller.userID);
    await pushTo(
      this.deps,
      caller.app,
      friendsOf.filter((id) => id !== caller.userID),
      frame,
    );
    return profile;
  }
}
