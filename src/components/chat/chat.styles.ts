import { css } from 'lit';
import { themeStyles } from '../base/theme.styles.js';

export const chatStyles = [
  themeStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 240px;
      overflow: hidden;
    }
    [part~='base'] {
      position: relative;
      display: flex;
      flex-direction: column;
      flex: 1;
      min-height: 0;
    }
    [part~='header'] {
      display: flex;
      flex-direction: column;
      padding: var(--_im-space) calc(var(--_im-space) * 1.5);
      border-bottom: 1px solid var(--_im-border);
    }
    [part~='title'] {
      font-weight: 600;
      font-size: 1.1em;
    }
    [part~='subtitle'] {
      color: var(--_im-muted);
      font-size: 0.85em;
    }
    [part~='pinned-bar'] {
      display: flex;
      align-items: center;
      gap: calc(var(--_im-space) * 0.75);
      padding: calc(var(--_im-space) * 0.5) calc(var(--_im-space) * 1.5);
      background: var(--_im-selected);
      border-bottom: 1px solid var(--_im-border);
      font-size: 0.9em;
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
    [part~='messages'] {
      flex: 1;
      min-height: 0;
      overflow-y: auto;
      overflow-anchor: none;
      padding: var(--_im-space) calc(var(--_im-space) * 1.5);
      display: flex;
      flex-direction: column;
      gap: calc(var(--_im-space) * 0.5);
    }
    [part~='messages'] > .spacer {
      flex: none;
    }
    [part~='messages']:focus-visible {
      outline-offset: -2px;
    }
    [part~='loading'],
    [part~='empty'] {
      padding: var(--_im-space);
      text-align: center;
      color: var(--_im-muted);
      font-size: 0.9em;
    }
    [part~='day-separator'],
    [part~='notice'] {
      align-self: center;
      color: var(--_im-muted);
      font-size: 0.8em;
      padding: calc(var(--_im-space) * 0.5) 0;
      text-align: center;
    }
    [part~='tombstone'] {
      font-style: italic;
    }
    [part~='message'] {
      max-width: min(80%, 44em);
    }
    [part~='message-out'] {
      align-self: flex-end;
    }
    [part~='message-in'] {
      align-self: flex-start;
    }
    [part~='typing'] {
      padding: 0 calc(var(--_im-space) * 1.5);
      color: var(--_im-muted);
      font-size: 0.8em;
      font-style: italic;
      min-height: 0;
    }
    [part~='typing']:empty,
    [part~='toast']:empty {
      display: none;
    }
    [part~='toast'] {
      align-self: center;
      margin: 0 0 4px;
      padding: 2px 12px;
      border-radius: 999px;
      background: var(--_im-text);
      color: var(--_im-bg);
      font-size: 0.85em;
    }
    [part~='selection-bar'] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_im-space);
      padding: var(--_im-space) calc(var(--_im-space) * 1.5);
      border-top: 1px solid var(--_im-border);
    }
    [part~='selection-count'] {
      flex: 1;
      color: var(--_im-muted);
    }
    [part~='delete-button'] {
      color: var(--_im-danger);
    }
    [part~='drop-overlay'] {
      position: absolute;
      inset: 0;
      display: flex;
      align-items: center;
      justify-content: center;
      background: color-mix(in srgb, var(--_im-bg) 80%, transparent);
      border: 2px dashed var(--_im-primary);
      border-radius: var(--_im-radius);
      color: var(--_im-primary);
      font-weight: 600;
      pointer-events: none;
    }
  `,
];
