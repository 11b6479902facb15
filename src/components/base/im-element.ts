import { property } from 'lit/decorators.js';
import type { ChatClient, IMEvent } from '../../core/client-types.js';
import { EVENT } from '../../protocol/constants.js';
import { ClientController } from '../controllers/client-controller.js';
import { ClientEventsController } from '../controllers/client-events-controller.js';
import { ImErrorEvent, toErrorDetail } from '../events.js';
import { ImConfigElement } from './config-element.js';

/**
 * Base of the data elements: resolves the client (provider context first, else the element's own
 * attributes), exposes it, and calls `clientChanged()` once per connection and on every change.
 */
export class ImElement extends ImConfigElement {
  /** `light` or `dark`; unset follows `prefers-color-scheme`. */
  @property({ reflect: true }) theme?: 'light' | 'dark';

  protected readonly clients: ClientController = new ClientController(this, {
    onError: (error) => this.dispatchEvent(new ImErrorEvent(error)),
  });

  constructor() {
    super();
    this.clients.onChange((client) => this.clientChanged(client));
    // Standalone, the element reports its own client's failures (a failed login, for one);
    // inside a provider, the provider reports them once.
    new ClientEventsController(this, this.clients, {
      [EVENT.ERROR]: (event: IMEvent) => {
        if (this.clients.source === 'attributes') this.fail(event.data);
      },
    });
  }

  /** The client this element uses, once resolved. */
  get client(): ChatClient | null {
    return this.clients.client;
  }

  /** The logged-in user of that client. */
  protected get loginUser(): string {
    return this.clients.userID;
  }

  /** Called with the client on connect and whenever it changes; load data here. */
  protected clientChanged(_client: ChatClient | null): void {}

  /** Report a failure as an `im-error` event. */
  protected fail(error: unknown): void {
    this.dispatchEvent(new ImErrorEvent(toErrorDetail(error)));
  }
}
