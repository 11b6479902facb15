/**
 * Pinned messages of a group conversation: `getPinnedGroupMessageList` on open, replaced on
 * `PINNED_GROUP_MESSAGE_UPDATED`, changed with `pinGroupMessage`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient } from '../../core/client-types.js';
import { parseConversationID, type Message } from '../../protocol/types.js';

export interface PinnedOptions {
  client: () => ChatClient | null;
  conversationID: () => string;
  onError?: (error: unknown) => void;
}

export class PinnedController implements ReactiveController {
  /** Newest pin first. */
  list: Message[] = [];
  private token = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: PinnedOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  private groupID(): string {
    const parts = parseConversationID(this.options.conversationID());
    return parts?.type === 'GROUP' ? parts.target : '';
  }

  reset(): void {
    this.token++;
    this.list = [];
  }

  isPinned(messageID: string): boolean {
    return this.list.some((m) => m.ID === messageID);
  }

  async load(): Promise<void> {
    const client = this.options.client();
    const groupID = this.groupID();
    if (!client || !groupID) return;
    const token = ++this.token;
    try {
      const res = await client.getPinnedGroupMessageList(groupID);
      if (token !== this.token) return;
      this.list = res.data.messageList ?? [];
      this.host.requestUpdate();
    } catch {
      // No bar; the conversation works without it.
    }
  }

  /** `PINNED_GROUP_MESSAGE_UPDATED`: `{groupID, pinnedMessageList}` (or `messageList`). */
  updated(data: unknown): void {
    const groupID = this.groupID();
    if (!groupID || typeof data !== 'object' || data === null) return;
    const d = data as { groupID?: unknown; pinnedMessageList?: unknown; messageList?: unknown };
    if (d.groupID !== undefined && d.groupID !== groupID) return;
    const list = Array.isArray(d.pinnedMessageList)
      ? d.pinnedMessageList
      : Array.isArray(d.messageList)
        ? d.messageList
        : null;
    if (list) {
      this.token++;
      this.list = list as Message[];
      this.host.requestUpdate();
    } else {
      void this.load();
    }
  }

  async pin(message: Message, isPinned: boolean): Promise<boolean> {
    const client = this.options.client();
    const groupID = this.groupID();
    if (!client || !groupID) return false;
    try {
      await client.pinGroupMessage({ groupID, message, isPinned });
    } catch (error) {
      this.options.onError?.(error);
      return false;
    }
    // The event follows; fetching as well keeps the bar right if it does not.
    await this.load();
    return true;
  }
}
