/**
 * Drafts of `<im-chat>`: what is typed and not sent is stored as the conversation's draft
 * (`setConversationDraft`, kept on the server, so the conversation list shows it and every tab and
 * device of the user gets it back) when the chat leaves the conversation (another conversation,
 * another client, the element removed); opening a conversation puts its stored draft back in an
 * empty composer; sending clears it.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient } from '../../core/client-types.js';

export interface DraftOptions {
  client: () => ChatClient | null;
  /** The composer's text that counts as a draft ('' while editing a sent message). */
  text: () => string;
  setText: (text: string) => void;
  /** Resolves once the composer shows the opened conversation (it empties itself then). */
  settled: () => Promise<unknown>;
}

export class DraftController implements ReactiveController {
  private conversationID = '';
  /** The client the conversation was opened with (the draft belongs to its user). */
  private client: ChatClient | null = null;
  /** The draft the server holds for `conversationID`, as far as this chat knows. */
  private stored = '';

  constructor(
    host: ReactiveControllerHost,
    private readonly options: DraftOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.save();
  }

  /** Store the text typed in the open conversation (nothing when it did not change). */
  save(): void {
    const client = this.client;
    const conversationID = this.conversationID;
    if (!client || !conversationID) return;
    const text = this.options.text();
    const draft = text.trim() ? text : '';
    if (draft === this.stored) return;
    this.stored = draft;
    client.setConversationDraft({ conversationID, draftText: draft }).catch(() => undefined);
  }

  /** A conversation was opened: its stored draft goes into the composer if that is empty. */
  async open(conversationID: string): Promise<void> {
    this.conversationID = conversationID;
    this.stored = '';
    const client = (this.client = this.options.client());
    if (!client || !conversationID) return;
    try {
      const { data } = await client.getConversationProfile(conversationID);
      await this.options.settled();
      if (this.conversationID !== conversationID) return;
      this.stored = data.conversation.draftText ?? '';
      if (this.stored && !this.options.text()) this.options.setText(this.stored);
    } catch {
      // A conversation without messages yet has no profile, and no draft.
    }
  }

  /** The composer's text was sent: the stored draft is cleared. */
  sent(): void {
    const client = this.client;
    if (!client || !this.stored) return;
    this.stored = '';
    client
      .setConversationDraft({ conversationID: this.conversationID, draftText: '' })
      .catch(() => undefined);
  }
}
