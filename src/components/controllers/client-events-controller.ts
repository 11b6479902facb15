/**
 * Subscribes handlers to the client's events while the host is connected, and moves them when the
 * client changes: `client.on(name, handler)` on connect, `client.off(...)` on disconnect.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient, IMEventHandler } from '../../core/client-types.js';
import type { ClientController } from './client-controller.js';

export type ClientEventHandlers = Record<string, IMEventHandler>;

export class ClientEventsController implements ReactiveController {
  private subscribed: ChatClient | null = null;
  private connected = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly clients: ClientController,
    private readonly handlers: ClientEventHandlers,
  ) {
    host.addController(this);
    clients.onChange((client) => {
      if (this.connected) this.attach(client);
    });
  }

  hostConnected(): void {
    this.connected = true;
    this.attach(this.clients.client);
  }

  hostDisconnected(): void {
    this.connected = false;
    this.attach(null);
  }

  private attach(client: ChatClient | null): void {
    if (client === this.subscribed) return;
    const previous = this.subscribed;
    if (previous) {
      for (const [name, handler] of Object.entries(this.handlers)) previous.off(name, handler);
    }
    this.subscribed = client;
    if (client) {
      for (const [name, handler] of Object.entries(this.handlers)) client.on(name, handler);
    }
  }
}
