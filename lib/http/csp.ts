import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The Content-Security-Policy of everything Next serves. Only our own origin,
 * everywhere. Scripts: our own files, and inline scripts only with this
 * response's nonce (Next's bootstrap and flight data), so a script injected
 * into the page does not run. MapLibre and deck.gl need workers, blobs and
 * data: URLs (icon atlas, fonts); React and MapLibre set inline styles.
 * Development adds 'unsafe-eval' for React's dev tooling.
 */
export function pagePolicy(nonce: string, { dev }: { dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' data: blob:",
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * A fresh nonce for this request, in the response's policy and in the
 * request's own `Content-Security-Policy` header, which is where Next reads
 * the nonce it puts on its inline scripts (next/dist/server/app-render/
 * get-script-nonce-from-header.js). Replaces whatever policy the client sent,
 * so a client cannot choose the nonce. Pages must render dynamically for this
 * to reach them (app/layout.tsx). Returns the nonce.
 */
export function applyPageCsp(req: IncomingMessage, res: ServerResponse): string {
  const nonce = randomBytes(16).toString('base64');
  // Next sets NODE_ENV when it prepares: 'development' only for the dev server.
  const policy = pagePolicy(nonce, { dev: process.env.NODE_ENV === 'development' });
  req.headers['content-security-policy'] = policy;
  delete req.headers['content-security-policy-report-only'];
  res.setHeader('Content-Security-Policy', policy);
  return nonce;
}
