'use client';
// The time machine (/replay): pick a window, play it at 1×–60×, pause, scrub.
// The state at the last seek comes from GET /api/replay/state; what happens
// after it comes from history chunks (GET /api/replay/history) held in a
// ChunkCache, loaded ahead of the playhead and kept, so scrubbing back over
// played history fetches no chunk again. The banner says plainly that this is
// not live.
import './replay.css';
import dynamic from 'next/dynamic';
import { PathLayer } from '@deck.gl/layers';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import useSWR from 'swr';
import { PageHeader } from '@/components/common/page-frame';
import { DEFAULT_VISIBILITY } from '@/components/map/build-layers';
import { SeverityBar } from '@/components/incidents/severity-bar';
import { fetcher } from '@/lib/hooks/fetcher';
import { BASEMAP_KEY, GRIDS_KEY, KEY_LOCATIONS_KEY } from '@/lib/hooks/use-live';
import { STATIC_SWR } from '@/lib/hooks/use-map-snapshots';
import { formatTimestamp } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { localName } from '@/lib/i18n/messages';
import { isOpenStatus, type BasemapPayload, type GridCollection, type KeyLocation, type ReplayChunk, type ReplayState } from '@/lib/model';
import { isoToLocalInput, localInputToIso } from '@/lib/model/township-time';
import { ChunkCache, type DecodedChunk } from './chunk-cache';
import { frameAt, type Trail } from './replay-frame';

const MapView = dynamic(() => import('@/components/map/map-view'), { ssr: false });

export const REPLAY_SPEEDS = [1, 5, 10, 30, 60] as const;
/** History kept loaded ahead of the playhead: 20 minutes is 20 s of play at 60×. */
const AHEAD_MS = 20 * 60_000;
/** The playhead moves in steps this far apart on screen (10 a second), not every animation frame. */
const TICK_MS = 100;
/** A scrub fetches the state at its new time once the thumb rests this long. */
const SEEK_DEBOUNCE_MS = 150;
const TRAIL_MINUTES = [5, 10, 30] as const;
const TRAIL_COLOR: [number, number, number, number] = [30, 110, 220, 190];
const NO_SELECTION = () => {};
const NO_HANDLES = () => {};
const NO_CHUNKS: readonly DecodedChunk[] = [];

export interface ReplayPageProps {
  /** The window (ISO-8601, from < to), decided once by app/replay/page.tsx from ?from=&to= or the last hour. */
  from: string;
  to: string;
  /** Where the playhead starts (?at=, ISO-8601; clamped to the window, the window's start without one). */
  at?: string;
}

interface Window {
  from: number;
  to: number;
}

function initialWindow({ from, to, at }: ReplayPageProps): { win: Window; at: number } {
  const win = { from: Date.parse(from), to: Date.parse(to) };
  const a = at ? Date.parse(at) : NaN;
  return { win, at: Number.isFinite(a) ? Math.min(win.to, Math.max(win.from, a)) : win.from };
}

const loadChunk = (from: number, to: number) =>
  fetcher<ReplayChunk>(`/api/replay/history?from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}`);

function buildTrailLayer(trails: readonly Trail[]): PathLayer<Trail> {
  return new PathLayer<Trail>({
    id: 'replay-trails',
    data: trails,
    getPath: (d) => d.path,
    getColor: TRAIL_COLOR,
    getWidth: 3,
    widthUnits: 'pixels',
    capRounded: true,
    jointRounded: true,
  });
}

export function ReplayPage(props: ReplayPageProps) {
  const { t, lang, timeZone } = useI18n();
  const start = useMemo(() => initialWindow(props), [props]);
  const [win, setWin] = useState<Window>(start.win);
  const [fromInput, setFromInput] = useState(() => isoToLocalInput(new Date(start.win.from).toISOString(), timeZone));
  const [toInput, setToInput] = useState(() => isoToLocalInput(new Date(start.win.to).toISOString(), timeZone));
  const [windowError, setWindowError] = useState(false);
  const [playhead, setPlayhead] = useState(start.at);
  const [seekAt, setSeekAt] = useState(start.at);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(10);
  const [trailMinutes, setTrailMinutes] = useState<number>(10);

  const basemap = useSWR<BasemapPayload, Error>(BASEMAP_KEY, STATIC_SWR);
  const grids = useSWR<GridCollection, Error>(GRIDS_KEY);
  const keyLocations = useSWR<KeyLocation[], Error>(KEY_LOCATIONS_KEY);

  const cache = useMemo(() => new ChunkCache(loadChunk), []);
  const held = useSyncExternalStore(
    useCallback((onChange: () => void) => cache.subscribe(onChange), [cache]),
    () => cache.snapshot,
    () => NO_CHUNKS,
  );

  // The state at the last seek (kept on screen until the next one arrives).
  const stateKey = `/api/replay/state?at=${encodeURIComponent(new Date(seekAt).toISOString())}`;
  const state = useSWR<ReplayState, Error>(stateKey, { keepPreviousData: true, revalidateOnFocus: false, revalidateIfStale: false, revalidateOnReconnect: false });
  const base = state.data ?? null;
  const loadError = state.error?.message ?? null;

  const trailMs = trailMinutes * 60_000;
  // History around the playhead: the trail's minutes behind, AHEAD_MS ahead (within the window).
  useEffect(() => {
    cache.ensure(Math.max(win.from - trailMs, playhead - trailMs), Math.min(win.to, playhead + AHEAD_MS));
  }, [cache, playhead, trailMs, win]);

  const baseAt = base ? Date.parse(base.at) : null;
  const baseFits = baseAt !== null && baseAt === seekAt && baseAt <= playhead;
  const buffered = baseFits && cache.covers(Math.max(win.from, Math.min(baseAt, playhead - trailMs)), playhead + 1);

  // Playing: the playhead advances speed × real time, and waits while the history it needs is loading.
  const stateRef = useRef({ speed, buffered, win });
  useEffect(() => {
    stateRef.current = { speed, buffered, win };
  });
  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      const dt = now - last;
      last = now;
      const s = stateRef.current;
      if (!s.buffered) return;
      setPlayhead((t) => {
        const next = Math.min(s.win.to, t + dt * s.speed);
        if (next >= s.win.to) setPlaying(false);
        return next;
      });
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [playing]);

  // A scrub: the playhead follows the thumb at once, the state at its new time is fetched once it rests.
  const seekTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const scrubTo = (t: number) => {
    setPlayhead(t);
    if (seekTimer.current) clearTimeout(seekTimer.current);
    seekTimer.current = setTimeout(() => setSeekAt(t), SEEK_DEBOUNCE_MS);
  };
  useEffect(() => () => {
    if (seekTimer.current) clearTimeout(seekTimer.current);
  }, []);

  const applyWindow = () => {
    const f = localInputToIso(fromInput, timeZone);
    const t = localInputToIso(toInput, timeZone);
    if (!f || !t || Date.parse(f) >= Date.parse(t)) {
      setWindowError(true);
      return;
    }
    setWindowError(false);
    setPlaying(false);
    setWin({ from: Date.parse(f), to: Date.parse(t) });
    setPlayhead(Date.parse(f));
    setSeekAt(Date.parse(f));
  };

  const frame = useMemo(() => (base && baseFits ? frameAt(base, held, playhead, trailMs) : null), [base, baseFits, held, playhead, trailMs]);
  const extraLayers = useMemo(() => [buildTrailLayer(frame?.trails ?? [])], [frame]);
  const playheadIso = new Date(playhead).toISOString();
  const ready = frame !== null && buffered;

  return (
    <div className="app-shell replay" data-testid="replay" data-at={playheadIso} data-ready={ready ? 'true' : 'false'} data-playing={playing ? 'true' : 'false'}>
      <PageHeader title={t('replay.title')} />
      <div className="replay-banner" role="status" data-testid="replay-banner">
        <strong className="replay-banner-tag">{t('replay.banner')}</strong>
        <time className="replay-clock" data-testid="replay-clock" dateTime={playheadIso}>
          {formatTimestamp(playheadIso, lang, timeZone)}
        </time>
        <span className="replay-banner-hint">{t('replay.bannerHint')}</span>
        {!ready && <span className="replay-buffering">{t('replay.loading')}</span>}
      </div>
      <div className="app-body">
        <nav className="side-panel replay-panel" aria-label={t('replay.title')}>
          <form
            className="panel-section replay-window"
            onSubmit={(e) => {
              e.preventDefault();
              applyWindow();
            }}
          >
            <label>
              {t('replay.from')}
              <input type="datetime-local" step={1} value={fromInput} onChange={(e) => setFromInput(e.target.value)} data-testid="replay-from" />
            </label>
            <label>
              {t('replay.to')}
              <input type="datetime-local" step={1} value={toInput} onChange={(e) => setToInput(e.target.value)} data-testid="replay-to" />
            </label>
            <button type="submit" className="action-button" data-testid="replay-load">
              {t('replay.load')}
            </button>
            {windowError && (
              <p className="form-error" role="alert">
                {t('replay.badWindow')}
              </p>
            )}
          </form>
          <div className="panel-section replay-controls">
            <button
              type="button"
              className="action-button action-button--primary"
              data-testid="replay-play"
              aria-pressed={playing}
              onClick={() => {
                if (!playing && playhead >= win.to) scrubTo(win.from);
                setPlaying(!playing);
              }}
            >
              {playing ? t('replay.pause') : t('replay.play')}
            </button>
            <label>
              {t('replay.speed')}
              <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))} data-testid="replay-speed">
                {REPLAY_SPEEDS.map((s) => (
                  <option key={s} value={s}>
                    {s}×
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('replay.trail')}
              <select value={trailMinutes} onChange={(e) => setTrailMinutes(Number(e.target.value))} data-testid="replay-trail">
                {TRAIL_MINUTES.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </label>
            <input
              type="range"
              className="replay-scrub"
              aria-label={t('replay.scrub')}
              data-testid="replay-scrub"
              min={win.from}
              max={win.to}
              step={1000}
              value={playhead}
              onChange={(e) => {
                setPlaying(false);
                scrubTo(Number(e.target.value));
              }}
            />
            <p className="muted replay-held" data-testid="replay-held" data-count={held.length}>
              {t('replay.held', { n: held.length })}
            </p>
            {(loadError || cache.failedCount > 0) && (
              <p className="form-error" role="alert">
                {t('replay.loadError')}
                {loadError ? `: ${loadError}` : ''}{' '}
                <button
                  type="button"
                  className="action-button"
                  onClick={() => {
                    cache.retry();
                    void state.mutate();
                    setSeekAt(playhead);
                  }}
                >
                  ↻
                </button>
              </p>
            )}
          </div>
          <section className="panel-section">
            <h2 className="section-title">{t('replay.incidents')}</h2>
            <ul className="replay-list" data-testid="replay-incidents">
              {frame?.incidents.map((i) => (
                <li
                  key={i.id}
                  data-testid="replay-incident"
                  data-id={i.id}
                  data-status={i.status}
                  data-severity={i.severity}
                  className={isOpenStatus(i.status) ? '' : 'muted'}
                >
                  {/* The severity at T (from the timeline), in the live list's colour, and in words. */}
                  <SeverityBar severity={i.severity} className="replay-sev-bar" />
                  <span className="replay-item-title">{i.title}</span>
                  <span className="replay-severity" data-testid="replay-incident-severity">
                    {t(`severity.${i.severity}`)}
                  </span>
                  <span className={`replay-status replay-status--${i.status}`}>{t(`incidentStatus.${i.status}`)}</span>
                </li>
              ))}
              {frame?.incidents.length === 0 && <li className="muted">{t('replay.none')}</li>}
            </ul>
          </section>
          <section className="panel-section">
            <h2 className="section-title">{t('replay.alerts')}</h2>
            <ul className="replay-list" data-testid="replay-alerts">
              {frame?.alerts.map((a) => (
                <li key={a.id} data-testid="replay-alert" data-id={a.id} data-kind={a.kind}>
                  {t(`alertKind.${a.kind}`)} · {formatTimestamp(a.raisedAt, lang, timeZone)}
                </li>
              ))}
              {frame?.alerts.length === 0 && <li className="muted">{t('replay.none')}</li>}
            </ul>
          </section>
          <section className="panel-section">
            <h2 className="section-title">{t('replay.teams')}</h2>
            <ul className="replay-list" data-testid="replay-units">
              {frame?.units.map((u) => (
                <li
                  key={u.teamId}
                  data-testid="replay-unit"
                  data-code={u.code}
                  data-lon={u.position?.[0] ?? ''}
                  data-lat={u.position?.[1] ?? ''}
                  data-fix-time={u.fixTime ?? ''}
                >
                  <span className="replay-item-title">{localName(u, lang)}</span>
                  <span className="muted">{u.fixTime ? formatTimestamp(u.fixTime, lang, timeZone) : t('replay.noFix')}</span>
                </li>
              ))}
            </ul>
          </section>
        </nav>
        <main className="map-area">
          {basemap.data && (
            <MapView
              basemap={basemap.data}
              grids={grids.data}
              keyLocations={keyLocations.data}
              units={frame?.units ?? []}
              incidents={frame?.incidents ?? []}
              alerts={frame?.alerts ?? []}
              openByGrid={null}
              heatmap={null}
              visibility={DEFAULT_VISIBILITY}
              selection={null}
              lang={lang}
              now={playhead}
              dataReady={frame !== null}
              onSelect={NO_SELECTION}
              onHandles={NO_HANDLES}
              onRendered={NO_SELECTION}
              extraLayers={extraLayers}
            />
          )}
        </main>
      </div>
    </div>
  );
}
