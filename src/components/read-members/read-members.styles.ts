import { css } from 'lit';
import { dialogStyles } from '../base/dialog.styles.js';
import { themeStyles } from '../base/theme.styles.js';

export const readMembersStyles = [
  themeStyles,
  dialogStyles,
  css`
    :host {
      display: contents;
    }
    [part~='section'] + [part~='section'] {
      margin-top: var(--_im-space);
    }
    [part~='section-title'] {
      margin: 0 0 4px;
      font-size: 0.95em;
      font-weight: 600;
    }
    [part~='list'] {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    [part~='member'] {
      padding: 4px 0;
      overflow-wrap: anywhere;
    }
    [part~='more-button'] {
      margin-top: 4px;
      padding: 2px 10px;
    }
  `,
];
