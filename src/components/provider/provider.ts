import { ContextProvider } from '@lit/context';
import { html } from 'lit';
import type { ChatClient, IMEvent } from '../../core/client-types.js';
import { EVENT } from '../../protocol/constants.js';
import { ImConfigElement } from '../base/config-element.js';
import { imClientContext } from '../context.js';
import { ClientController } from '../controllers/client-controller.js';
import { ClientEventsController } from '../controllers/client-events-controller.js';
import { ImErrorEvent, ImReadyEvent, toErrorDetail } from '../events.js';
import { providerStyles } from './provider.styles.js';

/**
 * @tagname im-provider
 * @summary Logs in once from its attributes and provides the client to every IM element inside it.
 *
 * Descendant elements (`<im-conversation-list>`, `<im-chat>`, `<im-group-panel>`) take the client
 * from the nearest provider through @lit/context and ignore their own `server` / `app-id` /
 * `user-id` / `user-sig`. The provider renders only its children (`display: contents`).
 *
 * @attr server - Base URL of the IM server (default: the origin `im.js` was loaded from).
 * @attr app-id - SDKAppID of the application.
 * @attr user-id - The user to log in as.
 * @attr user-sig - The UserSig for `user-id`, from the site's own backend.
 *
 * @slot - The IM elements (and any other content) that share this client.
 *
 * @event im-ready - The client is logged in and ready. `detail: {client, userID}`.
 * @event im-error - Getting the client or logging in failed, or the session was kicked out.
 *   `detail: {code, message}`.
 */
export class ImProvider extends ImConfigElement {
  static override styles = providerStyles;

  private readonly context = new ContextProvider(this, { context: imClientContext });

  private readonly clients = new ClientController(this, {
    consume: false,
    onError: (error) => this.dispatchEvent(new ImErrorEvent(error)),
  });

  private readyFired: ChatClient | null = null;

  constructor() {
    super();
    new ClientEventsController(this, this.clients, {
      [EVENT.SDK_READY]: () => this.fireReady(),
      [EVENT.SDK_NOT_READY]: () => {
        this.readyFired = null;
      },
      [EVENT.ERROR]: (event: IMEvent) =>
        this.dispatchEvent(new ImErrorEvent(toErrorDetail(event.data))),
      [EVENT.KICKED_OUT]: (event: IMEvent<{ type?: string }>) =>
        this.dispatchEvent(
          new ImErrorEvent({
            code: 0,
            message: `Kicked out: ${event.data?.type ?? 'unknown reason'}`,
          }),
        ),
    });
    this.clients.onChange((client) => {
      this.context.setValue(client ? { client, userID: this.clients.userID } : undefined);
      if (client && client.isReady()) this.fireReady();
    });
  }

  /** The shared client, once resolved (for page scripts: `provider.client.on(...)`). */
  get client(): ChatClient | null {
    return this.clients.client;
  }

  private fireReady(): void {
    const client = this.clients.client;
    if (!client || this.readyFired === client) return;
    this.readyFired = client;
    this.dispatchEvent(new ImReadyEvent({ client, userID: this.clients.userID }));
  }

  override render() {
    return html`<slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-provider': ImProvider;
  }
}
