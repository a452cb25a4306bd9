// `township:changed` in the live hook's store (lib/hooks/use-live.ts): the
// event counts in the sequence like every other (a gap around it asks for a
// resync) and as a sign of life; useLive refetches the static layers it names
// (TOWNSHIP_KEYS), which are the keys the map's snapshots are loaded under.
import { afterEach, describe, expect, it } from 'vitest';
import { BASEMAP_KEY, GRIDS_KEY, KEY_LOCATIONS_KEY, LiveStore, TOWNSHIP_KEYS, TOWNSHIP_STATUS_KEY } from '../../lib/hooks/use-live';

describe('LiveStore.townshipChanged', () => {
  let store: LiveStore;
  afterEach(() => store.dispose());

  it('takes its place in the sequence: the event after it follows on, a missing one asks for a resync', () => {
    store = new LiveStore();
    const reasons: string[] = [];
    store.setResyncHandler((r) => reasons.push(r));
    store.tick({ seq: 1, origin: 'p1', serverTime: 1_000, data: { dataAsOf: 900 } });
    store.townshipChanged({ seq: 2, origin: 'p1', serverTime: 1_100, data: { layer: 'grids', appliedAt: '2026-12-01T06:00:00.000Z' } });
    store.tick({ seq: 3, origin: 'p1', serverTime: 1_200, data: { dataAsOf: 1_100 } });
    expect(reasons).toEqual([]);
    store.townshipChanged({ seq: 5, origin: 'p1', serverTime: 1_300, data: { layer: 'all', appliedAt: '2026-12-01T06:00:01.000Z' } });
    expect(reasons).toEqual(['seq gap from p1: expected 4, got 5']);
    store.flush();
    expect(store.getSnapshot().lastEventAt).not.toBeNull();
  });

  it('names the basemap, grid cells, key locations and status as the layers to refetch', () => {
    store = new LiveStore();
    expect(TOWNSHIP_KEYS).toEqual([BASEMAP_KEY, GRIDS_KEY, KEY_LOCATIONS_KEY, TOWNSHIP_STATUS_KEY]);
    expect(TOWNSHIP_KEYS).toEqual(['/api/basemap', '/api/grids', '/api/key-locations', '/api/township/status']);
  });
});
