import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { getScriptNonceFromHeaders } from 'next/dist/server/app-render/get-script-nonce-from-header';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyPageCsp, pagePolicy } from '../../lib/http/csp';

const directive = (policy: string, name: string) => policy.split('; ').find((d) => d.startsWith(`${name} `));

function exchange(headers: Record<string, string> = {}) {
  const req = new IncomingMessage(new Socket());
  req.headers = { ...headers };
  return { req, res: new ServerResponse(req) };
}

describe('the page content security policy', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('allows inline scripts only with the nonce, eval only in development, and keeps what the map needs', () => {
    const prod = pagePolicy('bm9uY2Vub25jZW5vbmNlMQ==', { dev: false });
    expect(directive(prod, 'script-src')).toBe("script-src 'self' 'nonce-bm9uY2Vub25jZW5vbmNlMQ=='");
    expect(directive(pagePolicy('x', { dev: true }), 'script-src')).toBe("script-src 'self' 'nonce-x' 'unsafe-eval'");
    expect(directive(prod, 'worker-src')).toBe("worker-src 'self' blob:");
    expect(directive(prod, 'img-src')).toBe("img-src 'self' data: blob:");
    expect(directive(prod, 'object-src')).toBe("object-src 'none'");
    expect(directive(prod, 'frame-ancestors')).toBe("frame-ancestors 'none'");
  });

  it('puts a fresh nonce in the request (where Next reads it) and in exactly one response header, replacing a client-sent policy', () => {
    vi.stubEnv('NODE_ENV', 'production');
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const { req, res } = exchange({
        'content-security-policy': "script-src 'nonce-chosenbytheclient'",
        'content-security-policy-report-only': "script-src 'nonce-chosenbytheclient'",
      });
      const nonce = applyPageCsp(req, res);
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(getScriptNonceFromHeaders(req.headers)).toBe(nonce);
      expect(req.headers['content-security-policy-report-only']).toBeUndefined();
      expect(res.getHeader('content-security-policy')).toBe(req.headers['content-security-policy']);
      expect(String(res.getHeader('content-security-policy'))).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      seen.add(nonce);
    }
    expect(seen.size).toBe(50);
  });

  it("adds 'unsafe-eval' only when Next runs as the development server", () => {
    vi.stubEnv('NODE_ENV', 'development');
    const { req, res } = exchange();
    applyPageCsp(req, res);
    expect(directive(String(res.getHeader('content-security-policy')), 'script-src')).toMatch(/ 'unsafe-eval'$/);
  });
});
