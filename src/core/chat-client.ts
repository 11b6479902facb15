/**
 * Entry points that hand out clients:
 *
 * - `create({SDKAppID, server?})`: Tencent's `TencentCloudChat.create`, one instance per
 *   (SDKAppID, server) in the page. `server` defaults to the origin this script was loaded from.
 * - `getClient({server?, SDKAppID, userID, userSig})`: the page registry for the elements, one
 *   shared, logged-in-once client per (server, SDKAppID, userID), whatever number of elements carry
 *   the same attributes. It returns the client at once and starts its login (`client.loginPromise`);
 *   a failed login emits EVENT.ERROR `{code, message}` on the client and the next call retries; a new
 *   userSig for the same user logs in again with it (the engine verifies it with the server).
 */
import { ChatClientImpl, destroyHooks, normalizeServer, type ChatCreateOptions } from './client.js';
import { invalidParameters } from './errors.js';
import type { SpawnOptions } from './spawn.js';

export { ChatClientImpl, normalizeServer, TAB_ID, type ChatCreateOptions } from './client.js';

export function defaultServer(): string {
  return new URL(import.meta.url).origin;
}

function appID(value: unknown): number {
  const SDKAppID = Number(value);
  if (!Number.isInteger(SDKAppID) || SDKAppID <= 0)
    throw invalidParameters('SDKAppID must be a positive integer');
  return SDKAppID;
}

const instances = new Map<string, ChatClientImpl>();

/** `IMChat.create({SDKAppID, server?})`: the same instance for the same (SDKAppID, server). */
export function create(options: ChatCreateOptions): ChatClientImpl {
  const SDKAppID = appID(options?.SDKAppID);
  const server = normalizeServer(options.server || defaultServer());
  const key = `${server}|${SDKAppID}`;
  let client = instances.get(key);
  if (!client || client.isDestroyed) {
    const { workerURL, bridgeURL, mode, rpcTimeoutMs } = options;
    client = new ChatClientImpl(SDKAppID, server, { workerURL, bridgeURL, mode, rpcTimeoutMs });
    instances.set(key, client);
  }
  return client;
}

export interface ClientConfig {
  /** Base URL of the IM server; defaults to the origin the script was loaded from. */
  server?: string;
  SDKAppID: number;
  userID: string;
  userSig: string;
}

export type ClientOptions = SpawnOptions & { rpcTimeoutMs?: number };

const shared = new Map<string, ChatClientImpl>();
let registryDefaults: ClientOptions = {};

/** Spawn options for clients the registry creates from now on (tests point it at the TS worker). */
export function configureClients(options: ClientOptions): void {
  registryDefaults = { ...options };
}

export function getClient(
  config: ClientConfig,
  options: ClientOptions = registryDefaults,
): ChatClientImpl {
  const SDKAppID = appID(config?.SDKAppID);
  if (typeof config.userID !== 'string' || !config.userID)
    throw invalidParameters('userID is required');
  const server = normalizeServer(config.server || defaultServer());
  const key = `${server}|${SDKAppID}|${config.userID}`;
  let client = shared.get(key);
  if (!client || client.isDestroyed) {
    // The page's `IMChat.create()` instance serves the elements too when it is free or already
    // this user's, so a page script and the elements see one client and one event stream.
    const primaryKey = `${server}|${SDKAppID}`;
    const primary = instances.get(primaryKey);
    const owner = primary && !primary.isDestroyed ? primary.claimedUser : undefined;
    if (primary && !primary.isDestroyed && (owner === '' || owner === config.userID)) {
      client = primary;
    } else {
      client = new ChatClientImpl(SDKAppID, server, options);
      if (!primary || primary.isDestroyed) instances.set(primaryKey, client);
    }
    shared.set(key, client);
  }
  if (config.userSig)
    client.ensureLogin({ userID: config.userID, userSig: config.userSig }).catch(() => undefined);
  return client;
}

/** Forget and destroy the shared client of this user (e.g. when the page no longer needs it). */
export async function releaseClient(config: Omit<ClientConfig, 'userSig'>): Promise<void> {
  const server = normalizeServer(config.server || defaultServer());
  const key = `${server}|${appID(config.SDKAppID)}|${config.userID}`;
  const client = shared.get(key);
  shared.delete(key);
  await client?.destroy();
}

destroyHooks.add((client) => {
  for (const map of [instances, shared]) {
    for (const [key, value] of map) if (value === client) map.delete(key);
  }
});
