/**
 * The editor of `<im-profile>` for the signed-in user, loaded on first use (dynamic `import()`):
 * nick, avatar URL, signature, gender, who may add them as a friend, and the custom status.
 * Saving calls `updateMyProfile` and, when it changed, `setSelfStatus`; errors show inline and
 * nothing else changes.
 */
import type { ChatClient } from '../../core/client-types.js';
import type { Profile } from '../../protocol/types.js';
import { ImProfileUpdatedEvent } from '../contact-list/contact-events.js';
import type { Kit } from '../contact-list/kit.js';

/** Defines `<im-profile-editor>` over the initial script's kit (kit.ts). */
export function defineProfileEditor(k: Kit): void {
  const { css, html, LitElement, TYPES, themeStyles, toErrorDetail } = k;
  const GENDERS = [
    [TYPES.GENDER_UNKNOWN, 'Not set'],
    [TYPES.GENDER_FEMALE, 'Female'],
    [TYPES.GENDER_MALE, 'Male'],
  ] as const;
  const ALLOW = [
    [TYPES.ALLOW_TYPE_ALLOW_ANY, 'Anyone can add me'],
    [TYPES.ALLOW_TYPE_NEED_CONFIRM, 'Requests need my approval'],
    [TYPES.ALLOW_TYPE_DENY_ANY, 'Nobody can add me'],
  ] as const;

  /** @internal Part of `<im-profile>`; parts: `form`, `field`, `save-button`, `cancel-button`, `error`. */
  class ImProfileEditor extends LitElement {
    static override styles = [
      themeStyles,
      css`
        form {
          display: grid;
          gap: var(--_im-space);
          text-align: start;
          width: min(24rem, 100%);
        }
        label {
          display: grid;
          gap: 4px;
        }
        input,
        select {
          font: inherit;
          padding: calc(var(--_im-space) * 0.6);
          border: 1px solid var(--_im-border);
          border-radius: calc(var(--_im-radius) * 0.8);
          background: var(--_im-bg);
          color: var(--_im-text);
        }
        .buttons {
          display: flex;
          justify-content: flex-end;
          gap: var(--_im-space);
        }
        [part~='error'] {
          color: var(--_im-danger);
          margin: 0;
        }
      `,
    ];

    static override properties = {
      client: { attribute: false },
      profile: { attribute: false },
      customStatus: { attribute: false },
      error: { state: true },
      busy: { state: true },
    };

    client!: ChatClient;
    profile!: Profile;
    customStatus = '';
    private error = '';
    private busy = false;

    private value(name: string): string {
      return this.renderRoot.querySelector<HTMLInputElement>(`[name='${name}']`)?.value ?? '';
    }

    private async save(event: Event): Promise<void> {
      event.preventDefault();
      this.busy = true;
      this.error = '';
      try {
        const res = await this.client.updateMyProfile({
          nick: this.value('nick'),
          avatar: this.value('avatar'),
          selfSignature: this.value('signature'),
          gender: this.value('gender'),
          allowType: this.value('allowType'),
        });
        const custom = this.value('customStatus');
        if (custom !== this.customStatus) await this.client.setSelfStatus({ customStatus: custom });
        this.dispatchEvent(new ImProfileUpdatedEvent({ profile: res.data }));
      } catch (error) {
        this.error = toErrorDetail(error).message;
      } finally {
        this.busy = false;
      }
    }

    private cancel(): void {
      this.dispatchEvent(new Event('im-editor-cancel', { bubbles: true }));
    }

    override render() {
      const p = this.profile;
      const option = ([value, label]: readonly [string, string], current: string) =>
        html`<option value=${value} ?selected=${value === current}>${label}</option>`;
      return html`<form part="form" @submit=${this.save}>
        <label part="field">Nickname <input name="nick" .value=${p.nick} maxlength="64" /></label>
        <label part="field">Avatar URL <input name="avatar" type="url" .value=${p.avatar} /></label>
        <label part="field"
          >Signature <input name="signature" .value=${p.selfSignature} maxlength="500"
        /></label>
        <label part="field"
          >Status <input name="customStatus" .value=${this.customStatus} maxlength="100"
        /></label>
        <label part="field"
          >Gender
          <select name="gender">
            ${GENDERS.map((g) => option(g, p.gender))}
          </select></label
        >
        <label part="field"
          >Friend requests
          <select name="allowType">
            ${ALLOW.map((a) => option(a, p.allowType))}
          </select></label
        >
        <p part="error" role="alert">${this.error}</p>
        <div class="buttons">
          <button part="cancel-button" type="button" @click=${this.cancel}>Cancel</button>
          <button part="save-button" class="primary" type="submit" ?disabled=${this.busy}>
            Save
          </button>
        </div>
      </form>`;
    }
  }

  k.defineElement('im-profile-editor', ImProfileEditor);
}
