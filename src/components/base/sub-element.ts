import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';

/**
 * Base of the parts `<im-chat>` is built from (`<im-message>`, `<im-composer>`, the dialogs).
 * They get their data as properties from the element that renders them, and their events neither
 * leave that element's shadow root (not `composed`). `theme` is passed down so an explicit
 * `theme` on the outer element also applies inside.
 */
export class ImSubElement extends LitElement {
  /** `light` or `dark`; unset follows `prefers-color-scheme`. */
  @property({ reflect: true }) theme?: 'light' | 'dark';
}
