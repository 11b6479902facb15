import { css } from 'lit';
import { themeStyles } from '../base/theme.styles.js';

export const messageActionsStyles = [
  themeStyles,
  css`
    :host {
      display: inline-block;
      background: transparent;
    }
    [part~='menu-button'] {
      padding: 0 8px;
      line-height: 1.6;
      font-size: 1.1em;
      background: var(--_im-bg);
    }
    [part~='menu'] {
      position: fixed;
      inset: auto;
      margin: 0;
      min-width: 11rem;
      max-height: min(22rem, calc(100vh - 16px));
      overflow: auto;
      padding: 4px;
      border: 1px solid var(--_im-border);
      border-radius: var(--_im-radius);
      background: var(--_im-bg);
      color: var(--_im-text);
      box-shadow: 0 8px 24px rgb(0 0 0 / 0.2);
      flex-direction: column;
    }
    [part~='menu']:popover-open,
    [part~='menu'].open {
      display: flex;
    }
    [part~='menu-item'] {
      display: block;
      width: 100%;
      text-align: start;
      border: 0;
      border-radius: calc(var(--_im-radius) * 0.6);
      background: transparent;
      padding: 6px 10px;
    }
    [part~='menu-item']:hover,
    [part~='menu-item']:focus-visible {
      background: var(--_im-selected);
      outline-offset: -2px;
    }
    [part~='menu-item-danger'] {
      color: var(--_im-danger);
    }
  `,
];
