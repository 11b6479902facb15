/**
 * Error codes. Tencent's numbers are used wherever Tencent has one; the table in
 * docs/ARCHITECTURE.md lists every code this project emits.
 */
export const ErrorCode = {
  OK: 0,
  // client side (Tencent SDK codes)
  SDK_NOT_INITIALIZED: 6013,
  NOT_LOGGED_IN: 6014,
  INVALID_PARAMETERS: 6017,
  USER_SIG_EXPIRED_CLIENT: 6206,
  INVALID_IDENTIFIER: 7003,
  NET_DISCONNECTED: 9508,
  NET_WAIT_ACK_TIMEOUT: 9520,
  /** The worker or the port to it went away while a call was pending. */
  RPC_PORT_CLOSED: 9521,
  // server side (Tencent REST / server codes)
  SEND_TO_SYSTEM_CONVERSATION: 2106,
  SERVER_INTERNAL: 10002,
  INVALID_COMMAND: 10003,
  INVALID_PARAMETER: 10004,
  NO_PERMISSION: 10007,
  OWNER_CANNOT_QUIT: 10009,
  GROUP_NOT_FOUND: 10010,
  JSON_PARSE_FAILED: 10011,
  ALREADY_GROUP_MEMBER: 10013,
  GROUP_FULL: 10014,
  GROUP_ID_IN_USE: 10021,
  NOT_GROUP_MEMBER: 10007,
  FRAME_TOO_LARGE: 10018,
  RATE_LIMITED: 10006,
  /** Message send frequency exceeded (per user, or per group by priority). */
  SEND_FREQUENCY_LIMIT: 10023,
  ACCOUNT_NOT_FOUND: 20003,
  MESSAGE_BODY_TOO_LARGE: 80002,
  // message lifecycle (Tencent's codes)
  MODIFY_CONFLICT: 2480,
  MODIFY_NOT_ALLOWED: 2481,
  TRANSLATE_FAILED: 2117,
  MESSAGE_NOT_FOUND: 20026,
  RECALL_NOT_FOUND: 10030,
  RECALL_TIME_LIMIT: 10031,
  RECALL_NOT_ALLOWED: 10032,
  DELETE_NOT_ALLOWED: 10034,
  READ_RECEIPT_NOT_FOUND: 10062,
  EXTENSION_CONFLICT: 23001,
  /** Too many pinned messages in the group (Tencent: ERR_SVR_GROUP_PINNED_MESSAGE_COUNT_LIMIT). */
  PINNED_MESSAGE_LIMIT: 10070,
  /** The message does not support this operation (recalled, online-only, extension not enabled). */
  MESSAGE_OPERATION_UNSUPPORTED: 10032,
  /** The server has no translator configured (`--translate-url`). */
  TRANSLATE_NOT_CONFIGURED: 2118,
  // uploads (Tencent native SDK's file codes)
  UPLOAD_TOO_LARGE: 7005,
  UPLOAD_EMPTY: 7006,
  UPLOAD_FAILED: 7007,
  UPLOAD_CANCELLED: 7009,
  // UserSig (TLS) verification
  USER_SIG_EXPIRED: 70001,
  USER_SIG_EMPTY: 70002,
  USER_SIG_MALFORMED: 70003,
  USER_SIG_MISMATCH: 70009,
  USER_SIG_IDENTIFIER_MISMATCH: 70013,
  USER_SIG_APP_MISMATCH: 70014,
  APP_NOT_FOUND: 70020,
  /** The client speaks a protocol version the server no longer supports. */
  PROTOCOL_UNSUPPORTED: 10026,

  // [issue 4: conversations]
  /** The conversation is not in the user's list (no message yet, or deleted). */
  CONVERSATION_NOT_FOUND: 51007,
  /** More than LIMITS.markedConversations conversations marked or in conversation groups. */
  CONVERSATION_MARK_LIMIT: 51008,
  CONVERSATION_GROUP_NOT_FOUND: 51009,
  CONVERSATION_GROUP_LIMIT: 51010,
  /** Conversation group name empty, longer than 32 bytes, or already in use. */
  CONVERSATION_GROUP_NAME_INVALID: 51011,

  // [issue 5: groups]
  /** A muted member (muteUntil, or mute-all for ordinary members) tried to send. */
  GROUP_MEMBER_MUTED: 10017,
  /** The join application was already handled by another admin (first one wins). */
  GROUP_APPLICATION_HANDLED: 10024,
  /** Custom group attributes are for AVChatRoom groups only. */
  GROUP_ATTRIBUTES_WRONG_TYPE: 2641,
  /** Custom group attributes need the caller to have joined the AVChatRoom. */
  GROUP_ATTRIBUTES_NOT_JOINED: 2642,

  // [issue 6: users and relationships]
  /** Relationship chain: already a friend / not a friend / already blocked / no such application or friend group. */
  RELATION_INVALID: 30001,
  /** Relationship chain: the user does not exist. */
  RELATION_ACCOUNT_NOT_FOUND: 30003,
  /** A count limit of the relationship chain (friends, friend groups, blocklist, following). */
  RELATION_LIMIT: 30010,
  /** addFriend: the target is in the caller's blocklist. */
  FRIEND_TARGET_BLOCKED: 30515,
  /** addFriend: the target's allowType is AllowType_Type_DenyAny. */
  FRIEND_DENY_ANY: 30516,
  /** addFriend: the caller is in the target's blocklist. */
  FRIEND_IN_TARGET_BLACKLIST: 30525,
  /** addFriend: the request waits for the target's approval (a result code, not an error). */
  FRIEND_PENDING: 30539,
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * WebSocket close codes. 4000-4499: do not reconnect (the user must act);
 * 4500-4999: reconnect with backoff.
 */
export const CloseCode = {
  KICKED_OUT: 4001,
  AUTH_FAILED: 4002,
  USER_SIG_EXPIRED: 4003,
  LOGGED_OUT: 4004,
  PROTOCOL_UNSUPPORTED: 4005,
  LOGIN_TIMEOUT: 4500,
  SERVER_SHUTDOWN: 4501,
  /** The node lost pushes (its Redis subscription was interrupted): reconnect and catch up. */
  BUS_INTERRUPTED: 4502,
  PROTOCOL_ERROR: 4503,
} as const;

export function shouldReconnect(code: number): boolean {
  if (code >= 4000 && code < 4500) return false;
  return true;
}
