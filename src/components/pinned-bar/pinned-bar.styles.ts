import { css } from 'lit';
import { themeStyles } from '../base/theme.styles.js';

export const pinnedBarStyles = [
  themeStyles,
  css`
    :host {
      display: block;
      background: var(--_im-selected);
      border-bottom: 1px solid var(--_im-border);
      font-size: 0.9em;
    }
    [part~='bar'] {
      display: flex;
      align-items: center;
      gap: calc(var(--_im-space) * 0.75);
      padding: calc(var(--_im-space) * 0.5) calc(var(--_im-space) * 1.5);
    }
    [part~='pinned-icon'] {
      display: flex;
      color: var(--_im-primary);
    }
    [part~='pinned-message'] {
      flex: 1;
      min-width: 0;
      display: flex;
      gap: var(--_im-space);
      padding: 2px 4px;
      border: 0;
      background: transparent;
      text-align: start;
    }
    [part~='pinned-count'] {
      color: var(--_im-muted);
    }
    [part~='pinned-text'] {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    [part~='pinned-next'],
    [part~='unpin-button'] {
      padding: 0 8px;
    }
  `,
];
