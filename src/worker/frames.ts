/**
 * Validation of server -> worker frames (src/protocol/wire.ts), done once where a frame enters the
 * worker; everything behind connection.ts trusts the types.
 */
import * as v from 'valibot';
import type { PushFrame, ResponseFrame, ServerFrame } from '../protocol/wire.js';
import { userPushSchemas } from './user-frames.js';

const responseSchema = v.object({
  id: v.pipe(v.number(), v.integer(), v.minValue(0)),
  code: v.pipe(v.number(), v.integer()),
  data: v.optional(v.unknown()),
  message: v.optional(v.string()),
});

const messageSchema = v.looseObject({
  ID: v.string(),
  type: v.string(),
  payload: v.record(v.string(), v.unknown()),
  conversationID: v.string(),
  conversationType: v.picklist(['C2C', 'GROUP', '@TIM#SYSTEM']),
  to: v.string(),
  from: v.string(),
  time: v.number(),
  sequence: v.number(),
});

/** A recalled or modified message: the full message, or at least which one it is. */
const changedMessage = v.looseObject({ ID: v.string(), conversationID: v.string() });

/** A conversation of the list (the fields the engine relies on). */
const conversationSchema = v.looseObject({
  conversationID: v.string(),
  type: v.string(),
  unreadCount: v.number(),
  isPinned: v.boolean(),
  markList: v.array(v.number()),
  conversationGroupList: v.array(v.string()),
  draftText: v.string(),
  customData: v.string(),
});

/** A push without cursor (everything but `message`). */
function push<K extends string, S extends v.GenericSchema>(name: K, data: S) {
  return v.object({ push: v.literal(name), cursor: v.optional(v.number()), data });
}

const pushSchema = v.variant('push', [
  v.object({ push: v.literal('message'), cursor: v.number(), data: messageSchema }),
  v.object({
    push: v.literal('conversationRead'),
    cursor: v.optional(v.number()),
    data: v.object({ conversationID: v.string(), readSequence: v.number() }),
  }),
  v.object({
    push: v.literal('groupListChanged'),
    cursor: v.optional(v.number()),
    data: v.object({ groupID: v.string() }),
  }),
  v.object({
    push: v.literal('groupUpdated'),
    cursor: v.optional(v.number()),
    data: v.looseObject({ groupID: v.string() }),
  }),
  v.object({
    push: v.literal('profileUpdated'),
    cursor: v.optional(v.number()),
    data: v.looseObject({ userID: v.string() }),
  }),
  v.object({
    push: v.literal('kicked'),
    cursor: v.optional(v.number()),
    data: v.object({ type: v.string() }),
  }),
  push('messageRevoked', v.object({ message: changedMessage })),
  push('messageModified', v.object({ message: changedMessage })),
  push(
    'messageReadByPeer',
    v.object({
      conversationID: v.string(),
      readSequence: v.number(),
      time: v.optional(v.number()),
    }),
  ),
  push(
    'messageReadReceipt',
    v.array(
      v.looseObject({
        conversationID: v.string(),
        messageID: v.string(),
        readCount: v.optional(v.number(), 0),
        unreadCount: v.optional(v.number(), 0),
        isPeerRead: v.optional(v.boolean(), false),
        groupID: v.optional(v.string(), ''),
        userID: v.optional(v.string(), ''),
      }),
    ),
  ),
  push(
    'messageExtensionsUpdated',
    v.object({
      conversationID: v.string(),
      messageID: v.string(),
      extensionList: v.array(v.object({ key: v.string(), value: v.string() })),
    }),
  ),
  push(
    'messageExtensionsDeleted',
    v.object({ conversationID: v.string(), messageID: v.string(), keyList: v.array(v.string()) }),
  ),
  push(
    'messageReactionsUpdated',
    v.object({
      conversationID: v.string(),
      messageID: v.string(),
      reactionList: v.array(v.looseObject({ reactionID: v.string() })),
    }),
  ),
  push(
    'pinnedGroupMessageUpdated',
    v.object({ groupID: v.string(), pinnedMessageList: v.array(messageSchema) }),
  ),
  push(
    'conversationUpdated',
    v.looseObject({
      conversationID: v.string(),
      type: v.string(),
      lastMessage: v.optional(v.nullable(v.looseObject({ ID: v.string() }))),
    }),
  ),
  push('allReceiveMessageOptUpdated', v.record(v.string(), v.unknown())),
  push('onlineMessage', messageSchema),
  // [issue 4: conversations]
  push('conversationsChanged', v.object({ conversationList: v.array(conversationSchema) })),
  push(
    'conversationDeleted',
    v.object({ conversationIDList: v.array(v.string()), clearHistoryMessage: v.boolean() }),
  ),
  push('conversationGroupListUpdated', v.object({ groupList: v.array(v.string()) })),
  push(
    'conversationInGroupUpdated',
    v.object({ groupName: v.string(), conversationIDList: v.array(v.string()) }),
  ),
  // [issue 5: groups]
  push('groupSystemNotice', messageSchema),
  push(
    'groupAttributesUpdated',
    v.object({ groupID: v.string(), groupAttributes: v.record(v.string(), v.string()) }),
  ),
  push(
    'groupCounterUpdated',
    v.object({ groupID: v.string(), key: v.string(), value: v.number() }),
  ),
  push('topicCreated', v.object({ groupID: v.string(), topicID: v.string() })),
  push('topicDeleted', v.object({ groupID: v.string(), topicIDList: v.array(v.string()) })),
  push(
    'topicUpdated',
    v.object({
      groupID: v.string(),
      topic: v.looseObject({
        topicID: v.string(),
        topicName: v.string(),
        avatar: v.string(),
        introduction: v.string(),
        notification: v.string(),
        customData: v.string(),
        muteAllMembers: v.boolean(),
        createTime: v.number(),
      }),
    }),
  ),
  // [issue 6: users and relationships]
  ...userPushSchemas,
]);

export type ParsedFrame = { ok: true; frame: ServerFrame } | { ok: false; reason: string };

/** Parse one text frame from the server. Unknown push kinds are reported, not thrown. */
export function parseServerFrame(raw: unknown): ParsedFrame {
  if (typeof raw !== 'string') return { ok: false, reason: 'binary frame' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'invalid JSON' };
  }
  if (typeof json === 'object' && json !== null && 'push' in json) {
    const r = v.safeParse(pushSchema, json);
    if (!r.success) return { ok: false, reason: `bad push: ${r.issues[0].message}` };
    return { ok: true, frame: r.output as unknown as PushFrame };
  }
  const r = v.safeParse(responseSchema, json);
  if (!r.success) return { ok: false, reason: `bad response: ${r.issues[0].message}` };
  return { ok: true, frame: r.output as ResponseFrame };
}
