/**
 * Apps and login: the default app, UserSig verification, first-login registration.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { ErrorCode } from '../../protocol/codes.js';
import { MIN_PROTOCOL_VERSION, PROTOCOL_VERSION } from '../../protocol/version.js';
import type { LoginResult, OpData } from '../../protocol/wire.js';
import { ImError } from '../errors.js';
import type { AppRecord, UserRecord } from '../storage/types.js';
import { verifyUserSig } from '../usersig.js';
import type { ServiceDeps } from './deps.js';

export const DEFAULT_MAX_INSTANCES = 10;

export interface Authenticated {
  app: AppRecord;
  user: UserRecord;
  /** UserSig expiry, seconds. */
  expireAt: number;
  maxInstances: number;
}

export class AuthService {
  constructor(
    private readonly deps: ServiceDeps,
    /** Overrides every app's max_instances when set. */
    private readonly maxInstancesOverride?: number,
  ) {}

  /** The default app, created on first start (random 64-hex secret, SDKAppID 14xxxxxxxx). */
  async ensureDefaultApp(): Promise<{ app: AppRecord; created: boolean }> {
    const { storage } = this.deps;
    const existing = await storage.getDefaultApp();
    if (existing) return { app: existing, created: false };
    for (;;) {
      const SDKAppID = 1400000000 + randomInt(100000000);
      if (await storage.getApp(SDKAppID)) continue;
      await storage.createApp({
        SDKAppID,
        secretKey: randomBytes(32).toString('hex'),
        maxInstances: DEFAULT_MAX_INSTANCES,
        createdAt: this.deps.now(),
      });
      return { app: (await storage.getDefaultApp())!, created: true };
    }
  }

  async authenticate(data: OpData<'login'>): Promise<Authenticated> {
    const { storage } = this.deps;
    if (data.protocol < MIN_PROTOCOL_VERSION || data.protocol > PROTOCOL_VERSION) {
      throw new ImError(
        ErrorCode.PROTOCOL_UNSUPPORTED,
        `protocol ${data.protocol} is not supported (server speaks ${MIN_PROTOCOL_VERSION}..${PROTOCOL_VERSION})`,
      );
    }
    const app = await storage.getApp(data.SDKAppID);
    if (!app) throw new ImError(ErrorCode.APP_NOT_FOUND, `unknown SDKAppID ${data.SDKAppID}`);
    const verified = verifyUserSig({
      userSig: data.userSig,
      SDKAppID: app.SDKAppID,
      secretKey: app.secretKey,
      userID: data.userID,
      now: this.deps.now(),
    });
    if (!verified.ok) throw new ImError(verified.code, verified.message);
    const user = await storage.ensureUser(app.SDKAppID, data.userID, this.deps.now());
    return {
      app,
      user,
      expireAt: verified.expireAt,
      maxInstances: this.maxInstancesOverride ?? app.maxInstances,
    };
  }

  async loginResult(auth: Authenticated): Promise<LoginResult> {
    return {
      userID: auth.user.userID,
      tinyID: auth.user.tinyID,
      serverTime: this.deps.now(),
      cursor: await this.deps.storage.latestCursor(auth.app.SDKAppID, auth.user.userID),
      changeCursor: await this.deps.storage.latestChangeCursor(),
      protocol: PROTOCOL_VERSION,
    };
  }
}
