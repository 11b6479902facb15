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
    [part~='members-heading'],
    [part~='topics-heading'],
    [part~='requests-heading'] {
      margin: var(--_im-space) 0 0;
      font-size: 0.9em;
      font-weight: 600;
      color: var(--_im-muted);
      text-transform: uppercase;
      letter-spacing: 0.04em;
    }
    .viewport {
      max-height: var(--im-group-member-list-height, 320px);
      overflow-y: auto;
      contain: strict;
      height: var(--im-group-member-list-height, 320px);
    }
    [part~='member-list'] {
      list-style: none;
      margin: 0;
      padding: 0;
      position: relative;
    }
    [part~='member'] {
      position: absolute;
      left: 0;
      right: 0;
      height: 44px;
    }
    [part~='member-button'] {
      display: flex;
      align-items: center;
      gap: var(--_im-space);
      width: 100%;
      height: 100%;
      padding: 0 4px;
      border: 0;
      background: transparent;
      color: inherit;
      font: inherit;
      text-align: start;
      cursor: pointer;
      --im-avatar-size: 32px;
    }
    [part~='member-button'][aria-pressed='true'] {
      background: var(--_im-surface);
    }
    [part~='online-dot'] {
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: var(--_im-border);
      flex: none;
    }
    [part~='online-dot'][part~='online'] {
      background: var(--im-color-online, #1f9d55);
    }
    [part~='muted'] {
      font-size: 0.8em;
      color: var(--_im-danger);
    }
    [part~='notification'] {
      margin: 0;
      padding: calc(var(--_im-space) * 0.75);
      border-radius: var(--_im-radius);
      background: var(--_im-surface);
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    form,
    [part~='member-actions'] {
      display: flex;
      flex-direction: column;
      gap: calc(var(--_im-space) * 0.75);
      padding: var(--_im-space);
      border: 1px solid var(--_im-border);
      border-radius: var(--_im-radius);
    }
    [part~='member-actions'] {
      flex-direction: row;
      flex-wrap: wrap;
      align-items: center;
    }
    label {
      display: flex;
      flex-direction: column;
      gap: 2px;
      font-size: 0.9em;
    }
    [part~='mute-all'] {
      flex-direction: row;
      align-items: center;
      gap: 4px;
    }
    [part~='topic-list'],
    [part~='request-list'] {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    [part~='request'] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_im-space);
      padding: calc(var(--_im-space) * 0.5) 0;
    }
    [part~='request-message'] {
      flex: 1;
      color: var(--_im-muted);
    }
    .danger,
    [part~='dismiss-button'],
    [part~='kick-button'] {
      color: var(--_im-danger);
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
