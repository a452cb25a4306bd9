// One road network per database per process: roads rarely change, and
// building the graph, the spatial index and the search's index takes far
// longer than a ranking. Kept on globalThis (like lib/registry.ts) because
// Next loads route code as a separate copy of our modules: the simulator in
// server.ts and the route handlers then share one network.
import type { Queryable } from '../../db/client';
import { getRoadLines } from '../../db/map-layers';
import { RoadNetwork } from './road-network';

const KEY = Symbol.for('gridsight.road-network');
type Holder = { [KEY]?: WeakMap<Queryable, Promise<RoadNetwork>> };

function cache(): WeakMap<Queryable, Promise<RoadNetwork>> {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= new WeakMap());
}

/** The road network of `db`'s road and track layer, built on first use. A failed build is not kept. */
export function loadRoadNetwork(db: Queryable): Promise<RoadNetwork> {
  const networks = cache();
  let network = networks.get(db);
  if (!network) {
    network = getRoadLines(db).then((lines) => new RoadNetwork(lines.map((l) => l.coordinates)));
    networks.set(db, network);
    network.catch(() => {
      if (networks.get(db) === network) networks.delete(db);
    });
  }
  return network;
}

/** Forget the cached network (after the road layer changes, e.g. an import); the next use rebuilds it. */
export function invalidateRoadNetwork(db: Queryable): void {
  cache().delete(db);
}
