// The live hook's connection state (lib/hooks/use-live.ts, LiveStore): since
// when the link is down, which build the server runs and whether it changed,
// and the resync after a reconnect that missed events. The socket itself is
// exercised end to end (tests/e2e, bench/reconnect.ts); here the store is fed
// the events the socket would deliver, with the clock given.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveStore } from '../../lib/hooks/use-live';
import { CLOCK_OFFSET_SHOWN_WITHIN_MS, CLOCK_OFFSET_WINDOW_MS, clockSample, nextClockOffset } from '../../lib/live/clock-offset';
import { LIVE_SOCKET_OPTIONS } from '../../lib/live/socket-options';
import type { HelloPayload } from '../../lib/model';

const hello = (over: Partial<HelloPayload> = {}): HelloPayload => ({ serverTime: 1_000, origin: 'p1', seq: 0, dataAsOf: 900, buildId: 'build-a', ...over });

describe('LiveStore', () => {
  let store: LiveStore;
  afterEach(() => {
    store.dispose();
    vi.restoreAllMocks();
  });

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

  it("takes the server's clock from the promptest of the hello and its process's heartbeats: a late hello is put right at the next flush, a later slow tick does not undo it", () => {
    store = new LiveStore();
    const clientNow = vi.spyOn(Date, 'now');
    // A heartbeat before any hello (from a process this page has not connected to yet) is not the clock.
    clientNow.mockReturnValue(40_000);
    store.tick({ seq: 1, origin: 'p0', serverTime: 100_000, data: { dataAsOf: 100_000 } });
    store.flush();
    expect(store.getSnapshot().clockOffsetMs).toBe(0);
    // The server's clock runs 60 s ahead of the kiosk's. The hello was stamped at 100,000 and sat 3 s in a busy page.
    clientNow.mockReturnValue(43_000);
    store.hello(hello({ serverTime: 100_000, origin: 'p1' }), false);
    expect(store.getSnapshot().clockOffsetMs).toBe(57_000);
    const tick = (origin: string, seq: number, serverTime: number, arrived: number) => {
      clientNow.mockReturnValue(arrived);
      store.tick({ seq, origin, serverTime, data: { dataAsOf: serverTime } });
      store.flush();
    };
    tick('p1', 1, 105_000, 45_020); // 20 ms on its way
    expect(store.getSnapshot().clockOffsetMs).toBe(59_980);
    tick('p1', 2, 110_000, 52_000); // 2 s late
    expect(store.getSnapshot().clockOffsetMs).toBe(59_980);
    // Another process's heartbeat (several share the rooms), stamped by a clock 5 s ahead: not this connection's clock.
    tick('p2', 1, 120_000, 55_000);
    expect(store.getSnapshot().clockOffsetMs).toBe(59_980);
    // Within CLOCK_OFFSET_SHOWN_WITHIN_MS of the one shown: kept, not shown (every change restarts the page's clocks) …
    tick('p1', 3, 115_000, 55_020 - CLOCK_OFFSET_SHOWN_WITHIN_MS + 1); // 60,229
    expect(store.getSnapshot().clockOffsetMs).toBe(59_980);
    // … and shown once it is that far.
    tick('p1', 4, 120_000, 60_020 - CLOCK_OFFSET_SHOWN_WITHIN_MS); // 60,230
    expect(store.getSnapshot().clockOffsetMs).toBe(60_230);
    // A new connection starts again from its hello (another process, whose clock is 0.5 s behind p1's) …
    clientNow.mockReturnValue(70_500);
    store.hello(hello({ serverTime: 130_000, origin: 'p3', seq: 0 }), false);
    expect(store.getSnapshot().clockOffsetMs).toBe(59_500);
    // … and what the last connection learnt is gone: a tick of the new one between the two estimates shows.
    tick('p3', 1, 135_000, 75_100); // 59,900
    expect(store.getSnapshot().clockOffsetMs).toBe(59_900);
  });
});

describe('nextClockOffset', () => {
  const W = CLOCK_OFFSET_WINDOW_MS;
  const first = clockSample(100_000, 40_000); // 60,000 at 40,000

  it('keeps the largest sample of the window (none can be early): a larger or equal one takes over, a smaller one waits as the next', () => {
    const kept = nextClockOffset(null, first);
    expect(kept).toEqual({ best: first, next: null });
    const larger = clockSample(105_000, 44_900); // 60,100
    expect(nextClockOffset(kept, larger)).toEqual({ best: larger, next: null });
    const equal = clockSample(105_000, 45_000);
    expect(nextClockOffset(kept, equal)).toEqual({ best: equal, next: null });
    const late = clockSample(105_000, 45_500); // 59,500
    const later = clockSample(110_000, 50_200); // 59,800
    const k1 = nextClockOffset(kept, late);
    expect(k1).toEqual({ best: first, next: late });
    const k2 = nextClockOffset(k1, later);
    expect(k2).toEqual({ best: first, next: later });
    expect(nextClockOffset(k2, clockSample(115_000, 55_600))).toEqual({ best: first, next: later });
    // Still within the window at exactly its length.
    expect(nextClockOffset(k2, clockSample(99_000 + W, 40_000 + W)).best).toBe(first);
  });

  it('hands over to the largest sample taken since, once the best is older than the window: one late sample does not set the clock back', () => {
    const next = clockSample(110_000, 50_100); // 59,900
    const k = nextClockOffset(nextClockOffset(null, first), next);
    const slow = clockSample(101_000 + W, 43_001 + W); // 57,999: 2 s late, after the window
    const handedOver = nextClockOffset(k, slow);
    expect(handedOver).toEqual({ best: next, next: null });
    // The kiosk's clock was set 10 s forward: its samples (~50,000) show once the samples before it are older
    // than the window (within twice the window of the change).
    const forward = clockSample(110_001 + W, 60_101 + W); // 49,900
    expect(nextClockOffset(handedOver, forward)).toEqual({ best: forward, next: null });
    // With nothing taken since the best, the newest sample takes over.
    expect(nextClockOffset(nextClockOffset(null, first), slow)).toEqual({ best: slow, next: null });
  });

  it('starts again from a sample the client dates before the best (its clock was set back)', () => {
    const back = clockSample(95_000, 39_000); // 56,000, at 39,000 < 40,000
    expect(nextClockOffset(nextClockOffset(null, first), back)).toEqual({ best: back, next: null });
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
