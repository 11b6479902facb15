import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { ImGroupPanel } from '../../src/components/group-panel/group-panel.js';
import type { GroupType } from '../../src/protocol/constants.js';
import { FakeChatClient, makeGroup, makeMember } from './fake-client.js';
import { AUTH, part, parts, resetClientFactory, useFakeClient } from './setup.js';

async function mount(fake: FakeChatClient, groupID = 'team'): Promise<ImGroupPanel> {
  useFakeClient(fake);
  const provider = await fixture(html`
    <im-provider
      server=${AUTH.server}
      app-id=${AUTH.appId}
      user-id="alice"
      user-sig=${AUTH.userSig}
    >
      <im-group-panel group-id=${groupID}></im-group-panel>
    </im-provider>
  `);
  const el = provider.querySelector('im-group-panel')!;
  await waitUntil(() => part(el, 'header'), 'group panel did not load');
  return el;
}

function fakeWith(type: GroupType, myRole: 'Owner' | 'Admin' | 'Member' | null): FakeChatClient {
  const fake = new FakeChatClient('alice');
  const members = [
    makeMember({ userID: 'olivia', nick: 'Olivia', role: 'Owner' }),
    makeMember({ userID: 'bob', nameCard: 'Bob (ops)', role: 'Admin' }),
    makeMember({ userID: 'carol' }),
  ];
  if (myRole === 'Owner') members[0] = makeMember({ userID: 'alice', role: 'Owner' });
  else if (myRole) members.push(makeMember({ userID: 'alice', role: myRole }));
  fake.groups.set(
    'team',
    makeGroup({ groupID: 'team', name: 'The Team', type, memberCount: members.length }),
  );
  fake.members.set('team', members);
  return fake;
}

const button = (el: Element, name: string) => part<HTMLButtonElement>(el, name);

describe('im-group-panel', () => {
  afterEach(() => resetClientFactory());

  it('renders name, type label, member count and members with roles', async () => {
    const el = await mount(fakeWith('Public', 'Member'));
    expect(part(el, 'name')!.textContent).to.equal('The Team');
    expect(part(el, 'type')!.textContent).to.equal('Public');
    expect(part(el, 'member-count')!.textContent?.trim()).to.equal('4 members');
    const names = parts(el, 'member-name').map((n) => n.textContent);
    expect(names).to.deep.equal(['Olivia', 'Bob (ops)', 'carol', 'alice (you)']);
    expect(parts(el, 'role').map((r) => r.textContent)).to.deep.equal(['Owner', 'Admin']);
    await expect(el).to.be.accessible();
  });

  it('labels Work and Meeting groups', async () => {
    let el = await mount(fakeWith('Private', 'Member'));
    expect(part(el, 'type')!.textContent).to.equal('Work');
    el = await mount(fakeWith('ChatRoom', 'Member'));
    expect(part(el, 'type')!.textContent).to.equal('Meeting');
  });

  it('offers Join to non-members of a Public group and emits im-group-joined', async () => {
    const fake = fakeWith('Public', null);
    const el = await mount(fake);
    expect(button(el, 'quit-button')).to.equal(null);
    expect(part(el, 'member-list')).to.equal(null); // non-members cannot list members
    await expect(el).to.be.accessible();
    const joined = oneEvent(el, 'im-group-joined');
    button(el, 'join-button')!.click();
    expect((await joined).detail).to.deep.equal({ groupID: 'team', status: 'JoinedSuccess' });
    await waitUntil(() => button(el, 'quit-button'), 'quit button after joining');
    expect(button(el, 'join-button')).to.equal(null);
    expect(fake.callsOf('joinGroup')[0].args[0]).to.deep.equal({ groupID: 'team' });
  });

  it('says a request was sent when the group needs approval', async () => {
    const fake = fakeWith('Public', null);
    fake.groups.set('team', { ...fake.groups.get('team')!, joinOption: 'NeedPermission' });
    const el = await mount(fake);
    const joined = oneEvent(el, 'im-group-joined');
    button(el, 'join-button')!.click();
    expect((await joined).detail.status).to.equal('WaitAdminApproval');
    await waitUntil(() => parts(el, 'note').some((n) => n.textContent?.includes('Request sent')));
  });

  it('offers Quit to members and emits im-group-quit', async () => {
    const fake = fakeWith('Public', 'Member');
    const el = await mount(fake);
    expect(button(el, 'join-button')).to.equal(null);
    const quit = oneEvent(el, 'im-group-quit');
    button(el, 'quit-button')!.click();
    expect((await quit).detail).to.deep.equal({ groupID: 'team' });
    await waitUntil(() => button(el, 'join-button'), 'join button after quitting');
  });

  it('hides Quit for owners of Public and Meeting groups, shows it for Work owners', async () => {
    let el = await mount(fakeWith('Public', 'Owner'));
    expect(button(el, 'quit-button')).to.equal(null);
    el = await mount(fakeWith('ChatRoom', 'Owner'));
    expect(button(el, 'quit-button')).to.equal(null);
    el = await mount(fakeWith('Private', 'Owner'));
    expect(button(el, 'quit-button')).not.to.equal(null);
  });

  it('does not offer Join for Work groups (invite only)', async () => {
    const el = await mount(fakeWith('Private', null));
    expect(button(el, 'join-button')).to.equal(null);
    expect(parts(el, 'note').map((n) => n.textContent)).to.include(
      'Invite only: ask a member to add you.',
    );
  });

  it('refreshes on GROUP_LIST_UPDATED', async () => {
    const fake = fakeWith('Public', 'Member');
    const el = await mount(fake);
    fake.members.set('team', [...fake.members.get('team')!, makeMember({ userID: 'dave' })]);
    fake.groups.set('team', { ...fake.groups.get('team')!, name: 'Renamed', memberCount: 5 });
    fake.emit('onGroupListUpdated', [...fake.groups.values()]);
    await waitUntil(() => part(el, 'name')!.textContent === 'Renamed');
    expect(part(el, 'member-count')!.textContent?.trim()).to.equal('5 members');
    expect(parts(el, 'member')).to.have.length(5);
  });

  it('reports a failed quit as im-error', async () => {
    const fake = fakeWith('Public', 'Member');
    const el = await mount(fake);
    fake.members.set('team', []); // the server no longer counts alice as a member
    const error = oneEvent(el, 'im-error');
    button(el, 'quit-button')!.click();
    expect((await error).detail.code).to.equal(10007);
  });

  it('renders markup in group fields as text', async () => {
    const fake = fakeWith('Public', 'Member');
    const evil = '<img src=x onerror="window.__pwned=1">';
    fake.groups.set('team', { ...fake.groups.get('team')!, name: evil, introduction: evil });
    const el = await mount(fake);
    expect(part(el, 'name')!.textContent).to.equal(evil);
    expect(part(el, 'introduction')!.textContent).to.equal(evil);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
  });
});
