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
    :host {
      position: relative;
    }
    [part~='list'] {
      flex: 1;
      min-height: 0;
      overflow-y: auto;
      margin: 0;
      padding: 0;
    }
    /* Virtualized: the spacer has the height of every row; rendered rows sit at their offset. */
    .spacer {
      position: relative;
    }
    [part~='item'] {
      position: absolute;
      top: 0;
      left: 0;
      right: 0;
      height: var(--_im-row-height, 64px);
      box-sizing: border-box;
      display: flex;
      gap: calc(var(--_im-space) * 1.25);
      align-items: center;
      padding: 0 calc(var(--_im-space) * 1.5);
      cursor: pointer;
      border-bottom: 1px solid var(--_im-border);
    }
    [part~='search'] {
      margin: var(--_im-space);
      padding: calc(var(--_im-space) * 0.75) var(--_im-space);
      border: 1px solid var(--_im-border);
      border-radius: var(--_im-radius);
      background: var(--_im-bg);
      color: var(--_im-text);
      font: inherit;
    }
    [part~='tabs'] {
      display: flex;
      gap: calc(var(--_im-space) * 0.5);
      padding: 0 var(--_im-space) var(--_im-space);
      overflow-x: auto;
      border-bottom: 1px solid var(--_im-border);
    }
    [part~='tab'] {
      flex: none;
      padding: 2px 10px;
      border: 1px solid var(--_im-border);
      border-radius: 999px;
      background: none;
      color: var(--_im-text);
      font: inherit;
      font-size: 0.85em;
      cursor: pointer;
    }
    [part~='tab-selected'] {
      border: 2px solid var(--_im-primary);
      font-weight: 600;
    }
    .avatar-wrap {
      position: relative;
      flex: none;
    }
    [part~='status'] {
      position: absolute;
      right: 0;
      bottom: 0;
      width: 10px;
      height: 10px;
      border-radius: 50%;
      border: 2px solid var(--_im-bg);
      background: var(--_im-muted);
    }
    [part~='status-online'] {
      background: var(--im-color-online, #1e8e3e);
    }
    [part~='at'],
    [part~='draft'] {
      color: var(--_im-badge);
    }
    [part~='pin'],
    [part~='muted'] {
      flex: none;
      font-size: 0.8em;
    }
    [part~='dot'] {
      flex: none;
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: var(--_im-badge);
    }
    [part~='menu'] {
      position: absolute;
      z-index: 10;
      display: flex;
      flex-direction: column;
      min-width: 180px;
      padding: 4px 0;
      background: var(--_im-bg);
      color: var(--_im-text);
      border: 1px solid var(--_im-border);
      border-radius: var(--_im-radius);
      box-shadow: 0 4px 16px rgb(0 0 0 / 20%);
    }
    [part~='menu-item'] {
      padding: 6px 14px;
      border: 0;
      background: none;
      color: inherit;
      font: inherit;
      text-align: left;
      cursor: pointer;
    }
    [part~='menu-item']:hover,
    [part~='menu-item']:focus-visible {
      background: var(--_im-surface);
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
