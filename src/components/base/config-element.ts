import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { ClientConfig } from '../client-source.js';

/**
 * The four attributes that configure a client standalone. Shared by `<im-provider>` and every
 * element (which uses them only when no provider is above it).
 */
export class ImConfigElement extends LitElement {
  /** Base URL of the IM server (default: the origin the script was loaded from). */
  @property({ reflect: true }) server?: string;
  /** SDKAppID of the application. */
  @property({ attribute: 'app-id', type: Number, reflect: true }) appId?: number;
  /** The user to log in as. */
  @property({ attribute: 'user-id', reflect: true }) userId?: string;
  /** The UserSig for `user-id`, issued by the site's own backend. */
  @property({ attribute: 'user-sig', reflect: true }) userSig?: string;

  /** The configuration from the attributes, or null while one is missing. */
  clientConfig(): ClientConfig | null {
    const SDKAppID = Number(this.appId);
    if (!SDKAppID || !this.userId || !this.userSig) return null;
    return {
      ...(this.server ? { server: this.server } : {}),
      SDKAppID,
      userID: this.userId,
      userSig: this.userSig,
    };
  }
}
