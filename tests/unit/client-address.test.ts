import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientAddress, clientSecure, parseTrustProxy } from '@/lib/http/client-address';

const req = (peer: string | undefined, xff?: string | string[]) => ({
  socket: { remoteAddress: peer },
  headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
});

describe('clientAddress', () => {
  const loopback = parseTrustProxy('loopback');

  it('is the proxy-seen address behind nginx on this host', () => {
    expect(clientAddress(req('127.0.0.1', '203.0.113.7'), loopback)).toBe('203.0.113.7');
    expect(clientAddress(req('::ffff:127.0.0.1', '2001:db8::5'), loopback)).toBe('2001:db8::5');
    expect(clientAddress(req('::1', '198.51.100.2'), loopback)).toBe('198.51.100.2');
  });

  it('believes only the last entry: what the client wrote in front is its own claim', () => {
    expect(clientAddress(req('127.0.0.1', '10.0.0.1, 203.0.113.7'), loopback)).toBe('203.0.113.7');
    expect(clientAddress(req('127.0.0.1', ['10.0.0.1', '203.0.113.7']), loopback)).toBe('203.0.113.7');
  });

  it('is the peer when the peer is not a trusted proxy, whatever the header says', () => {
    expect(clientAddress(req('198.51.100.9', '203.0.113.7'), loopback)).toBe('198.51.100.9');
    expect(clientAddress(req('127.0.0.1', '203.0.113.7'), parseTrustProxy(undefined))).toBe('127.0.0.1');
    expect(clientAddress(req('127.0.0.1', '203.0.113.7'), parseTrustProxy('false'))).toBe('127.0.0.1');
  });

  it('is the peer when a trusted proxy sent no address or a malformed one', () => {
    expect(clientAddress(req('127.0.0.1'), loopback)).toBe('127.0.0.1');
    expect(clientAddress(req('127.0.0.1', 'evil'), loopback)).toBe('127.0.0.1');
    expect(clientAddress(req('127.0.0.1', '203.0.113.7, '), loopback)).toBe('127.0.0.1');
    expect(clientAddress(req(undefined, '203.0.113.7'), loopback)).toBe('unknown');
  });

  it('trusts listed addresses exactly, also in their IPv4-mapped form', () => {
    const listed = parseTrustProxy('10.1.2.3, loopback');
    expect(clientAddress(req('10.1.2.3', '203.0.113.7'), listed)).toBe('203.0.113.7');
    expect(clientAddress(req('::ffff:10.1.2.3', '203.0.113.7'), listed)).toBe('203.0.113.7');
    expect(clientAddress(req('10.1.2.4', '203.0.113.7'), listed)).toBe('10.1.2.4');
    expect(clientAddress(req('127.0.0.5', '203.0.113.7'), listed)).toBe('203.0.113.7');
  });

  it('refuses a TRUST_PROXY entry that is not an address', () => {
    expect(() => parseTrustProxy('10.0.0.0/8')).toThrow('"10.0.0.0/8" is not an IP address');
    expect(() => parseTrustProxy('true')).toThrow('"true"');
  });

  it('behind a trusted proxy is always the last entry; from anyone else always the peer', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string())), fc.oneof(fc.ipV4(), fc.ipV6()), (claimed, seen) => {
        const xff = [...claimed, seen].join(', ');
        expect(clientAddress(req('127.0.0.1', xff), loopback)).toBe(seen);
        expect(clientAddress(req('192.0.2.1', xff), loopback)).toBe('192.0.2.1');
      }),
    );
  });
});

describe('clientSecure', () => {
  const loopback = parseTrustProxy('loopback');
  const proto = (peer: string, value?: string | string[], encrypted?: boolean) => ({
    socket: { remoteAddress: peer, ...(encrypted === undefined ? {} : { encrypted }) },
    headers: value === undefined ? {} : { 'x-forwarded-proto': value },
  });

  it('is HTTPS when a trusted proxy says its connection was (the last entry, any case)', () => {
    expect(clientSecure(proto('127.0.0.1', 'https'), loopback)).toBe(true);
    expect(clientSecure(proto('::1', 'HTTPS'), loopback)).toBe(true);
    expect(clientSecure(proto('127.0.0.1', 'http, https'), loopback)).toBe(true);
    expect(clientSecure(proto('127.0.0.1', 'https, http'), loopback)).toBe(false);
    expect(clientSecure(proto('127.0.0.1', 'http'), loopback)).toBe(false);
    expect(clientSecure(proto('127.0.0.1'), loopback)).toBe(false);
  });

  it('does not believe anyone else’s X-Forwarded-Proto: a plain-HTTP client would get a cookie it never sends back', () => {
    expect(clientSecure(proto('198.51.100.9', 'https'), loopback)).toBe(false);
    expect(clientSecure(proto('127.0.0.1', 'https'), parseTrustProxy(undefined))).toBe(false);
  });

  it('is HTTPS on a TLS connection of our own, whoever the peer is', () => {
    expect(clientSecure(proto('198.51.100.9', undefined, true), parseTrustProxy(undefined))).toBe(true);
    expect(clientSecure(proto('198.51.100.9', 'http', true), loopback)).toBe(true);
  });
});
