/**
 * HTTP routes (plain node:http):
 * - GET /healthz                 `{"status":"ok"}`
 * - GET /metrics                 Prometheus text (metrics.ts)
 * - GET /dev/usersig?userID=...  dev mode only (404 otherwise): `{SDKAppID, userID, userSig}`, CORS *
 * - POST /upload, GET /media/<uuid>/<file>   uploads and media (media-http.ts)
 * - GET /demo -> /demo/, /demo/* files of demoDir
 * - GET /*                       files of staticDir (im.js, im-worker.js, bridge.html, chunks/...);
 *                                in dev mode `/` redirects to /demo/ when staticDir has no index.html
 * The WebSocket upgrade (`/ws`) is handled in index.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from './log.js';
import type { MediaHttp } from './media-http.js';
import type { Metrics } from './metrics.js';
import { resolveStatic, sendFile } from './static.js';

export interface HttpOptions {
  dev: boolean;
  staticDir: string;
  demoDir: string;
  metrics: Metrics;
  log: Logger;
  SDKAppID: number;
  genUserSig(userID: string): string;
  media?: MediaHttp;
}

const USER_ID = /^[A-Za-z0-9_-]{1,32}$/;

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function text(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

const CORS = { 'Access-Control-Allow-Origin': '*' };

export function createHttpHandler(options: HttpOptions) {
  const { metrics, log } = options;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/dev/usersig' && options.dev) {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          ...CORS,
          'Access-Control-Allow-Methods': 'GET',
          'Access-Control-Max-Age': '600',
        });
        res.end();
        return;
      }
      if (req.method !== 'GET')
        return text(res, 405, 'method not allowed\n', { Allow: 'GET', ...CORS });
      const userID = url.searchParams.get('userID') ?? '';
      if (!USER_ID.test(userID))
        return json(res, 400, { error: 'userID must match [A-Za-z0-9_-]{1,32}' }, CORS);
      return json(
        res,
        200,
        { SDKAppID: options.SDKAppID, userID, userSig: options.genUserSig(userID) },
        CORS,
      );
    }
    if (path.startsWith('/dev/')) return text(res, 404, 'not found\n');
    if (options.media && path === '/upload') return options.media.upload(req, res, url);
    if (options.media && path.startsWith('/media/')) return options.media.media(req, res, path);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return text(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    }
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path === '/metrics') {
      return text(res, 200, metrics.prometheus(), {
        'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
      });
    }
    if (path === '/demo') {
      res.writeHead(301, { Location: '/demo/' + url.search });
      res.end();
      return;
    }
    const rawPath = (req.url ?? '/').split('?')[0];
    const [root, relative] = rawPath.startsWith('/demo/')
      ? [options.demoDir, rawPath.slice('/demo'.length)]
      : [options.staticDir, rawPath];
    const file = await resolveStatic(root, relative);
    if (!file && path === '/' && options.dev) {
      res.writeHead(302, { Location: '/demo/' });
      res.end();
      return;
    }
    if (!file) {
      log.debug('not found', { path: rawPath });
      return text(res, 404, 'not found\n');
    }
    await sendFile(req, res, file);
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    route(req, res).catch((err: unknown) => {
      log.error('http request failed', { url: req.url, err });
      if (!res.headersSent) text(res, 500, 'internal error\n');
      else res.destroy();
    });
  };
}
