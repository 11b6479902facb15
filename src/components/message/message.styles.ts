import { css } from 'lit';
import { themeStyles } from '../base/theme.styles.js';

export const messageStyles = [
  themeStyles,
  css`
    :host {
      display: block;
      background: transparent;
      min-width: 0;
    }
    [part~='row'] {
      display: flex;
      align-items: center;
      gap: 4px;
      min-width: 0;
    }
    :host([flow='out']) [part~='row'] {
      flex-direction: row-reverse;
    }
    [part~='column'] {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      min-width: 0;
    }
    :host([flow='out']) [part~='column'] {
      align-items: flex-end;
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
      max-width: 100%;
      -webkit-touch-callout: none;
    }
    :host([flow='out']) [part~='bubble'] {
      background: var(--_im-primary);
      color: var(--_im-on-primary);
    }
    :host([status='unSend']) [part~='bubble'] {
      opacity: 0.75;
    }
    :host([status='fail']) [part~='bubble'] {
      outline: 1px solid var(--_im-danger);
    }
    :host([selected]) [part~='bubble'] {
      outline: 2px solid var(--_im-primary);
      outline-offset: 2px;
    }
    :host([highlighted]) [part~='bubble'] {
      box-shadow: 0 0 0 3px var(--_im-primary);
    }
    [part~='bubble-image'],
    [part~='bubble-video'],
    [part~='bubble-face'] {
      padding: 4px;
    }
    .text {
      white-space: pre-wrap;
    }
    [part~='mention'] {
      font-weight: 600;
      text-decoration: underline;
      text-decoration-thickness: 1px;
      text-underline-offset: 2px;
    }
    a {
      color: inherit;
      text-decoration: underline;
    }
    [part~='quote'] {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      width: 100%;
      margin-bottom: 4px;
      padding: 4px 8px;
      border: 0;
      border-inline-start: 3px solid currentColor;
      border-radius: 4px;
      background: rgb(127 127 127 / 0.15);
      color: inherit;
      font-size: 0.85em;
      text-align: start;
    }
    [part~='quote-sender'] {
      font-weight: 600;
    }
    [part~='quote-text'] {
      opacity: 0.85;
      overflow-wrap: anywhere;
    }
    [part~='image-button'] {
      display: block;
      padding: 0;
      border: 0;
      background: none;
      border-radius: calc(var(--_im-radius) * 0.7);
      overflow: hidden;
    }
    [part~='image'],
    [part~='video'],
    [part~='face'] {
      display: block;
      max-width: 100%;
      height: auto;
      border-radius: calc(var(--_im-radius) * 0.7);
      background: var(--_im-border);
    }
    [part~='face'] {
      width: 96px;
      height: 96px;
      object-fit: contain;
      background: none;
    }
    [part~='image-placeholder'] {
      display: flex;
      align-items: center;
      justify-content: center;
      max-width: 100%;
      border-radius: calc(var(--_im-radius) * 0.7);
      background: var(--_im-border);
      color: var(--_im-muted);
    }
    [part~='file'],
    [part~='location'] {
      display: flex;
      gap: var(--_im-space);
      align-items: center;
    }
    [part~='file-icon'],
    [part~='location-icon'] {
      display: flex;
      font-size: 1.8em;
    }
    [part~='file-info'],
    [part~='location-info'] {
      display: flex;
      flex-direction: column;
      min-width: 0;
    }
    [part~='file-size'],
    [part~='location-coordinates'],
    [part~='duration'] {
      font-size: 0.8em;
      opacity: 0.85;
    }
    [part~='audio-player'],
    [part~='video-player'] {
      display: flex;
      flex-direction: column;
      gap: 2px;
    }
    [part~='audio'] {
      max-width: 100%;
      width: 260px;
    }
    [part~='merger'] {
      display: flex;
      flex-direction: column;
      gap: 4px;
      cursor: pointer;
      min-width: 12rem;
    }
    [part~='merger-title'] {
      font-weight: 600;
    }
    [part~='merger-abstracts'] {
      margin: 0;
      padding: 0;
      list-style: none;
      font-size: 0.85em;
      opacity: 0.85;
    }
    [part~='merger-abstracts'] li {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      max-width: 20rem;
    }
    [part~='merger-open'] {
      align-self: flex-start;
      padding: 2px 8px;
      font-size: 0.85em;
    }
    [part~='translation'] {
      margin: 4px 4px 0;
      padding: 4px 8px;
      border-inline-start: 2px solid var(--_im-border);
      font-size: 0.9em;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    [part~='translation-error'] {
      color: var(--_im-danger);
    }
    [part~='upload'] {
      display: flex;
      align-items: center;
      gap: 6px;
      margin: 4px 4px 0;
      font-size: 0.8em;
      color: var(--_im-muted);
    }
    [part~='progress'] {
      width: 120px;
      accent-color: var(--_im-primary);
    }
    [part~='cancel-upload'],
    [part~='retry-button'],
    [part~='read-count'] {
      padding: 0 6px;
      font-size: 1em;
    }
    [part~='reactions'] {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
      margin: 4px 2px 0;
    }
    [part~='reaction'] {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      padding: 1px 8px;
      border-radius: 999px;
      font-size: 0.85em;
    }
    [part~='reaction-mine'] {
      border-color: var(--_im-primary);
      background: var(--_im-selected);
    }
    [part~='meta'] {
      display: flex;
      align-items: center;
      flex-wrap: wrap;
      gap: 6px;
      color: var(--_im-muted);
      font-size: 0.75em;
      margin: 2px 4px 0;
    }
    [part~='status-failed'] {
      color: var(--_im-danger);
    }
    [part~='read-status-read'] {
      color: var(--_im-primary);
    }
    [part~='read-count'] {
      font-size: 1em;
      background: transparent;
      color: var(--_im-muted);
    }
    [part~='actions'] {
      flex: none;
      opacity: 0;
    }
    :host(:hover) [part~='actions'],
    :host(:focus-within) [part~='actions'],
    [part~='actions'][open] {
      opacity: 1;
    }
    /* Touch screens: no hover to reveal it (a long press opens the menu as well). */
    @media (hover: none) {
      [part~='actions'] {
        opacity: 1;
      }
    }
    [part~='select'] {
      flex: none;
      width: 1.1rem;
      height: 1.1rem;
      accent-color: var(--_im-primary);
    }
  `,
];
