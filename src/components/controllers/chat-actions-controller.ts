/**
 * Carries out what a message's menu, chips and buttons ask `<im-chat>` to do (reply and edit go
 * to the compose controller, forward and select to the forward controller; recall, delete, copy,
 * react, pin, translate, read-by, retry, cancel upload, the lightbox, the chat-history dialog and
 * jumping to a quoted message are handled here), builds the menu of each message, and keeps the
 * short status line ("Copied", "Forwarded").
 */
import { loadElement } from '../base/lazy-define.js';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient } from '../../core/client-types.js';
import { LIMITS, TYPES } from '../../protocol/constants.js';
import type { ImagePayload, Message } from '../../protocol/types.js';
import { senderName } from '../base/format.js';
import { canRecall, imageRendition, safeUrl } from '../base/message-utils.js';
import type { ImConfirmDialog } from '../confirm-dialog/confirm-dialog.js';
import type { ImEmojiPicker } from '../emoji-picker/emoji-picker.js';
import type { ImMessageActionDetail } from '../events.js';
import type { ImLightbox } from '../lightbox/lightbox.js';
import type { ImMergerDialog } from '../merger-dialog/merger-dialog.js';
import type { MenuItem } from '../message-actions/message-actions.js';
import type { MessageTranslation } from '../message/message.js';
import type { ImReadMembers } from '../read-members/read-members.js';
import { textOf, type ComposeController } from './compose-controller.js';
import type { ForwardController } from './forward-controller.js';
import type { MessageListController } from './message-list-controller.js';
import type { PinnedController } from './pinned-controller.js';
import type { ReactionsController } from './reactions-controller.js';

export interface ChatDialogs {
  confirm?: ImConfirmDialog | null;
  lightbox?: ImLightbox | null;
  merger?: ImMergerDialog | null;
  readMembers?: ImReadMembers | null;
  reactionPicker?: ImEmojiPicker | null;
}

export interface ChatActionsOptions {
  client: () => ChatClient | null;
  userID: () => string;
  conversationID: () => string;
  /** The user's group role ('' outside groups). */
  role: () => string;
  /** Target language of translations. */
  translateTo: () => string;
  timeline: MessageListController;
  reactions: ReactionsController;
  pinned: PinnedController;
  compose: ComposeController;
  forward: ForwardController;
  dialogs: () => ChatDialogs;
  /** Scrolls a loaded message into view; answers its row, or null when it is not loaded. */
  revealMessage: (messageID: string) => Promise<HTMLElement | null>;
  onError: (error: unknown) => void;
}

const TOAST_MS = 4000;
const HIGHLIGHT_MS = 1600;

export class ChatActionsController implements ReactiveController {
  readonly translations = new Map<string, MessageTranslation>();
  /** The message just jumped to. */
  highlighted = '';
  /** The status line. */
  toast = '';

  private reacting: Message | null = null;
  private toastTimer: ReturnType<typeof setTimeout> | null = null;
  private highlightTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ChatActionsOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    if (this.toastTimer) clearTimeout(this.toastTimer);
    if (this.highlightTimer) clearTimeout(this.highlightTimer);
  }

  reset(): void {
    this.translations.clear();
    this.highlighted = '';
    this.reacting = null;
  }

  readonly notify = (text: string): void => {
    this.toast = text;
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => {
      this.toast = '';
      this.host.requestUpdate();
    }, TOAST_MS);
    this.host.requestUpdate();
  };

  /** Group owners and admins pin and may mention everyone. */
  isAdmin(): boolean {
    const role = this.options.role();
    return role === 'Owner' || role === 'Admin';
  }

  /** The menu of a message, computed when it opens (recall disappears after 2 minutes). */
  menuItems(m: Message): MenuItem[] {
    const me = this.options.userID();
    const isText = m.type === TYPES.MSG_TEXT;
    const isGroup = this.options.conversationID().startsWith('GROUP');
    const items: MenuItem[] = [
      { id: 'reply', label: 'Reply' },
      { id: 'forward', label: 'Forward' },
      { id: 'select', label: 'Select' },
    ];
    if (isText) items.push({ id: 'copy', label: 'Copy text' });
    items.push({ id: 'react', label: 'Add reaction' });
    if (isText && textOf(m).trim()) {
      const shown = this.translations.has(m.ID);
      items.push({ id: 'translate', label: shown ? 'Hide translation' : 'Translate' });
    }
    if (isText && m.from === me) items.push({ id: 'edit', label: 'Edit' });
    if (isGroup && this.isAdmin()) {
      items.push(
        this.options.pinned.isPinned(m.ID)
          ? { id: 'unpin', label: 'Unpin' }
          : { id: 'pin', label: 'Pin' },
      );
    }
    if (isGroup && m.flow === 'out' && m.needReadReceipt) {
      items.push({ id: 'read-by', label: 'Read by…' });
    }
    if (canRecall(m, me, Math.floor(Date.now() / 1000))) {
      items.push({ id: 'recall', label: 'Recall', danger: true });
    }
    items.push({ id: 'delete', label: 'Delete for me', danger: true });
    return items;
  }

  async handle(detail: ImMessageActionDetail): Promise<void> {
    const { action, message: m } = detail;
    const dialogs = this.options.dialogs();
    const { compose, forward, timeline } = this.options;
    switch (action) {
      case 'reply':
        return compose.reply(m);
      case 'edit':
        return compose.edit(m);
      case 'forward':
        await forward.forward([m], false);
        break;
      case 'select':
        return forward.select(m);
      case 'toggle-select':
        return forward.toggle(m);
      case 'copy':
        try {
          await navigator.clipboard.writeText(textOf(m));
          this.notify('Copied');
        } catch {
          this.notify('Could not copy: the browser did not allow it');
        }
        break;
      case 'react':
        this.reacting = m;
        await loadElement('im-emoji-picker');
        void this.options.dialogs().reactionPicker?.show(detail.anchor ?? document.body);
        break;
      case 'toggle-reaction':
        if (detail.reactionID) await this.options.reactions.toggle(m, detail.reactionID);
        break;
      case 'pin':
      case 'unpin':
        if (await this.options.pinned.pin(m, action === 'pin')) {
          this.notify(action === 'pin' ? 'Pinned' : 'Unpinned');
        }
        break;
      case 'translate':
        await this.translate(m);
        break;
      case 'read-by':
        await loadElement('im-read-members');
        void dialogs.readMembers?.show(m);
        break;
      case 'recall':
        await this.recall(m);
        break;
      case 'delete':
        await this.remove([m]);
        break;
      case 'retry':
        await timeline.retry(m.ID);
        break;
      case 'cancel-upload':
        this.options.client()?.cancelUploadFile?.(m);
        break;
      case 'open-image':
        await this.openImage(m);
        break;
      case 'open-merger':
        await loadElement('im-merger-dialog');
        void dialogs.merger?.show(m);
        break;
      case 'quote':
        await this.jumpTo(detail.messageID ?? '');
        break;
    }
    this.host.requestUpdate();
  }

  /** A reaction was picked in the reaction picker. */
  reactionPicked(emoji: string): void {
    const m = this.reacting;
    this.reacting = null;
    if (m) void this.options.reactions.toggle(m, emoji);
  }

  /** Delete the selected messages (selection mode). */
  async deleteSelected(): Promise<void> {
    await this.remove(this.options.forward.selectedMessages());
    this.options.forward.endSelection();
  }

  private async openImage(m: Message): Promise<void> {
    const payload = m.payload as Partial<ImagePayload>;
    const large = imageRendition(payload, [1, 0, 2]);
    const original = imageRendition(payload, [0]);
    const src = safeUrl(large?.url) ?? this.options.timeline.previews.get(m.ID);
    if (!src) return;
    await loadElement('im-lightbox');
    void this.options.dialogs().lightbox?.show({
      src,
      alt: `Image from ${senderName(m)}`,
      width: large?.width,
      height: large?.height,
      original: safeUrl(original?.url),
    });
  }

  private async jumpTo(messageID: string): Promise<void> {
    const el = await this.options.revealMessage(messageID);
    if (!el) {
      this.notify('The original message is not loaded');
      return;
    }
    this.highlighted = messageID;
    if (this.highlightTimer) clearTimeout(this.highlightTimer);
    this.highlightTimer = setTimeout(() => {
      this.highlighted = '';
      this.host.requestUpdate();
    }, HIGHLIGHT_MS);
  }

  private async recall(m: Message): Promise<void> {
    const client = this.options.client();
    if (!client) return;
    try {
      const res = await client.revokeMessage(m);
      const revoker = res.data.message?.revoker || this.options.userID();
      this.options.timeline.replace([{ ...m, ...res.data.message, isRevoked: true, revoker }]);
      if (this.options.compose.editing?.ID === m.ID) this.options.compose.cancel('edit');
    } catch (error) {
      this.options.onError(error);
    }
  }

  private async remove(list: Message[]): Promise<void> {
    const client = this.options.client();
    if (!client || list.length === 0) return;
    const many = list.length > 1;
    await loadElement('im-confirm-dialog');
    const confirm = this.options.dialogs().confirm;
    const ok = confirm
      ? await confirm.ask({
          heading: many ? `Delete ${list.length} messages?` : 'Delete message?',
          message: 'Deleted for you only: the other people in the chat still see it.',
          confirmLabel: 'Delete',
        })
      : true;
    if (!ok) return;
    try {
      for (let i = 0; i < list.length; i += LIMITS.deleteMessagesPerCall) {
        await client.deleteMessage(list.slice(i, i + LIMITS.deleteMessagesPerCall));
      }
      this.options.timeline.remove(list.map((m) => m.ID));
      this.notify(many ? `${list.length} messages deleted` : 'Message deleted');
    } catch (error) {
      this.options.onError(error);
    }
  }

  private async translate(m: Message): Promise<void> {
    const client = this.options.client();
    if (!client) return;
    if (this.translations.delete(m.ID)) return;
    const language = this.options.translateTo();
    this.translations.set(m.ID, { loading: true, language });
    this.host.requestUpdate();
    try {
      const res = await client.translateText({
        sourceTextList: [textOf(m)],
        targetLanguage: language,
      });
      this.translations.set(m.ID, { text: res.data.translatedTextList[0] ?? '', language });
    } catch (error) {
      const e = error as { message?: unknown };
      const message = typeof e?.message === 'string' && e.message ? e.message : String(error);
      this.translations.set(m.ID, { error: message, language });
    }
  }
}
