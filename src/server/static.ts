/**
 * Static files (the browser bundle at the root, demo pages under /demo/): content types,
 * `Cache-Control: no-cache`, `Access-Control-Allow-Origin: *` (module scripts from other origins),
 * index.html for directories, and no path traversal: the decoded path must stay inside the root
 * after resolving `..` and symlinks.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Resolves `relative` (a URL path below the mount point, still percent-encoded) to a file inside
 * `root`; null when it does not exist or would escape.
 */
export async function resolveStatic(root: string, relative: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.split(/[\\/]/).includes('..')) return null;
  const absRoot = resolve(root);
  let file = resolve(absRoot, '.' + (decoded.startsWith('/') ? decoded : '/' + decoded));
  if (!inside(absRoot, file)) return null;
  try {
    let info = await stat(file);
    if (info.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file);
    }
    if (!info.isFile()) return null;
    const [realRoot, realFile] = await Promise.all([realpath(absRoot), realpath(file)]);
    return inside(realRoot, realFile) ? realFile : null;
  } catch {
    return null;
  }
}

export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
): Promise<void> {
  const info = await stat(file);
  res.writeHead(200, {
    'Content-Type': contentType(file),
    'Content-Length': info.size,
    'Cache-Control': 'no-cache',
    'Last-Modified': info.mtime.toUTCString(),
    'X-Content-Type-Options': 'nosniff',
    // The script tag (type=module) and its chunks load from any page's origin: modules need CORS.
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolveDone, reject) => {
    const stream = createReadStream(file);
    stream.on('error', reject);
    stream.on('end', resolveDone);
    stream.pipe(res);
  });
}
