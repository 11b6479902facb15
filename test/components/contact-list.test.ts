import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { ImContactList } from '../../src/components/contact-list/contact-list.js';
import type { ImProfile } from '../../src/components/profile/profile.js';
import { EVENT } from '../../src/protocol/constants.js';
import type { UserStatus } from '../../src/protocol/types.js';
import { FakeChatClient, makeProfile } from './fake-client.js';
import { fakeRelations, makeFriend } from './fake-relations.js';
import { AUTH, deepPart, part, parts, resetClientFactory, useFakeClient } from './setup.js';

const bob = makeProfile({ userID: 'bob', nick: 'Bob B.' });
const carol = makeProfile({ userID: 'carol', nick: 'Carol' });
const dave = makeProfile({ userID: 'dave', nick: 'Dave' });

function seed(fake: FakeChatClient) {
  const r = fakeRelations(fake);
  for (const p of [bob, carol, dave]) r.known.set(p.userID, p);
  r.friends = [makeFriend(bob, { groupList: ['Work'] }), makeFriend(carol)];
  r.groups = [{ name: 'Work', userIDList: ['bob'], count: 1 }];
  r.applications = [
    {
      userID: 'dave',
      nick: 'Dave',
      avatar: '',
      time: 1,
      source: '',
      wording: 'hi, it is dave',
      type: 'Pendency_Type_ComeIn',
    },
  ];
  r.unreadCount = 1;
  r.blacklist = ['mallory'];
  return r;
}

async function mountList(fake: FakeChatClient): Promise<ImContactList> {
  useFakeClient(fake);
  const el = await fixture<ImContactList>(html`
    <im-contact-list
      server=${AUTH.server}
      app-id=${AUTH.appId}
      user-id="alice"
      user-sig=${AUTH.userSig}
    ></im-contact-list>
  `);
  await el.viewReady;
  await waitUntil(() => parts(el, 'item').length > 0, 'friends rendered');
  return el;
}

const names = (el: Element) => parts(el, 'name').map((n) => n.textContent?.trim());

describe('<im-contact-list>', () => {
  afterEach(resetClientFactory);

  it('groups friends by friend group, reads their status and shows the dots', async () => {
    const fake = new FakeChatClient('alice');
    seed(fake);
    const el = await mountList(fake);
    expect(
      parts(el, 'group-heading').map((h) => h.textContent?.replace(/\s+/g, ' ').trim()),
    ).to.deep.equal(['Work 1', 'Other friends 1']);
    expect(names(el)).to.deep.equal(['Bob B.', 'Carol']);
    expect(fake.callsOf('getUserStatus')[0].args[0]).to.deep.equal({
      userIDList: ['bob', 'carol'],
    });
    expect(fake.callsOf('subscribeUserStatus')).to.have.length(0);
    expect(parts(el, 'status-online')).to.have.length(0);
    fake.emit(EVENT.USER_STATUS_UPDATED, [
      { userID: 'bob', statusType: 1, customStatus: 'at lunch' } as UserStatus,
    ]);
    await el.updateComplete;
    expect(parts(el, 'status-online')).to.have.length(1);
    expect(part(el, 'status-online')!.getAttribute('aria-label')).to.equal('Online');
    expect(part(el, 'detail')!.textContent).to.equal('at lunch');
    await expect(el).to.be.accessible();
  });

  it('follows FRIEND_LIST_UPDATED and selects a friend with im-contact-select', async () => {
    const fake = new FakeChatClient('alice');
    seed(fake);
    const el = await mountList(fake);
    fake.emit(EVENT.FRIEND_LIST_UPDATED, [makeFriend(carol, { remark: 'Caz' })]);
    await el.updateComplete;
    expect(names(el)).to.deep.equal(['Caz']);
    const selected = oneEvent(el, 'im-contact-select');
    el.shadowRoot!.querySelector<HTMLButtonElement>("[part~='item'] button")!.click();
    const { detail } = await selected;
    expect(detail.userID).to.equal('carol');
    expect(detail.conversationID).to.equal('C2Ccarol');
  });

  it('requests: badge, marked read on open, accept and refuse', async () => {
    const fake = new FakeChatClient('alice');
    const r = seed(fake);
    r.applications.push({ ...r.applications[0], userID: 'erin', nick: 'Erin' });
    r.known.set('erin', makeProfile({ userID: 'erin' }));
    const el = await mountList(fake);
    expect(part(el, 'tab-badge')!.textContent).to.contain('1');
    parts<HTMLButtonElement>(el, 'tab')[1].click();
    await waitUntil(() => fake.callsOf('setFriendApplicationRead').length === 1);
    await waitUntil(() => !part(el, 'tab-badge'), 'badge cleared');
    expect(names(el)).to.deep.equal(['Dave', 'Erin']);
    expect(part(el, 'detail')!.textContent).to.equal('hi, it is dave');
    part<HTMLButtonElement>(el, 'accept-button')!.click();
    await waitUntil(() => names(el).length === 1, 'accepted request gone');
    expect(fake.callsOf('acceptFriendApplication')[0].args[0]).to.deep.equal({
      userID: 'dave',
      type: 'Response_Action_AgreeAndAdd',
    });
    part<HTMLButtonElement>(el, 'refuse-button')!.click();
    await waitUntil(() => part(el, 'empty'), 'no requests left');
    parts<HTMLButtonElement>(el, 'tab')[0].click();
    await el.updateComplete;
    expect(names(el)).to.include('Dave');
    await expect(el).to.be.accessible();
  });

  it('blocked tab lists the blocklist and unblocks', async () => {
    const fake = new FakeChatClient('alice');
    seed(fake);
    const el = await mountList(fake);
    el.tab = 'blocked';
    await el.updateComplete;
    expect(names(el)).to.deep.equal(['mallory']);
    part<HTMLButtonElement>(el, 'unblock-button')!.click();
    await waitUntil(() => part(el, 'empty')?.textContent?.includes('Nobody is blocked'));
    expect(fake.callsOf('removeFromBlacklist')[0].args[0]).to.deep.equal({
      userIDList: ['mallory'],
    });
  });

  it('add-friend dialog: looks up a user, sends the request, reports the outcome', async () => {
    const fake = new FakeChatClient('alice');
    const r = seed(fake);
    r.known.set('erin', makeProfile({ userID: 'erin', nick: 'Erin' }));
    fake.profiles.set('erin', r.known.get('erin')!);
    r.allowType.set('nobody', 'AllowType_Type_DenyAny');
    r.known.set('nobody', makeProfile({ userID: 'nobody' }));
    const el = await mountList(fake);
    part<HTMLButtonElement>(el, 'add-button')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('im-add-friend-dialog'), 'dialog loaded');
    const dialog = el.shadowRoot!.querySelector('im-add-friend-dialog')!;
    await waitUntil(() => dialog.shadowRoot?.querySelector('dialog')?.open, 'dialog open');
    const search = async (id: string) => {
      deepPart<HTMLInputElement>(dialog, 'search-input')!.value = id;
      deepPart<HTMLButtonElement>(dialog, 'search-button')!.click();
      await waitUntil(() => !deepPart<HTMLButtonElement>(dialog, 'send-button')!.disabled);
    };
    await search('erin');
    expect(deepPart(dialog, 'result')!.textContent).to.contain('Erin');
    deepPart<HTMLInputElement>(dialog, 'wording-input')!.value = 'hello';
    deepPart<HTMLButtonElement>(dialog, 'send-button')!.click();
    await waitUntil(() => deepPart(dialog, 'message')!.textContent!.includes('Request sent'));
    expect(fake.callsOf('addFriend')[0].args[0]).to.deep.equal({ to: 'erin', wording: 'hello' });
    await search('nobody');
    deepPart<HTMLButtonElement>(dialog, 'send-button')!.click();
    await waitUntil(() =>
      deepPart(dialog, 'message')!.textContent!.includes('does not accept friend requests'),
    );
    await expect(dialog).to.be.accessible();
  });
});

describe('<im-profile>', () => {
  afterEach(resetClientFactory);

  async function mountProfile(fake: FakeChatClient, profileID?: string): Promise<ImProfile> {
    useFakeClient(fake);
    const el = await fixture<ImProfile>(html`
      <im-profile
        server=${AUTH.server}
        app-id=${AUTH.appId}
        user-id="alice"
        user-sig=${AUTH.userSig}
        profile-id=${profileID ?? ''}
      ></im-profile>
    `);
    await el.viewReady;
    await waitUntil(() => part(el, 'name'), 'profile rendered');
    return el;
  }

  it('shows another user with status; message, add friend and block actions', async () => {
    const fake = new FakeChatClient('alice');
    const r = seed(fake);
    r.known.set('erin', makeProfile({ userID: 'erin', nick: 'Erin', selfSignature: 'hey' }));
    fake.profiles.set('erin', r.known.get('erin')!);
    r.statuses.set('erin', { userID: 'erin', statusType: 1, customStatus: 'busy' });
    const el = await mountProfile(fake, 'erin');
    expect(part(el, 'name')!.textContent).to.equal('Erin');
    expect(part(el, 'signature')!.textContent).to.equal('hey');
    expect(part(el, 'status-text')!.textContent).to.equal('Online · busy');
    expect(fake.callsOf('subscribeUserStatus').at(-1)!.args[0]).to.deep.equal({
      userIDList: ['erin'],
    });
    fake.emit(EVENT.USER_STATUS_UPDATED, [{ userID: 'erin', statusType: 2, customStatus: '' }]);
    await el.updateComplete;
    expect(part(el, 'status-text')!.textContent).to.equal('Offline');
    const message = oneEvent(el, 'im-profile-message');
    part<HTMLButtonElement>(el, 'message-button')!.click();
    expect((await message).detail).to.deep.equal({ userID: 'erin', conversationID: 'C2Cerin' });
    part<HTMLButtonElement>(el, 'add-friend-button')!.click();
    await waitUntil(() => part(el, 'notice')!.textContent === 'Friend request sent');
    part<HTMLButtonElement>(el, 'block-button')!.click();
    await waitUntil(() => part(el, 'block-button')!.textContent!.trim() === 'Unblock');
    expect(r.blacklist).to.include('erin');
    await expect(el).to.be.accessible();
  });

  it('edits the signed-in user’s profile and custom status', async () => {
    const fake = new FakeChatClient('alice');
    seed(fake);
    fake.profiles.set('alice', makeProfile({ userID: 'alice', nick: 'Alice' }));
    const el = await mountProfile(fake);
    expect(part(el, 'name')!.textContent).to.equal('Alice');
    part<HTMLButtonElement>(el, 'edit-button')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('im-profile-editor'), 'editor loaded');
    const editor = el.shadowRoot!.querySelector('im-profile-editor') as HTMLElement & {
      updateComplete: Promise<boolean>;
    };
    await editor.updateComplete;
    const field = (name: string) =>
      editor.shadowRoot!.querySelector<HTMLInputElement>(`[name='${name}']`)!;
    field('nick').value = 'Alice A.';
    field('customStatus').value = 'on holiday';
    const saved = oneEvent(el, 'im-profile-updated');
    editor.shadowRoot!.querySelector<HTMLButtonElement>("[part~='save-button']")!.click();
    const { detail } = await saved;
    expect(detail.profile.nick).to.equal('Alice A.');
    expect(fake.callsOf('setSelfStatus')[0].args[0]).to.deep.equal({ customStatus: 'on holiday' });
    await waitUntil(() => part(el, 'name')!.textContent === 'Alice A.');
    expect(part(el, 'status-text')!.textContent).to.contain('on holiday');
    await expect(el).to.be.accessible();
  });
});
