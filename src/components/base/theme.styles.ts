import { css } from 'lit';

/**
 * Design tokens shared by every element. Each public `--im-*` property is read once on `:host`
 * with its default as the `var()` fallback and copied into a private `--_im-*` token, so a value
 * set on any ancestor (the page, an `<im-provider>`) still inherits into every element, and the
 * dark defaults apply unless the page overrides the token itself.
 */
const darkTokens = css`
  color-scheme: dark;
  --_im-primary: var(--im-color-primary, #7eb0ff);
  --_im-on-primary: var(--im-color-on-primary, #0b1526);
  --_im-bg: var(--im-color-bg, #16181d);
  --_im-surface: var(--im-color-surface, #22262e);
  --_im-text: var(--im-color-text, #e8eaef);
  --_im-muted: var(--im-color-muted, #a9b1bd);
  --_im-border: var(--im-color-border, #3a414d);
  --_im-selected: var(--im-color-selected, #233552);
  --_im-danger: var(--im-color-danger, #ff9b94);
  --_im-badge: var(--im-color-badge, #ff9b94);
  --_im-on-badge: var(--im-color-on-badge, #1a0000);
  --_im-banner: var(--im-color-banner, #3d3219);
`;

export const themeStyles = css`
  :host {
    color-scheme: light;
    --_im-primary: var(--im-color-primary, #1560d4);
    --_im-on-primary: var(--im-color-on-primary, #ffffff);
    --_im-bg: var(--im-color-bg, #ffffff);
    --_im-surface: var(--im-color-surface, #f1f3f6);
    --_im-text: var(--im-color-text, #1a1d23);
    --_im-muted: var(--im-color-muted, #59616d);
    --_im-border: var(--im-color-border, #d8dde4);
    --_im-selected: var(--im-color-selected, #e2ecfc);
    --_im-danger: var(--im-color-danger, #b3261e);
    --_im-badge: var(--im-color-badge, #c5221f);
    --_im-on-badge: var(--im-color-on-badge, #ffffff);
    --_im-banner: var(--im-color-banner, #fff4d6);
    --_im-radius: var(--im-radius, 10px);
    --_im-font: var(
      --im-font-family,
      system-ui,
      -apple-system,
      'Segoe UI',
      Roboto,
      'Helvetica Neue',
      Arial,
      sans-serif
    );
    --_im-font-size: var(--im-font-size, 14px);
    --_im-space: var(--im-spacing, 8px);
    --_im-avatar: var(--im-avatar-size, 40px);

    font-family: var(--_im-font);
    font-size: var(--_im-font-size);
    line-height: 1.4;
    color: var(--_im-text);
    background: var(--_im-bg);
  }
  :host([theme='dark']) {
    ${darkTokens}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${darkTokens}
    }
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  :focus-visible {
    outline: 2px solid var(--_im-primary);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: calc(var(--_im-radius) * 0.8);
    border: 1px solid var(--_im-border);
    background: var(--_im-surface);
    color: var(--_im-text);
    padding: calc(var(--_im-space) * 0.75) calc(var(--_im-space) * 1.5);
  }
  button.primary {
    background: var(--_im-primary);
    border-color: var(--_im-primary);
    color: var(--_im-on-primary);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .icon {
    display: inline-block;
    vertical-align: -0.15em;
    flex: none;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .avatar {
    flex: none;
    width: var(--_im-avatar);
    height: var(--_im-avatar);
    border-radius: 50%;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    overflow: hidden;
    background: var(--_im-primary);
    color: var(--_im-on-primary);
    font-weight: 600;
    font-size: calc(var(--_im-avatar) * 0.38);
    object-fit: cover;
    user-select: none;
  }
  .state {
    padding: calc(var(--_im-space) * 3) calc(var(--_im-space) * 2);
    text-align: center;
    color: var(--_im-muted);
  }
  @media (prefers-reduced-motion: no-preference) {
    button {
      transition: background-color 120ms ease;
    }
  }
`;
