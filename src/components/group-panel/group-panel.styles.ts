import { css } from 'lit';
import { themeStyles } from '../base/theme.styles.js';

export const groupPanelStyles = [
  themeStyles,
  css`
    :host {
      display: block;
      overflow: auto;
    }
    [part~='base'] {
      display: flex;
      flex-direction: column;
      gap: var(--_im-space);
      padding: calc(var(--_im-space) * 1.5);
    }
    [part~='header'] {
      display: flex;
      align-items: center;
      gap: calc(var(--_im-space) * 1.25);
    }
    .heading {
      display: flex;
      flex-direction: column;
      min-width: 0;
    }
    [part~='name'] {
      font-weight: 600;
      font-size: 1.1em;
      overflow-wrap: anywhere;
    }
    [part~='info'] {
      color: var(--_im-muted);
      font-size: 0.9em;
    }
    [part~='type'] {
      display: inline-block;
      padding: 0 6px;
      margin-right: 6px;
      border: 1px solid var(--_im-border);
      border-radius: 999px;
      color: var(--_im-text);
    }
    [part~='introduction'] {
      margin: 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    [part~='actions'] {
      display: flex;
      gap: var(--_im-space);
      align-items: center;
      flex-wrap: wrap;
    }
    [part~='note'] {
      color: var(--_im-muted);
      font-size: 0.9em;
    }
    [part~='quit-button'] {
      color: var(--_im-danger);
    }
    [part~='members-heading'] {
      margin: var(--_im-space) 0 0;
      font-size: 0.9em;
      font-weight: 600;
      color: var(--_im-muted);
      text-transform: uppercase;
      letter-spacing: 0.04em;
    }
    [part~='member-list'] {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    [part~='member'] {
      display: flex;
      align-items: center;
      gap: var(--_im-space);
      padding: calc(var(--_im-space) * 0.5) 0;
      --im-avatar-size: 32px;
    }
    [part~='member-name'] {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    [part~='role'] {
      font-size: 0.8em;
      padding: 0 6px;
      border-radius: 999px;
      background: var(--_im-surface);
      color: var(--_im-text);
    }
  `,
];
