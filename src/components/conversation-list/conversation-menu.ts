/**
 * The actions of a conversation's context menu in <im-conversation-list>: pin, mark read / unread,
 * mute, star, move to a conversation group (or out of one), delete.
 */
import { html } from 'lit';
import type { ChatClient } from '../../core/client-types.js';
import { TYPES } from '../../protocol/constants.js';
import { parseConversationID, type Conversation } from '../../protocol/types.js';
import type { ImConversationList, MenuState } from './conversation-list.js';
import { hasMark, isMuted } from './conversation-row.js';

export interface MenuItem {
  label: string;
  /** Stable name for tests and styling (`data-action`). */
  action: string;
  run(client: ChatClient): Promise<unknown>;
}

export function menuItems(c: Conversation, groups: readonly string[]): MenuItem[] {
  const id = c.conversationID;
  const unread = c.unreadCount > 0 || hasMark(c, TYPES.CONV_MARK_TYPE_UNREAD);
  const starred = hasMark(c, TYPES.CONV_MARK_TYPE_STAR);
  const mark = (markType: number, enableMark: boolean) => (client: ChatClient) =>
    client.markConversation({ conversationIDList: [id], markType, enableMark });
  const parts = parseConversationID(id);
  const items: MenuItem[] = [
    {
      label: c.isPinned ? 'Unpin' : 'Pin',
      action: 'pin',
      run: (client) => client.pinConversation({ conversationID: id, isPinned: !c.isPinned }),
    },
    unread
      ? {
          label: 'Mark as read',
          action: 'read',
          run: async (client) => {
            await client.setMessageRead({ conversationID: id });
            if (hasMark(c, TYPES.CONV_MARK_TYPE_UNREAD))
              await mark(TYPES.CONV_MARK_TYPE_UNREAD, false)(client);
          },
        }
      : { label: 'Mark as unread', action: 'unread', run: mark(TYPES.CONV_MARK_TYPE_UNREAD, true) },
  ];
  if (parts && parts.type !== '@TIM#SYSTEM') {
    const muted = isMuted(c);
    const messageRemindType = muted
      ? TYPES.MSG_REMIND_ACPT_AND_NOTE
      : TYPES.MSG_REMIND_ACPT_NOT_NOTE;
    items.push({
      label: muted ? 'Unmute' : 'Mute',
      action: 'mute',
      run: (client) =>
        client.setMessageRemindType(
          parts.type === 'GROUP'
            ? { groupID: parts.target, messageRemindType }
            : { userIDList: [parts.target], messageRemindType },
        ),
    });
  }
  items.push({
    label: starred ? 'Unstar' : 'Star',
    action: 'star',
    run: mark(TYPES.CONV_MARK_TYPE_STAR, !starred),
  });
  for (const groupName of groups) {
    const inGroup = c.conversationGroupList?.includes(groupName);
    items.push({
      label: inGroup ? `Remove from ${groupName}` : `Move to ${groupName}`,
      action: inGroup ? 'ungroup' : 'group',
      run: (client) =>
        inGroup
          ? client.deleteConversationsFromGroup({ groupName, conversationIDList: [id] })
          : client.addConversationsToGroup({ groupName, conversationIDList: [id] }),
    });
  }
  items.push({ label: 'Delete', action: 'delete', run: (client) => client.deleteConversation(id) });
  return items;
}

function onMenuKeyDown(host: ImConversationList, event: KeyboardEvent): void {
  const menu = event.currentTarget as HTMLElement;
  const items = [...menu.querySelectorAll<HTMLElement>("[part~='menu-item']")];
  const at = items.indexOf(host.shadowRoot?.activeElement as HTMLElement);
  const go = (i: number) => items[(i + items.length) % items.length]?.focus();
  switch (event.key) {
    case 'ArrowDown':
      go(at + 1);
      break;
    case 'ArrowUp':
      go(at - 1);
      break;
    case 'Home':
      go(0);
      break;
    case 'End':
      go(items.length - 1);
      break;
    case 'Escape':
    case 'Tab':
      host.closeMenu();
      break;
    default:
      return;
  }
  event.preventDefault();
  event.stopPropagation();
}

/** The menu: role=menu, arrow keys move, Escape or Tab close, focus leaving closes. */
export function renderMenu(host: ImConversationList, menu: MenuState) {
  return html`<div
    part="menu"
    role="menu"
    aria-label="Conversation actions"
    style="left: ${menu.x}px; top: ${menu.y}px"
    @keydown=${(e: KeyboardEvent) => onMenuKeyDown(host, e)}
    @focusout=${(e: FocusEvent) => {
      const to = e.relatedTarget as Node | null;
      if (!to || !(e.currentTarget as HTMLElement).contains(to)) host.closeMenu(false);
    }}
  >
    ${menu.items.map(
      (item) =>
        html`<button
          part="menu-item"
          role="menuitem"
          tabindex="-1"
          data-action=${item.action}
          @click=${() => void host.runMenuItem(item)}
        >
          ${item.label}
        </button>`,
    )}
  </div>`;
}
