/**
 * WebSocket transport: the only module that imports `ws`.
 *
 * - Upgrades on the path chosen by the HTTP layer (`/ws`); `maxPayload` is LIMITS.frameBytes, so
 *   a larger frame makes ws close the socket with 1009 (Message Too Big).
 * - Heartbeats: every `heartbeatMs` each socket that did not answer the previous ping is
 *   terminated, the others are pinged (ws README recipe). Browsers answer pings by themselves.
 * - close(): every socket gets 4501 (server shutdown); resolves when all are closed (sockets that
 *   do not finish the closing handshake within CLOSE_GRACE_MS are terminated).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CloseCode } from '../protocol/codes.js';
import { LIMITS } from '../protocol/constants.js';
import type { WireSocket } from './connection.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';

export interface SocketHandlers {
  onText(text: string): void;
  onBinary(): void;
  onClose(code: number): void;
}

export interface TransportOptions {
  heartbeatMs: number;
  /**
   * Prefix of the socket IDs. Socket IDs travel on the bus (a push "to every socket of the user but
   * this one"), so with several nodes they must differ between nodes: index.ts passes the node ID.
   */
  idPrefix?: string;
  metrics: Metrics;
  log: Logger;
  /** Called for every accepted socket; returns its frame handlers. */
  accept(socket: WireSocket): SocketHandlers;
}

const CLOSE_GRACE_MS = 2000;

interface Tracked {
  ws: WebSocket;
  alive: boolean;
  closed: Promise<void>;
}

function toText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export class Transport {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: LIMITS.frameBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });
  private readonly sockets = new Set<Tracked>();
  private readonly heartbeat: NodeJS.Timeout;
  private counter = 0;
  private closing = false;

  constructor(private readonly options: TransportOptions) {
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs);
    this.heartbeat.unref();
  }

  private beat(): void {
    for (const tracked of this.sockets) {
      if (!tracked.alive) {
        tracked.ws.terminate();
        continue;
      }
      tracked.alive = false;
      tracked.ws.ping();
    }
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closing) {
      socket.write(
        'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
      );
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    const { metrics, log } = this.options;
    const id = `${this.options.idPrefix ?? ''}c${++this.counter}`;
    let resolveClosed!: () => void;
    const tracked: Tracked = { ws, alive: true, closed: new Promise((r) => (resolveClosed = r)) };
    this.sockets.add(tracked);
    metrics.sockets++;
    // Frames sent to one socket in one go (a commit batch answers and pushes many messages at
    // once) leave in one write: the TCP socket is corked at the first and uncorked when the
    // current tick's callbacks are done. ws corks around each frame too; corks nest.
    const tcp = (ws as unknown as { _socket?: Duplex })._socket;
    let corked = false;
    const uncork = () => {
      corked = false;
      tcp!.uncork();
    };
    const wire: WireSocket = {
      id,
      send: (text) => {
        if (tcp && !corked) {
          corked = true;
          tcp.cork();
          process.nextTick(uncork);
        }
        ws.send(text);
      },
      close: (code, reason) => ws.close(code, reason),
      get isOpen() {
        return ws.readyState === ws.OPEN;
      },
    };
    const handlers = this.options.accept(wire);
    ws.on('pong', () => {
      tracked.alive = true;
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) handlers.onBinary();
      else handlers.onText(toText(data));
    });
    ws.on('error', (err) => log.debug('socket error', { conn: id, err }));
    ws.on('close', (code) => {
      this.sockets.delete(tracked);
      metrics.sockets--;
      try {
        handlers.onClose(code);
      } finally {
        resolveClosed();
      }
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    const pending = [...this.sockets];
    for (const { ws } of pending) ws.close(CloseCode.SERVER_SHUTDOWN, 'server shutdown');
    const grace = setTimeout(() => {
      for (const { ws } of this.sockets) ws.terminate();
    }, CLOSE_GRACE_MS);
    await Promise.all(pending.map((t) => t.closed));
    clearTimeout(grace);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
