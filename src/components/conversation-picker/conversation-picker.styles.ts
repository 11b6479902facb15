import { css } from 'lit';
import { dialogStyles } from '../base/dialog.styles.js';
import { themeStyles } from '../base/theme.styles.js';

export const conversationPickerStyles = [
  themeStyles,
  dialogStyles,
  css`
    :host {
      display: contents;
    }
    [part~='search'] {
      width: 100%;
      font: inherit;
      color: var(--_im-text);
      background: var(--_im-bg);
      border: 1px solid var(--_im-border);
      border-radius: calc(var(--_im-radius) * 0.8);
      padding: calc(var(--_im-space) * 0.75) var(--_im-space);
      margin-bottom: var(--_im-space);
    }
    [part~='list'] {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    [part~='option'] {
      display: flex;
      align-items: center;
      gap: var(--_im-space);
      padding: 6px 4px;
      border-radius: calc(var(--_im-radius) * 0.6);
      cursor: pointer;
    }
    [part~='option']:hover {
      background: var(--_im-selected);
    }
    [part~='option'] input {
      margin: 0;
      accent-color: var(--_im-primary);
    }
    .avatar {
      --_im-avatar: 28px;
    }
    [part~='option-name'] {
      overflow-wrap: anywhere;
    }
  `,
];
