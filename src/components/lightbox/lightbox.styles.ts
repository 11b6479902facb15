import { css } from 'lit';
import { dialogStyles } from '../base/dialog.styles.js';
import { themeStyles } from '../base/theme.styles.js';

export const lightboxStyles = [
  themeStyles,
  dialogStyles,
  css`
    :host {
      display: contents;
    }
    dialog {
      width: auto;
      max-width: calc(100vw - 2rem);
      max-height: calc(100vh - 2rem);
      background: var(--_im-bg);
    }
    [part~='dialog-body'] {
      display: flex;
      align-items: center;
      justify-content: center;
      padding: var(--_im-space);
    }
    [part~='image'] {
      display: block;
      max-width: calc(100vw - 4rem);
      max-height: calc(100vh - 8rem);
      width: auto;
      height: auto;
      object-fit: contain;
    }
    [part~='original-link'] {
      color: var(--_im-primary);
    }
  `,
];
