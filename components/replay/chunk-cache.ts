// History for playback, held in fixed chunks aligned to REPLAY_CHUNK_MS: the
// page asks for the span around the playhead (a little behind for the trails,
// more ahead so playing never waits) and only chunks neither held nor on their
// way are fetched. Chunks once held are kept, so scrubbing back over played
// history fetches nothing.
import type { Alert, IncidentView, ReplayChunk, ReplayIncidentEvent } from '@/lib/model';

/**
 * A chunk reaching past the present was fetched while its history was still
 * being written: held for drawing, but fetched again once it is this old.
 */
export const LIVE_EDGE_REFETCH_MS = 30_000;

/** Ten minutes a chunk: ~24,000 fixes for 200 devices at one per 5 s, ~400 KB of columns. */
export const REPLAY_CHUNK_MS = 10 * 60_000;

/** One device's fixes in a chunk: absolute epoch ms, and [lon, lat] degrees interleaved. */
export interface DecodedTrack {
  deviceId: number;
  teamId: number;
  t: Float64Array;
  xy: Float64Array;
}

/** An incident's status and/or severity step, at epoch ms. */
export type DecodedEvent = Omit<ReplayIncidentEvent, 'at'> & { at: number };

export interface DecodedChunk {
  from: number;
  to: number;
  tracks: DecodedTrack[];
  events: DecodedEvent[];
  incidents: IncidentView[];
  alerts: Alert[];
}

/** base64 of little-endian Int32 values (lib/replay.ts encodeInt32), back to numbers. */
export function decodeInt32(b64: string): Int32Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const out = new Int32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}

export function decodeChunk(c: ReplayChunk): DecodedChunk {
  const from = Date.parse(c.from);
  return {
    from,
    to: Date.parse(c.to),
    tracks: c.tracks.map((tr) => {
      const t = decodeInt32(tr.t);
      const xy = decodeInt32(tr.xy);
      return { deviceId: tr.deviceId, teamId: tr.teamId, t: Float64Array.from(t, (v) => from + v), xy: Float64Array.from(xy, (v) => v / 1e6) };
    }),
    events: c.events.map((e): DecodedEvent => ({ ...e, at: Date.parse(e.at) })),
    incidents: c.incidents,
    alerts: c.alerts,
  };
}

export type ChunkLoader = (from: number, to: number) => Promise<ReplayChunk>;

export class ChunkCache {
  private readonly held = new Map<number, DecodedChunk>();
  private readonly loading = new Map<number, Promise<void>>();
  private readonly listeners = new Set<() => void>();
  /** Failed loads, by chunk start: not retried until `retry()` (a broken chunk is not hammered every frame). */
  private readonly failed = new Map<number, unknown>();
  /** Every held chunk, oldest first: a new array only when a chunk arrives or fails (a useSyncExternalStore snapshot). */
  private list: readonly DecodedChunk[] = [];
  /** When each held chunk that reached past the present was fetched. */
  private readonly partial = new Map<number, number>();

  constructor(
    private readonly load: ChunkLoader,
    readonly chunkMs: number = REPLAY_CHUNK_MS,
  ) {}

  startOf(t: number): number {
    return Math.floor(t / this.chunkMs) * this.chunkMs;
  }

  /**
   * Makes sure every chunk meeting [from, to) is held or on its way; returns
   * the starts of the chunks this call began to fetch (none when all are held).
   */
  ensure(from: number, to: number, now: number = Date.now()): number[] {
    const started: number[] = [];
    for (let s = this.startOf(from); s < to; s += this.chunkMs) {
      const fetchedAt = this.partial.get(s);
      const stale = fetchedAt !== undefined && now - fetchedAt > LIVE_EDGE_REFETCH_MS;
      if ((this.held.has(s) && !stale) || this.loading.has(s) || this.failed.has(s)) continue;
      if (s + this.chunkMs > now) this.partial.set(s, now);
      else this.partial.delete(s);
      started.push(s);
      const p = this.load(s, s + this.chunkMs).then(
        (chunk) => {
          this.held.set(s, decodeChunk(chunk));
          this.loading.delete(s);
          this.list = [...this.held.values()].sort((a, b) => a.from - b.from);
          this.notify();
        },
        (err: unknown) => {
          this.loading.delete(s);
          this.failed.set(s, err);
          this.list = [...this.list];
          this.notify();
        },
      );
      this.loading.set(s, p);
    }
    return started;
  }

  /** Every chunk meeting [from, to) is held. */
  covers(from: number, to: number): boolean {
    for (let s = this.startOf(from); s < to; s += this.chunkMs) if (!this.held.has(s)) return false;
    return true;
  }

  /** Held chunks meeting [from, to], oldest first. */
  chunksIn(from: number, to: number): DecodedChunk[] {
    const out: DecodedChunk[] = [];
    for (let s = this.startOf(from); s <= to; s += this.chunkMs) {
      const c = this.held.get(s);
      if (c) out.push(c);
    }
    return out;
  }

  /** Settles when nothing is loading. */
  async idle(): Promise<void> {
    while (this.loading.size > 0) await Promise.all(this.loading.values());
  }

  /** Every held chunk, oldest first; the same array until something changes. */
  get snapshot(): readonly DecodedChunk[] {
    return this.list;
  }

  get heldCount(): number {
    return this.held.size;
  }

  get failedCount(): number {
    return this.failed.size;
  }

  /** Lets failed chunks be fetched again. */
  retry(): void {
    this.failed.clear();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
