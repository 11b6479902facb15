/**
 * Process-local counters, exposed as Prometheus text on `GET /metrics`.
 *
 * - `im_ws_connections`: open authenticated sockets on this node (gauge)
 * - `im_ws_sockets`: open sockets including those not logged in yet (gauge)
 * - `im_users_online`: distinct users with at least one authenticated socket on this node (gauge)
 * - `im_messages_total`: messages committed since start (counter; idempotent retries not counted)
 * - `im_frames_total`: request frames read (counter)
 * - `im_frame_errors_total`: frames answered with an error (counter)
 * - `im_rate_limited_total{limit="send|group|connection"}`: requests refused by a rate limit
 *   (limits.ts): sends over the user's rate, group messages shed, WebSocket upgrades answered 429
 */
export class Metrics {
  sockets = 0;
  connections = 0;
  usersOnline = 0;
  messages = 0;
  frames = 0;
  frameErrors = 0;
  readonly rateLimited = { send: 0, group: 0, connection: 0 };

  prometheus(): string {
    const lines: string[] = [];
    const metric = (name: string, type: 'gauge' | 'counter', help: string, value: number) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    };
    metric(
      'im_ws_connections',
      'gauge',
      'Open authenticated WebSocket connections.',
      this.connections,
    );
    metric('im_ws_sockets', 'gauge', 'Open WebSocket connections, logged in or not.', this.sockets);
    metric(
      'im_users_online',
      'gauge',
      'Users with at least one authenticated connection.',
      this.usersOnline,
    );
    metric('im_messages_total', 'counter', 'Messages committed since start.', this.messages);
    metric('im_frames_total', 'counter', 'Request frames received.', this.frames);
    metric(
      'im_frame_errors_total',
      'counter',
      'Request frames answered with an error.',
      this.frameErrors,
    );
    lines.push(
      '# HELP im_rate_limited_total Requests refused by a rate limit.',
      '# TYPE im_rate_limited_total counter',
      ...Object.entries(this.rateLimited).map(
        ([limit, n]) => `im_rate_limited_total{limit="${limit}"} ${n}`,
      ),
    );
    return lines.join('\n') + '\n';
  }
}
