/**
 * An element whose view (state, templates, styles) is a chunk of its own, loaded on first
 * connection: the element in the initial script is a thin shell (attributes, properties, events),
 * which keeps the script a page loads before its first paint small.
 */
import type { ChatClient } from '../../core/client-types.js';
import type { ClientController } from '../controllers/client-controller.js';
import { ImElement } from './im-element.js';

/** What the shell asks of its view. */
export interface LazyView {
  clientChanged(client: ChatClient | null): void;
  load(): Promise<void>;
  render(): unknown;
}

export abstract class LazyViewElement<V extends LazyView = LazyView> extends ImElement {
  protected view: V | null = null;
  private viewLoad: Promise<void> | null = null;

  /** Import the view's chunk and build the view for this element. */
  protected abstract loadView(): Promise<V>;

  /** @internal The client controller, for the lazily loaded view. */
  get clientController(): ClientController {
    return this.clients;
  }

  /** @internal Reports a failure as `im-error` (the view's errors). */
  report(error: unknown): void {
    this.fail(error);
  }

  /**
   * Resolves once the element's view (loaded on first connection) is in place, or its loading
   * failed (reported as `im-error`; the next connection tries again).
   */
  get viewReady(): Promise<void> {
    return (this.viewLoad ??= this.loadView().then(
      (view) => {
        this.view ??= view;
        this.requestUpdate();
      },
      (error: unknown) => {
        // The chunk did not load (offline, deployment changed): report it, try again next time.
        this.viewLoad = null;
        this.fail(error);
      },
    ));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.viewReady;
  }

  protected override clientChanged(client: ChatClient | null): void {
    this.view?.clientChanged(client);
  }

  /** Reload from the client. */
  async load(): Promise<void> {
    await this.viewReady;
    await this.view?.load();
  }
}
