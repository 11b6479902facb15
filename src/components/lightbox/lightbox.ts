import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ImSubElement } from '../base/sub-element.js';
import { DialogController } from '../controllers/dialog-controller.js';
import { lightboxStyles } from './lightbox.styles.js';

export interface LightboxImage {
  src: string;
  alt: string;
  width?: number;
  height?: number;
  /** The original rendition, offered as a link when it differs from `src`. */
  original?: string;
}

/**
 * @tagname im-lightbox
 * @summary A modal dialog showing one image large.
 *
 * `show({src, alt, width, height, original})` opens it; Escape, the close button or a click on
 * the backdrop closes it, and focus returns to what opened it.
 *
 * @csspart dialog - The dialog.
 * @csspart dialog-header - Title row.
 * @csspart dialog-title - "Image".
 * @csspart dialog-close - The close button.
 * @csspart dialog-body - Holds the image.
 * @csspart image - The image.
 * @csspart original-link - Link to the original rendition.
 */
export class ImLightbox extends ImSubElement {
  static override styles = lightboxStyles;

  /** Dialog title. */
  @property() label = 'Image';

  @state() private image: LightboxImage | null = null;
  @query('dialog') private dialog?: HTMLDialogElement;

  private readonly modal = new DialogController(this, {
    dialog: () => this.dialog,
    onClose: () => {
      this.image = null;
    },
  });

  get isOpen(): boolean {
    return this.modal.isOpen;
  }

  async show(image: LightboxImage): Promise<void> {
    this.image = image;
    await this.modal.open();
  }

  close(): void {
    this.modal.close();
  }

  override render() {
    const image = this.image;
    return html`<dialog
      part="dialog"
      aria-labelledby="title"
      @close=${this.modal.onClose}
      @click=${this.modal.onClick}
    >
      <div part="dialog-header">
        <h2 part="dialog-title" id="title">${this.label}</h2>
        ${
          image?.original && image.original !== image.src
            ? html`<a part="original-link" href=${image.original} target="_blank" rel="noopener"
                >Open original</a
              >`
            : nothing
        }
        <button part="dialog-close" type="button" aria-label="Close" @click=${this.close}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div part="dialog-body">
        ${
          image
            ? html`<img
                part="image"
                src=${image.src}
                alt=${image.alt}
                width=${image.width || nothing}
                height=${image.height || nothing}
              />`
            : nothing
        }
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-lightbox': ImLightbox;
  }
}
