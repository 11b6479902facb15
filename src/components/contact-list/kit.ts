/**
 * What the lazily loaded parts of `<im-contact-list>` and `<im-profile>` use from the initial
 * script, handed to them at load time. Their modules import only types, so the bundler keeps
 * every shared module (lit, tokens, constants) inside the initial script instead of splitting it
 * into extra chunks the first paint would have to fetch.
 */
import { adoptStyles, css, html, LitElement, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ErrorCode } from '../../protocol/codes.js';
import { EVENT, TYPES } from '../../protocol/constants.js';
import { defineElement } from '../base/define-element.js';
import { dialogStyles } from '../base/dialog.styles.js';
import { initials } from '../base/format.js';
import { safeUrl } from '../base/message-utils.js';
import { themeStyles } from '../base/theme.styles.js';
import { ClientEventsController } from '../controllers/client-events-controller.js';
import { toErrorDetail } from '../events.js';

export const kit = {
  adoptStyles,
  css,
  html,
  LitElement,
  nothing,
  repeat,
  ErrorCode,
  EVENT,
  TYPES,
  defineElement,
  dialogStyles,
  initials,
  safeUrl,
  themeStyles,
  ClientEventsController,
  toErrorDetail,
};

export type Kit = typeof kit;
