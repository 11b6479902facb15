/**
 * Helpers for tests against the real IM server web-test-runner starts (test/helpers/browser-env.ts):
 * clients whose engine runs from the TypeScript worker source, event recorders, polling.
 */
import { ChatClientImpl } from '../../src/core/client.js';
import type { SpawnMode } from '../../src/core/spawn.js';
import type { IMEvent } from '../../src/core/client-types.js';
import { EVENT } from '../../src/protocol/constants.js';
import type { Message } from '../../src/protocol/types.js';
import { LIFECYCLE_EVENT } from '../../src/core/internal-events.js';
import { devUserSig, testEnv, uniqueUser } from '../helpers/browser-env.js';

export const WORKER_URL = new URL('../../src/worker/shared-worker.ts', import.meta.url);

const clients: ChatClientImpl[] = [];

export function newClient(mode: SpawnMode = 'auto', server = testEnv.server): ChatClientImpl {
  const client = new ChatClientImpl(testEnv.SDKAppID, server, { workerURL: WORKER_URL, mode });
  clients.push(client);
  return client;
}

/** Destroy every client the helpers made (call in afterEach). */
export async function destroyAll(): Promise<void> {
  const list = clients.splice(0);
  await Promise.all(list.map((c) => c.destroy()));
}

/** Every public event and the internal ones the client passes on. */
export const ALL_EVENTS: string[] = [
  ...Object.values(EVENT),
  'im:messageSent',
  ...Object.values(LIFECYCLE_EVENT),
];

export class Recorder {
  readonly events: IMEvent[] = [];
  constructor(client: ChatClientImpl, names: string[] = ALL_EVENTS) {
    for (const name of names) client.on(name, (e) => this.events.push(e));
  }
  of<T = unknown>(name: string): T[] {
    return this.events.filter((e) => e.name === name).map((e) => e.data as T);
  }
  count(name: string): number {
    return this.of(name).length;
  }
  /** Messages of a message-list event (MESSAGE_RECEIVED, MESSAGE_REVOKED, ...), flattened. */
  messages(name: string = EVENT.MESSAGE_RECEIVED): Message[] {
    return this.of<Message[]>(name).flat();
  }
  /** Wait until a message with this ID came with that event; resolves with it. */
  async message(ID: string, name: string = EVENT.MESSAGE_RECEIVED): Promise<Message> {
    await waitFor(() => this.messages(name).some((m) => m.ID === ID), `${name} ${ID}`);
    return this.messages(name).find((m) => m.ID === ID)!;
  }
}

export async function waitFor(
  check: () => boolean,
  message = 'condition',
  timeoutMs = 8000,
): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${message}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface LiveUser {
  client: ChatClientImpl;
  userID: string;
  userSig: string;
  rec: Recorder;
}

/** A new user, logged in and ready (SDK_READY seen). */
export async function readyUser(
  prefix = 'u',
  mode: SpawnMode = 'auto',
  userID = uniqueUser(prefix),
): Promise<LiveUser> {
  const userSig = await devUserSig(userID);
  const client = newClient(mode);
  const rec = new Recorder(client);
  await client.login({ userID, userSig });
  await waitFor(() => client.isReady(), `${userID} ready`);
  return { client, userID, userSig, rec };
}

/** Another tab of the same user: a second client on the same engine. */
export async function secondTab(user: LiveUser, mode: SpawnMode = 'auto'): Promise<LiveUser> {
  const client = newClient(mode);
  const rec = new Recorder(client);
  const res = await client.login({ userID: user.userID, userSig: user.userSig });
  if (!res.data.repeatLogin) throw new Error('expected the second tab to share the engine');
  await waitFor(() => client.isReady(), `${user.userID} second tab ready`);
  return { client, userID: user.userID, userSig: user.userSig, rec };
}

export async function rejection(
  promise: Promise<unknown> | (() => unknown),
): Promise<{ code: number; message: string }> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    return err as { code: number; message: string };
  }
  throw new Error('expected a rejection');
}

export { testEnv, devUserSig, uniqueUser };
