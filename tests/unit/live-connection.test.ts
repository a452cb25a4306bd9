// The live hook's connection state (lib/hooks/use-live.ts, LiveStore): since
// when the link is down, which build the server runs and whether it changed,
// and the resync after a reconnect that missed events. The socket itself is
// exercised end to end (tests/e2e, bench/reconnect.ts); here the store is fed
// the events the socket would deliver, with the clock given.
import { afterEach, describe, expect, it } from 'vitest';
import { LiveStore } from '../../lib/hooks/use-live';
import { LIVE_SOCKET_OPTIONS } from '../../lib/live/socket-options';
import type { HelloPayload } from '../../lib/model';

const hello = (over: Partial<HelloPayload> = {}): HelloPayload => ({ serverTime: 1_000, origin: 'p1', seq: 0, dataAsOf: 900, buildId: 'build-a', ...over });

describe('LiveStore', () => {
  let store: LiveStore;
  afterEach(() => store.dispose());

  it('stamps lostSince when a connected link goes down, keeps the first moment through failed retries, clears it on connect', () => {
    store = new LiveStore();
    expect(store.getSnapshot()).toMatchObject({ socket: 'connecting', lostSince: null });
    store.setSocket('connected', 1_000);
    expect(store.getSnapshot()).toMatchObject({ socket: 'connected', lostSince: null });
    store.setSocket('disconnected', 5_000);
    expect(store.getSnapshot()).toMatchObject({ socket: 'disconnected', lostSince: 5_000 });
    // Each failed reconnect attempt reports 'disconnected' again: the outage began at 5,000.
    store.setSocket('disconnected', 6_000);
    store.setSocket('disconnected', 9_000);
    expect(store.getSnapshot().lostSince).toBe(5_000);
    store.setSocket('connected', 12_000);
    expect(store.getSnapshot()).toMatchObject({ socket: 'connected', lostSince: null });
    store.setSocket('disconnected', 20_000);
    expect(store.getSnapshot().lostSince).toBe(20_000);
  });

  it('does not call a first connection that fails a lost one (nothing was shown yet)', () => {
    store = new LiveStore();
    store.setSocket('disconnected', 1_000);
    expect(store.getSnapshot()).toMatchObject({ socket: 'disconnected', lostSince: null });
    store.setSocket('connected', 2_000);
    store.setSocket('disconnected', 3_000);
    expect(store.getSnapshot().lostSince).toBe(3_000);
  });

  it('keeps the first build id and says when a later hello carries another, for good', () => {
    store = new LiveStore();
    expect(store.getSnapshot()).toMatchObject({ buildId: null, buildChanged: false });
    store.hello(hello({ buildId: 'build-a' }), false);
    expect(store.getSnapshot()).toMatchObject({ buildId: 'build-a', buildChanged: false });
    // A reconnect to the same build.
    store.hello(hello({ buildId: 'build-a', seq: 4 }), false);
    expect(store.getSnapshot()).toMatchObject({ buildId: 'build-a', buildChanged: false });
    // The server was redeployed.
    store.hello(hello({ buildId: 'build-b', seq: 0 }), false);
    expect(store.getSnapshot()).toMatchObject({ buildId: 'build-a', buildChanged: true });
    // Rolled back: the page is still not the one the server would serve now, and it was told once.
    store.hello(hello({ buildId: 'build-a' }), false);
    expect(store.getSnapshot().buildChanged).toBe(true);
  });

  it('asks for a resync when a recovered reconnect did not end where the events stopped, not otherwise', () => {
    store = new LiveStore();
    const reasons: string[] = [];
    store.setResyncHandler((r) => reasons.push(r));
    store.hello(hello({ seq: 0 }), false);
    store.tick({ seq: 1, origin: 'p1', serverTime: 1_100, data: { dataAsOf: 1_100 } });
    store.tick({ seq: 2, origin: 'p1', serverTime: 1_200, data: { dataAsOf: 1_200 } });
    // Recovered, and the replay ended exactly at the server's last seq: nothing missed.
    store.hello(hello({ seq: 2 }), true);
    expect(reasons).toEqual([]);
    // Recovered, but the server had sent up to 5 while we saw 2.
    store.hello(hello({ seq: 5 }), true);
    expect(reasons).toEqual(['hello seq 5 from p1 after recovery at 2']);
  });

  it('counts the sequence per process: interleaved origins are no gap, a gap within one origin is, a new origin sets its own baseline', () => {
    store = new LiveStore();
    const reasons: string[] = [];
    store.setResyncHandler((r) => reasons.push(r));
    const tick = (origin: string, seq: number) => store.tick({ seq, origin, serverTime: 1_000 + seq, data: { dataAsOf: 1_000 } });
    store.hello(hello({ origin: 'a', seq: 7 }), false);
    tick('a', 8);
    tick('b', 41); // another process's events, first heard of now
    tick('a', 9);
    tick('b', 42);
    tick('b', 43);
    tick('a', 10);
    expect(reasons).toEqual([]);
    tick('b', 45);
    expect(reasons).toEqual(['seq gap from b: expected 44, got 45']);
    // Process a died; the socket recovered on b, whose replay ended where b's hello says.
    store.hello(hello({ origin: 'b', seq: 45 }), true);
    expect(reasons).toHaveLength(1);
    // A recovered hello from a process whose events we had, ahead of them: missed some.
    tick('c', 3);
    store.hello(hello({ origin: 'c', seq: 5 }), true);
    expect(reasons).toEqual(['seq gap from b: expected 44, got 45', 'hello seq 5 from c after recovery at 3']);
    // A recovered hello from a process never heard from: nothing to compare, nothing missed from it since joining.
    store.hello(hello({ origin: 'd', seq: 900 }), true);
    expect(reasons).toHaveLength(2);
  });
});

describe('LIVE_SOCKET_OPTIONS', () => {
  it('connects over a WebSocket first (no sticky sessions behind a balancer), long-polling next; reconnects with jittered exponential back-off: 1 s first, at most 10 s, ±50 %', () => {
    expect(LIVE_SOCKET_OPTIONS).toEqual({
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnection: true,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0.5,
    });
  });
});
