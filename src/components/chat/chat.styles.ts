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
    }
    [part~='message'] {
      display: flex;
      flex-direction: column;
      max-width: min(75%, 42em);
    }
    [part~='message-out'] {
      align-self: flex-end;
      align-items: flex-end;
    }
    [part~='message-in'] {
      align-self: flex-start;
      align-items: flex-start;
    }
    [part~='sender'] {
      color: var(--_im-muted);
      font-size: 0.8em;
      margin: 0 4px 2px;
    }
    [part~='bubble'] {
      padding: calc(var(--_im-space) * 0.75) calc(var(--_im-space) * 1.25);
      border-radius: var(--_im-radius);
      overflow-wrap: anywhere;
      background: var(--_im-surface);
      color: var(--_im-text);
    }
    .text {
      white-space: pre-wrap;
    }
    [part~='message-out'] [part~='bubble'] {
      background: var(--_im-primary);
      color: var(--_im-on-primary);
    }
    [part~='message-pending'] [part~='bubble'] {
      opacity: 0.75;
    }
    [part~='message-failed'] [part~='bubble'] {
      outline: 1px solid var(--_im-danger);
    }
    [part~='meta'] {
      display: flex;
      align-items: center;
      gap: 6px;
      color: var(--_im-muted);
      font-size: 0.75em;
      margin: 2px 4px 0;
    }
    [part~='status-failed'] {
      color: var(--_im-danger);
    }
    [part~='retry-button'] {
      padding: 0 6px;
      font-size: 1em;
    }
    [part~='composer'] {
      display: flex;
      gap: var(--_im-space);
      align-items: flex-end;
      padding: var(--_im-space) calc(var(--_im-space) * 1.5);
      border-top: 1px solid var(--_im-border);
    }
    [part~='input'] {
      flex: 1;
      resize: none;
      field-sizing: content;
      min-height: 2.5em;
      max-height: 10em;
      font: inherit;
      color: var(--_im-text);
      background: var(--_im-bg);
      border: 1px solid var(--_im-border);
      border-radius: calc(var(--_im-radius) * 0.8);
      padding: calc(var(--_im-space) * 0.75) var(--_im-space);
    }
    [part~='input']:disabled {
      background: var(--_im-surface);
    }
  `,
];
