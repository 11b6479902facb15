/** A scripted stand-in for WebSocket, for the connection state machine tests. */
import type { SocketLike } from '../../src/worker/connection.js';

export interface SentFrame {
  id: number;
  op: string;
  data: unknown;
}

export class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: SentFrame[] = [];
  closedWith: { code?: number; reason?: string } | null = null;
  onopen: ((event: any) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: any) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as SentFrame);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = 3;
  }

  // --- what the "server" does ---

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** Answer the newest request of `op` with `data` (code 0) or an error. */
  answer(op: string, data: unknown = {}, error?: { code: number; message: string }): void {
    const req = [...this.sent].reverse().find((f) => f.op === op);
    if (!req) throw new Error(`no ${op} request was sent`);
    this.receive(error ? { id: req.id, ...error } : { id: req.id, code: 0, data });
  }

  /** A protocol 1 login, or a protocol 2 one when it names a change cursor. */
  acceptLogin(cursor = 0, changeCursor?: number): void {
    this.answer('login', {
      userID: 'u',
      tinyID: 7,
      serverTime: Math.floor(Date.now() / 1000),
      cursor,
      ...(changeCursor === undefined ? { protocol: 1 } : { changeCursor, protocol: 2 }),
    });
  }

  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  ops(): string[] {
    return this.sent.map((f) => f.op);
  }
}

export function socketFactory() {
  const sockets: FakeSocket[] = [];
  const factory = (url: string) => {
    const s = new FakeSocket(url);
    sockets.push(s);
    return s;
  };
  return { sockets, factory, last: () => sockets[sockets.length - 1] };
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await tick(5);
  }
}
