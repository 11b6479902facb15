/**
 * The administration parts of `<im-group-panel>`, loaded with `import()` the first time the
 * panel shows a group to one of its members: the templates for the profile editor, the invite
 * form, the selected member's actions and the join requests. Controls the user may not use
 * (powers.ts) are not rendered.
 */
import { html, nothing } from 'lit';
import type { ChatClient } from '../../core/client-types.js';
import type { Group, GroupMember } from '../../protocol/types.js';
import type { GroupApplication } from '../../protocol/wire.js';
import { memberName } from '../base/format.js';
import type { Powers } from './powers.js';

export { powersOf } from './powers.js';

/** Mute durations offered, seconds (0 unmutes). */
export const MUTE_CHOICES: [number, string][] = [
  [600, '10 minutes'],
  [3600, '1 hour'],
  [86400, '1 day'],
  [604800, '7 days'],
];

export interface AdminHandlers {
  busy: boolean;
  saveProfile(form: HTMLFormElement): void;
  invite(form: HTMLFormElement): void;
  kick(m: GroupMember): void;
  mute(m: GroupMember, seconds: number): void;
  setRole(m: GroupMember, role: 'Admin' | 'Member'): void;
  transfer(m: GroupMember): void;
  handle(a: GroupApplication, action: 'Agree' | 'Reject'): void;
  close(): void;
}

/** What the panel lends the handlers: its busy flag, its action runner and two setters. */
export interface PanelHost {
  busy: boolean;
  act(run: (client: ChatClient, groupID: string) => Promise<unknown>): Promise<void>;
  /** Close the form / the member actions. */
  done(): void;
  note(text: string): void;
}

/** The panel's administration actions, each one client call through `host.act`. */
export function adminHandlers(host: PanelHost): AdminHandlers {
  const { act, done } = host;
  return {
    busy: host.busy,
    close: done,
    saveProfile: (form) => {
      const f = new FormData(form);
      const get = (k: string) => String(f.get(k) ?? '');
      void act(async (client, groupID) => {
        await client.updateGroupProfile({
          groupID,
          name: get('name'),
          introduction: get('introduction'),
          notification: get('notification'),
          avatar: get('avatar'),
        });
        done();
      });
    },
    invite: (form) => {
      const raw = String(new FormData(form).get('users') ?? '');
      const userIDList = raw.split(/[\s,]+/).filter(Boolean);
      void act(async (client, groupID) => {
        const res = await client.addGroupMember({ groupID, userIDList });
        done();
        const failed = res.data.failureUserIDList;
        if (failed.length > 0) host.note(`Not added (unknown users): ${failed.join(', ')}`);
      });
    },
    kick: (m) =>
      void act(async (client, groupID) => {
        await client.deleteGroupMember({ groupID, userIDList: [m.userID] });
        done();
      }),
    mute: (m, seconds) =>
      void act((client, groupID) =>
        client.setGroupMemberMuteTime({ groupID, userID: m.userID, muteTime: seconds }),
      ),
    setRole: (m, role) =>
      void act((client, groupID) => client.setGroupMemberRole({ groupID, userID: m.userID, role })),
    transfer: (m) =>
      void act(async (client, groupID) => {
        await client.changeGroupOwner({ groupID, newOwnerID: m.userID });
        done();
      }),
    handle: (a, handleAction) =>
      void act((client) =>
        client.handleGroupApplication({ groupID: a.groupID, userID: a.applicant, handleAction }),
      ),
  };
}

const submit = (fn: (form: HTMLFormElement) => void) => (e: Event) => {
  e.preventDefault();
  fn(e.target as HTMLFormElement);
};

export function renderEditor(group: Group, h: AdminHandlers) {
  return html`<form part="profile-form" @submit=${submit((f) => h.saveProfile(f))}>
    <label
      >Name <input part="input" name="name" required maxlength="30" .value=${group.name}
    /></label>
    <label
      >Introduction
      <textarea
        part="input"
        name="introduction"
        maxlength="240"
        .value=${group.introduction}
      ></textarea>
    </label>
    <label
      >Notification
      <textarea
        part="input"
        name="notification"
        maxlength="300"
        .value=${group.notification}
      ></textarea>
    </label>
    <label
      >Avatar URL <input part="input" name="avatar" maxlength="100" .value=${group.avatar}
    /></label>
    <div part="actions">
      <button part="save-button" class="primary" type="submit" ?disabled=${h.busy}>Save</button>
      <button part="cancel-button" type="button" @click=${() => h.close()}>Cancel</button>
    </div>
  </form>`;
}

/** `suggestions`: people to offer (C2C peers who are not members yet), as a datalist. */
export function renderInvite(h: AdminHandlers, suggestions: { userID: string; name: string }[]) {
  return html`<form part="invite-form" @submit=${submit((f) => h.invite(f))}>
    <label
      >User IDs to add (comma or space separated)
      <input part="input" name="users" required autocomplete="off" list="im-invite-suggestions" />
    </label>
    <datalist id="im-invite-suggestions">
      ${suggestions.map((s) => html`<option value=${s.userID}>${s.name}</option>`)}
    </datalist>
    <div part="actions">
      <button part="invite-submit" class="primary" type="submit" ?disabled=${h.busy}>Add</button>
      <button part="cancel-button" type="button" @click=${() => h.close()}>Cancel</button>
    </div>
  </form>`;
}

export function renderMemberActions(m: GroupMember, p: Powers, h: AdminHandlers, now: number) {
  const muted = m.muteUntil > now;
  const any = p.kick(m) || p.mute(m) || p.setRole(m) || p.transfer(m);
  return html`<div part="member-actions" role="group" aria-label=${`Actions for ${memberName(m)}`}>
    <span part="member-actions-name">${memberName(m)}</span>
    ${
      p.mute(m)
        ? html`<label
              >Mute for
              <select
                part="mute-select"
                ?disabled=${h.busy}
                @change=${(e: Event) => {
                  const v = Number((e.target as HTMLSelectElement).value);
                  if (v > 0) h.mute(m, v);
                }}
              >
                <option value="0">choose…</option>
                ${MUTE_CHOICES.map(([s, label]) => html`<option value=${s}>${label}</option>`)}
              </select></label
            >
            ${muted ? html`<button part="unmute-button" type="button" ?disabled=${h.busy} @click=${() => h.mute(m, 0)}>Unmute</button>` : nothing}`
        : nothing
    }
    ${
      p.setRole(m)
        ? html`<button
            part="role-button"
            type="button"
            ?disabled=${h.busy}
            @click=${() => h.setRole(m, m.role === 'Admin' ? 'Member' : 'Admin')}
          >
            ${m.role === 'Admin' ? 'Remove admin' : 'Make admin'}
          </button>`
        : nothing
    }
    ${
      p.transfer(m)
        ? html`<button
            part="transfer-button"
            type="button"
            ?disabled=${h.busy}
            @click=${() => h.transfer(m)}
          >
            Transfer ownership
          </button>`
        : nothing
    }
    ${
      p.kick(m)
        ? html`<button
            part="kick-button"
            class="danger"
            type="button"
            ?disabled=${h.busy}
            @click=${() => h.kick(m)}
          >
            Remove from group
          </button>`
        : nothing
    }
    ${any ? nothing : html`<span part="note">No actions available.</span>`}
    <button part="cancel-button" type="button" @click=${() => h.close()}>Close</button>
  </div>`;
}

export function renderApplications(list: GroupApplication[], h: AdminHandlers) {
  if (list.length === 0) return nothing;
  return html`<h3 part="requests-heading" id="requests-heading">Join requests</h3>
    <ul part="request-list" aria-labelledby="requests-heading">
      ${list.map(
        (a) =>
          html`<li part="request">
            <span part="request-name">${a.applicantNick || a.applicant}</span>
            ${a.applyMessage ? html`<span part="request-message">${a.applyMessage}</span>` : nothing}
            <button
              part="approve-button"
              class="primary"
              type="button"
              ?disabled=${h.busy}
              @click=${() => h.handle(a, 'Agree')}
            >
              Approve
            </button>
            <button
              part="refuse-button"
              type="button"
              ?disabled=${h.busy}
              @click=${() => h.handle(a, 'Reject')}
            >
              Refuse
            </button>
          </li>`,
      )}
    </ul>`;
}
