// Authorization matrix: every op of src/protocol/wire.ts OPS, tried by someone who may not do it.
//
// (a) a socket that has not logged in: 6014, for every op but login;
// (b) a login as bob with a forged, an expired or another app's UserSig (70009, 70001, 70014,
//     70020), with every op pipelined after it: nothing but 6014 or silence, the socket closed;
// (c) a non-member of a group, for every group op and group-message op: 10007, and 10010 for a
//     group that does not exist;
// (d) a plain member where the owner or an admin is needed: pin in a Public group, 10007; a muted
//     member (bob in P) sending to the group: 10017;
// (e) a user acting on another user's message (recall: 10007) or on a message of a conversation
//     they are not in (20026, or 10007 for a group), including a targeted message they cannot see;
// leak rows: ops that answer 0 for anyone (sync, lists, C2C reads) must not contain a message the
//     caller may not see.
//
// After every attempt the whole world is read again (histories, unread counts, lastMessages,
// membership, reactions, extensions, receipts, pins, remind settings, profiles) and must equal the
// state before, and no socket may have received a push. The table is keyed by op: an op added to
// OPS without a row fails the first test.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { CloseCode, ErrorCode } from '../../src/protocol/codes.js';
import type { Message } from '../../src/protocol/types.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import { OPS, type Op, type ServerFrame } from '../../src/protocol/wire.js';
import { genUserSig } from '../../src/server/usersig.js';
import {
  connectClient,
  groupText,
  sleep,
  startTestServer,
  textMessage,
  uid,
  type RunningServer,
  type TestClient,
} from '../helpers/server.js';

const C = ErrorCode;

interface World {
  server: RunningServer;
  /** Owner of W, P and M. */
  alice: TestClient;
  /** Member of W and P (plain member of P, muted there), not of M. */
  bob: TestClient;
  /** Member of W, not a receiver of the targeted message. */
  dave: TestClient;
  /** In nothing: the stranger. */
  carol: TestClient;
  /** carol's second socket: receives carol's own pushes (the attacking socket does not). */
  carolTab: TestClient;
  /** Work group (alice, bob, dave), Public group (alice, bob), Meeting group (alice). */
  W: string;
  P: string;
  M: string;
  /** A group ID that does not exist. */
  missing: string;
  /** alice -> bob, with receipts and extensions, reacted 'like' by bob, extension k. */
  c2cText: Message;
  c2cFromBob: Message;
  /** alice in W: receipts, extensions, reacted 'like' by bob, extension k, pinned, read by bob. */
  wText: Message;
  /** bob in W, with receipts. */
  wFromBob: Message;
  /** alice in W: a merged message stored apart. */
  wMerger: Message;
  downloadKey: string;
  /** alice in W, targeted at bob only (dave cannot see it). */
  wTargeted: Message;
  /** alice in P; pPinned is pinned. */
  pText: Message;
  pPinned: Message;
}

type Who = 'carol' | 'bob' | 'dave';

interface Attempt {
  /** (c) non-member, (d) plain member, (e) someone else's message or conversation, or a leak check. */
  kind: 'c' | 'd' | 'e' | 'leak';
  who: Who;
  what: string;
  data: (w: World) => unknown;
  /** The error code; omitted for leak rows, which must answer 0. */
  code?: number;
  /** Leak rows: IDs of messages the answer must not contain. */
  secrets?: (w: World) => string[];
}

interface Row {
  /** A request bob may make: sent without login (a) and after a failed login as bob (b). */
  request: ((w: World) => unknown) | null;
  attempts: Attempt[];
  /** Why an op has no attempt of (c)-(e): the op has no rule to break. */
  none?: string;
}

const conv = {
  W: (w: World) => `GROUP${w.W}`,
  P: (w: World) => `GROUP${w.P}`,
  missing: (w: World) => `GROUP${w.missing}`,
  /** bob's and carol's view of their conversation with alice */
  alice: (w: World) => `C2C${w.alice.userID}`,
  bob: (w: World) => `C2C${w.bob.userID}`,
};

/** Every message of the world (secrets for carol). */
const all = (w: World) =>
  [w.c2cText, w.c2cFromBob, w.wText, w.wFromBob, w.wMerger, w.wTargeted, w.pText, w.pPinned].map(
    (m) => m.ID,
  );

/** The same request on W (non-member: 10007) and on a missing group (10010), as carol. */
function strangerInGroup(
  what: string,
  data: (w: World, groupID: string, conversationID: string) => unknown,
): Attempt[] {
  return [
    {
      kind: 'c',
      who: 'carol',
      what: `${what} in a group carol is not in`,
      data: (w) => data(w, w.W, conv.W(w)),
      code: C.NO_PERMISSION,
    },
    {
      kind: 'c',
      who: 'carol',
      what: `${what} in a group that does not exist`,
      data: (w) => data(w, w.missing, conv.missing(w)),
      code: C.GROUP_NOT_FOUND,
    },
  ];
}

/** carol on alice's C2C message (not her conversation: 20026) and dave on the targeted one. */
function notInConversation(
  what: string,
  data: (w: World, conversationID: string, message: Message) => unknown,
  code: number = C.MESSAGE_NOT_FOUND,
): Attempt[] {
  return [
    {
      kind: 'e',
      who: 'carol',
      what: `${what} on alice's message to bob, as carol (C2C${'<alice>'})`,
      data: (w) => data(w, conv.alice(w), w.c2cText),
      code,
    },
    {
      kind: 'e',
      who: 'carol',
      what: `${what} on alice's message to bob, as carol (C2C${'<bob>'})`,
      data: (w) => data(w, conv.bob(w), w.c2cText),
      code,
    },
    {
      kind: 'e',
      who: 'dave',
      what: `${what} on a targeted message dave is not a receiver of`,
      data: (w) => data(w, conv.W(w), w.wTargeted),
      code,
    },
  ];
}

const extension = { key: 'k', value: 'hijacked' };

/** Topics: 10007 for a stranger, 10010 for a missing group, 10004 in a group without topics. */
function topicAttempts(what: string, data: (groupID: string) => unknown): Attempt[] {
  return [
    ...strangerInGroup(what, (_w, groupID) => data(groupID)),
    {
      kind: 'd',
      who: 'bob',
      what: `${what} in a Work group (no topics)`,
      data: (w) => data(w.W),
      code: C.INVALID_PARAMETER,
    },
  ];
}

/** Attributes are AVChatRoom-only: 2641 on a Work group (member or not), 10010 on a missing one. */
function attributeAttempts(data: (groupID: string) => unknown): Attempt[] {
  return [
    {
      kind: 'c',
      who: 'carol',
      what: 'group attributes of a Work group, as a stranger',
      data: (w) => data(w.W),
      code: C.GROUP_ATTRIBUTES_WRONG_TYPE,
    },
    {
      kind: 'd',
      who: 'bob',
      what: 'group attributes of a Work group, as a member',
      data: (w) => data(w.W),
      code: C.GROUP_ATTRIBUTES_WRONG_TYPE,
    },
    {
      kind: 'c',
      who: 'carol',
      what: 'group attributes of a group that does not exist',
      data: (w) => data(w.missing),
      code: C.GROUP_NOT_FOUND,
    },
  ];
}

// Conversations (issue 4): helpers of its rows.
/** carol acts on a conversation that is not in her list (she is in nothing): 51007. */
function notInList(what: string, data: (w: World) => unknown, which = 'W'): Attempt {
  return {
    kind: 'e',
    who: 'carol',
    what: `${what} ${which}, not in carol's list`,
    data,
    code: C.CONVERSATION_NOT_FOUND,
  };
}
/** Conversation groups are per user: carol has none of the name bob uses. */
function noGroup(what: string, data: (w: World) => unknown): Attempt {
  return {
    kind: 'e',
    who: 'carol',
    what: `${what} a conversation group carol does not have`,
    data,
    code: C.CONVERSATION_GROUP_NOT_FOUND,
  };
}

const table: Record<Op, Row> = {
  login: {
    request: null,
    attempts: [],
    none: 'login is the authentication itself: (b) tries it with forged, expired and other-app UserSigs',
  },
  logout: { request: () => ({}), attempts: [], none: 'ends the caller’s own session only' },
  ping: { request: () => ({}), attempts: [], none: 'touches no data' },
  sync: {
    request: () => ({ cursor: 0 }),
    attempts: [
      {
        kind: 'leak',
        who: 'carol',
        what: 'carol syncs from 0',
        data: () => ({ cursor: 0 }),
        secrets: all,
      },
      {
        kind: 'leak',
        who: 'dave',
        what: 'dave syncs from 0: not the targeted message',
        data: () => ({ cursor: 0 }),
        secrets: (w) => [w.wTargeted.ID, w.c2cText.ID, w.c2cFromBob.ID],
      },
    ],
  },
  syncChanges: {
    request: () => ({ cursor: 0 }),
    attempts: [
      {
        kind: 'leak',
        who: 'carol',
        what: 'carol pages the change stream from 0',
        data: () => ({ cursor: 0 }),
        secrets: all,
      },
      {
        kind: 'leak',
        who: 'dave',
        what: 'dave pages the change stream from 0: not the edited targeted message',
        data: () => ({ cursor: 0 }),
        secrets: (w) => [w.wTargeted.ID, w.c2cText.ID, w.c2cFromBob.ID],
      },
    ],
  },
  sendMessage: {
    request: (w) => textMessage(w.alice.userID, 'sent as bob'),
    attempts: [
      ...strangerInGroup('send', (_w, groupID) => groupText(groupID, 'intruder')),
      {
        kind: 'e',
        who: 'carol',
        what: 'forward a merged list stored apart of a group carol is not in',
        data: (w) =>
          textMessage(w.alice.userID, '', {
            type: 'TIMRelayElem',
            payload: {
              title: 't',
              abstractList: ['a'],
              compatibleText: 'merged',
              downloadKey: w.downloadKey,
            },
          }),
        code: C.INVALID_PARAMETER,
      },
      {
        kind: 'd',
        who: 'bob',
        what: 'send to a group in which bob is muted',
        data: (w) => groupText(w.P, 'while muted'),
        code: C.GROUP_MEMBER_MUTED,
      },
      {
        kind: 'e',
        who: 'bob',
        what: 'target a message at a non-member',
        data: (w) => groupText(w.W, 'psst', { receiverList: [w.carol.userID] }),
        code: C.INVALID_PARAMETER,
      },
    ],
  },
  getMessageList: {
    request: (w) => ({ conversationID: conv.alice(w) }),
    attempts: [
      ...strangerInGroup('read history', (_w, _g, conversationID) => ({ conversationID })),
      {
        kind: 'leak',
        who: 'carol',
        what: "carol reads C2C<bob>: her own (empty) conversation, not alice's",
        data: (w) => ({ conversationID: conv.bob(w) }),
        secrets: all,
      },
      {
        kind: 'leak',
        who: 'dave',
        what: 'dave reads W: not the targeted message',
        data: (w) => ({ conversationID: conv.W(w) }),
        secrets: (w) => [w.wTargeted.ID],
      },
    ],
  },
  revokeMessage: {
    request: (w) => ({ conversationID: conv.W(w), messageID: w.wFromBob.ID }),
    attempts: [
      ...strangerInGroup('recall', (w, _g, conversationID) => ({
        conversationID,
        messageID: w.wText.ID,
      })),
      {
        kind: 'e',
        who: 'bob',
        what: "bob recalls alice's group message",
        data: (w) => ({ conversationID: conv.W(w), messageID: w.wText.ID }),
        code: C.NO_PERMISSION,
      },
      {
        kind: 'e',
        who: 'bob',
        what: "bob recalls alice's C2C message to him",
        data: (w) => ({ conversationID: conv.alice(w), messageID: w.c2cText.ID }),
        code: C.NO_PERMISSION,
      },
      ...notInConversation(
        'recall',
        (_w, conversationID, m) => ({ conversationID, messageID: m.ID }),
        C.RECALL_NOT_FOUND,
      ),
    ],
  },
  modifyMessage: {
    request: (w) => ({
      conversationID: conv.W(w),
      messageID: w.wFromBob.ID,
      version: w.wFromBob.version,
      payload: { text: 'hijacked' },
    }),
    attempts: [
      ...strangerInGroup('modify', (w, _g, conversationID) => ({
        conversationID,
        messageID: w.wText.ID,
        version: w.wText.version,
        payload: { text: 'hijacked' },
      })),
      ...notInConversation('modify', (_w, conversationID, m) => ({
        conversationID,
        messageID: m.ID,
        version: m.version,
        payload: { text: 'hijacked' },
      })),
    ],
  },
  deleteMessage: {
    request: (w) => ({ conversationID: conv.alice(w), messageIDList: [w.c2cText.ID] }),
    attempts: [
      ...strangerInGroup('delete for me', (w, _g, conversationID) => ({
        conversationID,
        messageIDList: [w.wText.ID],
      })),
      ...notInConversation('delete for me', (_w, conversationID, m) => ({
        conversationID,
        messageIDList: [m.ID],
      })),
    ],
  },
  clearHistoryMessage: {
    request: (w) => ({ conversationID: conv.W(w) }),
    attempts: strangerInGroup('clear history', (_w, _g, conversationID) => ({ conversationID })),
  },
  getMessageListHopping: {
    request: (w) => ({ conversationID: conv.W(w), sequence: w.wText.sequence }),
    attempts: [
      ...strangerInGroup('hop', (w, _g, conversationID) => ({
        conversationID,
        sequence: w.wText.sequence,
      })),
      {
        kind: 'leak',
        who: 'carol',
        what: 'carol hops in C2C<bob> around the time of alice’s message',
        data: (w) => ({ conversationID: conv.bob(w), time: w.c2cText.time, direction: 1 }),
        secrets: all,
      },
      {
        kind: 'leak',
        who: 'dave',
        what: 'dave hops onto the targeted message’s sequence',
        data: (w) => ({ conversationID: conv.W(w), sequence: w.wTargeted.sequence, direction: 1 }),
        secrets: (w) => [w.wTargeted.ID],
      },
    ],
  },
  getMessagesByID: {
    request: (w) => ({ conversationID: conv.W(w), messageIDList: [w.wText.ID] }),
    attempts: [
      ...strangerInGroup('read by ID', (w, _g, conversationID) => ({
        conversationID,
        messageIDList: [w.wText.ID],
      })),
      {
        kind: 'leak',
        who: 'carol',
        what: 'carol asks for alice’s C2C message by ID',
        data: (w) => ({ conversationID: conv.alice(w), messageIDList: [w.c2cText.ID] }),
        secrets: all,
      },
      {
        kind: 'leak',
        who: 'dave',
        what: 'dave asks for the targeted message by ID',
        data: (w) => ({ conversationID: conv.W(w), messageIDList: [w.wTargeted.ID] }),
        secrets: (w) => [w.wTargeted.ID],
      },
    ],
  },
  downloadMergerMessage: {
    request: (w) => ({ downloadKey: w.downloadKey }),
    attempts: [
      {
        kind: 'c',
        who: 'carol',
        what: 'download the merged list of a group carol is not in',
        data: (w) => ({ downloadKey: w.downloadKey }),
        code: C.NO_PERMISSION,
      },
      {
        kind: 'c',
        who: 'carol',
        what: 'download an unknown key',
        data: () => ({ downloadKey: 'nope' + randomBytes(8).toString('hex') }),
        code: C.MESSAGE_NOT_FOUND,
      },
    ],
  },
  sendMessageReadReceipt: {
    request: (w) => ({ conversationID: conv.W(w), messageIDList: [w.wText.ID] }),
    attempts: [
      ...strangerInGroup('send a read receipt', (w, _g, conversationID) => ({
        conversationID,
        messageIDList: [w.wText.ID],
      })),
      ...notInConversation('send a read receipt', (_w, conversationID, m) => ({
        conversationID,
        messageIDList: [m.ID],
      })),
    ],
  },
  getMessageReadReceiptList: {
    request: (w) => ({ conversationID: conv.W(w), messageIDList: [w.wFromBob.ID] }),
    attempts: [
      ...strangerInGroup('read receipts', (w, _g, conversationID) => ({
        conversationID,
        messageIDList: [w.wText.ID],
      })),
      {
        kind: 'e',
        who: 'bob',
        what: "bob reads the receipts of alice's group message",
        data: (w) => ({ conversationID: conv.W(w), messageIDList: [w.wText.ID] }),
        code: C.NO_PERMISSION,
      },
      {
        kind: 'e',
        who: 'bob',
        what: "bob reads the receipts of alice's C2C message",
        data: (w) => ({ conversationID: conv.alice(w), messageIDList: [w.c2cText.ID] }),
        code: C.NO_PERMISSION,
      },
      ...notInConversation('read receipts', (_w, conversationID, m) => ({
        conversationID,
        messageIDList: [m.ID],
      })),
    ],
  },
  getGroupMessageReadMemberList: {
    request: (w) => ({ conversationID: conv.W(w), messageID: w.wFromBob.ID, filter: 0 }),
    attempts: [
      ...strangerInGroup('list readers', (w, _g, conversationID) => ({
        conversationID,
        messageID: w.wText.ID,
        filter: 0,
      })),
      {
        kind: 'e',
        who: 'bob',
        what: "bob lists the readers of alice's message",
        data: (w) => ({ conversationID: conv.W(w), messageID: w.wText.ID, filter: 1 }),
        code: C.NO_PERMISSION,
      },
      {
        kind: 'e',
        who: 'dave',
        what: 'dave lists the readers of a targeted message he cannot see',
        data: (w) => ({ conversationID: conv.W(w), messageID: w.wTargeted.ID, filter: 0 }),
        code: C.MESSAGE_NOT_FOUND,
      },
    ],
  },
  setMessageRemindType: {
    request: (w) => ({ groupID: w.W, messageRemindType: 'Discard' }),
    attempts: strangerInGroup('set the remind type', (_w, groupID) => ({
      groupID,
      messageRemindType: 'Discard',
    })),
  },
  setAllReceiveMessageOpt: {
    request: () => ({ messageRemindType: 'AcceptNotNotify' }),
    attempts: [],
    none: 'the caller’s own global setting',
  },
  getAllReceiveMessageOpt: {
    request: () => ({}),
    attempts: [],
    none: 'the caller’s own global setting',
  },
  setMessageExtensions: {
    request: (w) => ({
      conversationID: conv.W(w),
      messageID: w.wText.ID,
      extensionList: [extension],
    }),
    attempts: [
      ...strangerInGroup('set an extension', (w, _g, conversationID) => ({
        conversationID,
        messageID: w.wText.ID,
        extensionList: [extension],
      })),
      ...notInConversation('set an extension', (_w, conversationID, m) => ({
        conversationID,
        messageID: m.ID,
        extensionList: [extension],
      })),
    ],
  },
  getMessageExtensions: {
    request: (w) => ({ conversationID: conv.W(w), messageID: w.wText.ID }),
    attempts: [
      ...strangerInGroup('read extensions', (w, _g, conversationID) => ({
        conversationID,
        messageID: w.wText.ID,
      })),
      ...notInConversation('read extensions', (_w, conversationID, m) => ({
        conversationID,
        messageID: m.ID,
      })),
    ],
  },
  deleteMessageExtensions: {
    request: (w) => ({ conversationID: conv.W(w), messageID: w.wText.ID }),
    attempts: [
      ...strangerInGroup('delete extensions', (w, _g, conversationID) => ({
        conversationID,
        messageID: w.wText.ID,
      })),
      ...notInConversation('delete extensions', (_w, conversationID, m) => ({
        conversationID,
        messageID: m.ID,
        keyList: ['k'],
      })),
    ],
  },
  addMessageReaction: {
    request: (w) => ({ conversationID: conv.W(w), messageID: w.wText.ID, reactionID: 'angry' }),
    attempts: [
      ...strangerInGroup('react', (w, _g, conversationID) => ({
        conversationID,
        messageID: w.wText.ID,
        reactionID: 'angry',
      })),
      ...notInConversation('react', (_w, conversationID, m) => ({
        conversationID,
        messageID: m.ID,
        reactionID: 'angry',
      })),
    ],
  },
  removeMessageReaction: {
    request: (w) => ({ conversationID: conv.W(w), messageID: w.wText.ID, reactionID: 'like' }),
    attempts: [
      ...strangerInGroup('remove a reaction', (w, _g, conversationID) => ({
        conversationID,
        messageID: w.wText.ID,
        reactionID: 'like',
      })),
      ...notInConversation('remove a reaction', (_w, conversationID, m) => ({
        conversationID,
        messageID: m.ID,
        reactionID: 'like',
      })),
    ],
  },
  getMessageReactions: {
    request: (w) => ({ conversationID: conv.W(w), messageIDList: [w.wText.ID] }),
    attempts: [
      ...strangerInGroup('read reactions', (w, _g, conversationID) => ({
        conversationID,
        messageIDList: [w.wText.ID],
      })),
      ...notInConversation('read reactions', (_w, conversationID, m) => ({
        conversationID,
        messageIDList: [m.ID],
      })),
    ],
  },
  getAllUserListOfMessageReaction: {
    request: (w) => ({ conversationID: conv.W(w), messageID: w.wText.ID, reactionID: 'like' }),
    attempts: [
      ...strangerInGroup('list who reacted', (w, _g, conversationID) => ({
        conversationID,
        messageID: w.wText.ID,
        reactionID: 'like',
      })),
      ...notInConversation('list who reacted', (_w, conversationID, m) => ({
        conversationID,
        messageID: m.ID,
        reactionID: 'like',
      })),
    ],
  },
  pinGroupMessage: {
    request: (w) => ({ groupID: w.W, messageID: w.wText.ID, isPinned: false }),
    attempts: [
      ...strangerInGroup('pin', (w, groupID) => ({
        groupID,
        messageID: w.wText.ID,
        isPinned: true,
      })),
      {
        kind: 'd',
        who: 'bob',
        what: 'a plain member pins in a Public group',
        data: (w) => ({ groupID: w.P, messageID: w.pText.ID, isPinned: true }),
        code: C.NO_PERMISSION,
      },
      {
        kind: 'd',
        who: 'bob',
        what: 'a plain member unpins in a Public group',
        data: (w) => ({ groupID: w.P, messageID: w.pPinned.ID, isPinned: false }),
        code: C.NO_PERMISSION,
      },
      {
        kind: 'e',
        who: 'dave',
        what: 'dave pins a targeted message he cannot see',
        data: (w) => ({ groupID: w.W, messageID: w.wTargeted.ID, isPinned: true }),
        code: C.MESSAGE_NOT_FOUND,
      },
    ],
  },
  getPinnedGroupMessageList: {
    request: (w) => ({ groupID: w.W }),
    attempts: strangerInGroup('list pinned messages', (_w, groupID) => ({ groupID })),
  },
  translateText: {
    request: () => ({ sourceTextList: ['hi'], targetLanguage: 'de' }),
    attempts: [],
    none: 'touches no stored data',
  },
  getConversationList: {
    request: () => ({}),
    attempts: [
      {
        kind: 'leak',
        who: 'carol',
        what: 'carol lists her conversations',
        data: () => ({}),
        secrets: all,
      },
      {
        kind: 'leak',
        who: 'dave',
        what: 'dave lists his conversations: W without the targeted message',
        data: () => ({}),
        secrets: (w) => [w.wTargeted.ID],
      },
    ],
  },
  getConversationProfile: {
    request: (w) => ({ conversationID: conv.W(w) }),
    attempts: [
      ...strangerInGroup('read the conversation', (_w, _g, conversationID) => ({
        conversationID,
      })),
      {
        kind: 'leak',
        who: 'carol',
        what: 'carol reads C2C<bob>: her own conversation',
        data: (w) => ({ conversationID: conv.bob(w) }),
        secrets: all,
      },
    ],
  },
  setMessageRead: {
    request: (w) => ({ conversationID: conv.W(w) }),
    attempts: strangerInGroup('mark read', (_w, _g, conversationID) => ({ conversationID })),
  },
  createGroup: {
    request: () => ({ name: 'x', type: 'Public', groupID: `authz_new_${uid('g')}` }),
    attempts: [
      {
        kind: 'c',
        who: 'carol',
        what: 'create a group with the ID of an existing one',
        data: (w) => ({ name: 'mine', type: 'Private', groupID: w.W }),
        code: C.GROUP_ID_IN_USE,
      },
    ],
  },
  joinGroup: {
    request: (w) => ({ groupID: w.M }),
    attempts: strangerInGroup('join an invite-only group', (_w, groupID) => ({ groupID })),
  },
  quitGroup: {
    request: (w) => ({ groupID: w.W }),
    attempts: strangerInGroup('quit', (_w, groupID) => ({ groupID })),
  },
  getGroupList: {
    request: () => ({}),
    attempts: [
      {
        kind: 'leak',
        who: 'carol',
        what: 'carol lists her groups',
        data: () => ({}),
        secrets: (w) => [...all(w), w.W, w.P, w.M],
      },
    ],
  },
  getGroupProfile: {
    request: (w) => ({ groupID: w.W }),
    attempts: strangerInGroup('read the profile of a Work group', (_w, groupID) => ({
      groupID,
    })),
  },
  getGroupMemberList: {
    request: (w) => ({ groupID: w.W }),
    attempts: strangerInGroup('list the members of a Work group', (_w, groupID) => ({
      groupID,
    })),
  },
  getMyProfile: { request: () => ({}), attempts: [], none: 'the caller’s own profile' },
  getUserProfile: {
    request: (w) => ({ userIDList: [w.alice.userID] }),
    attempts: [],
    none: 'profiles are readable by every user of the app (Tencent: getUserProfile)',
  },
  updateMyProfile: {
    request: () => ({ nick: 'hijacked' }),
    attempts: [],
    none: 'the caller’s own profile',
  },

  // [issue 4: conversations]
  deleteConversation: {
    request: (w) => ({ conversationIDList: [conv.alice(w)] }),
    attempts: [
      notInList('delete', (w) => ({ conversationIDList: [conv.W(w)] })),
      notInList('delete', (w) => ({ conversationIDList: [conv.alice(w)] }), 'C2C<alice>'),
    ],
  },
  pinConversation: {
    request: (w) => ({ conversationID: conv.alice(w), isPinned: true }),
    attempts: [
      notInList('pin', (w) => ({ conversationID: conv.W(w), isPinned: true })),
      notInList('pin', (w) => ({ conversationID: conv.bob(w), isPinned: true }), 'C2C<bob>'),
    ],
  },
  setConversationDraft: {
    request: (w) => ({ conversationID: conv.alice(w), draftText: 'as bob' }),
    attempts: [notInList('set a draft', (w) => ({ conversationID: conv.W(w), draftText: 'x' }))],
  },
  markConversation: {
    request: (w) => ({ conversationIDList: [conv.alice(w)], markType: 1, enableMark: true }),
    attempts: [
      {
        kind: 'leak',
        who: 'carol',
        what: 'carol stars W: answered per conversation as a failure (51007), nothing marked',
        data: (w) => ({
          conversationIDList: [conv.W(w), conv.alice(w)],
          markType: 1,
          enableMark: true,
        }),
        secrets: all,
      },
    ],
  },
  setConversationCustomData: {
    request: (w) => ({ conversationIDList: [conv.alice(w)], customData: 'x' }),
    attempts: [
      {
        kind: 'leak',
        who: 'carol',
        what: 'carol sets custom data on W: a per-conversation failure (51007), nothing written',
        data: (w) => ({ conversationIDList: [conv.W(w)], customData: 'x' }),
        secrets: all,
      },
    ],
  },
  setAllMessageRead: {
    request: () => ({}),
    attempts: [],
    none: 'reads the caller’s own conversations only (carol has none)',
  },
  createConversationGroup: {
    request: (w) => ({ groupName: 'g', conversationIDList: [conv.alice(w)] }),
    attempts: [
      notInList('put W in a new conversation group', (w) => ({
        groupName: 'mine',
        conversationIDList: [conv.W(w)],
      })),
    ],
  },
  getConversationGroupList: {
    request: () => ({}),
    attempts: [
      {
        kind: 'leak',
        who: 'carol',
        what: 'carol lists her conversation groups',
        data: () => ({}),
        secrets: all,
      },
    ],
  },
  deleteConversationGroup: {
    request: () => ({ groupName: 'g' }),
    attempts: [noGroup('delete', () => ({ groupName: 'g' }))],
  },
  renameConversationGroup: {
    request: () => ({ oldName: 'g', newName: 'h' }),
    attempts: [noGroup('rename', () => ({ oldName: 'g', newName: 'h' }))],
  },
  addConversationsToGroup: {
    request: (w) => ({ groupName: 'g', conversationIDList: [conv.alice(w)] }),
    attempts: [noGroup('add W to', (w) => ({ groupName: 'g', conversationIDList: [conv.W(w)] }))],
  },
  deleteConversationsFromGroup: {
    request: (w) => ({ groupName: 'g', conversationIDList: [conv.alice(w)] }),
    attempts: [
      noGroup('remove W from', (w) => ({ groupName: 'g', conversationIDList: [conv.W(w)] })),
    ],
  },

  // [issue 5: groups]
  dismissGroup: {
    request: (w) => ({ groupID: w.W }),
    attempts: [
      ...strangerInGroup('dismiss', (_w, groupID) => ({ groupID })),
      {
        kind: 'd',
        who: 'bob',
        what: 'a plain member dismisses a Public group',
        data: (w) => ({ groupID: w.P }),
        code: C.NO_PERMISSION,
      },
      {
        kind: 'd',
        who: 'bob',
        what: 'a member dismisses a Work group (only the app admin may)',
        data: (w) => ({ groupID: w.W }),
        code: C.NO_PERMISSION,
      },
    ],
  },
  addGroupMember: {
    request: (w) => ({ groupID: w.W, userIDList: [w.carol.userID] }),
    attempts: [
      ...strangerInGroup('invite', (w, groupID) => ({ groupID, userIDList: [w.carol.userID] })),
      {
        kind: 'd',
        who: 'bob',
        what: 'a member invites into a Public group (nobody may)',
        data: (w) => ({ groupID: w.P, userIDList: [w.carol.userID] }),
        code: C.NO_PERMISSION,
      },
    ],
  },
  deleteGroupMember: {
    request: (w) => ({ groupID: w.W, userIDList: [w.dave.userID] }),
    attempts: [
      ...strangerInGroup('kick', (w, groupID) => ({ groupID, userIDList: [w.bob.userID] })),
      {
        kind: 'd',
        who: 'bob',
        what: 'a member kicks in a Work group (owner only)',
        data: (w) => ({ groupID: w.W, userIDList: [w.dave.userID] }),
        code: C.NO_PERMISSION,
      },
      {
        kind: 'd',
        who: 'bob',
        what: 'a plain member kicks the owner of a Public group',
        data: (w) => ({ groupID: w.P, userIDList: [w.alice.userID] }),
        code: C.NO_PERMISSION,
      },
    ],
  },
  getGroupApplicationList: {
    request: () => ({}),
    attempts: [],
    none: 'lists only applications to groups where the caller is owner or admin',
  },
  handleGroupApplication: {
    request: (w) => ({ groupID: w.P, userID: w.carol.userID, handleAction: 'Agree' }),
    attempts: [
      ...strangerInGroup('approve an application', (w, groupID) => ({
        groupID,
        userID: w.carol.userID,
        handleAction: 'Agree',
      })),
      {
        kind: 'd',
        who: 'bob',
        what: 'a plain member approves an application',
        data: (w) => ({ groupID: w.P, userID: w.carol.userID, handleAction: 'Agree' }),
        code: C.NO_PERMISSION,
      },
    ],
  },
  changeGroupOwner: {
    request: (w) => ({ groupID: w.W, newOwnerID: w.bob.userID }),
    attempts: [
      ...strangerInGroup('take the ownership', (w, groupID) => ({
        groupID,
        newOwnerID: w.carol.userID,
      })),
      {
        kind: 'd',
        who: 'bob',
        what: 'a member hands the ownership of a Work group to himself',
        data: (w) => ({ groupID: w.W, newOwnerID: w.bob.userID }),
        code: C.NO_PERMISSION,
      },
    ],
  },
  updateGroupProfile: {
    request: (w) => ({ groupID: w.P, name: 'hijacked' }),
    attempts: [
      ...strangerInGroup('rename', (_w, groupID) => ({ groupID, name: 'hijacked' })),
      {
        kind: 'd',
        who: 'bob',
        what: 'a plain member renames a Public group',
        data: (w) => ({ groupID: w.P, name: 'hijacked' }),
        code: C.NO_PERMISSION,
      },
      {
        kind: 'd',
        who: 'bob',
        what: 'a plain member mutes all of a Public group',
        data: (w) => ({ groupID: w.P, muteAllMembers: true }),
        code: C.NO_PERMISSION,
      },
      {
        kind: 'd',
        who: 'dave',
        what: 'a member mutes all of a Work group (no muting there)',
        data: (w) => ({ groupID: w.W, muteAllMembers: true }),
        code: C.NO_PERMISSION,
      },
    ],
  },
  setGroupMemberRole: {
    request: (w) => ({ groupID: w.P, userID: w.bob.userID, role: 'Admin' }),
    attempts: [
      ...strangerInGroup('appoint an admin', (w, groupID) => ({
        groupID,
        userID: w.carol.userID,
        role: 'Admin',
      })),
      {
        kind: 'd',
        who: 'bob',
        what: 'a plain member makes himself admin of a Public group',
        data: (w) => ({ groupID: w.P, userID: w.bob.userID, role: 'Admin' }),
        code: C.NO_PERMISSION,
      },
    ],
  },
  setGroupMemberMuteTime: {
    request: (w) => ({ groupID: w.P, userID: w.alice.userID, muteTime: 60 }),
    attempts: [
      ...strangerInGroup('mute', (w, groupID) => ({
        groupID,
        userID: w.bob.userID,
        muteTime: 60,
      })),
      {
        kind: 'd',
        who: 'bob',
        what: 'a plain member mutes the owner of a Public group',
        data: (w) => ({ groupID: w.P, userID: w.alice.userID, muteTime: 60 }),
        code: C.NO_PERMISSION,
      },
      {
        kind: 'd',
        who: 'bob',
        what: 'a member mutes in a Work group (no muting there)',
        data: (w) => ({ groupID: w.W, userID: w.dave.userID, muteTime: 60 }),
        code: C.NO_PERMISSION,
      },
    ],
  },
  setGroupMemberNameCard: {
    request: (w) => ({ groupID: w.W, userID: w.dave.userID, nameCard: 'x' }),
    attempts: [
      ...strangerInGroup('set a name card', (w, groupID) => ({
        groupID,
        userID: w.bob.userID,
        nameCard: 'hijacked',
      })),
      {
        kind: 'd',
        who: 'bob',
        what: 'a member sets another member’s name card',
        data: (w) => ({ groupID: w.W, userID: w.dave.userID, nameCard: 'hijacked' }),
        code: C.NO_PERMISSION,
      },
    ],
  },
  setGroupMemberCustomField: {
    request: (w) => ({
      groupID: w.W,
      userID: w.dave.userID,
      memberCustomField: [{ key: 'k', value: 'v' }],
    }),
    attempts: [
      ...strangerInGroup('set a member custom field', (w, groupID) => ({
        groupID,
        userID: w.bob.userID,
        memberCustomField: [{ key: 'k', value: 'hijacked' }],
      })),
      {
        kind: 'd',
        who: 'bob',
        what: 'a member sets another member’s custom field',
        data: (w) => ({
          groupID: w.W,
          userID: w.dave.userID,
          memberCustomField: [{ key: 'k', value: 'hijacked' }],
        }),
        code: C.NO_PERMISSION,
      },
    ],
  },
  getGroupMemberProfile: {
    request: (w) => ({ groupID: w.W, userIDList: [w.alice.userID] }),
    attempts: strangerInGroup('read member profiles of a Work group', (w, groupID) => ({
      groupID,
      userIDList: [w.alice.userID],
    })),
  },
  getGroupOnlineMemberCount: {
    request: (w) => ({ groupID: w.W }),
    attempts: strangerInGroup('count the online members', (_w, groupID) => ({ groupID })),
  },
  searchGroupByID: {
    request: (w) => ({ groupID: w.P }),
    attempts: strangerInGroup('find a Work group by ID', (_w, groupID) => ({ groupID })),
  },
  initGroupAttributes: {
    request: (w) => ({ groupID: w.W, groupAttributes: { k: 'v' } }),
    attempts: attributeAttempts((groupID) => ({ groupID, groupAttributes: { k: 'v' } })),
  },
  setGroupAttributes: {
    request: (w) => ({ groupID: w.W, groupAttributes: { k: 'v' } }),
    attempts: attributeAttempts((groupID) => ({ groupID, groupAttributes: { k: 'v' } })),
  },
  deleteGroupAttributes: {
    request: (w) => ({ groupID: w.W, keyList: [] }),
    attempts: attributeAttempts((groupID) => ({ groupID, keyList: [] })),
  },
  getGroupAttributes: {
    request: (w) => ({ groupID: w.W }),
    attempts: attributeAttempts((groupID) => ({ groupID })),
  },
  setGroupCounters: {
    request: (w) => ({ groupID: w.W, counters: { k: 1 } }),
    attempts: strangerInGroup('set counters', (_w, groupID) => ({ groupID, counters: { k: 1 } })),
  },
  increaseGroupCounter: {
    request: (w) => ({ groupID: w.W, key: 'k', value: 1 }),
    attempts: strangerInGroup('increase a counter', (_w, groupID) => ({
      groupID,
      key: 'k',
      value: 1,
    })),
  },
  decreaseGroupCounter: {
    request: (w) => ({ groupID: w.W, key: 'k', value: 1 }),
    attempts: strangerInGroup('decrease a counter', (_w, groupID) => ({
      groupID,
      key: 'k',
      value: 1,
    })),
  },
  getGroupCounters: {
    request: (w) => ({ groupID: w.W }),
    attempts: strangerInGroup('read counters', (_w, groupID) => ({ groupID })),
  },
  createTopicInCommunity: {
    request: (w) => ({ groupID: w.W, topicName: 't' }),
    attempts: topicAttempts('create a topic', (groupID) => ({ groupID, topicName: 't' })),
  },
  getTopicList: {
    request: (w) => ({ groupID: w.W }),
    attempts: topicAttempts('list topics', (groupID) => ({ groupID })),
  },
  updateTopicProfile: {
    request: (w) => ({ groupID: w.W, topicID: `${w.W}@TOPIC#_x`, topicName: 'x' }),
    attempts: topicAttempts('rename a topic', (groupID) => ({
      groupID,
      topicID: `${groupID}@TOPIC#_x`,
      topicName: 'x',
    })),
  },
  deleteTopicFromCommunity: {
    request: (w) => ({ groupID: w.W }),
    attempts: topicAttempts('delete topics', (groupID) => ({ groupID })),
  },
  getJoinedCommunityList: {
    request: () => ({}),
    attempts: [],
    none: 'lists the caller’s own communities',
  },

  // [issue 6: users and relationships]
  getUserStatus: {
    request: (w) => ({ userIDList: [w.alice.userID] }),
    attempts: [],
    none: 'status is readable by every user of the app (Tencent: getUserStatus)',
  },
  setSelfStatus: {
    request: () => ({ customStatus: 'hijacked' }),
    attempts: [
      {
        kind: 'e',
        who: 'carol',
        what: 'set a custom status longer than 100 bytes',
        data: () => ({ customStatus: 'x'.repeat(101) }),
        code: C.INVALID_PARAMETER,
      },
    ],
  },
  subscribeUserStatus: {
    request: (w) => ({ userIDList: [w.alice.userID] }),
    attempts: [
      {
        kind: 'e',
        who: 'carol',
        what: 'subscribe to more than 100 users in one call',
        data: (w) => ({ userIDList: Array.from({ length: 101 }, () => w.alice.userID) }),
        code: C.INVALID_PARAMETER,
      },
    ],
  },
  unsubscribeUserStatus: {
    request: () => ({}),
    attempts: [],
    none: 'the caller’s own subscriptions',
  },
  getFriendList: { request: () => ({}), attempts: [], none: 'the caller’s own list' },
  addFriend: {
    request: (w) => ({ to: w.alice.userID }),
    attempts: [
      {
        kind: 'e',
        who: 'carol',
        what: 'add herself as a friend',
        data: (w) => ({ to: w.carol.userID }),
        code: C.RELATION_INVALID,
      },
      {
        kind: 'e',
        who: 'carol',
        what: 'add a user that does not exist',
        data: () => ({ to: 'nobody_at_all' }),
        code: C.RELATION_ACCOUNT_NOT_FOUND,
      },
    ],
  },
  deleteFriend: {
    request: (w) => ({ userIDList: [w.alice.userID] }),
    attempts: [],
    none: 'non-friends land in failureUserIDList; the caller’s own list',
  },
  checkFriend: {
    request: (w) => ({ userIDList: [w.alice.userID] }),
    attempts: [],
    none: 'answers the caller’s own relations only',
  },
  getFriendProfile: {
    request: (w) => ({ userIDList: [w.alice.userID] }),
    attempts: [],
    none: 'the caller’s own friends only (others in failureUserIDList)',
  },
  updateFriend: {
    request: (w) => ({ userID: w.alice.userID, remark: 'x' }),
    attempts: [
      {
        kind: 'e',
        who: 'carol',
        what: 'update alice, who is not her friend',
        data: (w) => ({ userID: w.alice.userID, remark: 'x' }),
        code: C.RELATION_INVALID,
      },
    ],
  },
  getFriendApplicationList: { request: () => ({}), attempts: [], none: 'the caller’s own list' },
  acceptFriendApplication: {
    request: (w) => ({ userID: w.alice.userID }),
    attempts: [
      {
        kind: 'e',
        who: 'carol',
        what: 'accept an application alice never sent',
        data: (w) => ({ userID: w.alice.userID }),
        code: C.RELATION_INVALID,
      },
    ],
  },
  refuseFriendApplication: {
    request: (w) => ({ userID: w.alice.userID }),
    attempts: [
      {
        kind: 'e',
        who: 'carol',
        what: 'refuse an application alice never sent',
        data: (w) => ({ userID: w.alice.userID }),
        code: C.RELATION_INVALID,
      },
    ],
  },
  deleteFriendApplication: {
    request: (w) => ({ userID: w.alice.userID, type: 'Pendency_Type_ComeIn' }),
    attempts: [
      {
        kind: 'e',
        who: 'carol',
        what: 'delete an application that does not exist',
        data: (w) => ({ userID: w.alice.userID, type: 'Pendency_Type_SendOut' }),
        code: C.RELATION_INVALID,
      },
    ],
  },
  setFriendApplicationRead: { request: () => ({}), attempts: [], none: 'the caller’s own list' },
  getFriendGroupList: { request: () => ({}), attempts: [], none: 'the caller’s own list' },
  createFriendGroup: {
    request: () => ({ name: 'g' }),
    attempts: [
      {
        kind: 'e',
        who: 'carol',
        what: 'create a friend group with a name over 30 bytes',
        data: () => ({ name: 'x'.repeat(31) }),
        code: C.INVALID_PARAMETER,
      },
    ],
  },
  deleteFriendGroup: {
    request: () => ({ name: 'g' }),
    attempts: [
      {
        kind: 'e',
        who: 'carol',
        what: 'delete a friend group she does not have',
        data: () => ({ name: 'g' }),
        code: C.RELATION_INVALID,
      },
    ],
  },
  addToFriendGroup: {
    request: (w) => ({ name: 'g', userIDList: [w.alice.userID] }),
    attempts: [
      {
        kind: 'e',
        who: 'carol',
        what: 'add to a friend group she does not have',
        data: (w) => ({ name: 'g', userIDList: [w.alice.userID] }),
        code: C.RELATION_INVALID,
      },
    ],
  },
  removeFromFriendGroup: {
    request: (w) => ({ name: 'g', userIDList: [w.alice.userID] }),
    attempts: [
      {
        kind: 'e',
        who: 'carol',
        what: 'remove from a friend group she does not have',
        data: (w) => ({ name: 'g', userIDList: [w.alice.userID] }),
        code: C.RELATION_INVALID,
      },
    ],
  },
  renameFriendGroup: {
    request: () => ({ oldName: 'g', newName: 'h' }),
    attempts: [
      {
        kind: 'e',
        who: 'carol',
        what: 'rename a friend group she does not have',
        data: () => ({ oldName: 'g', newName: 'h' }),
        code: C.RELATION_INVALID,
      },
    ],
  },
  getBlacklist: { request: () => ({}), attempts: [], none: 'the caller’s own list' },
  addToBlacklist: {
    request: (w) => ({ userIDList: [w.alice.userID] }),
    attempts: [
      {
        kind: 'e',
        who: 'carol',
        what: 'block herself',
        data: (w) => ({ userIDList: [w.carol.userID] }),
        code: C.RELATION_INVALID,
      },
      {
        kind: 'e',
        who: 'carol',
        what: 'block a user that does not exist',
        data: () => ({ userIDList: ['nobody_at_all'] }),
        code: C.RELATION_ACCOUNT_NOT_FOUND,
      },
    ],
  },
  removeFromBlacklist: {
    request: (w) => ({ userIDList: [w.alice.userID] }),
    attempts: [],
    none: 'the caller’s own list',
  },
  followUser: {
    request: (w) => ({ userIDList: [w.alice.userID] }),
    attempts: [
      {
        kind: 'e',
        who: 'carol',
        what: 'follow more than 20 users in one call',
        data: (w) => ({ userIDList: Array.from({ length: 21 }, () => w.alice.userID) }),
        code: C.INVALID_PARAMETER,
      },
    ],
  },
  unfollowUser: {
    request: (w) => ({ userIDList: [w.alice.userID] }),
    attempts: [],
    none: 'the caller’s own following list',
  },
  getMyFollowersList: { request: () => ({}), attempts: [], none: 'the caller’s own list' },
  getMyFollowingList: { request: () => ({}), attempts: [], none: 'the caller’s own list' },
  getMutualFollowersList: { request: () => ({}), attempts: [], none: 'the caller’s own list' },
  getUserFollowInfo: {
    request: () => ({}),
    attempts: [],
    none: 'follow counts are public (Tencent: getUserFollowInfo)',
  },
  checkFollowType: {
    request: (w) => ({ userIDList: [w.alice.userID] }),
    attempts: [],
    none: 'answers the caller’s own relations only',
  },
};

// ---------------------------------------------------------------------------------------------

let w: World;

async function send(client: TestClient, data: unknown): Promise<Message> {
  return (await client.request<{ message: Message }>('sendMessage', data)).message;
}

async function setUp(server: RunningServer): Promise<World> {
  const [alice, bob, dave, carol] = await Promise.all(
    ['alice', 'bob', 'dave', 'carol'].map((p) => connectClient(server, uid(p))),
  );
  const carolTab = await connectClient(server, carol.userID, { instanceID: carol.instanceID });
  const id = (p: string) => `authz_${p}_${randomBytes(4).toString('hex')}`;
  const [W, P, M] = [id('work'), id('public'), id('meeting')];
  await alice.request('createGroup', {
    name: 'work',
    type: 'Private',
    groupID: W,
    memberList: [{ userID: bob.userID }, { userID: dave.userID }],
  });
  await alice.request('createGroup', {
    name: 'public',
    type: 'Public',
    groupID: P,
    memberList: [{ userID: bob.userID }],
  });
  await alice.request('createGroup', { name: 'meeting', type: 'ChatRoom', groupID: M });

  const rich = { needReadReceipt: true, isSupportExtension: true };
  // Edited once: the change stream (syncChanges) holds it.
  const edit = async (conversationID: string, m: Message, text: string): Promise<Message> =>
    (
      await alice.request<{ message: Message }>('modifyMessage', {
        conversationID,
        messageID: m.ID,
        version: m.version,
        payload: { text },
      })
    ).message;
  const c2cText = await edit(
    `C2C${bob.userID}`,
    await send(alice, textMessage(bob.userID, 'c2c secret', rich)),
    'c2c secret, edited',
  );
  const c2cFromBob = await send(bob, textMessage(alice.userID, 'c2c reply'));
  const wText = await send(alice, groupText(W, 'work secret', rich));
  const wFromBob = await send(bob, groupText(W, 'from bob', { needReadReceipt: true }));
  const wMerger = await send(
    alice,
    groupText(W, '', {
      type: 'TIMRelayElem',
      payload: {
        title: 'history',
        abstractList: ['a: x'],
        compatibleText: 'merged',
        messageList: Array.from({ length: 20 }, (_, i) => ({
          type: 'TIMTextElem',
          payload: { text: `${i} ${'x'.repeat(1000)}` },
        })),
      },
    }),
  );
  const downloadKey = (wMerger.payload as { downloadKey: string }).downloadKey;
  assert.ok(downloadKey, 'the merged list is stored apart');
  const wTargeted = await edit(
    `GROUP${W}`,
    await send(
      alice,
      groupText(W, 'only for bob', { receiverList: [bob.userID], isSupportExtension: true }),
    ),
    'only for bob, edited',
  );
  const pText = await send(alice, groupText(P, 'public text'));
  const pPinned = await send(alice, groupText(P, 'public pinned'));
  await alice.request('setGroupMemberMuteTime', { groupID: P, userID: bob.userID, muteTime: 3600 });

  for (const [conversationID, m] of [
    [`C2C${alice.userID}`, c2cText],
    [`GROUP${W}`, wText],
    [`GROUP${W}`, wTargeted],
  ] as const) {
    await bob.request('addMessageReaction', {
      conversationID,
      messageID: m.ID,
      reactionID: 'like',
    });
  }
  for (const [conversationID, m] of [
    [`C2C${bob.userID}`, c2cText],
    [`GROUP${W}`, wText],
    [`GROUP${W}`, wTargeted],
  ] as const) {
    await alice.request('setMessageExtensions', {
      conversationID,
      messageID: m.ID,
      extensionList: [{ key: 'k', value: 'v' }],
    });
  }
  await bob.request('sendMessageReadReceipt', {
    conversationID: `GROUP${W}`,
    messageIDList: [wText.ID],
  });
  await alice.request('pinGroupMessage', { groupID: W, messageID: wText.ID, isPinned: true });
  await alice.request('pinGroupMessage', { groupID: P, messageID: pPinned.ID, isPinned: true });
  await sleep(100); // let the setup's pushes arrive before counting
  return {
    server,
    alice,
    bob,
    dave,
    carol,
    carolTab,
    W,
    P,
    M,
    missing: id('missing'),
    c2cText,
    c2cFromBob,
    wText,
    wFromBob,
    wMerger,
    downloadKey,
    wTargeted,
    pText,
    pPinned,
  };
}

/** Everything an attempt could change, read by the users who may read it. */
async function snapshot(): Promise<unknown> {
  const { alice, bob, dave, carolTab } = w;
  const users = [alice, bob, dave, carolTab];
  const list = (c: TestClient, conversationID: string) =>
    c.request('getMessageList', { conversationID, count: 15 });
  const ids = (...m: Message[]) => m.map((x) => x.ID);
  return {
    history: {
      aliceC2C: await list(alice, conv.bob(w)),
      bobC2C: await list(bob, conv.alice(w)),
      aliceW: await list(alice, conv.W(w)),
      bobW: await list(bob, conv.W(w)),
      daveW: await list(dave, conv.W(w)),
      aliceP: await list(alice, conv.P(w)),
      bobP: await list(bob, conv.P(w)),
    },
    conversations: await Promise.all(users.map((c) => c.request('getConversationList'))),
    groups: await Promise.all(users.map((c) => c.request('getGroupList'))),
    members: await Promise.all(
      [w.W, w.P, w.M].map((groupID) => alice.request('getGroupMemberList', { groupID })),
    ),
    groupProfiles: await Promise.all(
      [w.W, w.P, w.M].map((groupID) => alice.request('getGroupProfile', { groupID })),
    ),
    profiles: await alice.request('getUserProfile', {
      userIDList: users.map((c) => c.userID),
    }),
    receiveOpts: await Promise.all(users.map((c) => c.request('getAllReceiveMessageOpt'))),
    reactions: [
      await alice.request('getMessageReactions', {
        conversationID: conv.bob(w),
        messageIDList: ids(w.c2cText),
      }),
      await alice.request('getMessageReactions', {
        conversationID: conv.W(w),
        messageIDList: ids(w.wText, w.wFromBob, w.wTargeted),
      }),
    ],
    extensions: await Promise.all(
      (
        [
          [conv.bob(w), w.c2cText],
          [conv.W(w), w.wText],
          [conv.W(w), w.wTargeted],
        ] as const
      ).map(([conversationID, m]) =>
        alice.request('getMessageExtensions', { conversationID, messageID: m.ID }),
      ),
    ),
    receipts: [
      await alice.request('getMessageReadReceiptList', {
        conversationID: conv.bob(w),
        messageIDList: ids(w.c2cText),
      }),
      await alice.request('getMessageReadReceiptList', {
        conversationID: conv.W(w),
        messageIDList: ids(w.wText),
      }),
      await bob.request('getMessageReadReceiptList', {
        conversationID: conv.W(w),
        messageIDList: ids(w.wFromBob),
      }),
    ],
    pinned: await Promise.all(
      [w.W, w.P].map((groupID) => alice.request('getPinnedGroupMessageList', { groupID })),
    ),
    merged: await alice.request('downloadMergerMessage', { downloadKey: w.downloadKey }),

    // [issue 4: conversations]
    conversationGroups: await Promise.all(users.map((c) => c.request('getConversationGroupList'))),

    // [issue 5: groups]
    groupCounters: await Promise.all(
      [w.W, w.P].map((groupID) => alice.request('getGroupCounters', { groupID })),
    ),
    groupApplications: await alice.request('getGroupApplicationList'),
    memberProfiles: await alice.request('getGroupMemberProfile', {
      groupID: w.W,
      userIDList: users.map((c) => c.userID),
    }),

    // [issue 6: users and relationships]
    relations: await Promise.all(
      [alice, bob, dave, carolTab].map(async (c) => [
        await c.request('getFriendList'),
        await c.request('getFriendApplicationList'),
        await c.request('getFriendGroupList'),
        await c.request('getBlacklist'),
        await c.request('getUserFollowInfo'),
      ]),
    ),
    status: await alice.request('getUserStatus', {
      userIDList: [alice, bob, dave, carolTab].map((c) => c.userID),
    }),
  };
}

const isPushFrame = (f: ServerFrame) => 'push' in f;
const pushCount = () =>
  [w.alice, w.bob, w.dave, w.carol, w.carolTab].map((c) => c.frames.filter(isPushFrame).length);

/** The world as read at the start of the current test (so one failure does not cascade). */
let baseline: unknown;

/** Nothing changed: the world reads the same and nobody got a push. */
async function assertUnchanged(label: string, pushesBefore: number[]): Promise<void> {
  assert.deepEqual(await snapshot(), baseline, `${label}: the state changed`);
  assert.deepEqual(pushCount(), pushesBefore, `${label}: a push was sent`);
}

const clients = (): Record<Who, TestClient> => ({ carol: w.carol, bob: w.bob, dave: w.dave });

describe('authorization matrix', () => {
  before(async () => {
    w = await setUp(await startTestServer());
  });
  beforeEach(async () => {
    if (w) baseline = await snapshot();
  });
  after(async () => {
    for (const c of [w.alice, w.bob, w.dave, w.carol, w.carolTab]) await c.close();
    await w.server.close();
  });

  test('every op of OPS has a row, and every row is an op', () => {
    const missing = OPS.filter((op) => !Object.hasOwn(table, op));
    assert.deepEqual(missing, [], `ops without a row in the authorization table: ${missing}`);
    const extra = Object.keys(table).filter((op) => !OPS.includes(op as Op));
    assert.deepEqual(extra, [], 'rows for ops that do not exist');
    for (const op of OPS) {
      const row = table[op];
      assert.ok(
        row.attempts.length > 0 || row.none,
        `${op}: give attempts or say why none applies`,
      );
      assert.ok(row.request || op === 'login', `${op}: give the request of (a) and (b)`);
    }
  });

  test('(a) every op but login from a socket that has not logged in: 6014, nothing changes', async () => {
    let socket: TestClient | null = null;
    let frames = 0;
    for (const op of OPS) {
      const row = table[op];
      if (!row.request) continue;
      if (!socket || frames >= 15) {
        await socket?.close();
        socket = await connectClient(w.server, 'anonymous', { login: false });
        frames = 0;
      }
      const pushes = pushCount();
      frames++;
      await assert.rejects(socket.request(op, row.request(w)), { code: C.NOT_LOGGED_IN }, op);
      await assertUnchanged(`(a) ${op}`, pushes);
    }
    await socket?.close();
  });

  const otherApp = 1400000000 + 123457;
  const badSigs: {
    name: string;
    login: () => Record<string, unknown>;
    code: number;
    close: number;
  }[] = [
    {
      name: 'forged (wrong secret key)',
      login: () => ({
        userSig: genUserSig({
          SDKAppID: w.server.app.SDKAppID,
          secretKey: randomBytes(32).toString('hex'),
          userID: w.bob.userID,
        }),
      }),
      code: C.USER_SIG_MISMATCH,
      close: CloseCode.AUTH_FAILED,
    },
    {
      name: 'expired',
      login: () => ({
        userSig: genUserSig({
          SDKAppID: w.server.app.SDKAppID,
          secretKey: w.server.app.secretKey,
          userID: w.bob.userID,
          time: Math.floor(Date.now() / 1000) - 3600,
          expire: 60,
        }),
      }),
      code: C.USER_SIG_EXPIRED,
      close: CloseCode.USER_SIG_EXPIRED,
    },
    {
      name: 'of another app, presented to this app',
      login: () => ({
        userSig: genUserSig({
          SDKAppID: otherApp,
          secretKey: randomBytes(32).toString('hex'),
          userID: w.bob.userID,
        }),
      }),
      code: C.USER_SIG_APP_MISMATCH,
      close: CloseCode.AUTH_FAILED,
    },
    {
      name: 'of another app, with that app’s SDKAppID',
      login: () => ({
        SDKAppID: otherApp,
        userSig: genUserSig({
          SDKAppID: otherApp,
          secretKey: randomBytes(32).toString('hex'),
          userID: w.bob.userID,
        }),
      }),
      code: C.APP_NOT_FOUND,
      close: CloseCode.AUTH_FAILED,
    },
  ];

  for (const sig of badSigs) {
    test(`(b) login as bob with a UserSig ${sig.name}: ${sig.code}, every op after it refused`, async () => {
      const ops = OPS.filter((op) => table[op].request);
      for (let i = 0; i < ops.length; i += 14) {
        const chunk = ops.slice(i, i + 14);
        const pushes = pushCount();
        const socket = await connectClient(w.server, w.bob.userID, { login: false });
        const loginID = 1_000_000 + i;
        const sent = new Map<number, Op>();
        socket.sendRaw(
          JSON.stringify({
            id: loginID,
            op: 'login',
            data: {
              SDKAppID: w.server.app.SDKAppID,
              userID: w.bob.userID,
              instanceID: 'forged-instance',
              protocol: PROTOCOL_VERSION,
              ...sig.login(),
            },
          }),
        );
        chunk.forEach((op, k) => {
          const id = loginID + 1 + k;
          sent.set(id, op);
          socket.sendRaw(JSON.stringify({ id, op, data: table[op].request!(w) }));
        });
        assert.equal((await socket.closed).code, sig.close);
        const answers = socket.frames.filter((f) => 'id' in f) as { id: number; code: number }[];
        const login = answers.find((f) => f.id === loginID);
        assert.equal(login?.code, sig.code);
        for (const f of answers) {
          if (f.id === loginID) continue;
          assert.equal(f.code, C.NOT_LOGGED_IN, `${sent.get(f.id)} after a failed login`);
        }
        assert.equal(socket.frames.filter(isPushFrame).length, 0);
        await assertUnchanged(`(b) ${sig.name}: ${chunk.join(', ')}`, pushes);
      }
    });
  }

  for (const op of OPS) {
    const row = table[op];
    if (row.attempts.length === 0) continue;
    test(`${op}: ${row.attempts.map((a) => `(${a.kind})`).join(' ')}`, async () => {
      for (const attempt of row.attempts) {
        const label = `${op} (${attempt.kind}) ${attempt.what}`;
        const pushes = pushCount();
        const request = clients()[attempt.who].request(op, attempt.data(w));
        if (attempt.code !== undefined) {
          await assert.rejects(request, { code: attempt.code }, label);
        } else {
          const result = JSON.stringify(await request);
          for (const secret of attempt.secrets!(w)) {
            assert.ok(!result.includes(`"${secret}"`), `${label}: the answer contains ${secret}`);
          }
        }
        await assertUnchanged(label, pushes);
      }
    });
  }
});
