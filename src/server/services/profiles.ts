/** Profiles: mine, others' (unknown users left out, as Tencent does), and updates. */
import { TYPES } from '../../protocol/constants.js';
import type { Profile } from '../../protocol/types.js';
import type { OpData } from '../../protocol/wire.js';
import { invalid } from '../errors.js';
import { pushTo, type Caller, type ServiceDeps } from './deps.js';
import { profileView } from './views.js';

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
    const user = await this.deps.storage.updateUser(
      caller.app,
      caller.userID,
      data,
      this.deps.now(),
    );
    if (!user) throw invalid('user does not exist');
    const profile = profileView(user);
    await pushTo(
      this.deps,
      caller.app,
      [caller.userID],
      { push: 'profileUpdated', data: profile },
      caller.connID,
    );
    return profile;
  }
}
