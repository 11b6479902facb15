import { css } from 'lit';
import { dialogStyles } from '../base/dialog.styles.js';
import { themeStyles } from '../base/theme.styles.js';

export const confirmDialogStyles = [
  themeStyles,
  dialogStyles,
  css`
    :host {
      display: contents;
    }
    dialog {
      width: min(22rem, calc(100vw - 2rem));
    }
    [part~='confirm-button'] {
      background: var(--_im-danger);
      border-color: var(--_im-danger);
      color: var(--_im-bg);
    }
  `,
];
