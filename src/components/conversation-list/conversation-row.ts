/**
 * One row of <im-conversation-list>: avatar (with the online dot of a C2C peer), name, pin, time,
 * preview (typing > draft > @ marker + last message), and the unread badge (a dot when muted or
 * marked unread without a count).
 */
import { html, nothing } from 'lit';
import { TYPES } from '../../protocol/constants.js';
import type { Conversation } from '../../protocol/types.js';
import {
  conversationAvatar,
  conversationName,
  conversationPreview,
  formatListTime,
  initials,
  isoTime,
  unreadLabel,
} from '../base/format.js';
import { safeUrl } from '../base/message-utils.js';

const MUTED = new Set<string>([TYPES.MSG_REMIND_ACPT_NOT_NOTE, TYPES.MSG_REMIND_DISCARD]);

export const isMuted = (c: Conversation) => MUTED.has(c.messageRemindType);
export const hasMark = (c: Conversation, mark: number) => !!c.markList?.includes(mark);

export interface RowState {
  index: number;
  /** How many rows the (filtered) list has. */
  count: number;
  top: number;
  selected: boolean;
  focusable: boolean;
  typing: boolean;
  /** 1 online, 2 offline, 0 or undefined unknown (C2C only). */
  status: number | undefined;
}

function atLabel(c: Conversation): string {
  const types = (c.groupAtInfoList ?? []).flatMap((a) => a.atTypeArray);
  if (types.includes(TYPES.CONV_AT_ME) || types.includes(TYPES.CONV_AT_ALL_AT_ME)) return '[@me] ';
  if (types.includes(TYPES.CONV_AT_ALL)) return '[@all] ';
  return '';
}

export function renderRow(c: Conversation, s: RowState) {
  const name = conversationName(c);
  const avatar = safeUrl(conversationAvatar(c));
  const muted = isMuted(c);
  const markedUnread = hasMark(c, TYPES.CONV_MARK_TYPE_UNREAD);
  const count = c.unreadCount > 0 && !muted;
  const dot = !count && (c.unreadCount > 0 || markedUnread);
  const time = c.lastMessage?.lastTime ?? 0;
  const parts = [
    'item',
    s.selected ? 'item-selected' : '',
    c.unreadCount > 0 || markedUnread ? 'item-unread' : '',
    c.isPinned ? 'item-pinned' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const at = atLabel(c);
  const draft = c.draftText && !s.typing;
  const preview = s.typing
    ? html`<em part="typing">Typing…</em>`
    : html`${at ? html`<span part="at">${at}</span>` : nothing}${
        draft ? html`<span part="draft">[Draft] </span>${c.draftText}` : conversationPreview(c)
      }`;
  const statusText = s.status === 1 ? 'online' : s.status === 2 ? 'offline' : '';
  return html`<div
    part=${parts}
    role="option"
    aria-selected=${s.selected ? 'true' : 'false'}
    aria-setsize=${s.count}
    aria-posinset=${s.index + 1}
    tabindex=${s.focusable ? '0' : '-1'}
    data-index=${s.index}
    data-conversation-id=${c.conversationID}
    style="transform: translateY(${s.top}px)"
  >
    <span class="avatar-wrap">
      ${
        avatar
          ? html`<img part="avatar" class="avatar" src=${avatar} alt="" />`
          : html`<span part="avatar" class="avatar" aria-hidden="true">${initials(name)}</span>`
      }
      ${
        statusText
          ? html`<span part="status status-${statusText}" class="status ${statusText}"
              ><span class="visually-hidden">${statusText}</span></span
            >`
          : nothing
      }
    </span>
    <div part="item-body">
      <div class="row">
        <span part="name">${name}</span>
        ${c.isPinned ? html`<span part="pin" title="Pinned">📌</span>` : nothing}
        ${
          time
            ? html`<time part="time" datetime=${isoTime(time)}>${formatListTime(time)}</time>`
            : nothing
        }
      </div>
      <div class="row">
        <span part="preview">${preview}</span>
        ${muted ? html`<span part="muted" title="Muted" aria-label="muted">🔕</span>` : nothing}
        ${
          count
            ? html`<span part="badge"
                >${unreadLabel(c.unreadCount)}<span class="visually-hidden"> unread</span></span
              >`
            : dot
              ? html`<span part="dot"><span class="visually-hidden">unread</span></span>`
              : nothing
        }
      </div>
    </div>
  </div>`;
}
