/**
 * Pure display helpers: names, previews, times. No DOM, so they are trivially testable.
 */
import { messageForShow, parseConversationID } from '../../protocol/types.js';
import type { Conversation, GroupMember, Message, TextPayload } from '../../protocol/types.js';

const dateOf = (seconds: number) => new Date(seconds * 1000);

function sameDay(a: Date, b: Date): boolean {
  return (
    a.getFullYear() === b.getFullYear() &&
    a.getMonth() === b.getMonth() &&
    a.getDate() === b.getDate()
  );
}

function daysBetween(a: Date, b: Date): number {
  const start = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  return Math.round((start(b) - start(a)) / 86_400_000);
}

/**
 * The option sets in use, each with one Intl.DateTimeFormat made on first use: `toLocaleTimeString`
 * with options builds a formatter on every call, which cost a tenth of the time of rendering a
 * page of history.
 */
const CLOCK: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const LONG_DAY: Intl.DateTimeFormatOptions = { weekday: 'long', month: 'long', day: 'numeric' };
const LONG_DAY_YEAR: Intl.DateTimeFormatOptions = { ...LONG_DAY, year: 'numeric' };
const WEEKDAY: Intl.DateTimeFormatOptions = { weekday: 'short' };
const SHORT_DATE: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric' };
const SHORT_DATE_YEAR: Intl.DateTimeFormatOptions = { ...SHORT_DATE, year: 'numeric' };
const formatters = new Map<Intl.DateTimeFormatOptions, Intl.DateTimeFormat>();

function format(d: Date, options: Intl.DateTimeFormatOptions): string {
  let formatter = formatters.get(options);
  if (!formatter)
    formatters.set(options, (formatter = new Intl.DateTimeFormat(undefined, options)));
  return formatter.format(d);
}

/** `14:05` */
export function formatClock(seconds: number): string {
  return format(dateOf(seconds), CLOCK);
}

/** A local calendar-day key, `2024-3-5`, to group messages by day. */
export function dayKey(seconds: number): string {
  const d = dateOf(seconds);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

/** `Today`, `Yesterday`, or a long date. */
export function formatDay(seconds: number, now: Date = new Date()): string {
  const d = dateOf(seconds);
  const days = daysBetween(d, now);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return format(d, d.getFullYear() === now.getFullYear() ? LONG_DAY : LONG_DAY_YEAR);
}

/** Conversation-list time: clock today, `Yesterday`, weekday within a week, else a short date. */
export function formatListTime(seconds: number, now: Date = new Date()): string {
  if (!seconds) return '';
  const d = dateOf(seconds);
  if (sameDay(d, now)) return formatClock(seconds);
  const days = daysBetween(d, now);
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return format(d, WEEKDAY);
  return format(d, d.getFullYear() === now.getFullYear() ? SHORT_DATE : SHORT_DATE_YEAR);
}

export function isoTime(seconds: number): string {
  return dateOf(seconds).toISOString();
}

/** Up to two letters for an avatar placeholder. */
export function initials(name: string): string {
  const words = name
    .trim()
    .split(/[\s_.-]+/)
    .filter(Boolean);
  if (words.length === 0) return '?';
  const letters =
    words.length === 1
      ? Array.from(words[0]).slice(0, 2)
      : [words[0], words[1]].map((w) => Array.from(w)[0]);
  return letters.join('').toUpperCase();
}

/** Remark, group name, peer nick, or the ID from the conversation ID. */
export function conversationName(c: Conversation): string {
  if (c.remark) return c.remark;
  if (c.type === '@TIM#SYSTEM') return 'System';
  if (c.groupProfile?.name) return c.groupProfile.name;
  if (c.userProfile?.nick) return c.userProfile.nick;
  return parseConversationID(c.conversationID)?.target || c.conversationID;
}

export function conversationAvatar(c: Conversation): string {
  return c.groupProfile?.avatar || c.userProfile?.avatar || '';
}

export function conversationPreview(c: Conversation): string {
  const last = c.lastMessage;
  if (!last) return '';
  if (last.isRevoked) return '[Recalled]';
  return last.messageForShow || messageForShow(last.type, last.payload);
}

/** `99+` above 99. */
export function unreadLabel(count: number): string {
  return count > 99 ? '99+' : String(count);
}

/** The text to show for a message (text messages verbatim, others as a short label). */
export function messageBody(m: Message): string {
  if (m.type === 'TIMTextElem' && !m.isRevoked)
    return String((m.payload as TextPayload).text ?? '');
  return messageForShow(m.type, m.payload, m.isRevoked);
}

export function senderName(m: Message): string {
  return m.nameCard || m.nick || m.from;
}

export function memberName(m: GroupMember): string {
  return m.nameCard || m.nick || m.userID;
}

const GROUP_TYPE_LABELS: Record<string, string> = {
  Private: 'Work',
  Public: 'Public',
  ChatRoom: 'Meeting',
  AVChatRoom: 'Live',
  Community: 'Community',
};

export function groupTypeLabel(type: string): string {
  return GROUP_TYPE_LABELS[type] ?? type;
}
