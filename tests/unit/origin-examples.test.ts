// Same-origin check for browser requests (lib/auth/origin.ts), by example.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sameOrigin } from '../../lib/auth/origin';

const req = (headers: Record<string, string | undefined>) => ({ headers }) as unknown as IncomingMessage;

describe('sameOrigin', () => {
  it('passes a request without Origin: devices and scripts send none', () => {
    expect(sameOrigin(req({ host: 'gridsight.example:3000' }))).toBe(true);
    expect(sameOrigin(req({}))).toBe(true);
  });

  it('passes an Origin naming the host the request was sent to, whatever the scheme', () => {
    expect(sameOrigin(req({ origin: 'http://gridsight.example:3000', host: 'gridsight.example:3000' }))).toBe(true);
    expect(sameOrigin(req({ origin: 'https://10.0.0.5', host: '10.0.0.5' }))).toBe(true);
  });

  it('refuses another host, another port, or a default port spelt out differently', () => {
    expect(sameOrigin(req({ origin: 'http://evil.example:3000', host: 'gridsight.example:3000' }))).toBe(false);
    expect(sameOrigin(req({ origin: 'http://gridsight.example:3001', host: 'gridsight.example:3000' }))).toBe(false);
    expect(sameOrigin(req({ origin: 'http://gridsight.example', host: 'gridsight.example:3000' }))).toBe(false);
  });

  it('refuses Origin "null", an Origin that is not a URL, and an Origin without a Host', () => {
    expect(sameOrigin(req({ origin: 'null', host: 'null' }))).toBe(false);
    expect(sameOrigin(req({ origin: 'not a url', host: 'gridsight.example' }))).toBe(false);
    expect(sameOrigin(req({ origin: 'http://gridsight.example' }))).toBe(false);
    expect(sameOrigin(req({ origin: 'http://gridsight.example', host: '' }))).toBe(false);
    // A URL without a host (file:) against an empty Host header: equal hosts, still refused.
    expect(sameOrigin(req({ origin: 'file:///etc/passwd', host: '' }))).toBe(false);
  });
});
