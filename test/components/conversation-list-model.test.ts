/**
 * <im-conversation-list> with the conversation model: 10,000 conversations stay virtualized
 * (a bounded number of rows in the DOM; scrolling and the keyboard bring the right rows), search,
 * tabs (unread, starred, conversation groups), hidden conversations, pinned / muted / @me / draft /
 * typing / online rendering, and the keyboard-reachable context menu calling the client.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ImConversationList } from '../../src/components/conversation-list/conversation-list.js';
import { LIFECYCLE_EVENT } from '../../src/core/internal-events.js';
import { EVENT, TYPES } from '../../src/protocol/constants.js';
import type { Conversation } from '../../src/protocol/types.js';
import {
  FakeChatClient,
  lastMessageOf,
  makeConversation,
  makeMessage,
  makeProfile,
} from './fake-client.js';
import { AUTH, part, parts, resetClientFactory, useFakeClient } from './setup.js';

const ROW = 64;

async function mount(fake: FakeChatClient, height = 640): Promise<ImConversationList> {
  useFakeClient(fake);
  const provider = await fixture(html`
    <im-provider
      server=${AUTH.server}
      app-id=${AUTH.appId}
      user-id="alice"
      user-sig=${AUTH.userSig}
    >
      <im-conversation-list style="height: ${height}px; display: block"></im-conversation-list>
    </im-provider>
  `);
  const el = provider.querySelector('im-conversation-list')!;
  await waitUntil(() => part(el, 'list') || part(el, 'empty'));
  return el;
}

function many(n: number): Conversation[] {
  const list: Conversation[] = [];
  for (let i = 0; i < n; i++) {
    list.push(
      makeConversation({
        conversationID: `C2Cuser${i}`,
        userProfile: makeProfile({ userID: `user${i}`, nick: `User ${i}` }),
        orderKey: n - i,
      }),
    );
  }
  return list;
}

const rows = (el: Element) => parts(el, 'item');
const indexes = (el: Element) => rows(el).map((r) => Number((r as HTMLElement).dataset.index));
const names = (el: Element) => parts(el, 'name').map((n) => n.textContent?.trim());
const focusedRow = (el: ImConversationList) => el.shadowRoot!.activeElement as HTMLElement | null;

function key(el: ImConversationList, k: string, init: KeyboardEventInit = {}) {
  const target = (el.shadowRoot!.activeElement as HTMLElement) ?? part(el, 'list')!;
  target.dispatchEvent(
    new KeyboardEvent('keydown', { key: k, bubbles: true, composed: true, ...init }),
  );
}

describe('im-conversation-list with 10,000 conversations', () => {
  afterEach(() => resetClientFactory());

  it('keeps a bounded number of rows in the DOM and shows the right rows when scrolled', async () => {
    const fake = new FakeChatClient();
    fake.conversations = many(10_000);
    const el = await mount(fake);
    await waitUntil(() => rows(el).length > 0);
    const list = part(el, 'list') as HTMLElement;
    const spacer = list.querySelector('.spacer') as HTMLElement;
    expect(spacer.style.height).to.equal(`${10_000 * ROW}px`);
    expect(rows(el).length).to.be.below(40);
    expect(names(el)[0]).to.equal('User 0');

    list.scrollTop = 5000 * ROW;
    list.dispatchEvent(new Event('scroll'));
    await waitUntil(() => indexes(el).includes(5000), 'row 5000 rendered');
    expect(rows(el).length).to.be.below(40);
    const row = rows(el).find((r) => (r as HTMLElement).dataset.index === '5000')!;
    expect(row.querySelector("[part~='name']")!.textContent!.trim()).to.equal('User 5000');
    expect((row as HTMLElement).style.transform).to.equal(`translateY(${5000 * ROW}px)`);
    expect(Math.min(...indexes(el))).to.be.above(4980);

    list.scrollTop = list.scrollHeight;
    list.dispatchEvent(new Event('scroll'));
    await waitUntil(() => indexes(el).includes(9999), 'last row rendered');
    expect(rows(el).length).to.be.below(40);
  });

  it('moves the selection with the keyboard across the virtual window and selects with Enter', async () => {
    const fake = new FakeChatClient();
    fake.conversations = many(10_000);
    const el = await mount(fake);
    await waitUntil(() => rows(el).length > 0);
    (rows(el)[0] as HTMLElement).focus();
    key(el, 'ArrowDown');
    await waitUntil(() => focusedRow(el)?.dataset.index === '1');
    key(el, 'End');
    await waitUntil(() => focusedRow(el)?.dataset.index === '9999', 'focus on the last row');
    expect(rows(el).length).to.be.below(40);
    key(el, 'ArrowUp');
    await waitUntil(() => focusedRow(el)?.dataset.index === '9998');
    key(el, 'PageUp');
    await waitUntil(() => Number(focusedRow(el)?.dataset.index) < 9998);
    key(el, 'Home');
    await waitUntil(() => focusedRow(el)?.dataset.index === '0');
    for (let i = 0; i < 25; i++) key(el, 'ArrowDown');
    await waitUntil(() => focusedRow(el)?.dataset.index === '25', 'row 25 focused');
    const selected = new Promise<CustomEvent>((resolve) =>
      el.addEventListener('im-conversation-select', (e) => resolve(e as CustomEvent), {
        once: true,
      }),
    );
    key(el, 'Enter');
    expect((await selected).detail.conversationID).to.equal('C2Cuser25');
    expect(el.selected).to.equal('C2Cuser25');
  });

  it('filters 10,000 by name with the search box', async () => {
    const fake = new FakeChatClient();
    fake.conversations = many(10_000);
    const el = await mount(fake);
    const search = part(el, 'search') as HTMLInputElement;
    search.value = 'user 9999';
    search.dispatchEvent(new Event('input'));
    await waitUntil(() => rows(el).length === 1);
    expect(names(el)).to.deep.equal(['User 9999']);
    search.value = 'nobody';
    search.dispatchEvent(new Event('input'));
    await waitUntil(() => part(el, 'empty')?.textContent?.includes('No matching'));
  });
});

describe('im-conversation-list and the conversation model', () => {
  afterEach(() => resetClientFactory());

  function seed(fake: FakeChatClient): void {
    const m = makeMessage({ conversationID: 'GROUPteam', payload: { text: 'ping' } });
    fake.conversations = [
      makeConversation({ conversationID: 'C2Cpinned', isPinned: true, orderKey: 1 }),
      makeConversation({
        conversationID: 'GROUPteam',
        unreadCount: 4,
        lastMessage: lastMessageOf(m),
        groupAtInfoList: [
          { groupID: 'team', messageID: m.ID, messageSequence: 1, atTypeArray: [TYPES.CONV_AT_ME] },
        ],
        markList: [TYPES.CONV_MARK_TYPE_STAR],
        conversationGroupList: ['Work'],
      }),
      makeConversation({
        conversationID: 'C2Cmuted',
        unreadCount: 2,
        messageRemindType: TYPES.MSG_REMIND_ACPT_NOT_NOTE,
        draftText: 'unfinished',
      }),
      makeConversation({ conversationID: 'C2Chidden', markList: [TYPES.CONV_MARK_TYPE_HIDE] }),
      makeConversation({ conversationID: 'C2Cbob' }),
      makeConversation({ conversationID: 'C2Cfolded', markList: [TYPES.CONV_MARK_TYPE_FOLD] }),
    ];
    fake.conversationGroups = ['Work'];
  }

  const row = (el: Element, id: string) =>
    rows(el).find((r) => (r as HTMLElement).dataset.conversationId === id) as
      HTMLElement | undefined;

  it('renders pin, @me, badge, muted dot and draft; leaves hidden conversations out', async () => {
    const fake = new FakeChatClient();
    seed(fake);
    const el = await mount(fake);
    await waitUntil(() => rows(el).length === 4);
    expect(row(el, 'C2Chidden')).to.equal(undefined);
    expect(row(el, 'C2Cpinned')!.querySelector("[part~='pin']")).to.not.equal(null);
    const team = row(el, 'GROUPteam')!;
    expect(team.querySelector("[part~='at']")!.textContent).to.contain('@me');
    expect(team.querySelector("[part~='badge']")!.textContent).to.contain('4');
    const muted = row(el, 'C2Cmuted')!;
    expect(muted.querySelector("[part~='badge']")).to.equal(null);
    expect(muted.querySelector("[part~='dot']")).to.not.equal(null);
    expect(muted.querySelector("[part~='draft']")).to.not.equal(null);
    expect(muted.querySelector("[part~='preview']")!.textContent).to.contain('unfinished');
    await expect(el).to.be.accessible();
  });

  it('shows typing and the online dot from USER_STATUS_UPDATED', async () => {
    const fake = new FakeChatClient();
    seed(fake);
    const subscribed: string[][] = [];
    (fake as unknown as { subscribeUserStatus: unknown }).subscribeUserStatus = async (o: {
      userIDList: string[];
    }) => {
      subscribed.push(o.userIDList);
      return { code: 0, data: { failureUserIDList: [] } };
    };
    const el = await mount(fake);
    await waitUntil(() => subscribed.length > 0, 'subscribed the peers shown');
    expect(subscribed.flat().sort()).to.deep.equal(['bob', 'muted', 'pinned']);
    fake.emit(EVENT.USER_STATUS_UPDATED, [{ userID: 'bob', statusType: 1, customStatus: '' }]);
    await waitUntil(() => row(el, 'C2Cbob')?.querySelector("[part~='status-online']"));
    fake.emit(LIFECYCLE_EVENT.TYPING, { conversationID: 'C2Cbob', userID: 'bob', typing: true });
    await waitUntil(() => row(el, 'C2Cbob')?.querySelector("[part~='typing']"));
    fake.emit(LIFECYCLE_EVENT.TYPING, { conversationID: 'C2Cbob', userID: 'bob', typing: false });
    await waitUntil(() => !row(el, 'C2Cbob')?.querySelector("[part~='typing']"));
  });

  it('tabs filter by unread, starred and conversation group', async () => {
    const fake = new FakeChatClient();
    seed(fake);
    const el = await mount(fake);
    const tab = (t: string) => parts(el, 'tab').find((b) => (b as HTMLElement).dataset.tab === t)!;
    await waitUntil(() => tab('group:Work'));
    (tab('unread') as HTMLElement).click();
    await waitUntil(() => rows(el).length === 2);
    (tab('starred') as HTMLElement).click();
    await waitUntil(() => rows(el).length === 1 && !!row(el, 'GROUPteam'));
    (tab('group:Work') as HTMLElement).click();
    await waitUntil(() => rows(el).length === 1 && !!row(el, 'GROUPteam'));
    (tab('folded') as HTMLElement).click();
    await waitUntil(() => rows(el).length === 1 && !!row(el, 'C2Cfolded'));
    (tab('group:Work') as HTMLElement).click();
    await waitUntil(() => rows(el).length === 1 && !!row(el, 'GROUPteam'));
    fake.emit(EVENT.CONVERSATION_GROUP_LIST_UPDATED, []);
    await waitUntil(() => rows(el).length === 4, 'back to all when the group goes');
  });

  it('opens the context menu from the keyboard and runs pin, star, mute, move, delete', async () => {
    const fake = new FakeChatClient();
    seed(fake);
    const el = await mount(fake);
    await waitUntil(() => rows(el).length === 4);
    const openOn = async (id: string) => {
      row(el, id)!.focus();
      key(el, 'F10', { shiftKey: true });
      await waitUntil(() => part(el, 'menu'));
      expect(focusedRow(el)?.getAttribute('part')).to.equal('menu-item');
    };
    const choose = async (action: string) => {
      const items = parts(el, 'menu-item') as HTMLElement[];
      // Walk there with the arrow keys, then press it.
      while (focusedRow(el)?.dataset.action !== action) {
        key(el, 'ArrowDown');
        await el.updateComplete;
      }
      expect(items.some((i) => i.dataset.action === action)).to.equal(true);
      focusedRow(el)!.click();
      await waitUntil(() => !part(el, 'menu'));
    };
    await openOn('C2Cbob');
    key(el, 'Escape');
    await waitUntil(() => !part(el, 'menu') && focusedRow(el)?.dataset.conversationId === 'C2Cbob');

    await openOn('C2Cbob');
    await choose('pin');
    expect(fake.callsOf('pinConversation')[0].args[0]).to.deep.equal({
      conversationID: 'C2Cbob',
      isPinned: true,
    });
    await openOn('C2Cbob');
    await choose('star');
    expect(fake.callsOf('markConversation')[0].args[0]).to.deep.include({
      markType: TYPES.CONV_MARK_TYPE_STAR,
      enableMark: true,
    });
    await openOn('C2Cbob');
    await choose('mute');
    expect(fake.callsOf('setMessageRemindType')[0].args[0]).to.deep.equal({
      userIDList: ['bob'],
      messageRemindType: TYPES.MSG_REMIND_ACPT_NOT_NOTE,
    });
    await openOn('C2Cbob');
    await choose('group');
    expect(fake.callsOf('addConversationsToGroup')[0].args[0]).to.deep.equal({
      groupName: 'Work',
      conversationIDList: ['C2Cbob'],
    });
    await openOn('GROUPteam');
    await choose('read');
    expect(fake.callsOf('setMessageRead')[0].args[0]).to.deep.equal({
      conversationID: 'GROUPteam',
    });
    await openOn('C2Cbob');
    await choose('delete');
    expect(fake.callsOf('deleteConversation')[0].args[0]).to.equal('C2Cbob');
    await waitUntil(() => !row(el, 'C2Cbob'));
  });

  it('opens the menu on right click', async () => {
    const fake = new FakeChatClient();
    seed(fake);
    const el = await mount(fake);
    await waitUntil(() => rows(el).length === 4);
    row(el, 'C2Cbob')!.dispatchEvent(
      new MouseEvent('contextmenu', { bubbles: true, composed: true, clientX: 10, clientY: 10 }),
    );
    await waitUntil(() => part(el, 'menu'));
    expect((parts(el, 'menu-item') as HTMLElement[]).map((i) => i.dataset.action)).to.deep.equal([
      'pin',
      'unread',
      'mute',
      'star',
      'group',
      'delete',
    ]);
  });
});
