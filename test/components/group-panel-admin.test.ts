import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { ImGroupPanel } from '../../src/components/group-panel/group-panel.js';
import type { GroupType, MemberRole } from '../../src/protocol/constants.js';
import { FakeChatClient, makeConversation, makeGroup, makeMember } from './fake-client.js';
import { AUTH, part, parts, resetClientFactory, useFakeClient } from './setup.js';

async function mount(fake: FakeChatClient): Promise<ImGroupPanel> {
  useFakeClient(fake);
  const provider = await fixture(html`
    <im-provider
      server=${AUTH.server}
      app-id=${AUTH.appId}
      user-id="alice"
      user-sig=${AUTH.userSig}
    >
      <im-group-panel group-id="team"></im-group-panel>
    </im-provider>
  `);
  const el = provider.querySelector('im-group-panel')!;
  await waitUntil(() => part(el, 'header'), 'group panel did not load');
  return el;
}

/** alice with `role` in a group of `type`: olivia (owner unless alice), bob (admin), carol. */
function fakeAs(type: GroupType, role: MemberRole): FakeChatClient {
  const fake = new FakeChatClient('alice');
  const members = [
    makeMember({ userID: role === 'Owner' ? 'alice' : 'olivia', role: 'Owner' }),
    makeMember({ userID: 'bob', role: type === 'Private' ? 'Member' : 'Admin' }),
    makeMember({ userID: 'carol', nameCard: 'Carol C' }),
  ];
  if (role !== 'Owner') members.push(makeMember({ userID: 'alice', role }));
  fake.groups.set(
    'team',
    makeGroup({ groupID: 'team', name: 'Team', type, memberCount: members.length }),
  );
  fake.members.set('team', members);
  return fake;
}

const btn = (el: Element, name: string) => part<HTMLButtonElement>(el, name);

async function select(el: ImGroupPanel, name: string): Promise<void> {
  const row = parts<HTMLButtonElement>(el, 'member-button').find((b) =>
    b.textContent?.includes(name),
  );
  row!.click();
  await waitUntil(() => part(el, 'member-actions'), 'member actions');
}

describe('im-group-panel administration', () => {
  afterEach(() => resetClientFactory());

  it('as owner of a Public group: every control, and each one calls the API', async () => {
    const fake = fakeAs('Public', 'Owner');
    fake.applications = [
      { groupID: 'team', applicant: 'dave', applicantNick: 'Dave', applyMessage: 'hi', time: 1 },
      { groupID: 'other', applicant: 'erin', applicantNick: '', applyMessage: '', time: 1 },
    ];
    const el = await mount(fake);
    await waitUntil(() => parts(el, 'request').length === 1, 'join requests');
    expect(part(el, 'request-name')!.textContent).to.equal('Dave');
    for (const name of ['edit-button', 'dismiss-button']) expect(btn(el, name)).not.to.equal(null);
    expect(btn(el, 'invite-button'), 'nobody invites into a Public group').to.equal(null);
    expect(btn(el, 'quit-button'), 'the owner of a Public group cannot quit').to.equal(null);
    expect(part(el, 'mute-all')).not.to.equal(null);
    await expect(el).to.be.accessible();

    btn(el, 'approve-button')!.click();
    await waitUntil(() => fake.callsOf('handleGroupApplication').length === 1);
    expect(fake.callsOf('handleGroupApplication')[0].args[0]).to.deep.include({
      groupID: 'team',
      userID: 'dave',
      handleAction: 'Agree',
    });

    await select(el, 'bob');
    for (const name of ['mute-select', 'role-button', 'transfer-button', 'kick-button']) {
      expect(part(el, name), name).not.to.equal(null);
    }
    expect(btn(el, 'role-button')!.textContent?.trim()).to.equal('Remove admin');
    const mute = part<HTMLSelectElement>(el, 'mute-select')!;
    mute.value = '3600';
    mute.dispatchEvent(new Event('change'));
    await waitUntil(() => fake.callsOf('setGroupMemberMuteTime').length === 1);
    expect(fake.callsOf('setGroupMemberMuteTime')[0].args[0]).to.deep.equal({
      groupID: 'team',
      userID: 'bob',
      muteTime: 3600,
    });
    await waitUntil(() => parts(el, 'muted').length === 1, 'bob shows muted');
    await waitUntil(() => btn(el, 'unmute-button') && !btn(el, 'unmute-button')!.disabled);
    btn(el, 'unmute-button')!.click();
    await waitUntil(() => parts(el, 'muted').length === 0, 'unmuted');

    await waitUntil(() => !btn(el, 'kick-button')!.disabled);
    btn(el, 'kick-button')!.click();
    await waitUntil(() => fake.callsOf('deleteGroupMember').length === 1);
    await waitUntil(() => !parts(el, 'member-name').some((n) => n.textContent === 'bob'));

    const box = () => part<HTMLInputElement>(el, 'mute-all')!.querySelector('input')!;
    await waitUntil(() => !box().disabled);
    box().click();
    await waitUntil(() => fake.callsOf('updateGroupProfile').length === 1);
    expect(fake.callsOf('updateGroupProfile')[0].args[0]).to.deep.equal({
      groupID: 'team',
      muteAllMembers: true,
    });

    await waitUntil(() => !btn(el, 'edit-button')!.disabled);
    btn(el, 'edit-button')!.click();
    await waitUntil(() => part(el, 'profile-form'));
    const form = part<HTMLFormElement>(el, 'profile-form')!;
    form.querySelector<HTMLInputElement>('input[name="name"]')!.value = 'Renamed';
    btn(el, 'save-button')!.click();
    await waitUntil(() => part(el, 'name')!.textContent === 'Renamed');

    await waitUntil(() => !btn(el, 'dismiss-button')!.disabled);
    const dismissed = oneEvent(el, 'im-group-dismissed');
    btn(el, 'dismiss-button')!.click();
    expect((await dismissed).detail).to.deep.equal({ groupID: 'team' });
  });

  it('as admin of a Public group: edit, mute-all, requests; only ordinary members are actionable', async () => {
    const fake = fakeAs('Public', 'Admin');
    const el = await mount(fake);
    expect(btn(el, 'edit-button')).not.to.equal(null);
    expect(part(el, 'mute-all')).not.to.equal(null);
    expect(btn(el, 'dismiss-button')).to.equal(null);
    expect(btn(el, 'quit-button')).not.to.equal(null);
    await select(el, 'olivia');
    expect(part(el, 'kick-button'), 'not the owner').to.equal(null);
    expect(part(el, 'mute-select')).to.equal(null);
    expect(part(el, 'role-button'), 'only the owner appoints admins').to.equal(null);
    expect(part(el, 'transfer-button')).to.equal(null);
    await select(el, 'Carol C');
    expect(part(el, 'kick-button')).not.to.equal(null);
    expect(part(el, 'mute-select')).not.to.equal(null);
    expect(part(el, 'role-button')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('as a plain member: no administration controls; a Work member may invite and edit', async () => {
    let el = await mount(fakeAs('Public', 'Member'));
    for (const name of ['edit-button', 'invite-button', 'dismiss-button', 'mute-all']) {
      expect(part(el, name), name).to.equal(null);
    }
    expect(part(el, 'request-list')).to.equal(null);
    await select(el, 'Carol C');
    for (const name of ['kick-button', 'mute-select', 'role-button', 'transfer-button']) {
      expect(part(el, name), name).to.equal(null);
    }
    await expect(el).to.be.accessible();

    const fake = fakeAs('Private', 'Member');
    el = await mount(fake);
    expect(btn(el, 'edit-button')).not.to.equal(null);
    expect(part(el, 'mute-all'), 'no muting in Work groups').to.equal(null);
    fake.conversations = [
      makeConversation({ conversationID: 'C2Cdave' }),
      makeConversation({ conversationID: 'C2Ccarol' }),
    ];
    btn(el, 'invite-button')!.click();
    await waitUntil(() => part(el, 'invite-form'));
    await waitUntil(
      () => el.shadowRoot!.querySelectorAll('datalist option').length === 1,
      'suggests C2C peers who are not members',
    );
    expect(el.shadowRoot!.querySelector('datalist option')!.getAttribute('value')).to.equal('dave');
    part<HTMLFormElement>(el, 'invite-form')!.querySelector('input')!.value = 'dave, erin';
    btn(el, 'invite-submit')!.click();
    await waitUntil(() => fake.callsOf('addGroupMember').length === 1);
    expect(fake.callsOf('addGroupMember')[0].args[0]).to.deep.equal({
      groupID: 'team',
      userIDList: ['dave', 'erin'],
    });
    await waitUntil(() => part(el, 'member-count')!.textContent?.trim() === '6 members');
    // An unknown user is reported, the others added.
    fake.addGroupMember = async (o) => {
      fake.calls.push({ method: 'addGroupMember', args: [o] });
      return {
        code: 0,
        data: {
          successUserIDList: [],
          failureUserIDList: o.userIDList,
          existedUserIDList: [],
          group: fake.groups.get('team')!,
        },
      };
    };
    await waitUntil(() => !btn(el, 'invite-button')!.disabled);
    btn(el, 'invite-button')!.click();
    await waitUntil(() => part(el, 'invite-form'));
    part<HTMLFormElement>(el, 'invite-form')!.querySelector('input')!.value = 'ghost';
    btn(el, 'invite-submit')!.click();
    await waitUntil(() =>
      parts(el, 'note').some((n) => n.textContent === 'Not added (unknown users): ghost'),
    );
  });

  it('virtualizes thousands of members: a bounded number of rows, pages fetched on scroll', async () => {
    const fake = fakeAs('Community', 'Member');
    const many = Array.from({ length: 5000 }, (_, i) => makeMember({ userID: `user${i}` }));
    fake.members.set('team', [...fake.members.get('team')!, ...many]);
    fake.groups.set('team', { ...fake.groups.get('team')!, memberCount: 5004 });
    const el = await mount(fake);
    await waitUntil(() => parts(el, 'member').length > 0);
    const rows = parts(el, 'member').length;
    expect(rows).to.be.below(30);
    const viewport = part<HTMLElement>(el, 'member-viewport')!;
    viewport.scrollTop = 44 * 90;
    viewport.dispatchEvent(new Event('scroll'));
    await waitUntil(
      () => parts(el, 'member-name').some((n) => n.textContent === 'user90'),
      'rows after scrolling',
    );
    expect(parts(el, 'member').length).to.be.below(30);
    viewport.scrollTop = 44 * 2000;
    viewport.dispatchEvent(new Event('scroll'));
    await waitUntil(
      () =>
        fake
          .callsOf('getGroupMemberList')
          .some((c) => (c.args[0] as { offset: number }).offset >= 100),
      'next page fetched',
    );
    expect(parts(el, 'member').length).to.be.below(30);
    await waitUntil(
      () => parts(el, 'member-name').some((n) => n.textContent === 'user2000'),
      'rows at 2000',
    );
    // A reload while scrolled down refills the pages up to the view.
    fake.emit('onGroupListUpdated', [...fake.groups.values()]);
    await waitUntil(
      () =>
        fake
          .callsOf('getGroupMemberList')
          .filter((c) => (c.args[0] as { offset: number }).offset === 0).length === 2,
    );
    await waitUntil(
      () => parts(el, 'member-name').some((n) => n.textContent === 'user2000'),
      'rows at 2000 after a reload',
    );
    expect(parts(el, 'member').length).to.be.below(30);
  });

  it('online dots follow USER_STATUS_UPDATED; members in view are subscribed', async () => {
    const fake = fakeAs('Public', 'Member');
    const subscribed: string[][] = [];
    (fake as unknown as { subscribeUserStatus: unknown }).subscribeUserStatus = async (o: {
      userIDList: string[];
    }) => {
      subscribed.push(o.userIDList);
      return { code: 0, data: {} };
    };
    const el = await mount(fake);
    await waitUntil(() => subscribed.length > 0, 'subscribed');
    const me = fake.getLoginUser();
    const others = ['olivia', 'bob', 'carol', 'alice'].filter((u) => u !== me);
    expect(subscribed.flat()).to.include.members(others);
    expect(subscribed.flat(), 'never oneself').not.to.include(me);
    // Oneself shows online while connected; the others follow the events.
    const online = () => el.shadowRoot!.querySelectorAll('[part~="online"]').length;
    await waitUntil(() => online() === 1, 'oneself online');
    fake.emit('onUserStatusUpdated', [{ userID: 'bob', statusType: 1 }]);
    await waitUntil(() => online() === 2);
    fake.emit('onUserStatusUpdated', [{ userID: 'bob', statusType: 2 }]);
    await waitUntil(() => online() === 1);
  });

  it('lists the topics of a community with topics and follows TOPIC_* events', async () => {
    const fake = fakeAs('Community', 'Member');
    fake.groups.set('team', { ...fake.groups.get('team')!, isSupportTopic: true });
    await fake.createTopicInCommunity({ groupID: 'team', topicName: 'general' });
    const el = await mount(fake);
    await waitUntil(() => parts(el, 'topic').length === 1, 'topic list');
    expect(part(el, 'topic')!.textContent).to.equal('general');
    await fake.createTopicInCommunity({ groupID: 'team', topicName: 'news' });
    await waitUntil(() => parts(el, 'topic').length === 2, 'after TOPIC_CREATED');
    await expect(el).to.be.accessible();
  });
});
