// Whose request is this: the client's address, also behind a proxy we run
// (nginx in front of several processes, `npm run start:cluster`). Every
// per-address count — failed sign-ins, sockets per address, the denied-request
// audit — and the audit log's `ip` read it. Without a trusted proxy it is the
// TCP peer, as before; behind one, every request's peer is the proxy, and
// the count would lump all clients together.
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

/** Whether a TCP peer is a proxy whose X-Forwarded-For is believed. */
export type TrustedProxy = (peer: string) => boolean;

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/**
 * TRUST_PROXY's value: unset, `false` or `off` trusts no one (the peer is the
 * client); `loopback` trusts a proxy on this host (127.0.0.0/8, ::1); or a
 * comma-separated list of exact addresses, `loopback` among them if wanted.
 * Throws on an entry that is neither.
 */
export function parseTrustProxy(setting: string | undefined): TrustedProxy {
  const value = (setting ?? '').trim().toLowerCase();
  if (['', 'false', 'off', 'no', '0'].includes(value)) return () => false;
  const exact = new Set<string>();
  let loopback = false;
  for (const entry of value.split(',').map((e) => e.trim())) {
    if (entry === 'loopback') loopback = true;
    else if (isIP(entry)) exact.add(entry);
    else throw new Error(`TRUST_PROXY: "${entry}" is not an IP address or "loopback"`);
  }
  return (peer) => (loopback && LOOPBACK.test(peer)) || exact.has(peer) || exact.has(peer.replace(/^::ffff:/, ''));
}

/**
 * The client's address: the TCP peer, unless the peer is a trusted proxy —
 * then the last X-Forwarded-For entry, the address the proxy itself saw
 * (entries before it are whatever the client claimed). Our nginx config
 * replaces the header with that one address. A missing or malformed header
 * from a trusted proxy leaves the peer.
 */
export function clientAddress(
  req: { socket: { remoteAddress?: string }; headers: IncomingHttpHeaders },
  trusted: TrustedProxy,
): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (!trusted(peer)) return peer;
  const last = lastEntry(req.headers['x-forwarded-for']);
  return isIP(last) ? last : peer;
}

/** A forwarded header's last comma-separated entry, trimmed (what our own proxy wrote; entries before it are the client's); '' when absent. */
function lastEntry(header: string | string[] | undefined): string {
  return (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').at(-1)?.trim() ?? '';
}

/**
 * Whether the client's own connection is HTTPS, so its session cookie may be
 * marked Secure: ours is TLS, or the peer is a trusted proxy that says its
 * connection was (the last X-Forwarded-Proto entry is `https`; our nginx
 * config sets it). Anyone else's X-Forwarded-Proto is not believed: a client
 * on plain HTTP that sent it would get a Secure cookie its browser never
 * sends back.
 */
export function clientSecure(
  req: { socket: { remoteAddress?: string; encrypted?: boolean }; headers: IncomingHttpHeaders },
  trusted: TrustedProxy,
): boolean {
  if (req.socket.encrypted === true) return true;
  if (!trusted(req.socket.remoteAddress ?? 'unknown')) return false;
  return lastEntry(req.headers['x-forwarded-proto']).toLowerCase() === 'https';
}
