/**
 * The `create*Message` builders: synchronous, they validate their input and build a complete
 * Message (types.ts, every field from MESSAGE_DEFAULTS) that `sendMessage` then hands to the engine.
 * The ID is `${tinyID}-${clientTime}-${random}`: unique per sender, and the server's idempotency
 * key, so a retried send of the same object never creates a second message.
 *
 * Errors (thrown at once, nothing is sent): 6017 for bad options (a text-at message outside a group,
 * a merger with more than 300 messages, a failed or unsent one, or without compatibleText, a
 * forward of something that is not a sent message, no file); 80002 for a body over 12 KB; 7005 for
 * a file over LIMITS.uploadBytes of its kind; 7006 for an empty file.
 *
 * Media messages keep their file in the tab: `getMessageFile(message)` returns it (a WeakMap keyed by
 * the message object, so it never crosses a port or the socket). Their payload has the final shape
 * with empty URLs until `sendMessage` has uploaded the file.
 */
import { ErrorCode } from '../protocol/codes.js';
import { LIMITS, TYPES } from '../protocol/constants.js';
import {
  MESSAGE_DEFAULTS,
  conversationIDOf,
  type AudioPayload,
  type FilePayload,
  type ImagePayload,
  type Message,
  type MessagePayload,
  type VideoPayload,
} from '../protocol/types.js';
import type { CreateTextMessageOptions, MessageOptions } from './client-types.js';
import { IMError, invalidParameters } from './errors.js';

export interface Sender {
  userID: string;
  tinyID: number;
}

export type UploadKind = 'image' | 'file' | 'audio' | 'video';

/** What the tab keeps about a media message's file until it is uploaded. */
export interface MessageFile {
  file: Blob;
  kind: UploadKind;
  name: string;
  /** Audio/video duration in seconds when the caller gave one. */
  duration?: number;
  onProgress?: (percent: number) => void;
}

const messageFiles = new WeakMap<Message, MessageFile>();

/** The file a media message was created with (undefined for other messages). */
export function getMessageFile(message: Message): MessageFile | undefined {
  return messageFiles.get(message);
}

const PRIORITIES = new Set(['High', 'Normal', 'Low', 'Lowest']);
const encoder = new TextEncoder();
const bytes = (s: string) => encoder.encode(s).length;

function fail(api: string, message: string): never {
  throw invalidParameters(`${api}: ${message}`);
}

/** The common part of every create*Message: options checked, IDs made, defaults filled. */
function build(
  api: string,
  options: MessageOptions<unknown> | CreateTextMessageOptions,
  sender: Sender,
  type: string,
  payload: MessagePayload,
): Message {
  const o = options as MessageOptions<unknown>;
  if (typeof o.to !== 'string' || !o.to) fail(api, 'to is required');
  if (o.conversationType !== 'C2C' && o.conversationType !== 'GROUP')
    fail(api, 'conversationType must be C2C or GROUP');
  if (o.priority !== undefined && !PRIORITIES.has(o.priority)) fail(api, 'unknown priority');
  if (o.cloudCustomData !== undefined && typeof o.cloudCustomData !== 'string')
    fail(api, 'cloudCustomData must be a string');
  let receiverList: string[] = [];
  if (o.receiverList !== undefined) {
    if (!Array.isArray(o.receiverList) || o.receiverList.some((id) => typeof id !== 'string'))
      fail(api, 'receiverList must be a list of userIDs');
    if (o.conversationType !== 'GROUP') fail(api, 'receiverList is for group messages only');
    if (o.receiverList.length > LIMITS.receiverList)
      fail(api, `receiverList has more than ${LIMITS.receiverList} users`);
    receiverList = [...o.receiverList];
  }
  const clientTime = Math.floor(Date.now() / 1000);
  const random = Math.floor(Math.random() * 2 ** 31);
  return {
    ...MESSAGE_DEFAULTS,
    ID: `${sender.tinyID}-${clientTime}-${random}`,
    type,
    payload,
    conversationID: conversationIDOf(o.conversationType, o.to),
    conversationType: o.conversationType,
    to: o.to,
    from: sender.userID,
    flow: 'out',
    time: clientTime,
    status: 'unSend',
    priority: o.priority ?? 'Normal',
    cloudCustomData: o.cloudCustomData ?? '',
    needReadReceipt: !!o.needReadReceipt,
    isSupportExtension: !!o.isSupportExtension,
    receiverList,
    clientTime,
    random,
    atUserList: [],
    readReceiptInfo: { readCount: 0, unreadCount: 0, isPeerRead: false },
  };
}

/** The 12 KB body rule (payload + cloudCustomData), as the server applies it. */
function checkBody(payload: MessagePayload, cloudCustomData: string | undefined): void {
  if (bytes(JSON.stringify(payload)) + bytes(cloudCustomData ?? '') > LIMITS.messageBodyBytes)
    throw new IMError(ErrorCode.MESSAGE_BODY_TOO_LARGE, 'The message is larger than 12 KB');
}

function payloadOf<P>(api: string, options: MessageOptions<P> | undefined): P {
  if (!options || typeof options !== 'object') fail(api, 'options are required');
  const payload = options.payload;
  if (!payload || typeof payload !== 'object') fail(api, 'payload is required');
  return payload;
}

export function buildTextMessage(options: CreateTextMessageOptions, sender: Sender): Message {
  const api = 'createTextMessage';
  const { text } = payloadOf(api, options as MessageOptions<{ text: string }>);
  if (typeof text !== 'string' || text.length === 0) fail(api, 'payload.text is required');
  const payload = { text };
  checkBody(payload, options.cloudCustomData);
  return build(api, options, sender, TYPES.MSG_TEXT, payload);
}

export function buildTextAtMessage(
  options: MessageOptions<{ text: string; atUserList: string[] }>,
  sender: Sender,
): Message {
  const api = 'createTextAtMessage';
  const { text, atUserList } = payloadOf(api, options);
  if (options.conversationType !== 'GROUP') fail(api, '@ messages are for groups only');
  if (typeof text !== 'string' || text.length === 0) fail(api, 'payload.text is required');
  if (!Array.isArray(atUserList) || atUserList.some((id) => typeof id !== 'string' || !id))
    fail(api, 'payload.atUserList must be a list of userIDs (or TYPES.MSG_AT_ALL)');
  if (atUserList.length > LIMITS.createGroupMembers) fail(api, 'payload.atUserList is too long');
  if (options.receiverList?.length) fail(api, '@ messages cannot have a receiverList');
  const payload = { text };
  checkBody(payload, options.cloudCustomData);
  const message = build(api, options, sender, TYPES.MSG_TEXT, payload);
  message.atUserList = [...new Set(atUserList)];
  return message;
}

export function buildCustomMessage(
  options: MessageOptions<{ data: string; description?: string; extension?: string }>,
  sender: Sender,
): Message {
  const api = 'createCustomMessage';
  const p = payloadOf(api, options);
  for (const key of ['data', 'description', 'extension'] as const) {
    if (p[key] !== undefined && typeof p[key] !== 'string')
      fail(api, `payload.${key} must be a string`);
  }
  const payload = {
    data: p.data ?? '',
    description: p.description ?? '',
    extension: p.extension ?? '',
  };
  checkBody(payload, options.cloudCustomData);
  return build(api, options, sender, TYPES.MSG_CUSTOM, payload);
}

export function buildFaceMessage(
  options: MessageOptions<{ index: number; data: string }>,
  sender: Sender,
): Message {
  const api = 'createFaceMessage';
  const p = payloadOf(api, options);
  if (typeof p.index !== 'number' || !Number.isFinite(p.index))
    fail(api, 'payload.index must be a number');
  if (typeof p.data !== 'string') fail(api, 'payload.data must be a string');
  const payload = { index: p.index, data: p.data };
  checkBody(payload, options.cloudCustomData);
  return build(api, options, sender, TYPES.MSG_FACE, payload);
}

export function buildLocationMessage(
  options: MessageOptions<{ description: string; longitude: number; latitude: number }>,
  sender: Sender,
): Message {
  const api = 'createLocationMessage';
  const p = payloadOf(api, options);
  if (typeof p.description !== 'string') fail(api, 'payload.description must be a string');
  if (typeof p.longitude !== 'number' || Math.abs(p.longitude) > 180)
    fail(api, 'payload.longitude must be a number in [-180, 180]');
  if (typeof p.latitude !== 'number' || Math.abs(p.latitude) > 90)
    fail(api, 'payload.latitude must be a number in [-90, 90]');
  const payload = { description: p.description, longitude: p.longitude, latitude: p.latitude };
  checkBody(payload, options.cloudCustomData);
  return build(api, options, sender, TYPES.MSG_LOCATION, payload);
}

/** A File/Blob, an `<input type=file>` or anything with `files`: its first file. */
export function resolveFile(source: unknown): Blob | null {
  if (typeof Blob !== 'undefined' && source instanceof Blob) return source;
  if (source && typeof source === 'object' && 'files' in source) {
    const files = (source as { files?: ArrayLike<unknown> | null }).files;
    const first = files && files.length > 0 ? files[0] : null;
    if (typeof Blob !== 'undefined' && first instanceof Blob) return first;
  }
  return null;
}

/** The extension of a file name or, failing that, the subtype of its MIME type. */
export function fileFormat(name: string, mime: string): string {
  const dot = name.lastIndexOf('.');
  if (dot > 0 && dot < name.length - 1) return name.slice(dot + 1).toLowerCase();
  const sub = mime.split('/')[1] ?? '';
  return sub.split(/[;+]/)[0].toLowerCase();
}

const TYPE_OF_KIND: Record<UploadKind, string> = {
  image: TYPES.MSG_IMAGE,
  file: TYPES.MSG_FILE,
  audio: TYPES.MSG_AUDIO,
  video: TYPES.MSG_VIDEO,
};

/** Image, file, audio and video messages: the file is checked now and uploaded by sendMessage. */
export function buildMediaMessage(
  kind: UploadKind,
  options: MessageOptions<{ file: unknown; duration?: number }>,
  sender: Sender,
): Message {
  const api = `create${kind[0].toUpperCase()}${kind.slice(1)}Message`;
  const p = payloadOf(api, options);
  const file = resolveFile(p.file);
  if (!file) fail(api, 'payload.file must be a File, a Blob or an <input type=file> with a file');
  if (file.size === 0) throw new IMError(ErrorCode.UPLOAD_EMPTY, `${api}: the file is empty`);
  const limit = LIMITS.uploadBytes[kind];
  if (file.size > limit) {
    throw new IMError(
      ErrorCode.UPLOAD_TOO_LARGE,
      `${api}: the file is larger than ${Math.round(limit / 1024 / 1024)} MB`,
    );
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function')
    fail(api, 'onProgress must be a function');
  const given = (file as Blob & { name?: unknown }).name;
  const format = fileFormat(typeof given === 'string' ? given : '', file.type);
  const name = typeof given === 'string' && given ? given : `${kind}${format ? `.${format}` : ''}`;
  const rawDuration = p.duration ?? (file as Blob & { duration?: unknown }).duration;
  const duration =
    typeof rawDuration === 'number' && Number.isFinite(rawDuration) && rawDuration >= 0
      ? rawDuration
      : undefined;
  let payload: ImagePayload | FilePayload | AudioPayload | VideoPayload;
  if (kind === 'image') payload = { uuid: '', imageFormat: format, imageInfoArray: [] };
  else if (kind === 'file')
    payload = { uuid: '', fileUrl: '', fileName: name, fileSize: file.size };
  else if (kind === 'audio')
    payload = { uuid: '', url: '', second: Math.round(duration ?? 0), size: file.size };
  else
    payload = {
      videoUUID: '',
      videoUrl: '',
      videoSecond: Math.round(duration ?? 0),
      videoFormat: format,
      videoSize: file.size,
      thumbUUID: '',
      thumbUrl: '',
      thumbWidth: 0,
      thumbHeight: 0,
    };
  const message = build(api, options, sender, TYPE_OF_KIND[kind], { ...payload });
  messageFiles.set(message, { file, kind, name, duration, onProgress: options.onProgress });
  return message;
}

const UNMERGEABLE = new Set<string>([TYPES.MSG_GRP_TIP, TYPES.MSG_GRP_SYS_NOTICE]);

/** A plain copy of a message for nesting (no functions, no tab-only state). */
function plainCopy(m: Message): Message {
  return JSON.parse(JSON.stringify(m)) as Message;
}

export function buildMergerMessage(
  options: MessageOptions<{
    messageList: Message[];
    title: string;
    abstractList: string[];
    compatibleText: string;
  }>,
  sender: Sender,
): Message {
  const api = 'createMergerMessage';
  const p = payloadOf(api, options);
  const list = p.messageList;
  if (!Array.isArray(list) || list.length === 0) fail(api, 'payload.messageList is required');
  if (list.length > LIMITS.mergerMessages)
    fail(api, `payload.messageList has more than ${LIMITS.mergerMessages} messages`);
  for (const m of list) {
    if (!m || typeof m !== 'object' || typeof m.ID !== 'string')
      fail(api, 'messageList holds a non-message');
    if (m.status !== 'success') fail(api, `message ${m.ID} was not sent successfully`);
    if (UNMERGEABLE.has(m.type)) fail(api, 'group tips and system notices cannot be merged');
  }
  if (typeof p.compatibleText !== 'string' || !p.compatibleText)
    fail(api, 'payload.compatibleText is required');
  if (p.title !== undefined && typeof p.title !== 'string')
    fail(api, 'payload.title must be a string');
  const abstractList = p.abstractList ?? [];
  if (!Array.isArray(abstractList) || abstractList.some((s) => typeof s !== 'string'))
    fail(api, 'payload.abstractList must be a list of strings');
  const payload = {
    title: p.title ?? '',
    abstractList: [...abstractList],
    compatibleText: p.compatibleText,
    messageList: list.map(plainCopy),
    downloadKey: '',
    layersOverLimit: false,
  };
  return build(api, options, sender, TYPES.MSG_MERGER, payload);
}

const FORWARDABLE = new Set<string>([
  TYPES.MSG_TEXT,
  TYPES.MSG_CUSTOM,
  TYPES.MSG_FACE,
  TYPES.MSG_LOCATION,
  TYPES.MSG_IMAGE,
  TYPES.MSG_FILE,
  TYPES.MSG_AUDIO,
  TYPES.MSG_VIDEO,
  TYPES.MSG_MERGER,
]);

/** A new message with the type and payload of an existing (sent or received) one. */
export function buildForwardMessage(options: MessageOptions<Message>, sender: Sender): Message {
  const api = 'createForwardMessage';
  const original = payloadOf(api, options);
  if (typeof original.ID !== 'string' || typeof original.type !== 'string')
    fail(api, 'payload must be a message');
  if (!FORWARDABLE.has(original.type)) fail(api, `${original.type} messages cannot be forwarded`);
  if (original.status !== 'success' || original.isRevoked)
    fail(api, 'only sent, not recalled messages can be forwarded');
  const payload = JSON.parse(JSON.stringify(original.payload ?? {})) as MessagePayload;
  return build(api, options, sender, original.type, payload);
}
