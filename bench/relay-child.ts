// The baseline: a bare `ws` relay with no auth and no storage. A client says who it is with
// `{hello: userID}`; `{to, body}` frames are forwarded as they are to that user's socket.
import { WebSocketServer, type WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
const sockets = new Map<string, WebSocket>();
wss.on('connection', (ws) => {
  ws.on('message', (raw) => {
    const frame = JSON.parse(String(raw)) as { hello?: string; to?: string; id?: number };
    if (frame.hello) {
      sockets.set(frame.hello, ws);
      ws.send(JSON.stringify({ id: frame.id ?? 0, code: 0 }));
      return;
    }
    sockets.get(frame.to ?? '')?.send(String(raw));
    ws.send(JSON.stringify({ id: frame.id, code: 0 }));
  });
});
wss.on('listening', () => {
  const address = wss.address();
  const port = address !== null && typeof address === 'object' ? address.port : 0;
  process.stdout.write(JSON.stringify({ url: `ws://127.0.0.1:${port}` }) + '\n');
});
const stop = () => wss.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
