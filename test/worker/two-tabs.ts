/**
 * Two tabs (two RPC ports) of one engine against a scripted server (fake socket): the setup of the
 * engine lifecycle suites, and builders of messages and conversations.
 */
import { EVENT } from '../../src/protocol/constants.js';
import { MESSAGE_DEFAULTS, type Conversation, type Message } from '../../src/protocol/types.js';
import { RpcClient } from '../../src/core/rpc-client.js';
import { Host } from '../../src/worker/host.js';
import { socketFactory, until, type FakeSocket } from './fake-socket.js';

const SERVER = 'http://lifecycle.test';
const APP = 1400000002;

export interface Tab {
  rpc: RpcClient;
  events: { name: string; data: any }[];
  of: (name: string) => any[];
}

export function tab(host: Host): Tab {
  const channel = new MessageChannel();
  host.connect(channel.port2);
  const rpc = new RpcClient(channel.port1);
  const events: { name: string; data: any }[] = [];
  rpc.onEvent((name, data) => events.push({ name, data }));
  return { rpc, events, of: (name) => events.filter((e) => e.name === name).map((e) => e.data) };
}

export function message(me: string, seq: number, over: Partial<Message> = {}): Message {
  const from = over.from ?? 'peer';
  const to = over.to ?? (from === me ? 'peer' : me);
  return {
    ...MESSAGE_DEFAULTS,
    ID: `${from}-${seq}`,
    type: 'TIMTextElem',
    payload: { text: `m${seq}` },
    conversationID: `C2C${from === me ? to : from}`,
    conversationType: 'C2C',
    to,
    from,
    flow: from === me ? 'out' : 'in',
    time: 1_700_000_000 + seq,
    sequence: seq,
    clientTime: 1_700_000_000 + seq,
    random: seq,
    ...over,
  };
}

export function conversation(id: string, over: Partial<Conversation> = {}): Conversation {
  return {
    conversationID: id,
    type: id.startsWith('GROUP') ? 'GROUP' : 'C2C',
    unreadCount: 0,
    lastMessage: null,
    groupProfile: null,
    userProfile: null,
    groupAtInfoList: [],
    remark: '',
    isPinned: false,
    messageRemindType: 'AcceptAndNotify',
    markList: [],
    customData: '',
    conversationGroupList: [],
    draftText: '',
    readSequence: 0,
    orderKey: 1,
    ...over,
  };
}

/** One engine, two logged-in tabs, the server's lists answered. */
export async function twoTabs(conversations: Conversation[] = []) {
  const me = `me_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const f = socketFactory();
  const host = new Host({ socketFactory: f.factory, idleMs: 50 });
  const config = { server: SERVER, SDKAppID: APP, userID: me };
  const a = tab(host);
  const b = tab(host);
  await a.rpc.call('attach', { rpc: 1, tabID: 'a', config });
  await b.rpc.call('attach', { rpc: 1, tabID: 'b', config });
  const login = a.rpc.call('login', { userID: me, userSig: 'sig' });
  await until(() => f.sockets.length === 1);
  const s = f.last();
  s.open();
  s.acceptLogin(1);
  await login;
  await until(() => s.ops().includes('getMyProfile'));
  s.answer('getConversationList', { conversationList: conversations });
  s.answer('getGroupList', { groupList: [] });
  s.answer('getMyProfile', { userID: me, nick: '' });
  await until(() => a.of(EVENT.SDK_READY).length === 1);
  await b.rpc.call('login', { userID: me, userSig: 'sig' });
  await until(() => b.of(EVENT.SDK_READY).length === 1);
  const close = () => {
    a.rpc.close();
    b.rpc.close();
  };
  return { me, f, host, s, a, b, config, close };
}

/** Deliver a message push and wait until tab `t` received it. */
export async function deliver(s: FakeSocket, t: Tab, m: Message, cursor: number): Promise<void> {
  const before = t.of(EVENT.MESSAGE_RECEIVED).length;
  s.receive({ push: 'message', cursor, data: m });
  await until(() => t.of(EVENT.MESSAGE_RECEIVED).length > before);
}

export async function answerWhenAsked(s: FakeSocket, op: string, data: unknown = {}, error?: any) {
  await until(() => s.ops().includes(op));
  s.answer(op, data, error);
}

export const lastList = (t: Tab): Conversation[] =>
  t.of(EVENT.CONVERSATION_LIST_UPDATED).at(-1) ?? [];
