import type { Kit } from './kit.js';

export const contactListStyles = ({ css, themeStyles }: Kit, statusStyles: unknown) => [
  themeStyles,
  statusStyles as ReturnType<Kit['css']>,
  css`
    :host {
      display: block;
      overflow: hidden;
    }
    [part~='base'] {
      display: flex;
      flex-direction: column;
      height: 100%;
      background: var(--_im-bg);
      color: var(--_im-text);
    }
    .bar {
      display: flex;
      align-items: center;
      gap: var(--_im-space);
      padding: var(--_im-space);
      border-bottom: 1px solid var(--_im-border);
    }
    [part~='tabs'] {
      flex: 1;
      display: flex;
      gap: calc(var(--_im-space) * 0.5);
      flex-wrap: wrap;
    }
    [part~='tab'] {
      background: transparent;
      border-color: transparent;
    }
    [part~='tab'][aria-selected='true'] {
      background: var(--_im-selected);
      font-weight: 600;
    }
    [part~='tab-badge'] {
      display: inline-block;
      min-width: 18px;
      padding: 0 5px;
      border-radius: 9px;
      background: var(--_im-badge);
      color: var(--_im-on-badge);
      font-size: 0.8em;
      line-height: 18px;
      text-align: center;
    }
    [part~='panel'] {
      flex: 1;
      overflow-y: auto;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    [part~='group-heading'] {
      margin: 0;
      padding: calc(var(--_im-space) * 0.75) calc(var(--_im-space) * 1.5);
      font-size: 0.85em;
      font-weight: 600;
      color: var(--_im-muted);
      background: var(--_im-surface);
    }
    .muted {
      font-weight: normal;
    }
    .row {
      display: flex;
      align-items: center;
      gap: calc(var(--_im-space) * 1.25);
      width: 100%;
      padding: var(--_im-space) calc(var(--_im-space) * 1.5);
      border: 0;
      border-bottom: 1px solid var(--_im-border);
      border-radius: 0;
      background: transparent;
      text-align: start;
      color: inherit;
    }
    button.row:hover {
      background: var(--_im-surface);
    }
    .body {
      flex: 1;
      min-width: 0;
      display: flex;
      flex-direction: column;
      gap: 2px;
    }
    [part~='name'],
    [part~='detail'] {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    [part~='name'] {
      font-weight: 600;
    }
    [part~='detail'] {
      color: var(--_im-muted);
      font-size: 0.9em;
    }
  `,
];
