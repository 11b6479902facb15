/**
 * What the current user may do in a group, from the rule table (src/protocol/group-rules.ts) and
 * the user's role; `<im-group-panel>` renders only these controls.
 */
import type { MemberRole } from '../../protocol/constants.js';
import { allows, allowsOn, GROUP_RULES } from '../../protocol/group-rules.js';
import type { Group, GroupMember } from '../../protocol/types.js';

export interface Powers {
  edit: boolean;
  invite: boolean;
  muteAll: boolean;
  dismiss: boolean;
  quit: boolean;
  handle: boolean;
  kick(target: GroupMember): boolean;
  mute(target: GroupMember): boolean;
  setRole(target: GroupMember): boolean;
  transfer(target: GroupMember): boolean;
}

export function powersOf(group: Group | null, role: MemberRole | '', self: string): Powers {
  const r = group ? GROUP_RULES[group.type] : null;
  const me = role || null;
  const other = (t: GroupMember) => t.userID !== self;
  return {
    edit: !!r && allows(r.editProfile, me),
    invite: !!r && allows(r.invite, me),
    muteAll: !!r && allows(r.mute, me),
    dismiss: !!r && allows(r.dismiss, me),
    quit: !!me && (me !== 'Owner' || !!r?.ownerMayQuit),
    handle: !!r && r.canApply && allows('admin', me),
    kick: (t) => !!r && other(t) && allowsOn(r.kick, me, t.role),
    mute: (t) => !!r && other(t) && allowsOn(r.mute, me, t.role),
    setRole: (t) => !!r && other(t) && t.role !== 'Owner' && allows(r.setRole, me),
    transfer: (t) => !!r && other(t) && allows(r.transfer, me),
  };
}
