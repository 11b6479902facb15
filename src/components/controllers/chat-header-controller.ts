/**
 * The header of a chat: the title (peer nick or group name), the subtitle (member count) and, in
 * groups, the user's role (which decides "@all" and pinning). Reports unread found on the way.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient } from '../../core/client-types.js';
import { parseConversationID } from '../../protocol/types.js';

export interface ChatHeaderOptions {
  client: () => ChatClient | null;
  conversationID: () => string;
  /** The conversation profile says there is something unread. */
  onUnread?: () => void;
}

export class ChatHeaderController implements ReactiveController {
  title = '';
  subtitle = '';
  /** `Owner`, `Admin`, `Member`, or '' (not a group, not known). */
  role = '';

  private token = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ChatHeaderOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  reset(): void {
    this.token++;
    this.title = '';
    this.subtitle = '';
    this.role = '';
    this.host.requestUpdate();
  }

  async load(): Promise<void> {
    const client = this.options.client();
    const id = this.options.conversationID();
    const parts = parseConversationID(id);
    if (!client || !parts) return;
    const token = ++this.token;
    const current = () => token === this.token && client === this.options.client();
    let title = parts.target || 'System';
    let subtitle = '';
    let role = '';
    try {
      const { conversation } = (await client.getConversationProfile(id)).data;
      if (!current()) return;
      title = conversation.groupProfile?.name || conversation.userProfile?.nick || title;
      if (conversation.unreadCount > 0) this.options.onUnread?.();
    } catch {
      // A conversation with no messages yet has no profile; the lookups below still name it.
    }
    try {
      if (parts.type === 'GROUP') {
        const { group } = (await client.getGroupProfile({ groupID: parts.target })).data;
        title = group.name || title;
        subtitle = `${group.memberCount} ${group.memberCount === 1 ? 'member' : 'members'}`;
        role = ('role' in group.selfInfo && group.selfInfo.role) || '';
      } else if (parts.type === 'C2C' && title === parts.target) {
        const [profile] = (await client.getUserProfile({ userIDList: [parts.target] })).data;
        title = profile?.nick || title;
      }
    } catch {
      // Keep the ID as the title.
    }
    if (!current()) return;
    this.title = title;
    this.subtitle = subtitle;
    this.role = role;
    this.host.requestUpdate();
  }
}
