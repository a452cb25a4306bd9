import type { IncomingMessage } from 'node:http';

/**
 * A browser request is same-origin when its Origin header names the host it
 * was sent to. Requests without Origin come from non-browser clients (devices,
 * scripts), which carry no ambient cookies to abuse, so they pass; the
 * session check still applies to them.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const host = req.headers.host;
  if (!host || origin === 'null') return false;
  try {
    return new URL(origin).host === host;
  } catch {
    // An Origin that is not a URL is not ours.
    return false;
  }
}
