/**
 * Forwarding from `<im-chat>`: one message (`createForwardMessage`), or, in selection mode,
 * several one by one or as one chat history (`createMergerMessage`), to conversations chosen in
 * the conversation picker. Messages for the open conversation go through the timeline so they
 * show at once; the others are sent directly.
 */
import { loadElement } from '../base/lazy-define.js';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient } from '../../core/client-types.js';
import { LIMITS } from '../../protocol/constants.js';
import { parseConversationID, type Message } from '../../protocol/types.js';
import { senderName } from '../base/format.js';
import { messageAbstract } from '../base/message-utils.js';
import type { ImConversationPicker } from '../conversation-picker/conversation-picker.js';
import type { MessageFactory, MessageListController } from './message-list-controller.js';

export interface ForwardOptions {
  client: () => ChatClient | null;
  userID: () => string;
  conversationID: () => string;
  /** The conversation's title, for the chat-history title. */
  title: () => string;
  timeline: MessageListController;
  picker: () => ImConversationPicker | null | undefined;
  scrollToBottom: () => void;
  notify: (text: string) => void;
  onError: (error: unknown) => void;
}

export class ForwardController implements ReactiveController {
  /** Selection mode is on. */
  selecting = false;
  selected = new Set<string>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ForwardOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  reset(): void {
    this.selecting = false;
    this.selected = new Set();
  }

  /** Whether `m` can be picked in selection mode. */
  selectable(m: Message): boolean {
    return m.status === 'success' && !m.isRevoked && m.sequence > 0;
  }

  /** Start selection mode with `m` selected. */
  select(m: Message): void {
    this.selecting = true;
    this.selected = new Set([m.ID]);
    this.host.requestUpdate();
  }

  toggle(m: Message): void {
    const next = new Set(this.selected);
    if (next.has(m.ID)) next.delete(m.ID);
    else next.add(m.ID);
    this.selected = next;
    this.host.requestUpdate();
  }

  endSelection(): void {
    this.reset();
    this.host.requestUpdate();
  }

  /** The selected messages, oldest first. */
  selectedMessages(): Message[] {
    return this.options.timeline.messages.filter((m) => this.selected.has(m.ID));
  }

  async forwardSelected(merged: boolean): Promise<void> {
    const list = this.selectedMessages();
    if (list.length && (await this.forward(list, merged))) this.endSelection();
  }

  /** Pick targets and forward; false when the picker was cancelled. */
  async forward(list: Message[], merged: boolean): Promise<boolean> {
    const picker = this.options.picker();
    if (!picker || list.length === 0) return false;
    await loadElement('im-conversation-picker');
    const targets = await picker.pick();
    if (!targets?.length) return false;
    const factories: MessageFactory[] = merged
      ? [
          (client, target) =>
            client.createMergerMessage({
              ...target,
              payload: {
                messageList: list.slice(0, LIMITS.mergerMessages),
                title: this.mergerTitle(),
                abstractList: list
                  .slice(0, 3)
                  .map((m) => `${senderName(m)}: ${messageAbstract(m, 40)}`),
                compatibleText: '[Chat History]',
              },
            }),
        ]
      : list.map((m) => (client, target) => client.createForwardMessage({ ...target, payload: m }));
    let failed = 0;
    for (const conversationID of targets) {
      for (const factory of factories) {
        if (!(await this.sendTo(conversationID, factory))) failed++;
      }
    }
    const where = targets.length === 1 ? '1 conversation' : `${targets.length} conversations`;
    this.options.notify(
      failed ? `Forwarding failed for ${failed} message(s)` : `Forwarded to ${where}`,
    );
    return true;
  }

  private mergerTitle(): string {
    const title = this.options.title();
    return this.options.conversationID().startsWith('GROUP')
      ? `Chat history of ${title}`
      : `Chat history of ${this.options.userID()} and ${title}`;
  }

  private async sendTo(conversationID: string, factory: MessageFactory): Promise<boolean> {
    if (conversationID === this.options.conversationID()) {
      this.options.scrollToBottom();
      return (await this.options.timeline.send(factory)) !== null;
    }
    const client = this.options.client();
    const parts = parseConversationID(conversationID);
    if (!client || !parts || parts.type === '@TIM#SYSTEM') return false;
    try {
      const message = factory(client, { to: parts.target, conversationType: parts.type }, () => {});
      await client.sendMessage(message);
      return true;
    } catch (error) {
      this.options.onError(error);
      return false;
    }
  }
}
