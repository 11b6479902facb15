/**
 * Tab <-> worker RPC over a MessagePort: `{id, kind, method, payload}` envelopes.
 *
 * - request:  tab -> worker, `payload` is the method's argument; `id` > 0, unique per port.
 * - response: worker -> tab, same `id`; `payload` is `{ok: true, value}` or `{ok: false, error}`.
 * - event:    worker -> tab, `id` 0; `method` is an EVENT value or an internal event name below.
 *
 * Errors cross as data `{code, message, data?}`. The first request on a port is `attach`.
 */
import type { NetState } from './constants.js';

export type RpcKind = 'request' | 'response' | 'event';

export interface RpcEnvelope {
  id: number;
  kind: RpcKind;
  method: string;
  payload: unknown;
}

export interface RpcErrorData {
  code: number;
  message: string;
  data?: unknown;
}

export type RpcResult = { ok: true; value: unknown } | { ok: false; error: RpcErrorData };

/** What the worker engine is set up with; one engine per (server, SDKAppID, userID). */
export interface EngineConfig {
  /** Base URL of the IM server, e.g. `http://127.0.0.1:8080`. */
  server: string;
  SDKAppID: number;
  userID: string;
}

/** Sent by the tab as the payload of `attach`. */
export interface AttachRequest {
  rpc: number;
  tabID: string;
  config: EngineConfig;
  /** Name of a Web Lock the tab holds while it lives; the worker waits on it to notice the tab died. */
  lockName?: string;
}

/**
 * The worker's answer to `login`: `repeatLogin` when the engine was already logged in as that user;
 * `engineLock` names a Web Lock the engine holds while it lives, so the tab can notice a worker
 * restart and log in again (core/engine-watch.ts). Absent where Web Locks are not available.
 */
export interface LoginAnswer {
  repeatLogin: boolean;
  engineLock?: string | null;
}

/** Mirrored state the worker pushes to each tab (event `state`) so sync getters work in the tab. */
export interface EngineState {
  userID: string;
  tinyID: number;
  /** true between SDK_READY and SDK_NOT_READY. */
  ready: boolean;
  /** true once login() was accepted (credentials known); the cache is served from then on. */
  loggedIn: boolean;
  netState: NetState;
  totalUnreadCount: number;
  /** Offset to add to Date.now()/1000 to get server time. */
  serverTimeOffset: number;
}

/** Internal event names (not part of the public EVENT table). */
export const INTERNAL_EVENT = {
  STATE: 'im:state',
  /**
   * `{message}`: a message this browser sends, told to every tab but the ones waiting on its send
   * (they get the result). `message.status` says where it is: `'unSend'` (waiting in the outbox for
   * the connection), `'success'` (the server stored it) or `'fail'` (the server refused it).
   */
  MESSAGE_SENT: 'im:messageSent',
  /** A C2C peer's typing status: `{conversationID, userID, typing}`. */
  TYPING: 'im:typing',
  /** Messages this user deleted for themselves in another tab: `{conversationID, messageIDList}`. */
  MESSAGES_DELETED: 'im:messagesDeleted',
  /** This user cleared a conversation's history (here or elsewhere): `{conversationID}`. */
  HISTORY_CLEARED: 'im:historyCleared',
} as const;

export function isEnvelope(value: unknown): value is RpcEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.id === 'number' &&
    (e.kind === 'request' || e.kind === 'response' || e.kind === 'event') &&
    typeof e.method === 'string'
  );
}
