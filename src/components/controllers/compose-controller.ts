/**
 * What the composer of `<im-chat>` sends: text (a quoted reply carries TUIKit's `messageReply` in
 * `cloudCustomData`; group text with picked mentions goes through `createTextAtMessage`; group
 * messages ask for receipts when the chat says so), files (images, videos and audio as such, the
 * rest as files, with upload progress), and edits of own text (`modifyMessage`; on a 2480 conflict
 * the latest text is shown and editing goes on).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient } from '../../core/client-types.js';
import { ErrorCode } from '../../protocol/codes.js';
import { LIMITS } from '../../protocol/constants.js';
import type { Message, TextPayload } from '../../protocol/types.js';
import { fileKind, humanSize, mediaDuration, replyFor, withReply } from '../base/message-utils.js';
import type { MessageFactory, MessageListController } from './message-list-controller.js';

export interface ComposeOptions {
  client: () => ChatClient | null;
  conversationID: () => string;
  /** Group messages ask for read receipts. */
  needReadReceipt: () => boolean;
  timeline: MessageListController;
  /** Put text into the composer (the latest version after an edit conflict). */
  setComposerText: (text: string) => void;
  scrollToBottom: () => void;
  notify: (text: string) => void;
  onError: (error: unknown) => void;
}

export const textOf = (m: Message): string =>
  String((m.payload as Partial<TextPayload>).text ?? '');

export class ComposeController implements ReactiveController {
  /** The message being replied to. */
  replyTo: Message | null = null;
  /** The message being edited. */
  editing: Message | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ComposeOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  reset(): void {
    this.replyTo = null;
    this.editing = null;
  }

  private get isGroup(): boolean {
    return this.options.conversationID().startsWith('GROUP');
  }

  private receipt(): { needReadReceipt?: boolean } {
    return this.isGroup && this.options.needReadReceipt() ? { needReadReceipt: true } : {};
  }

  reply(m: Message): void {
    this.editing = null;
    this.replyTo = m;
    this.host.requestUpdate();
  }

  edit(m: Message): void {
    this.replyTo = null;
    this.editing = m;
    this.host.requestUpdate();
  }

  cancel(what: 'reply' | 'edit'): void {
    if (what === 'reply') this.replyTo = null;
    else this.editing = null;
    this.host.requestUpdate();
  }

  /** Send the composer's text. */
  async sendText(text: string, atUserList: string[]): Promise<void> {
    const reply = this.replyTo;
    this.replyTo = null;
    this.host.requestUpdate();
    const extra = {
      ...(reply ? { cloudCustomData: withReply('', replyFor(reply)) } : {}),
      ...this.receipt(),
    };
    const sending = this.options.timeline.send((client, target) =>
      this.isGroup && atUserList.length
        ? client.createTextAtMessage({ ...target, ...extra, payload: { text, atUserList } })
        : client.createTextMessage({ ...target, ...extra, payload: { text } }),
    );
    this.options.scrollToBottom();
    await sending;
  }

  /** Send picked, pasted or dropped files. */
  async sendFiles(files: readonly File[]): Promise<void> {
    const sends: Promise<unknown>[] = [];
    for (const file of files) {
      const kind = fileKind(file);
      const limit = LIMITS.uploadBytes[kind];
      if (file.size > limit) {
        this.options.onError({
          code: ErrorCode.UPLOAD_TOO_LARGE,
          message: `${file.name} is larger than ${humanSize(limit)}`,
        });
        continue;
      }
      const duration = kind === 'audio' ? await mediaDuration(file) : undefined;
      const preview = kind === 'image' || kind === 'video' ? URL.createObjectURL(file) : undefined;
      const receipt = this.receipt();
      const factory: MessageFactory = (client, target, onProgress) => {
        const base = { ...target, ...receipt, onProgress };
        switch (kind) {
          case 'image':
            return client.createImageMessage({ ...base, payload: { file } });
          case 'video':
            return client.createVideoMessage({ ...base, payload: { file } });
          case 'audio':
            return client.createAudioMessage({
              ...base,
              payload: duration === undefined ? { file } : { file, duration },
            });
          default:
            return client.createFileMessage({ ...base, payload: { file } });
        }
      };
      sends.push(this.options.timeline.send(factory, preview));
      this.options.scrollToBottom();
    }
    await Promise.all(sends);
  }

  /** Edit mode: save the text. */
  async save(text: string): Promise<void> {
    const m = this.editing;
    const client = this.options.client();
    if (!m || !client) return;
    if (text === textOf(m)) {
      this.cancel('edit');
      return;
    }
    try {
      const res = await client.modifyMessage({ ...m, payload: { ...m.payload, text } });
      this.options.timeline.replace([res.data.message]);
      if (this.editing === m) this.editing = null;
    } catch (error) {
      const e = error as { code?: number; data?: { message?: Message } };
      const latest = e?.data?.message;
      if (e?.code === ErrorCode.MODIFY_CONFLICT && latest) {
        this.options.timeline.replace([latest]);
        this.editing = latest;
        this.options.setComposerText(textOf(latest));
        this.options.notify(
          'Someone else changed this message: the latest version is shown. Save again.',
        );
      } else {
        this.options.onError(error);
      }
    }
    this.host.requestUpdate();
  }
}
