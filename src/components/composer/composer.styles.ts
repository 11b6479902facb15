import { css } from 'lit';
import { themeStyles } from '../base/theme.styles.js';

export const composerStyles = [
  themeStyles,
  css`
    :host {
      display: block;
      position: relative;
      border-top: 1px solid var(--_im-border);
    }
    [part~='reply-preview'],
    [part~='edit-bar'] {
      display: flex;
      align-items: center;
      gap: var(--_im-space);
      padding: calc(var(--_im-space) * 0.5) calc(var(--_im-space) * 1.5);
      background: var(--_im-surface);
      border-inline-start: 3px solid var(--_im-primary);
      font-size: 0.85em;
    }
    [part~='reply-label'] {
      flex: none;
    }
    [part~='reply-text'],
    [part~='edit-label'] {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      color: var(--_im-muted);
    }
    [part~='reply-cancel'],
    [part~='edit-cancel'] {
      padding: 0 8px;
    }
    [part~='mention-list'] {
      position: absolute;
      bottom: 100%;
      inset-inline-start: calc(var(--_im-space) * 1.5);
      z-index: 2;
      width: min(18rem, calc(100% - 2rem));
      max-height: 14rem;
      overflow: auto;
      margin: 0 0 4px;
      padding: 4px;
      list-style: none;
      border: 1px solid var(--_im-border);
      border-radius: var(--_im-radius);
      background: var(--_im-bg);
      box-shadow: 0 8px 24px rgb(0 0 0 / 0.2);
    }
    [part~='mention-option'] {
      display: flex;
      gap: var(--_im-space);
      align-items: baseline;
      padding: 4px 8px;
      border-radius: calc(var(--_im-radius) * 0.6);
      cursor: pointer;
    }
    [part~='mention-option-active'] {
      background: var(--_im-selected);
    }
    .id {
      color: var(--_im-muted);
      font-size: 0.85em;
    }
    [part~='form'] {
      display: flex;
      gap: calc(var(--_im-space) * 0.75);
      align-items: flex-end;
      padding: var(--_im-space) calc(var(--_im-space) * 1.5);
    }
    [part~='attach-button'],
    [part~='emoji-button'] {
      display: inline-flex;
      align-items: center;
      padding: calc(var(--_im-space) * 0.6) calc(var(--_im-space) * 0.8);
      font-size: 1.15em;
      line-height: 1.2;
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
    input[type='file'] {
      display: none;
    }
  `,
];
