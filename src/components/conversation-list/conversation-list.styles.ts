import { css } from 'lit';
import { themeStyles } from '../base/theme.styles.js';

export const conversationListStyles = [
  themeStyles,
  css`
    :host {
      display: block;
      overflow: hidden;
    }
    [part~='base'] {
      display: flex;
      flex-direction: column;
      height: 100%;
    }
    [part~='banner'] {
      padding: calc(var(--_im-space) * 0.75) calc(var(--_im-space) * 1.5);
      background: var(--_im-banner);
      color: var(--_im-text);
      border-bottom: 1px solid var(--_im-border);
      font-size: 0.9em;
    }
    /* Kept in the tree (a live region must exist before it speaks), collapsed while connected. */
    [part~='banner'].idle {
      padding: 0;
      border: 0;
    }
    [part~='list'] {
      flex: 1;
      overflow-y: auto;
      margin: 0;
      padding: 0;
    }
    [part~='item'] {
      display: flex;
      gap: calc(var(--_im-space) * 1.25);
      align-items: center;
      padding: var(--_im-space) calc(var(--_im-space) * 1.5);
      cursor: pointer;
      border-bottom: 1px solid var(--_im-border);
      /* Cheap virtualization: rows off screen skip layout and paint. */
      content-visibility: auto;
      contain-intrinsic-size: auto 60px;
    }
    [part~='item']:hover {
      background: var(--_im-surface);
    }
    [part~='item'][aria-selected='true'] {
      background: var(--_im-selected);
    }
    [part~='item']:focus-visible {
      outline-offset: -2px;
    }
    [part~='item-body'] {
      flex: 1;
      min-width: 0;
      display: flex;
      flex-direction: column;
      gap: 2px;
    }
    .row {
      display: flex;
      align-items: baseline;
      gap: var(--_im-space);
      min-width: 0;
    }
    [part~='name'],
    [part~='preview'] {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    [part~='name'] {
      font-weight: 600;
    }
    [part~='preview'],
    [part~='time'] {
      color: var(--_im-muted);
      font-size: 0.9em;
    }
    [part~='time'] {
      flex: none;
    }
    [part~='badge'] {
      flex: none;
      min-width: 20px;
      height: 20px;
      padding: 0 6px;
      border-radius: 10px;
      background: var(--_im-badge);
      color: var(--_im-on-badge);
      font-size: 0.8em;
      font-weight: 600;
      line-height: 20px;
      text-align: center;
    }
  `,
];
