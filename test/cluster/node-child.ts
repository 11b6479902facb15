/**
 * One server node of the cluster suite and the cluster benchmark, in a process of its own so that
 * killing it is a real crash. Options come as JSON in argv[2]; prints one JSON line
 * {url, port, app} once listening, and closes on SIGTERM.
 */
import { startServer, type ServerOptions } from '../../src/server/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as ServerOptions;
const server = await startServer({ port: 0, host: '127.0.0.1', log: false, ...options });
process.stdout.write(
  JSON.stringify({ url: server.url, port: server.port, app: server.app }) + '\n',
);
process.on('SIGTERM', () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
