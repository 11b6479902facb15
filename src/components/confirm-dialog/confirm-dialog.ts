import { html } from 'lit';
import { query, state } from 'lit/decorators.js';
import { ImSubElement } from '../base/sub-element.js';
import { DialogController } from '../controllers/dialog-controller.js';
import { confirmDialogStyles } from './confirm-dialog.styles.js';

export interface ConfirmOptions {
  heading: string;
  message: string;
  confirmLabel?: string;
}

/**
 * @tagname im-confirm-dialog
 * @summary A modal yes/no question (delete confirmations).
 *
 * `ask({heading, message, confirmLabel})` opens it with Cancel focused and resolves true when
 * confirmed, false on Cancel, Escape or close.
 *
 * @csspart dialog - The dialog.
 * @csspart dialog-header - Title row.
 * @csspart dialog-title - The heading.
 * @csspart dialog-body - The message.
 * @csspart dialog-footer - The buttons.
 * @csspart cancel-button - Cancel.
 * @csspart confirm-button - Confirm.
 */
export class ImConfirmDialog extends ImSubElement {
  static override styles = confirmDialogStyles;

  @state() private options: ConfirmOptions = { heading: '', message: '' };
  @query('dialog') private dialog?: HTMLDialogElement;

  private resolve: ((ok: boolean) => void) | null = null;
  private answer = false;

  private readonly modal = new DialogController(this, {
    dialog: () => this.dialog,
    onClose: () => {
      const resolve = this.resolve;
      this.resolve = null;
      resolve?.(this.answer);
    },
  });

  get isOpen(): boolean {
    return this.modal.isOpen;
  }

  ask(options: ConfirmOptions): Promise<boolean> {
    this.resolve?.(false);
    this.options = options;
    this.answer = false;
    const done = new Promise<boolean>((resolve) => (this.resolve = resolve));
    void this.modal.open();
    return done;
  }

  private finish(answer: boolean): void {
    this.answer = answer;
    this.modal.close();
  }

  override render() {
    return html`<dialog
      part="dialog"
      role="alertdialog"
      aria-labelledby="title"
      aria-describedby="message"
      @close=${this.modal.onClose}
    >
      <div part="dialog-header">
        <h2 part="dialog-title" id="title">${this.options.heading}</h2>
      </div>
      <p part="dialog-body" id="message">${this.options.message}</p>
      <div part="dialog-footer">
        <button part="cancel-button" type="button" autofocus @click=${() => this.finish(false)}>
          Cancel
        </button>
        <button part="confirm-button" type="button" @click=${() => this.finish(true)}>
          ${this.options.confirmLabel ?? 'OK'}
        </button>
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-confirm-dialog': ImConfirmDialog;
  }
}
