// The time machine's chunk cache and frame (components/replay): chunks are
// fetched once, ahead of the playhead, and kept — scrubbing back over played
// history fetches nothing — and the frame at T moves teams and incidents (their
// status and severity) by what the held chunks say happened between the last
// seek and T.
import { describe, expect, it } from 'vitest';
import { ChunkCache, decodeInt32, type DecodedChunk } from '@/components/replay/chunk-cache';
import { frameAt, lastAtOrBefore } from '@/components/replay/replay-frame';
import type { ReplayChunk, ReplayState } from '@/lib/model';
import { incident, unit } from '../helpers/factories';

const MIN = 60_000;
const T0 = Date.parse('2025-06-10T06:00:00Z');

/** Int32 little-endian values in base64, written out independently of the code under test. */
const b64 = (values: number[]): string => {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeInt32LE(v, i * 4));
  return buf.toString('base64');
};

/** A loader that records every range it is asked for and answers an empty chunk (or one from `chunks`). */
function recordingLoader(chunks: Record<number, Partial<ReplayChunk>> = {}) {
  const calls: [number, number][] = [];
  const load = (from: number, to: number): Promise<ReplayChunk> => {
    calls.push([from, to]);
    return Promise.resolve({
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      tracks: [],
      events: [],
      incidents: [],
      alerts: [],
      ...chunks[from],
    });
  };
  return { calls, load };
}

describe('ChunkCache', () => {
  it('fetches each chunk of a span once, aligned to the chunk size', async () => {
    const { calls, load } = recordingLoader();
    const cache = new ChunkCache(load, 10 * MIN);
    expect(cache.ensure(T0 - 5 * MIN, T0 + 20 * MIN)).toEqual([T0 - 10 * MIN, T0, T0 + 10 * MIN]);
    // On their way is not held.
    expect(cache.covers(T0 - 5 * MIN, T0 + 20 * MIN)).toBe(false);
    // Asked again while loading: nothing new.
    expect(cache.ensure(T0 - 5 * MIN, T0 + 20 * MIN)).toEqual([]);
    await cache.idle();
    expect(calls).toEqual([
      [T0 - 10 * MIN, T0],
      [T0, T0 + 10 * MIN],
      [T0 + 10 * MIN, T0 + 20 * MIN],
    ]);
    expect(cache.covers(T0 - 5 * MIN, T0 + 20 * MIN)).toBe(true);
    // One chunk further is neither held nor asked for.
    expect(cache.covers(T0 - 5 * MIN, T0 + 20 * MIN + 1)).toBe(false);
    expect(cache.chunksIn(T0 - 5 * MIN, T0 + 20 * MIN).map((c) => c.from)).toEqual([T0 - 10 * MIN, T0, T0 + 10 * MIN]);
  });

  it('keeps what it holds: playing forward fetches only the new chunks ahead, scrubbing back fetches nothing', async () => {
    const { calls, load } = recordingLoader();
    const cache = new ChunkCache(load, 10 * MIN);
    // Play from T0 to T0 + 40 min, asking for 20 min ahead and 10 behind at each step.
    for (let t = T0; t <= T0 + 40 * MIN; t += MIN) {
      cache.ensure(t - 10 * MIN, t + 20 * MIN);
      await cache.idle();
    }
    const played = calls.length;
    expect(played).toBe(7); // Starting at T0-10 … T0+50 (the last ask ends at T0+60, exclusive): seven chunks, each once.
    expect(new Set(calls.map((c) => c[0])).size).toBe(played);
    // Scrub back to T0 + 5 min and play again: all of it is held.
    for (let t = T0 + 5 * MIN; t <= T0 + 30 * MIN; t += MIN) expect(cache.ensure(t - 10 * MIN, t + 20 * MIN)).toEqual([]);
    expect(calls).toHaveLength(played);
    expect(cache.heldCount).toBe(played);
  });

  it('does not fetch a failed chunk again until told to retry', async () => {
    let fail = true;
    const calls: number[] = [];
    const cache = new ChunkCache((from) => {
      calls.push(from);
      return fail ? Promise.reject(new Error('502')) : recordingLoader().load(from, from + 10 * MIN);
    }, 10 * MIN);
    cache.ensure(T0, T0 + 1);
    await cache.idle();
    expect(cache.failedCount).toBe(1);
    expect(cache.ensure(T0, T0 + 1)).toEqual([]);
    fail = false;
    cache.retry();
    expect(cache.ensure(T0, T0 + 1)).toEqual([T0]);
    await cache.idle();
    expect(calls).toEqual([T0, T0]);
    expect(cache.covers(T0, T0 + 1)).toBe(true);
  });

  it('fetches a chunk reaching past the present again once it is 30 s old: its history was still being written', async () => {
    const { calls, load } = recordingLoader();
    const cache = new ChunkCache(load, 10 * MIN);
    const now = T0 + 4 * MIN;
    expect(cache.ensure(T0, T0 + 1, now)).toEqual([T0]);
    await cache.idle();
    expect(cache.ensure(T0, T0 + 1, now + 30_000)).toEqual([]);
    expect(cache.ensure(T0, T0 + 1, now + 30_001)).toEqual([T0]);
    await cache.idle();
    // Past its end it is complete: held for good.
    expect(cache.ensure(T0, T0 + 1, T0 + 11 * MIN)).toEqual([T0]);
    await cache.idle();
    expect(cache.ensure(T0, T0 + 1, T0 + 60 * MIN)).toEqual([]);
    expect(calls).toHaveLength(3);
  });

  it('decodes the columns: ms since the chunk start, microdegrees', async () => {
    const { load } = recordingLoader({
      [T0]: { tracks: [{ deviceId: 7, teamId: 3, count: 2, t: b64([1000, 6000]), xy: b64([100_123_456, 31_000_001, -100_000_000, -31_500_000]) }] },
    });
    const cache = new ChunkCache(load, 10 * MIN);
    cache.ensure(T0, T0 + 1);
    await cache.idle();
    const [chunk] = cache.chunksIn(T0, T0);
    expect(Array.from(chunk!.tracks[0]!.t)).toEqual([T0 + 1000, T0 + 6000]);
    expect(Array.from(chunk!.tracks[0]!.xy)).toEqual([100.123456, 31.000001, -100, -31.5]);
    expect(Array.from(decodeInt32(b64([-1, 2 ** 31 - 1])))).toEqual([-1, 2 ** 31 - 1]);
  });
});

describe('frameAt', () => {
  const base: ReplayState = {
    at: new Date(T0).toISOString(),
    units: [unit(1, { position: [100, 31], fixTime: new Date(T0 - 30_000).toISOString() }), unit(2, { position: null, fixTime: null })],
    incidents: [incident(9, { status: 'dispatched', reportedAt: new Date(T0 - 20 * MIN).toISOString() })],
    alerts: [],
  };
  const chunk: DecodedChunk = {
    from: T0,
    to: T0 + 10 * MIN,
    tracks: [
      { deviceId: 11, teamId: 1, t: Float64Array.from([T0 + 5_000, T0 + 10_000, T0 + 15_000]), xy: Float64Array.from([100.01, 31, 100.02, 31, 100.03, 31]) },
      { deviceId: 21, teamId: 2, t: Float64Array.from([T0 + 12_000]), xy: Float64Array.from([100.5, 31.5]) },
    ],
    events: [
      { incidentId: 9, at: T0 + 10_000, status: 'on_scene' },
      { incidentId: 9, at: T0 + 60_000, status: 'resolved' },
    ],
    incidents: [],
    alerts: [],
  };

  it('moves each team to its newest fix at or before T, and keeps the state’s where the chunks have none', () => {
    expect(lastAtOrBefore(chunk.tracks[0]!.t, T0 + 10_000)).toBe(1);
    expect(lastAtOrBefore(chunk.tracks[0]!.t, T0)).toBe(-1);
    const f = frameAt(base, [chunk], T0 + 10_000, 10 * MIN);
    expect(f.units.map((u) => u.position)).toEqual([[100.02, 31], null]);
    expect(frameAt(base, [chunk], T0 + 4_000, 10 * MIN).units[0]!.position).toEqual([100, 31]);
    expect(frameAt(base, [chunk], T0 + 12_000, 10 * MIN).units[1]!.position).toEqual([100.5, 31.5]);
  });

  it('changes an incident’s status at the moment of its step, not before', () => {
    const status = (t: number) => frameAt(base, [chunk], t, 10 * MIN).incidents.find((i) => i.id === 9)?.status;
    expect(status(T0 + 9_999)).toBe('dispatched');
    expect(status(T0 + 10_000)).toBe('on_scene');
    expect(status(T0 + 59_999)).toBe('on_scene');
    expect(status(T0 + 60_000)).toBe('resolved');
  });

  it('changes an incident’s severity at the moment of its step, keeping its status, and a status step keeps its severity', () => {
    const stepped: DecodedChunk = {
      ...chunk,
      events: [
        { incidentId: 9, at: T0 + 5_000, severity: 4 },
        { incidentId: 9, at: T0 + 10_000, status: 'on_scene' },
        { incidentId: 9, at: T0 + 20_000, status: 'on_scene', severity: 1 },
      ],
    };
    const seen = (t: number) => {
      const i = frameAt({ ...base, incidents: [{ ...base.incidents[0]!, severity: 2 }] }, [stepped], t, 10 * MIN).incidents.find((x) => x.id === 9)!;
      return [i.status, i.severity, i.resolvedAt];
    };
    expect(seen(T0 + 4_999)).toEqual(['dispatched', 2, null]);
    expect(seen(T0 + 5_000)).toEqual(['dispatched', 4, null]);
    expect(seen(T0 + 10_000)).toEqual(['on_scene', 4, null]);
    expect(seen(T0 + 20_000)).toEqual(['on_scene', 1, null]);
  });

  it('draws trails from the fixes of the last minutes up to T', () => {
    const f = frameAt(base, [chunk], T0 + 15_000, 8_000);
    // From T-8 s: the fixes at +10 s and +15 s.
    expect(f.trails).toEqual([{ deviceId: 11, teamId: 1, path: [[100.02, 31], [100.03, 31]] }]);
  });
});
