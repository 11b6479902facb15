/**
 * Addresses: whether a bind host is loopback (dev mode refuses anything else unless told), and
 * the key a client address is rate-limited under.
 *
 * - IPv4 addresses (also IPv4-mapped IPv6, `::ffff:1.2.3.4`) are their own key.
 * - IPv6 addresses are grouped by their /64 prefix: one subscriber usually holds a whole /64, so
 *   keying by the full address would let one client rotate through 2^64 keys.
 * - Behind a reverse proxy every socket comes from the proxy: with `trustProxy` the client is the
 *   last (rightmost) address of `X-Forwarded-For`, the one the proxy in front of this server
 *   appended. Only turn it on when a proxy you run always sets that header, otherwise clients can
 *   pick their own key.
 */
import type { IncomingMessage } from 'node:http';
import { isIP, isIPv6 } from 'node:net';

/** Hosts a dev server may bind without `--allow-remote-dev`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** The eight 16-bit groups of an IPv6 address (no zone), or null. */
function ipv6Groups(address: string): number[] | null {
  const ip = address.split('%')[0];
  if (!isIPv6(ip)) return null;
  const expand = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const group of part.split(':')) {
      if (group.includes('.')) {
        const [a, b, c, d] = group.split('.').map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else out.push(parseInt(group, 16));
    }
    return out;
  };
  const [head, tail] = ip.split('::');
  const left = expand(head);
  if (tail === undefined) return left;
  const right = expand(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** The rate-limit key of a client address: the IPv4 address, or the IPv6 /64 prefix. */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIP(address) === 4) return address;
  const groups = ipv6Groups(address);
  if (!groups) return address;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The client address of an HTTP request (see the module comment for `trustProxy`). */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const value = Array.isArray(header) ? header.join(',') : header;
    const last = value
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .at(-1);
    if (last && isIP(last)) return last;
  }
  return req.socket.remoteAddress ?? '';
}
