/** Status dots shared by `<im-contact-list>` and `<im-profile>` (lazily loaded parts). */
import type { UserStatus } from '../../protocol/types.js';
import type { Kit } from './kit.js';

const LABEL: Record<number, string> = { 0: 'Unknown', 1: 'Online', 2: 'Offline', 3: 'Offline' };

export function statusLabel(status: UserStatus | undefined): string {
  return LABEL[status?.statusType ?? 0];
}

export function statusKit({ css, html }: Kit) {
  return {
    /** A dot with a text alternative; `part="status status-online"` (or `status-offline`). */
    statusDot(status: UserStatus | undefined) {
      const online = status?.statusType === 1;
      return html`<span
        part=${online ? 'status status-online' : 'status status-offline'}
        class="dot ${online ? 'on' : ''}"
        role="img"
        aria-label=${statusLabel(status)}
      ></span>`;
    },
    statusStyles: css`
      .dot {
        display: inline-block;
        flex: none;
        width: 0.6em;
        height: 0.6em;
        border-radius: 50%;
        background: var(--im-color-status-offline, #9aa1ab);
      }
      .dot.on {
        background: var(--im-color-status-online, #1e9e4a);
      }
    `,
  };
}
