// The group-type rule matrix (src/protocol/group-rules.ts, Tencent's seed-002 section 4.1): one
// test per type x operation, each against a fresh group on a real server. The expected outcome
// is read from the same table the server enforces, so a rule changed in one place and not the
// other fails here; the literal checks at the end pin the table to the reference.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode } from '../../src/protocol/codes.js';
import type { GroupType } from '../../src/protocol/constants.js';
import { allows, allowsOn, GROUP_RULES, GROUP_TYPES } from '../../src/protocol/group-rules.js';
import type { Conversation, Group, Message } from '../../src/protocol/types.js';
import type { MessageListResult } from '../../src/protocol/wire.js';
import {
  connectClient,
  groupText,
  startTestServer,
  uid,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';

const C = ErrorCode;

interface Cast {
  groupID: string;
  owner: TestClient;
  /** null where the type has no admins through the client API. */
  admin: TestClient | null;
  m1: TestClient;
  m2: TestClient;
  outsider: TestClient;
  all: TestClient[];
}

let server: RunningServer;
const open: TestClient[] = [];

async function client(prefix: string): Promise<TestClient> {
  const c = await connectClient(server, uid(prefix));
  open.push(c);
  return c;
}

/** A group of `type` with an owner, an admin (where possible), two members and an outsider. */
async function cast(type: GroupType): Promise<Cast> {
  const rules = GROUP_RULES[type];
  const [owner, adminUser, m1, m2, outsider] = await Promise.all(
    ['owner', 'admin', 'm1', 'm2', 'out'].map((p) => client(p)),
  );
  const hasAdmin = rules.hasAdmins && rules.setRole !== 'none';
  const invited = [...(hasAdmin ? [adminUser] : []), m1, m2];
  const { group } = await owner.request<{ group: Group }>('createGroup', {
    name: type,
    type,
    ...(rules.initialMembers
      ? {
          memberList: invited.map((c) => ({
            userID: c.userID,
            role: c === adminUser ? 'Admin' : 'Member',
          })),
        }
      : {}),
  });
  if (!rules.initialMembers) {
    for (const c of invited) await c.request('joinGroup', { groupID: group.groupID });
  }
  return {
    groupID: group.groupID,
    owner,
    admin: hasAdmin ? adminUser : null,
    m1,
    m2,
    outsider,
    all: [owner, adminUser, m1, m2, outsider],
  };
}

/** Resolves when `allowed`, else rejects with `code`. */
async function outcome(call: Promise<unknown>, allowed: boolean, code: number, label: string) {
  if (allowed) await assert.doesNotReject(call, label);
  else await assert.rejects(call, { code }, label);
}

const conversation = async (c: TestClient, groupID: string) =>
  (
    await c.request<{ conversationList: Conversation[] }>('getConversationList')
  ).conversationList.find((x) => x.conversationID === `GROUP${groupID}`);

before(async () => {
  server = await startTestServer({ sendRate: 100_000, groupRate: 100_000 });
});
after(async () => {
  for (const c of open) await c.close();
  await server.close();
});

for (const type of GROUP_TYPES) {
  const rules = GROUP_RULES[type];
  describe(`${type} groups`, () => {
    test('joinGroup by an outsider follows the default join option', async () => {
      const g = await cast(type);
      const call = g.outsider.request<{ status: string }>('joinGroup', { groupID: g.groupID });
      if (!rules.canApply) return outcome(call, false, C.NO_PERMISSION, 'join');
      const expected =
        rules.joinOptions[0] === 'FreeAccess'
          ? 'JoinedSuccess'
          : rules.joinOptions[0] === 'NeedPermission'
            ? 'WaitAdminApproval'
            : null;
      if (expected === null) return outcome(call, false, C.NO_PERMISSION, 'join');
      assert.equal((await call).status, expected);
    });

    test('addGroupMember by a plain member', async () => {
      const g = await cast(type);
      const call = g.m1.request<{ successUserIDList: string[] }>('addGroupMember', {
        groupID: g.groupID,
        userIDList: [g.outsider.userID],
      });
      await outcome(call, allows(rules.invite, 'Member'), C.NO_PERMISSION, 'invite');
      if (allows(rules.invite, 'Member')) {
        assert.deepEqual((await call).successUserIDList, [g.outsider.userID]);
        const list = await g.outsider.request<{ groupList: Group[] }>('getGroupList');
        assert.ok(list.groupList.some((x) => x.groupID === g.groupID));
      }
    });

    test('the owner quits', async () => {
      const g = await cast(type);
      await outcome(
        g.owner.request('quitGroup', { groupID: g.groupID }),
        rules.ownerMayQuit,
        C.OWNER_CANNOT_QUIT,
        'owner quit',
      );
    });

    test('updateGroupProfile by member, admin and owner', async () => {
      const g = await cast(type);
      const edit = (c: TestClient, name: string) =>
        c.request('updateGroupProfile', { groupID: g.groupID, name });
      await outcome(
        edit(g.m1, 'by member'),
        allows(rules.editProfile, 'Member'),
        C.NO_PERMISSION,
        'member',
      );
      if (g.admin) {
        await outcome(
          edit(g.admin, 'by admin'),
          allows(rules.editProfile, 'Admin'),
          C.NO_PERMISSION,
          'admin',
        );
      }
      await outcome(
        edit(g.owner, 'by owner'),
        allows(rules.editProfile, 'Owner'),
        C.NO_PERMISSION,
        'owner',
      );
    });

    test('deleteGroupMember: member on member, admin on admin, owner on member', async () => {
      const g = await cast(type);
      const kick = (c: TestClient, target: TestClient) =>
        c.request('deleteGroupMember', { groupID: g.groupID, userIDList: [target.userID] });
      await outcome(
        kick(g.m1, g.m2),
        allowsOn(rules.kick, 'Member', 'Member'),
        C.NO_PERMISSION,
        'member',
      );
      if (g.admin) {
        await outcome(kick(g.admin, g.owner), false, C.NO_PERMISSION, 'admin on owner');
      }
      const byOwner = allowsOn(rules.kick, 'Owner', 'Member');
      await outcome(kick(g.owner, g.m1), byOwner, C.NO_PERMISSION, 'owner');
      if (byOwner) {
        await assert.rejects(g.m1.request('sendMessage', groupText(g.groupID, 'still here?')), {
          code: C.NO_PERMISSION,
        });
      }
    });

    test('setGroupMemberMuteTime, then the muted member cannot send (10017)', async () => {
      const g = await cast(type);
      const mute = (c: TestClient, target: TestClient, muteTime = 600) =>
        c.request('setGroupMemberMuteTime', {
          groupID: g.groupID,
          userID: target.userID,
          muteTime,
        });
      await outcome(
        mute(g.m1, g.m2),
        allowsOn(rules.mute, 'Member', 'Member'),
        C.NO_PERMISSION,
        'member',
      );
      if (g.admin) {
        await outcome(
          mute(g.admin, g.m2),
          allowsOn(rules.mute, 'Admin', 'Member'),
          C.NO_PERMISSION,
          'admin',
        );
      }
      const byOwner = allowsOn(rules.mute, 'Owner', 'Member');
      await outcome(mute(g.owner, g.m1), byOwner, C.NO_PERMISSION, 'owner');
      if (byOwner) {
        await assert.rejects(g.m1.request('sendMessage', groupText(g.groupID, 'muted')), {
          code: C.GROUP_MEMBER_MUTED,
        });
        await mute(g.owner, g.m1, 0);
        await g.m1.request('sendMessage', groupText(g.groupID, 'unmuted'));
      }
    });

    test('muteAllMembers by the owner: plain members cannot send, the owner can', async () => {
      const g = await cast(type);
      const allowed = allows(rules.mute, 'Owner');
      await outcome(
        g.owner.request('updateGroupProfile', { groupID: g.groupID, muteAllMembers: true }),
        allowed,
        C.NO_PERMISSION,
        'mute all',
      );
      if (allowed) {
        await assert.rejects(g.m1.request('sendMessage', groupText(g.groupID, 'x')), {
          code: C.GROUP_MEMBER_MUTED,
        });
        await g.owner.request('sendMessage', groupText(g.groupID, 'owner speaks'));
      }
    });

    test('dismissGroup by the owner', async () => {
      const g = await cast(type);
      const allowed = allows(rules.dismiss, 'Owner');
      await outcome(
        g.owner.request('dismissGroup', { groupID: g.groupID }),
        allowed,
        C.NO_PERMISSION,
        'dismiss',
      );
      if (allowed) {
        await assert.rejects(g.m1.request('getGroupProfile', { groupID: g.groupID }), {
          code: C.GROUP_NOT_FOUND,
        });
      }
    });

    test('changeGroupOwner by the owner (and never by a member)', async () => {
      const g = await cast(type);
      await outcome(
        g.m1.request('changeGroupOwner', { groupID: g.groupID, newOwnerID: g.m1.userID }),
        false,
        C.NO_PERMISSION,
        'member',
      );
      const allowed = allows(rules.transfer, 'Owner');
      await outcome(
        g.owner.request('changeGroupOwner', { groupID: g.groupID, newOwnerID: g.m1.userID }),
        allowed,
        C.NO_PERMISSION,
        'owner',
      );
      if (allowed) {
        const { group } = await g.m1.request<{ group: Group }>('getGroupProfile', {
          groupID: g.groupID,
        });
        assert.equal(group.ownerID, g.m1.userID);
        assert.equal((group.selfInfo as { role: string }).role, 'Owner');
      }
    });

    test('setGroupMemberRole by the owner', async () => {
      const g = await cast(type);
      await outcome(
        g.owner.request('setGroupMemberRole', {
          groupID: g.groupID,
          userID: g.m1.userID,
          role: 'Admin',
        }),
        allows(rules.setRole, 'Owner'),
        C.NO_PERMISSION,
        'set admin',
      );
    });

    test('joinOption change by the owner', async () => {
      const g = await cast(type);
      const target = rules.joinOptions.find((o) => o !== rules.joinOptions[0]) ?? 'NeedPermission';
      await outcome(
        g.owner.request('updateGroupProfile', { groupID: g.groupID, joinOption: target }),
        rules.joinOptionChangeable && allows(rules.editProfile, 'Owner'),
        C.NO_PERMISSION,
        'joinOption',
      );
    });

    test('searchGroupByID by an outsider', async () => {
      const g = await cast(type);
      await outcome(
        g.outsider.request('searchGroupByID', { groupID: g.groupID }),
        rules.searchable,
        C.NO_PERMISSION,
        'search',
      );
    });

    test('history before joining, and unread counts', async () => {
      const g = await cast(type);
      const before = await g.owner.request<{ message: Message }>(
        'sendMessage',
        groupText(g.groupID, 'before'),
      );
      if (rules.invite !== 'none') {
        await g.m1.request('addGroupMember', {
          groupID: g.groupID,
          userIDList: [g.outsider.userID],
        });
      } else {
        if (rules.joinOptions[0] !== 'FreeAccess') {
          await g.owner.request('updateGroupProfile', {
            groupID: g.groupID,
            joinOption: 'FreeAccess',
          });
        }
        await g.outsider.request('joinGroup', { groupID: g.groupID });
      }
      await g.owner.request('sendMessage', groupText(g.groupID, 'after'));
      const page = await g.outsider.request<MessageListResult>('getMessageList', {
        conversationID: `GROUP${g.groupID}`,
      });
      const ids = page.messageList.map((m) => m.ID);
      if (!rules.storesHistory) {
        assert.deepEqual(ids, [], 'nothing stored');
      } else {
        assert.equal(
          ids.includes(before.message.ID),
          rules.historyBeforeJoin,
          'history before join',
        );
      }
      const conv = await conversation(g.m2, g.groupID);
      assert.equal(conv?.unreadCount ?? 0, rules.unread && rules.storesHistory ? 2 : 0, 'unread');
    });

    test('custom group attributes by a member (AVChatRoom only: 2641)', async () => {
      const g = await cast(type);
      await outcome(
        g.m1.request('initGroupAttributes', {
          groupID: g.groupID,
          groupAttributes: { seat1: 'm1' },
        }),
        rules.attributes,
        C.GROUP_ATTRIBUTES_WRONG_TYPE,
        'attributes',
      );
      if (rules.attributes) {
        await assert.rejects(g.outsider.request('getGroupAttributes', { groupID: g.groupID }), {
          code: C.GROUP_ATTRIBUTES_NOT_JOINED,
        });
      }
    });

    test('setGroupMemberNameCard for oneself (no member profiles in AVChatRoom)', async () => {
      const g = await cast(type);
      await outcome(
        g.m1.request('setGroupMemberNameCard', { groupID: g.groupID, nameCard: 'Em One' }),
        rules.memberProfiles,
        C.NO_PERMISSION,
        'name card',
      );
      await outcome(
        g.m1.request('setGroupMemberCustomField', {
          groupID: g.groupID,
          memberCustomField: [{ key: 'k', value: 'v' }],
        }),
        rules.memberProfiles,
        C.NO_PERMISSION,
        'custom field',
      );
    });
  });
}

describe('the table matches the reference (seed-002 4.1)', () => {
  test('literal rules', () => {
    const r = GROUP_RULES;
    assert.equal(r.Private.canApply, false);
    assert.equal(r.Private.invite, 'member');
    assert.equal(r.Private.ownerMayQuit, true);
    assert.equal(r.Private.editProfile, 'member');
    assert.equal(r.Private.kick, 'owner');
    assert.equal(r.Private.mute, 'none');
    assert.equal(r.Private.hasAdmins, false);
    assert.deepEqual(r.Public.joinOptions[0], 'NeedPermission');
    assert.equal(r.Public.invite, 'none');
    assert.equal(r.Public.kick, 'admin');
    assert.equal(r.ChatRoom.joinOptions.join(), 'FreeAccess');
    assert.equal(r.ChatRoom.unread, false);
    assert.equal(r.ChatRoom.historyBeforeJoin, true);
    assert.equal(r.Community.historyBeforeJoin, true);
    assert.equal(r.Community.invite, 'member');
    assert.equal(r.AVChatRoom.editProfile, 'owner');
    assert.equal(r.AVChatRoom.kick, 'owner');
    assert.equal(r.AVChatRoom.storesHistory, false);
    assert.equal(r.AVChatRoom.unread, false);
    assert.equal(r.AVChatRoom.transfer, 'none');
    for (const type of GROUP_TYPES) {
      assert.equal(r[type].ownerMayQuit, type === 'Private');
      assert.equal(r[type].attributes, type === 'AVChatRoom');
      assert.equal(r[type].searchable, type !== 'Private');
    }
    assert.deepEqual(
      GROUP_TYPES.map((t) => r[t].defaultMaxMembers),
      [200, 2000, 10000, 1_000_000, 100_000],
    );
  });
});
