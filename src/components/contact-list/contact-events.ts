/** Public events of `<im-contact-list>` and `<im-profile>` (bubbling, composed, `im-*`). */
import type { Friend, Profile } from '../../protocol/types.js';

export interface ImContactSelectDetail {
  userID: string;
  /** `C2C<userID>`, ready for `<im-chat conversation-id>`. */
  conversationID: string;
  friend: Friend;
}

export class ImContactSelectEvent extends Event {
  static readonly eventName = 'im-contact-select';
  constructor(readonly detail: ImContactSelectDetail) {
    super(ImContactSelectEvent.eventName, { bubbles: true, composed: true });
  }
}

export interface ImProfileUpdatedDetail {
  profile: Profile;
}

export class ImProfileUpdatedEvent extends Event {
  static readonly eventName = 'im-profile-updated';
  constructor(readonly detail: ImProfileUpdatedDetail) {
    super(ImProfileUpdatedEvent.eventName, { bubbles: true, composed: true });
  }
}

export interface ImProfileMessageDetail {
  userID: string;
  conversationID: string;
}

/** The "Send message" action of `<im-profile>` for another user. */
export class ImProfileMessageEvent extends Event {
  static readonly eventName = 'im-profile-message';
  constructor(readonly detail: ImProfileMessageDetail) {
    super(ImProfileMessageEvent.eventName, { bubbles: true, composed: true });
  }
}
