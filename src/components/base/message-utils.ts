/**
 * Pure helpers about messages for the chat elements: replies (TUIKit's `messageReply` in
 * `cloudCustomData`), abstracts, sizes, durations, safe URLs, group tips, recall tombstones and
 * @-mention splitting; `deepActiveElement` and `mediaDuration` are the only ones that touch the DOM.
 */
import { LIMITS, TYPES } from '../../protocol/constants.js';
import {
  messageForShow,
  type ImageInfo,
  type ImagePayload,
  type Message,
  type TextPayload,
} from '../../protocol/types.js';
import { senderName } from './format.js';

/** TUIKit's numeric element types (V2TIMElemType), used in `messageReply.messageType`. */
export const ELEM_TYPE: Readonly<Record<string, number>> = {
  TIMTextElem: 1,
  TIMCustomElem: 2,
  TIMImageElem: 3,
  TIMSoundElem: 4,
  TIMVideoFileElem: 5,
  TIMFileElem: 6,
  TIMLocationElem: 7,
  TIMFaceElem: 8,
  TIMGroupTipElem: 9,
  TIMRelayElem: 10,
};

/** What TUIKit stores under `cloudCustomData.messageReply` for a quoted reply. */
export interface MessageReply {
  messageID: string;
  messageAbstract: string;
  messageSender: string;
  messageType: number;
  version: number;
}

const ABSTRACT_CHARS = 100;

function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}

/** A one-line summary: the text of text messages (shortened), a label for the others. */
export function messageAbstract(m: Message, max = ABSTRACT_CHARS): string {
  if (m.isRevoked) return messageForShow(m.type, m.payload, true);
  if (m.type === TYPES.MSG_TEXT) {
    return truncate(String((m.payload as TextPayload).text ?? '').replace(/\s+/g, ' '), max);
  }
  if (m.type === TYPES.MSG_FILE) {
    const name = String((m.payload as { fileName?: unknown }).fileName ?? '');
    return name ? `[File] ${truncate(name, max)}` : '[File]';
  }
  return messageForShow(m.type, m.payload);
}

function parseCloudData(cloudCustomData: string): Record<string, unknown> | null {
  if (!cloudCustomData) return null;
  try {
    const value: unknown = JSON.parse(cloudCustomData);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The quoted message a reply refers to, or null (also for malformed data). */
export function replyOf(m: Message): MessageReply | null {
  const reply = parseCloudData(m.cloudCustomData)?.messageReply;
  if (typeof reply !== 'object' || reply === null) return null;
  const r = reply as Record<string, unknown>;
  if (typeof r.messageID !== 'string' || !r.messageID) return null;
  const type = typeof r.messageType === 'number' ? r.messageType : ELEM_TYPE[String(r.messageType)];
  return {
    messageID: r.messageID,
    messageAbstract: typeof r.messageAbstract === 'string' ? r.messageAbstract : '',
    messageSender: typeof r.messageSender === 'string' ? r.messageSender : '',
    messageType: type ?? 0,
    version: typeof r.version === 'number' ? r.version : 1,
  };
}

/** The `messageReply` for quoting `m`. */
export function replyFor(m: Message): MessageReply {
  return {
    messageID: m.ID,
    messageAbstract: messageAbstract(m),
    messageSender: senderName(m),
    messageType: ELEM_TYPE[m.type] ?? 0,
    version: 1,
  };
}

/** `cloudCustomData` with `messageReply` set, keeping any other keys already there. */
export function withReply(cloudCustomData: string, reply: MessageReply): string {
  return JSON.stringify({ ...(parseCloudData(cloudCustomData) ?? {}), messageReply: reply });
}

/** `1.4 MB` */
export function humanSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}

/** `1:05`, `1:02:03` */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(Number(seconds) || 0));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * `url` when it is an http(s) or blob URL (relative URLs resolve against the page), else
 * undefined: a message payload never puts a `javascript:` link on the page.
 */
export function safeUrl(url: unknown): string | undefined {
  if (typeof url !== 'string' || !url) return undefined;
  try {
    const base = typeof location !== 'undefined' ? location.href : 'http://localhost/';
    const parsed = new URL(url, base);
    return ['http:', 'https:', 'blob:'].includes(parsed.protocol) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** Fill `{key}` placeholders with URI-encoded values; undefined unless the result is safe. */
export function fillTemplate(
  template: string | undefined,
  values: Record<string, string | number>,
): string | undefined {
  if (!template) return undefined;
  const filled = template.replace(/\{(\w+)\}/g, (match, key: string) =>
    key in values ? encodeURIComponent(String(values[key])) : match,
  );
  return safeUrl(filled);
}

/** The first rendition present among `types`, in that order of preference. */
export function imageRendition(
  payload: Partial<ImagePayload>,
  types: readonly (0 | 1 | 2)[],
): ImageInfo | undefined {
  const list = Array.isArray(payload.imageInfoArray) ? payload.imageInfoArray : [];
  for (const type of types) {
    const info = list.find((i) => i && i.type === type && safeUrl(i.url));
    if (info) return info;
  }
  return undefined;
}

/** Fit `width` x `height` into a `max` x `max` box, keeping the aspect ratio. */
export function fitBox(width: number, height: number, max: number): { w: number; h: number } {
  if (!(width > 0) || !(height > 0)) return { w: max, h: Math.round(max * 0.75) };
  const scale = Math.min(1, max / Math.max(width, height));
  return { w: Math.max(1, Math.round(width * scale)), h: Math.max(1, Math.round(height * scale)) };
}

/** Whether `m` may still be recalled by `userID` at `nowSeconds` (own, sent, within 2 minutes). */
export function canRecall(m: Message, userID: string, nowSeconds: number): boolean {
  return (
    m.from === userID &&
    m.status === 'success' &&
    !m.isRevoked &&
    m.sequence > 0 &&
    nowSeconds - (m.time || m.clientTime) < LIMITS.recallWindowSeconds
  );
}

/** `You recalled a message` / `<name> recalled a message`. */
export function recallText(m: Message, userID: string): string {
  const revoker = m.revoker || m.from;
  if (revoker === userID) return 'You recalled a message';
  const name = revoker === m.from ? senderName(m) : revoker;
  return `${name} recalled a message`;
}

function names(list: unknown): string {
  if (!Array.isArray(list)) return '';
  return list
    .map((x) =>
      typeof x === 'string'
        ? x
        : typeof x === 'object' && x !== null
          ? String(
              (x as { nick?: string; userID?: string }).nick ||
                (x as { userID?: string }).userID ||
                '',
            )
          : '',
    )
    .filter(Boolean)
    .join(', ');
}

/**
 * The line shown for a group tip: Tencent's `operationType` (1 join, 2 quit, 3 kicked, 4/5 admin
 * set/unset, 6 profile changed, 7 member info changed) when present, else `text`/`description`.
 */
export function groupTipText(m: Message): string {
  const p = (m.payload ?? {}) as Record<string, unknown>;
  if (typeof p.text === 'string' && p.text) return p.text;
  const who = names(p.memberList) || names(p.userIDList) || 'Someone';
  const op = String(p.operatorID || '') || 'Someone';
  switch (Number(p.operationType)) {
    case 1:
      return `${who} joined the group`;
    case 2:
      return `${who} left the group`;
    case 3:
      return `${who} was removed by ${op}`;
    case 4:
      return `${who} became an admin`;
    case 5:
      return `${who} is no longer an admin`;
    case 6:
      return `${op} changed the group profile`;
    case 7:
      return `${op} changed member info`;
    default:
      if (typeof p.description === 'string' && p.description) return p.description;
      return m.type === TYPES.MSG_GRP_SYS_NOTICE ? 'Group notice' : 'Group update';
  }
}

export interface TextPiece {
  text: string;
  mention: boolean;
}

/**
 * Split text into plain and `@name` pieces. Only messages that mention someone (`atUserList`) get
 * highlights; a mention runs from `@` to the next whitespace, without trailing punctuation.
 */
export function splitMentions(text: string, atUserList: readonly string[]): TextPiece[] {
  if (!atUserList.length || !text.includes('@')) return [{ text, mention: false }];
  const pieces: TextPiece[] = [];
  const re = /(^|\s)(@[^\s@]+)/g;
  let last = 0;
  for (let match = re.exec(text); match; match = re.exec(text)) {
    const start = match.index + match[1].length;
    // Punctuation right after a name is not part of it: "@Bobby, hi".
    const mention = match[2].replace(/[.,;:!?，。！？、)\]}'"]+$/u, '');
    if (mention.length < 2) continue;
    if (start > last) pieces.push({ text: text.slice(last, start), mention: false });
    pieces.push({ text: mention, mention: true });
    last = start + mention.length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last), mention: false });
  return pieces;
}

/** Image, file, audio or video message (their sends upload first and report progress). */
export function isMediaMessage(m: Message): boolean {
  return (
    m.type === TYPES.MSG_IMAGE ||
    m.type === TYPES.MSG_FILE ||
    m.type === TYPES.MSG_AUDIO ||
    m.type === TYPES.MSG_VIDEO
  );
}

/** Which create method a picked file goes through (images that browsers can show as images). */
export function fileKind(file: Blob): 'image' | 'video' | 'audio' | 'file' {
  const type = (file.type || '').toLowerCase();
  if (/^image\/(png|jpe?g|gif|webp|bmp|avif)$/.test(type)) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  return 'file';
}

/** The deepest focused element, through open shadow roots. */
export function deepActiveElement(): HTMLElement | null {
  let el: Element | null = typeof document !== 'undefined' ? document.activeElement : null;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el instanceof HTMLElement ? el : null;
}

/** The duration (seconds) of an audio or video file, or undefined when it cannot be read soon. */
export function mediaDuration(file: Blob, timeoutMs = 1500): Promise<number | undefined> {
  if (typeof document === 'undefined') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const media = document.createElement(file.type.startsWith('video/') ? 'video' : 'audio');
    const done = (value: number | undefined) => {
      clearTimeout(timer);
      media.removeAttribute('src');
      URL.revokeObjectURL(url);
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    media.preload = 'metadata';
    media.onloadedmetadata = () =>
      done(Number.isFinite(media.duration) ? Math.round(media.duration) : undefined);
    media.onerror = () => done(undefined);
    media.src = url;
  });
}
