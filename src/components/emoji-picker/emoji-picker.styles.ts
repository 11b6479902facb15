import { css } from 'lit';
import { themeStyles } from '../base/theme.styles.js';

export const emojiPickerStyles = [
  themeStyles,
  css`
    :host {
      display: contents;
    }
    [part~='panel'] {
      position: fixed;
      inset: auto;
      margin: 0;
      padding: 6px;
      border: 1px solid var(--_im-border);
      border-radius: var(--_im-radius);
      background: var(--_im-bg);
      color: var(--_im-text);
      box-shadow: 0 8px 24px rgb(0 0 0 / 0.2);
    }
    [part~='grid'] {
      display: grid;
      grid-template-columns: repeat(8, 2.25rem);
      gap: 2px;
    }
    [part~='emoji'] {
      width: 2.25rem;
      height: 2.25rem;
      padding: 0;
      border: 0;
      background: transparent;
      font-size: 1.3em;
      line-height: 1;
    }
    [part~='emoji']:hover,
    [part~='emoji']:focus-visible {
      background: var(--_im-selected);
    }
  `,
];
