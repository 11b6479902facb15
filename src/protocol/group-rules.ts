/**
 * The group-type rule matrix (Tencent Cloud Chat, seed-002 section 4.1), as one table read by the
 * server (permission checks), the tests (one test per type x operation) and `<im-group-panel>`
 * (which controls to show). Wire names: Work = 'Private', Meeting = 'ChatRoom'.
 *
 * Who-values: 'member' any member, 'admin' owner and admins (an admin acts on ordinary members
 * only), 'owner' the owner only, 'none' nobody through the client API.
 */
import type { GroupType, JoinOption, MemberRole } from './constants.js';

export type Who = 'member' | 'admin' | 'owner' | 'none';

export interface GroupTypeRules {
  /** Admins exist (setGroupMemberRole may appoint them). */
  hasAdmins: boolean;
  /** joinGroup is possible at all (Work: invite only). */
  canApply: boolean;
  /** Join options accepted at creation / update; the first is the default. */
  joinOptions: readonly JoinOption[];
  /** updateGroupProfile may change joinOption. */
  joinOptionChangeable: boolean;
  /** addGroupMember: who may invite (Work and Community: any member, no approval). */
  invite: Who;
  /** The owner may quitGroup (the group is then ownerless). */
  ownerMayQuit: boolean;
  /** updateGroupProfile (name, avatar, introduction, notification, joinOption, muteAllMembers). */
  editProfile: Who;
  /** deleteGroupMember. */
  kick: Who;
  /** setGroupMemberMuteTime and muteAllMembers. */
  mute: Who;
  /** dismissGroup by the owner (Work groups: only the app admin, through REST). */
  dismiss: Who;
  /** changeGroupOwner. */
  transfer: Who;
  /** setGroupMemberRole (owner only, where admins exist). */
  setRole: Who;
  /** Unread counts are kept. */
  unread: boolean;
  /** A new member sees messages from before joining. */
  historyBeforeJoin: boolean;
  /** Messages are stored in the cloud. */
  storesHistory: boolean;
  /** searchGroupByID finds it (Work groups are not searchable). */
  searchable: boolean;
  /** Member profiles (name cards, custom fields) are stored. */
  memberProfiles: boolean;
  /** Custom group attributes (initGroupAttributes ...) through the client API. */
  attributes: boolean;
  /** A user is in at most one group of this type (joining another quits the first). */
  single: boolean;
  /** createGroup may carry an initial memberList. */
  initialMembers: boolean;
  defaultMaxMembers: number;
  maxMembersLimit: number;
}

const COMMON = {
  unread: true,
  historyBeforeJoin: false,
  storesHistory: true,
  searchable: true,
  memberProfiles: true,
  attributes: false,
  single: false,
  initialMembers: true,
  transfer: 'owner',
  setRole: 'owner',
  hasAdmins: true,
  ownerMayQuit: false,
  dismiss: 'owner',
} as const;

export const GROUP_RULES: Record<GroupType, GroupTypeRules> = {
  Private: {
    ...COMMON,
    hasAdmins: false,
    setRole: 'none',
    canApply: false,
    joinOptions: ['DisableApply'],
    joinOptionChangeable: false,
    invite: 'member',
    ownerMayQuit: true,
    editProfile: 'member',
    kick: 'owner',
    mute: 'none',
    dismiss: 'none',
    searchable: false,
    defaultMaxMembers: 200,
    maxMembersLimit: 6000,
  },
  Public: {
    ...COMMON,
    canApply: true,
    joinOptions: ['NeedPermission', 'FreeAccess', 'DisableApply'],
    joinOptionChangeable: true,
    invite: 'none',
    editProfile: 'admin',
    kick: 'admin',
    mute: 'admin',
    defaultMaxMembers: 2000,
    maxMembersLimit: 6000,
  },
  ChatRoom: {
    ...COMMON,
    canApply: true,
    joinOptions: ['FreeAccess'],
    joinOptionChangeable: false,
    invite: 'none',
    editProfile: 'admin',
    kick: 'admin',
    mute: 'admin',
    unread: false,
    historyBeforeJoin: true,
    defaultMaxMembers: 10000,
    maxMembersLimit: 10000,
  },
  AVChatRoom: {
    ...COMMON,
    canApply: true,
    joinOptions: ['FreeAccess'],
    joinOptionChangeable: false,
    invite: 'none',
    editProfile: 'owner',
    kick: 'owner',
    mute: 'owner',
    transfer: 'none',
    setRole: 'none',
    unread: false,
    storesHistory: false,
    memberProfiles: false,
    attributes: true,
    single: true,
    initialMembers: false,
    defaultMaxMembers: 1_000_000,
    maxMembersLimit: 1_000_000,
  },
  Community: {
    ...COMMON,
    canApply: true,
    joinOptions: ['FreeAccess', 'NeedPermission', 'DisableApply'],
    joinOptionChangeable: true,
    invite: 'member',
    editProfile: 'admin',
    kick: 'admin',
    mute: 'admin',
    historyBeforeJoin: true,
    defaultMaxMembers: 100_000,
    maxMembersLimit: 100_000,
  },
};

export const GROUP_TYPES = Object.keys(GROUP_RULES) as GroupType[];

/** Whether `role` may do what `who` allows (null role: not a member). */
export function allows(who: Who, role: MemberRole | null): boolean {
  if (!role || who === 'none') return false;
  if (who === 'member') return true;
  if (who === 'admin') return role === 'Owner' || role === 'Admin';
  return role === 'Owner';
}

/**
 * Whether `actor` may act on `target` under `who` (kick, mute): an admin only on ordinary
 * members, the owner on anyone but itself.
 */
export function allowsOn(who: Who, actor: MemberRole | null, target: MemberRole): boolean {
  if (!allows(who, actor)) return false;
  if (target === 'Owner') return false;
  if (actor === 'Admin') return target === 'Member';
  return true;
}
