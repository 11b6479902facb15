/**
 * One socket's protocol: decode, validate each frame once (wire.ts schemas), bounded pre-auth,
 * login, dispatch, kicks. Knows nothing of `ws`: the transport hands it a WireSocket.
 *
 * Frame errors, none of which changes any state or closes the socket:
 * - not JSON -> `{id: 0, code: 10011}`; binary frame -> `{id: 0, code: 10004}`
 * - bad envelope -> `{id (when readable) or 0, code: 10004}`; unknown op -> 10003
 * - invalid data -> 10004 with the validation message; any op but login before login -> 6014
 * - more than MAX_QUEUED requests waiting -> 10006
 * Frames over LIMITS.frameBytes never reach this layer: ws closes the socket with 1009.
 *
 * Requests of one socket run one after the other, so a client's sends commit in its order.
 */
import { ErrorCode, CloseCode } from '../protocol/codes.js';
import { TYPES } from '../protocol/constants.js';
import {
  schemas,
  parseOp,
  requestEnvelope,
  type Op,
  type OpData,
  type PushFrame,
} from '../protocol/wire.js';
import * as v from 'valibot';
import type { Bus, Presence } from './bus/types.js';
import { ImError, toImError } from './errors.js';
import { runHandler, type Services, type SessionOp } from './handlers.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { Caller } from './services/deps.js';
import type { Session, SessionRegistry } from './sessions.js';

/** What the connection needs from a socket. */
export interface WireSocket {
  readonly id: string;
  send(text: string): void;
  close(code: number, reason: string): void;
  readonly isOpen: boolean;
}

export interface ConnectionDeps {
  services: Services;
  sessions: SessionRegistry;
  presence: Presence;
  bus: Bus;
  metrics: Metrics;
  log: Logger;
  loginTimeoutMs: number;
}

/** Frames a socket may send before its login has been accepted. */
export const MAX_PRE_AUTH_FRAMES = 16;
/** Requests of one socket waiting to run. */
export const MAX_QUEUED = 256;
/** setTimeout's limit; longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Request {
  id: number;
  op: Op;
  data: unknown;
}

function authCloseCode(code: number): number {
  if (code === ErrorCode.PROTOCOL_UNSUPPORTED) return CloseCode.PROTOCOL_UNSUPPORTED;
  if (code === ErrorCode.USER_SIG_EXPIRED) return CloseCode.USER_SIG_EXPIRED;
  return CloseCode.AUTH_FAILED;
}

/** Push frames already serialized, by frame object (pushes are never changed once published). */
const serializedPushes = new WeakMap<object, string>();

export class Connection implements Session {
  private caller: Caller | null = null;
  private closed = false;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private preAuthFrames = 0;
  private loginTimer: NodeJS.Timeout | null;
  private expiryTimer: NodeJS.Timeout | null = null;
  /** This socket logged out (user status: unlogined rather than offline). */
  private loggedOut = false;

  constructor(
    private readonly socket: WireSocket,
    private readonly deps: ConnectionDeps,
  ) {
    this.loginTimer = setTimeout(
      () => this.close(CloseCode.LOGIN_TIMEOUT, 'login timeout'),
      deps.loginTimeoutMs,
    );
  }

  get connID(): string {
    return this.socket.id;
  }
  get app(): number {
    return this.caller?.app ?? 0;
  }
  get userID(): string {
    return this.caller?.userID ?? '';
  }
  get instanceID(): string {
    return this.caller?.instanceID ?? '';
  }

  private send(frame: object): void {
    if (!this.closed && this.socket.isOpen) this.socket.send(JSON.stringify(frame));
  }

  private sendError(id: number, code: number, message: string, data?: unknown): void {
    this.deps.metrics.frameErrors++;
    this.send(data === undefined ? { id, code, message } : { id, code, message, data });
  }

  push(frame: PushFrame): void {
    if (this.closed || !this.socket.isOpen) return;
    // One frame object pushed to many sockets (a group message) is serialized once.
    let text = serializedPushes.get(frame);
    if (text === undefined) serializedPushes.set(frame, (text = JSON.stringify(frame)));
    this.socket.send(text);
  }

  kick(type: string): void {
    this.send({ push: 'kicked', data: { type } });
    this.close(
      type === TYPES.KICKED_OUT_USERSIG_EXPIRED ? CloseCode.USER_SIG_EXPIRED : CloseCode.KICKED_OUT,
      `kicked: ${type}`,
    );
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.socket.close(code, reason);
  }

  onBinary(): void {
    this.deps.metrics.frames++;
    this.sendError(
      0,
      ErrorCode.INVALID_PARAMETER,
      'binary frames are not supported; send JSON text',
    );
  }

  onText(text: string): void {
    if (this.closed) return;
    this.deps.metrics.frames++;
    if (!this.caller && ++this.preAuthFrames > MAX_PRE_AUTH_FRAMES) {
      this.close(CloseCode.PROTOCOL_ERROR, 'too many frames before login');
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.sendError(0, ErrorCode.JSON_PARSE_FAILED, 'frame is not valid JSON');
      return;
    }
    const envelope = v.safeParse(requestEnvelope, raw);
    if (!envelope.success) {
      const rawID = (raw as { id?: unknown } | null)?.id;
      const id = typeof rawID === 'number' && Number.isInteger(rawID) && rawID > 0 ? rawID : 0;
      this.sendError(id, ErrorCode.INVALID_PARAMETER, `bad frame: ${envelope.issues[0].message}`);
      return;
    }
    const { id, op, data } = envelope.output;
    if (!Object.prototype.hasOwnProperty.call(schemas, op)) {
      this.sendError(id, ErrorCode.INVALID_COMMAND, `unknown op ${op}`);
      return;
    }
    if (this.queued >= MAX_QUEUED) {
      this.sendError(id, ErrorCode.RATE_LIMITED, 'too many requests in flight');
      return;
    }
    this.queued++;
    this.queue = this.queue
      .then(() => this.handle({ id, op: op as Op, data }))
      .catch((err: unknown) => this.deps.log.error('request failed', { err, op }))
      .finally(() => this.queued--);
  }

  private async handle(req: Request): Promise<void> {
    if (this.closed) return;
    if (req.op === 'login') return this.login(req);
    const caller = this.caller;
    if (!caller) {
      this.sendError(req.id, ErrorCode.NOT_LOGGED_IN, 'log in first');
      return;
    }
    const parsed = parseOp(req.op, req.data);
    if (!parsed.ok) {
      this.sendError(req.id, ErrorCode.INVALID_PARAMETER, parsed.message);
      return;
    }
    if (req.op === 'logout') {
      this.loggedOut = true;
      this.send({ id: req.id, code: 0, data: {} });
      this.close(CloseCode.LOGGED_OUT, 'logged out');
      return;
    }
    try {
      const op = req.op as SessionOp;
      const result = await runHandler(
        op,
        this.deps.services,
        caller,
        parsed.value as OpData<typeof op>,
      );
      this.send({ id: req.id, code: 0, data: result });
    } catch (err) {
      const error = toImError(err);
      if (!(err instanceof ImError)) this.deps.log.error('handler failed', { op: req.op, err });
      this.sendError(req.id, error.code, error.message, error.data);
    }
  }

  private async login(req: Request): Promise<void> {
    const { services, sessions, presence, bus, log } = this.deps;
    const parsed = parseOp('login', req.data);
    if (!parsed.ok) {
      this.sendError(req.id, ErrorCode.INVALID_PARAMETER, parsed.message);
      return;
    }
    const data = parsed.value;
    if (this.caller) {
      if (this.caller.userID !== data.userID || this.caller.app !== data.SDKAppID) {
        this.sendError(
          req.id,
          ErrorCode.INVALID_PARAMETER,
          'this socket is logged in as another user',
        );
        return;
      }
    }
    let auth;
    try {
      auth = await services.auth.authenticate(data);
    } catch (err) {
      const error = toImError(err);
      if (!(err instanceof ImError)) log.error('login failed', { err });
      this.sendError(req.id, error.code, error.message);
      if (!this.caller) this.close(authCloseCode(error.code), 'login failed');
      return;
    }
    if (this.closed) return;
    if (!this.caller) {
      const caller: Caller = {
        app: auth.app.SDKAppID,
        userID: auth.user.userID,
        instanceID: data.instanceID,
        connID: this.connID,
      };
      this.caller = caller;
      if (this.loginTimer) clearTimeout(this.loginTimer);
      this.loginTimer = null;
      sessions.add(this);
      const evicted = await presence.attach(
        caller.app,
        caller.userID,
        caller.instanceID,
        this.connID,
        auth.maxInstances,
      );
      if (evicted.length > 0) {
        await bus.publish({
          kind: 'kick',
          app: caller.app,
          userID: caller.userID,
          instanceIDs: evicted,
          type: TYPES.KICKED_OUT_MULT_ACCOUNT,
        });
      }
      await services.status
        .connected(caller)
        .catch((err: unknown) => log.error('user status update failed', { err }));
      log.debug('login', {
        userID: caller.userID,
        instanceID: caller.instanceID,
        conn: this.connID,
      });
    }
    this.armExpiry(auth.expireAt);
    this.send({ id: req.id, code: 0, data: await services.auth.loginResult(auth) });
  }

  /** Kicks with userSigExpired when the UserSig's validity ends. */
  private armExpiry(expireAt: number): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    const wait = () => {
      const ms = (expireAt + 1) * 1000 - Date.now();
      if (ms <= 0) {
        this.expiryTimer = null;
        this.kick(TYPES.KICKED_OUT_USERSIG_EXPIRED);
        return;
      }
      this.expiryTimer = setTimeout(wait, Math.min(ms, MAX_TIMER_MS));
    };
    wait();
  }

  /** Called by the transport once the socket is closed, whatever the reason. */
  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.loginTimer) clearTimeout(this.loginTimer);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    const caller = this.caller;
    if (caller) {
      this.deps.sessions.remove(this);
      this.deps.presence
        .detach(caller.app, caller.userID, caller.instanceID, this.connID)
        .then(() => this.deps.services.status.disconnected(caller, this.loggedOut))
        .catch((err: unknown) => this.deps.log.error('presence detach failed', { err }));
    }
  }
}
