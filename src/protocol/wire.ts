/**
 * Worker <-> server frames: JSON text frames over one WebSocket.
 *
 * Client -> server: a request `{id, op, data}`; `id` is a positive integer chosen by the client and
 * echoed in the response. The first request on a socket must be `login`; nothing else is accepted
 * before it.
 * Server -> client: a response `{id, code: 0, data}` or `{id, code, message}`, or a push
 * `{push, data, cursor?}` that answers no request.
 *
 * Each frame is validated once at each boundary against the schemas below; the types are inferred
 * from them.
 */
import * as v from 'valibot';
import { LIMITS } from './constants.js';

const userID = v.pipe(
  v.string(),
  v.minLength(1, 'userID is empty'),
  v.maxLength(LIMITS.userIDBytes, 'userID is longer than 32 bytes'),
  v.regex(/^[A-Za-z0-9_-]+$/, 'userID may only contain A-Z a-z 0-9 _ -'),
);
const groupID = v.pipe(
  v.string(),
  v.minLength(1, 'groupID is empty'),
  v.maxLength(LIMITS.groupIDBytes, 'groupID is too long'),
  v.regex(/^[A-Za-z0-9_@#-]+$/, 'groupID may only contain A-Z a-z 0-9 _ - @ #'),
);
const conversationID = v.pipe(v.string(), v.minLength(4), v.maxLength(64));
const shortText = (max: number) => v.pipe(v.string(), v.maxLength(max));

export const schemas = {
  login: v.object({
    SDKAppID: v.pipe(v.number(), v.integer(), v.minValue(1)),
    userID,
    userSig: v.pipe(v.string(), v.maxLength(4096)),
    /** Stable per browser profile and user; every socket with the same one counts as one instance. */
    instanceID: v.pipe(v.string(), v.minLength(8), v.maxLength(64)),
    protocol: v.pipe(v.number(), v.integer()),
  }),
  logout: v.object({}),
  ping: v.object({}),
  sync: v.object({
    /** Last cursor the client has applied; 0 for none. */
    cursor: v.pipe(v.number(), v.integer(), v.minValue(0)),
  }),
  sendMessage: v.object({
    message: v.object({
      ID: v.pipe(v.string(), v.minLength(1), v.maxLength(80)),
      type: v.picklist(['TIMTextElem', 'TIMCustomElem', 'TIMFaceElem', 'TIMLocationElem']),
      payload: v.record(v.string(), v.unknown()),
      conversationType: v.picklist(['C2C', 'GROUP', '@TIM#SYSTEM']),
      to: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.groupIDBytes)),
      priority: v.optional(v.picklist(['High', 'Normal', 'Low', 'Lowest']), 'Normal'),
      cloudCustomData: v.optional(v.string(), ''),
      clientTime: v.pipe(v.number(), v.integer(), v.minValue(0)),
      random: v.pipe(v.number(), v.integer(), v.minValue(0)),
    }),
  }),
  getMessageList: v.object({
    conversationID,
    nextReqMessageID: v.optional(v.string()),
    count: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.messageListPage)),
    ),
  }),
  getConversationList: v.object({}),
  getConversationProfile: v.object({ conversationID }),
  setMessageRead: v.object({ conversationID }),
  createGroup: v.object({
    name: v.pipe(v.string(), v.minLength(1, 'name is required')),
    type: v.optional(v.string(), 'Private'),
    groupID: v.optional(groupID),
    introduction: v.optional(v.string(), ''),
    notification: v.optional(v.string(), ''),
    avatar: v.optional(v.string(), ''),
    maxMemberNum: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    joinOption: v.optional(v.string()),
    memberList: v.optional(
      v.array(v.object({ userID, role: v.optional(v.picklist(['Admin', 'Member'])) })),
      [],
    ),
  }),
  joinGroup: v.object({ groupID, applyMessage: v.optional(shortText(300), '') }),
  quitGroup: v.object({ groupID }),
  getGroupList: v.object({}),
  getGroupProfile: v.object({ groupID }),
  getGroupMemberList: v.object({
    groupID,
    count: v.optional(
      v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.groupMemberListPage)),
    ),
    offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
  }),
  getMyProfile: v.object({}),
  getUserProfile: v.object({
    userIDList: v.pipe(v.array(userID), v.minLength(1), v.maxLength(LIMITS.userProfileBatch)),
  }),
  updateMyProfile: v.object({
    nick: v.optional(shortText(LIMITS.nickBytes)),
    avatar: v.optional(shortText(LIMITS.avatarBytes)),
    gender: v.optional(v.string()),
    selfSignature: v.optional(shortText(500)),
    allowType: v.optional(v.string()),
    birthday: v.optional(v.pipe(v.number(), v.integer())),
    location: v.optional(shortText(16)),
    language: v.optional(v.pipe(v.number(), v.integer())),
    messageSettings: v.optional(v.pipe(v.number(), v.integer())),
    level: v.optional(v.pipe(v.number(), v.integer())),
    role: v.optional(v.pipe(v.number(), v.integer())),
  }),
} as const;

export type Op = keyof typeof schemas;
export type OpData<K extends Op> = v.InferOutput<(typeof schemas)[K]>;
export type OpInput<K extends Op> = v.InferInput<(typeof schemas)[K]>;

export const OPS = Object.keys(schemas) as Op[];

export const requestEnvelope = v.object({
  id: v.pipe(v.number(), v.integer(), v.minValue(1)),
  op: v.string(),
  data: v.optional(v.unknown(), {}),
});

export type RequestFrame = v.InferOutput<typeof requestEnvelope>;

export interface OkFrame<T = unknown> {
  id: number;
  code: 0;
  data: T;
}
export interface ErrorFrame {
  /** 0 when the error answers no request (the frame could not be read). */
  id: number;
  code: number;
  message: string;
  data?: unknown;
}
export type ResponseFrame = OkFrame | ErrorFrame;

/** Pushes from the server; `cursor` is set on every push that advances the user's sync cursor. */
export type PushFrame =
  | { push: 'message'; cursor: number; data: import('./types.js').Message }
  | { push: 'conversationRead'; data: { conversationID: string; readSequence: number } }
  | { push: 'groupListChanged'; data: { groupID: string } }
  | { push: 'groupUpdated'; data: import('./types.js').Group }
  | { push: 'profileUpdated'; data: import('./types.js').Profile }
  | { push: 'kicked'; data: { type: string } };

export type ServerFrame = ResponseFrame | PushFrame;

/** Results of the ops, as the server answers them. */
export interface LoginResult {
  userID: string;
  tinyID: number;
  serverTime: number;
  /** The user's newest sync cursor at login. */
  cursor: number;
  protocol: number;
}
export interface SyncResult {
  messages: { cursor: number; message: import('./types.js').Message }[];
  cursor: number;
  isCompleted: boolean;
}
export interface MessageListResult {
  messageList: import('./types.js').Message[];
  nextReqMessageID: string;
  isCompleted: boolean;
}

export function isPush(frame: ServerFrame): frame is PushFrame {
  return 'push' in frame;
}

/** Validate the data of one op; returns the parsed value or the first issue's text. */
export function parseOp<K extends Op>(
  op: K,
  data: unknown,
): { ok: true; value: OpData<K> } | { ok: false; message: string } {
  const result = v.safeParse(schemas[op], data);
  if (result.success) return { ok: true, value: result.output as OpData<K> };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  return { ok: false, message: path ? `${path}: ${issue.message}` : issue.message };
}
