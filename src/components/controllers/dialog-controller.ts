/**
 * Opens the host's `<dialog>` as a modal and puts focus back where it was when it closes (Escape,
 * the close button, a click on the backdrop, or `close()`), even across shadow roots.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { deepActiveElement } from '../base/message-utils.js';

export class DialogController implements ReactiveController {
  private returnTo: HTMLElement | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: {
      dialog: () => HTMLDialogElement | null | undefined;
      onClose?: () => void;
    },
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.options.dialog()?.close();
  }

  get isOpen(): boolean {
    return Boolean(this.options.dialog()?.open);
  }

  /** Show the dialog (after the next render, so its content is there). */
  async open(): Promise<void> {
    const active = deepActiveElement();
    await this.host.updateComplete;
    const dialog = this.options.dialog();
    if (!dialog) return;
    if (!dialog.open) {
      this.returnTo = active;
      dialog.showModal();
    }
  }

  close(): void {
    const dialog = this.options.dialog();
    if (dialog?.open) dialog.close();
  }

  /** Bind to the dialog's `close` event. */
  readonly onClose = (): void => {
    const target = this.returnTo;
    this.returnTo = null;
    this.options.onClose?.();
    if (target?.isConnected) target.focus();
  };

  /** Bind to the dialog's `click` event: a click on the backdrop (the dialog itself) closes it. */
  readonly onClick = (event: MouseEvent): void => {
    const dialog = this.options.dialog();
    if (!dialog || event.target !== dialog) return;
    const r = dialog.getBoundingClientRect();
    const inside =
      event.clientX >= r.left &&
      event.clientX <= r.right &&
      event.clientY >= r.top &&
      event.clientY <= r.bottom;
    if (!inside) dialog.close();
  };
}
