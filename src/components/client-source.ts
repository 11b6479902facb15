/**
 * Where elements configured by attributes (`server`, `app-id`, `user-id`, `user-sig`) get their
 * client. `define.ts` (the `im.js` entry) installs the client core's page registry, `getClient`,
 * which hands out one shared, logged-in client per (server, app, user); tests install a fake. Code
 * that registers the classes from `index.ts` itself calls `setClientFactory(getClient)`.
 *
 * Nothing in src/components imports the core. In particular there is no `import()` of it here: a
 * dynamic import would make the bundler split the core into chunks/, and the core finds its
 * worker next to its own module URL.
 */
import type { ChatClient } from '../core/client-types.js';

export interface ClientConfig {
  /** Base URL of the IM server; the core defaults it to the origin the script came from. */
  server?: string;
  SDKAppID: number;
  userID: string;
  userSig: string;
}

export type ClientFactory = (config: ClientConfig) => ChatClient | Promise<ChatClient>;

const defaultFactory: ClientFactory = () => {
  throw Object.assign(
    new Error('No IM client factory: load im.js (define.ts) or call setClientFactory(getClient)'),
    { code: 6013 },
  );
};

let factory: ClientFactory = defaultFactory;

/** Set how clients are obtained; call with no argument to remove the factory. */
export function setClientFactory(fn?: ClientFactory): void {
  factory = fn ?? defaultFactory;
}

/** The shared client for this configuration. */
export async function clientFor(config: ClientConfig): Promise<ChatClient> {
  return factory(config);
}

/** A stable key for a configuration, used to notice when attributes changed. */
export function configKey(config: ClientConfig | null): string {
  if (!config) return '';
  return JSON.stringify([config.server ?? '', config.SDKAppID, config.userID, config.userSig]);
}
