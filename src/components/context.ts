/**
 * The one context the elements share: the ChatClient and the logged-in user, provided by
 * `<im-provider>` and consumed by every other element through @lit/context.
 */
import { createContext } from '@lit/context';
import type { ChatClient } from '../core/client-types.js';

export interface ImClientContextValue {
  client: ChatClient;
  /** The user the client is logged in as. */
  userID: string;
}

/**
 * `undefined` while the provider is still resolving its client. The key is a global symbol so a
 * provider and a consumer from two copies of the bundle still find each other.
 */
export const imClientContext = createContext<ImClientContextValue | undefined>(
  Symbol.for('imkit.client-context'),
);
