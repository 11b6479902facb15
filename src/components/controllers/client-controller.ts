/**
 * Resolves the ChatClient an element talks to:
 *
 * 1. from the nearest `<im-provider>` through @lit/context (wins when present), else
 * 2. standalone, from the host's own `server` / `app-id` / `user-id` / `user-sig` attributes
 *    through client-source (one shared client per configuration).
 *
 * Listeners registered with `onChange()` hear about the client once per connection and on every
 * change, so an element can (re)load and (re)subscribe in one place.
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient } from '../../core/client-types.js';
import { clientFor, configKey, type ClientConfig } from '../client-source.js';
import { imClientContext, type ImClientContextValue } from '../context.js';
import { toErrorDetail, type ImErrorDetail } from '../events.js';

export interface ClientControllerHost extends ReactiveControllerHost, HTMLElement {
  /** The standalone configuration from the host's attributes, or null when incomplete. */
  clientConfig(): ClientConfig | null;
}

export interface ClientControllerOptions {
  /** Look for a provider through context (false for the provider itself). Default true. */
  consume?: boolean;
  onError?: (error: ImErrorDetail) => void;
}

export type ClientSource = 'none' | 'context' | 'attributes';
export type ClientListener = (client: ChatClient | null) => void;

export class ClientController implements ReactiveController {
  client: ChatClient | null = null;
  userID = '';
  source: ClientSource = 'none';

  private readonly host: ClientControllerHost;
  private readonly onError?: (error: ImErrorDetail) => void;
  private readonly listeners = new Set<ClientListener>();
  private connected = false;
  private providerFound = false;
  private announced: ChatClient | null = null;
  private standaloneKey = '';
  private token = 0;

  constructor(host: ClientControllerHost, options: ClientControllerOptions = {}) {
    this.host = host;
    this.onError = options.onError;
    if (options.consume !== false) {
      // Added before this controller, so its request is answered before our hostConnected runs.
      new ContextConsumer(host, {
        context: imClientContext,
        subscribe: true,
        callback: (value) => this.fromContext(value),
      });
    }
    host.addController(this);
  }

  /** Listen for client changes; returns the unsubscribe function. */
  onChange(listener: ClientListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  hostConnected(): void {
    this.connected = true;
    if (!this.providerFound) {
      if (this.source === 'context') this.set(null, '', 'none');
      this.resolveStandalone();
    }
    this.announce();
  }

  hostUpdate(): void {
    // Attributes may have changed since the last update.
    if (this.connected && !this.providerFound) this.resolveStandalone();
  }

  hostDisconnected(): void {
    this.connected = false;
    // The context consumer unsubscribes on disconnect; a reconnect asks again.
    this.providerFound = false;
    this.announced = null;
  }

  private fromContext(value: ImClientContextValue | undefined): void {
    this.providerFound = true;
    this.standaloneKey = '';
    this.token++;
    this.set(value?.client ?? null, value?.userID ?? '', 'context');
  }

  private resolveStandalone(): void {
    const config = this.host.clientConfig();
    const key = configKey(config);
    if (key === this.standaloneKey) return;
    this.standaloneKey = key;
    const token = ++this.token;
    if (!config) {
      if (this.source === 'attributes') this.set(null, '', 'none');
      return;
    }
    clientFor(config).then(
      (client) => {
        if (token === this.token) this.set(client, config.userID, 'attributes');
      },
      (error: unknown) => {
        if (token !== this.token) return;
        this.set(null, '', 'none');
        this.onError?.(toErrorDetail(error));
      },
    );
  }

  private set(client: ChatClient | null, userID: string, source: ClientSource): void {
    const changed = client !== this.client || userID !== this.userID;
    this.client = client;
    this.userID = client ? userID || safeLoginUser(client) : '';
    this.source = client ? source : source === 'context' ? 'context' : 'none';
    if (changed) this.host.requestUpdate();
    if (this.connected) this.announce();
  }

  private announce(): void {
    if (this.announced === this.client) return;
    this.announced = this.client;
    for (const listener of [...this.listeners]) listener(this.client);
  }
}

function safeLoginUser(client: ChatClient): string {
  try {
    return client.getLoginUser();
  } catch {
    return '';
  }
}
