import { css } from 'lit';
import { dialogStyles } from '../base/dialog.styles.js';
import { themeStyles } from '../base/theme.styles.js';

export const mergerDialogStyles = [
  themeStyles,
  dialogStyles,
  css`
    :host {
      display: contents;
    }
    [part~='list'] {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: var(--_im-space);
    }
    [part~='item'] {
      display: flex;
      flex-direction: column;
      gap: 2px;
      padding-bottom: var(--_im-space);
      border-bottom: 1px solid var(--_im-border);
    }
    [part~='item-header'] {
      display: flex;
      gap: var(--_im-space);
      color: var(--_im-muted);
      font-size: 0.85em;
    }
    [part~='item-sender'] {
      font-weight: 600;
      color: var(--_im-text);
    }
    [part~='item-body'] {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    [part~='back-button'] {
      padding: 2px 10px;
    }
  `,
];
