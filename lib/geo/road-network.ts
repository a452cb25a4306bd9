// The township's road network for dispatch ETAs and the simulator's routes:
// a graphology graph (one node per road vertex, one edge per segment,
// weighted by its length in metres), a flatbush index over segment bounding
// boxes for snapping, and one single-source shortest-path search per query.
import Flatbush from 'flatbush';
import { UndirectedGraph } from 'graphology';
import { bidirectional } from 'graphology-shortest-path/dijkstra.js';
import { createDijkstraIndexedBrandes } from 'graphology-shortest-path/indexed-brandes.js';
import type { LonLat } from '../model';

/** The mean Earth radius (metres) turf also uses. */
const EARTH_RADIUS_M = 6_371_008.8;
const DEG = Math.PI / 180;

export interface EdgeAttrs {
  weight: number;
}

/** Where a point meets the road network: a point on one segment, splitting it. */
export interface Snap {
  segment: number;
  /** The node at the segment's start (a) and end (b). */
  a: number;
  b: number;
  /** Metres along the segment from the snap point to a and to b (they add up to its length). */
  toA: number;
  toB: number;
  /** Straight metres from the point to the snap point. */
  offRoad: number;
  /** The snap point itself. */
  point: LonLat;
}

/** Road metres from one search's source to every node (NaN where unreachable), and how each was reached. */
export interface SearchResult {
  source: Snap;
  dist: Float64Array;
  /** The node each node was reached from; SOURCE for the source's two segment ends, -1 when unreached. */
  via: Int32Array;
}

/** `via` value of a node reached straight from the source's snap point. */
export const SOURCE = -2;

type IndexedBrandes = ReturnType<typeof createDijkstraIndexedBrandes>;
/** What createDijkstraIndexedBrandes attaches to the function it returns (its typings put it on the factory). */
interface WeightedIndex {
  neighborhood: ArrayLike<number> & { [i: number]: number };
  weights: Float64Array;
  starts: ArrayLike<number>;
  nodes: string[];
}

/**
 * A road network, built once from road lines and then read only. Coordinates
 * are projected to local metres (equirectangular about the network's centre
 * latitude: x = R·Δλ·cos φ0, y = R·Δφ), which is within 0.1 % of the
 * great-circle distance across a township or county and keeps "the snap
 * point splits the segment" exact: toA + toB = the segment's length.
 */
export class RoadNetwork {
  /** Nodes `0` … `n-1` are road vertices; three more make the search's movable source. */
  readonly graph = new UndirectedGraph<Record<string, never>, EdgeAttrs>();
  /** Road vertices as [lon, lat]. */
  readonly nodes: LonLat[] = [];
  readonly segA: Int32Array;
  readonly segB: Int32Array;
  readonly segLen: Float64Array;
  readonly #x: Float64Array;
  readonly #y: Float64Array;
  readonly #lon0: number;
  readonly #lat0: number;
  readonly #kx: number;
  readonly #ky = EARTH_RADIUS_M * DEG;
  readonly #index: Flatbush | null;
  readonly #brandes: IndexedBrandes;
  readonly #sourceSlot: number;
  readonly #sourceNode: number;
  readonly #order: Int32Array;

  constructor(lines: readonly (readonly LonLat[])[]) {
    const ids = new Map<string, number>();
    let minLon = Infinity;
    let maxLon = -Infinity;
    let minLat = Infinity;
    let maxLat = -Infinity;
    for (const line of lines) {
      for (const p of line) {
        minLon = Math.min(minLon, p[0]);
        maxLon = Math.max(maxLon, p[0]);
        minLat = Math.min(minLat, p[1]);
        maxLat = Math.max(maxLat, p[1]);
      }
    }
    this.#lon0 = Number.isFinite(minLon) ? (minLon + maxLon) / 2 : 0;
    this.#lat0 = Number.isFinite(minLat) ? (minLat + maxLat) / 2 : 0;
    this.#kx = EARTH_RADIUS_M * DEG * Math.cos(this.#lat0 * DEG);

    const xs: number[] = [];
    const ys: number[] = [];
    // Lines join where they share a vertex (equal to 7 decimals, about 1 cm).
    const nodeOf = (p: LonLat): number => {
      const k = `${p[0].toFixed(7)},${p[1].toFixed(7)}`;
      let i = ids.get(k);
      if (i === undefined) {
        i = this.nodes.length;
        ids.set(k, i);
        this.nodes.push([p[0], p[1]]);
        const [x, y] = this.project(p);
        xs.push(x);
        ys.push(y);
      }
      return i;
    };
    const pairs: [number, number][] = [];
    for (const line of lines) for (const p of line) nodeOf(p);
    for (let i = 0; i < this.nodes.length; i++) this.graph.addNode(String(i));
    for (const line of lines) {
      for (let j = 1; j < line.length; j++) {
        const a = nodeOf(line[j - 1]!);
        const b = nodeOf(line[j]!);
        const len = Math.hypot(xs[a]! - xs[b]!, ys[a]! - ys[b]!);
        // Repeated vertices and a segment drawn twice add nothing.
        if (a === b || len === 0 || this.graph.hasEdge(String(a), String(b))) continue;
        this.graph.addEdge(String(a), String(b), { weight: len });
        pairs.push([a, b]);
      }
    }
    this.#x = Float64Array.from(xs);
    this.#y = Float64Array.from(ys);
    this.segA = Int32Array.from(pairs, (p) => p[0]);
    this.segB = Int32Array.from(pairs, (p) => p[1]);
    this.segLen = Float64Array.from(pairs, ([a, b]) => Math.hypot(xs[a]! - xs[b]!, ys[a]! - ys[b]!));

    if (pairs.length > 0) {
      const index = new Flatbush(pairs.length);
      for (const [a, b] of pairs) {
        index.add(Math.min(xs[a]!, xs[b]!), Math.min(ys[a]!, ys[b]!), Math.max(xs[a]!, xs[b]!), Math.max(ys[a]!, ys[b]!));
      }
      index.finish();
      this.#index = index;
    } else {
      this.#index = null;
    }

    // The movable source. The library's indexed search starts from a node, but
    // an incident's snap point lies inside a segment. So the graph holds one
    // extra node, SRC, with exactly two edges (to two otherwise isolated
    // anchors): that gives SRC two slots in the library's neighbourhood index,
    // and each search rewrites those two slots to point at the snap segment's
    // ends with the along-segment metres as weights. Nothing points back at
    // SRC, so no road path can pass through it, and the search starts there.
    const n = this.nodes.length;
    this.#sourceNode = n;
    this.graph.addNode(String(n));
    this.graph.addNode(String(n + 1));
    this.graph.addNode(String(n + 2));
    this.graph.addEdge(String(n), String(n + 1), { weight: 1 });
    this.graph.addEdge(String(n), String(n + 2), { weight: 1 });
    this.#brandes = createDijkstraIndexedBrandes(this.graph, 'weight');
    const index = this.#weightedIndex();
    // Our node numbers are the index's: it numbers nodes in insertion order.
    if (index.nodes.length !== n + 3 || index.nodes.some((key, i) => key !== String(i))) {
      throw new Error('road network: the neighbourhood index does not number nodes in insertion order');
    }
    this.#order = new Int32Array(n + 3);
    this.#sourceSlot = index.starts[n]!;
    if (index.starts[n + 1]! - this.#sourceSlot !== 2) throw new Error('road network: the source node must have two slots');
  }

  get segmentCount(): number {
    return this.segA.length;
  }

  /** [x, y] local metres of a point. */
  project(p: LonLat): [x: number, y: number] {
    return [(p[0] - this.#lon0) * this.#kx, (p[1] - this.#lat0) * this.#ky];
  }

  unproject(x: number, y: number): LonLat {
    return [this.#lon0 + x / this.#kx, this.#lat0 + y / this.#ky];
  }

  /** Straight metres between two points (the same projection as the roads). */
  metres(p: LonLat, q: LonLat): number {
    const [x1, y1] = this.project(p);
    const [x2, y2] = this.project(q);
    return Math.hypot(x1 - x2, y1 - y2);
  }

  /**
   * The nearest point on any road segment (not the nearest vertex): the
   * flatbush index gives the nearest bounding box, whose segment's exact
   * distance bounds the answer; every segment whose box lies within that bound
   * is then measured exactly. Null when there are no roads.
   */
  snap(p: LonLat): Snap | null {
    const index = this.#index;
    if (!index) return null;
    const [x, y] = this.project(p);
    const first = index.neighbors(x, y, 1)[0];
    if (first === undefined) return null;
    let best = this.#snapTo(first, x, y);
    for (const s of index.neighbors(x, y, Infinity, best.offRoad)) {
      if (s === best.segment) continue;
      const c = this.#snapTo(s, x, y);
      if (c.offRoad < best.offRoad || (c.offRoad === best.offRoad && s < best.segment)) best = c;
    }
    return best;
  }

  /** The road vertex nearest `p` along the roads: the nearer end of the segment it snaps to. Null when there are no roads. */
  nearestVertex(p: LonLat): number | null {
    const s = this.snap(p);
    return s === null ? null : s.toA <= s.toB ? s.a : s.b;
  }

  /** The road vertices one segment away from road vertex `node` (the simulator's patrols walk these). */
  roadNeighbours(node: number): number[] {
    return this.graph.neighbors(String(node)).map(Number);
  }

  #snapTo(segment: number, x: number, y: number): Snap {
    const a = this.segA[segment]!;
    const b = this.segB[segment]!;
    const ax = this.#x[a]!;
    const ay = this.#y[a]!;
    const dx = this.#x[b]! - ax;
    const dy = this.#y[b]! - ay;
    const len2 = dx * dx + dy * dy;
    const t = Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / len2));
    const sx = ax + t * dx;
    const sy = ay + t * dy;
    const len = this.segLen[segment]!;
    return {
      segment,
      a,
      b,
      toA: t * len,
      toB: (1 - t) * len,
      offRoad: Math.hypot(x - sx, y - sy),
      point: t === 0 ? this.nodes[a]! : t === 1 ? this.nodes[b]! : this.unproject(sx, sy),
    };
  }

  #weightedIndex(): WeightedIndex {
    return (this.#brandes as unknown as { index: WeightedIndex }).index;
  }

  /**
   * ONE single-source shortest-path search from a snap point, by the
   * library's indexed Dijkstra (graphology-shortest-path indexed-brandes).
   * The road graph is undirected, so these are also the distances TO the
   * snap point. Distances follow from the settle order S and predecessors P
   * in one pass: a node settles after its predecessor.
   */
  searchFrom(source: Snap): SearchResult {
    const index = this.#weightedIndex();
    const slot = this.#sourceSlot;
    index.neighborhood[slot] = source.a;
    index.weights[slot] = source.toA;
    index.neighborhood[slot + 1] = source.b;
    index.weights[slot + 1] = source.toB;

    const [S, P] = this.#brandes(this.#sourceNode);
    const n = this.nodes.length;
    const dist = new Float64Array(n).fill(NaN);
    const via = new Int32Array(n).fill(-1);
    // The library leaves S filled (its own caller empties it): popping gives
    // the settle order backwards, into a buffer reused between searches.
    const order = this.#order;
    let settled = 0;
    while (S.size > 0) order[settled++] = S.pop()!;
    const { neighborhood, weights, starts } = index;
    for (let k = settled - 1; k >= 0; k--) {
      const w = order[k]!;
      if (w >= n) continue;
      const v = P[w]![0]!;
      let weight = Infinity;
      for (let j = starts[v]!; j < starts[v + 1]!; j++) {
        if (neighborhood[j] === w) weight = Math.min(weight, weights[j]!);
      }
      dist[w] = (v === this.#sourceNode ? 0 : dist[v]!) + weight;
      via[w] = v === this.#sourceNode ? SOURCE : v;
    }
    return { source, dist, via };
  }

  /**
   * Road metres from a search's source to another snap point: along the
   * segment when both lie on the same one, else the better of the target
   * segment's two ends. NaN when unreachable (another component).
   */
  roadMetres(search: SearchResult, target: Snap): number {
    return this.#bestEnd(search, target).metres;
  }

  /** The shortest way onto the target's segment: straight along it (end -1) or through one of its ends. */
  #bestEnd(search: SearchResult, target: Snap): { metres: number; end: number } {
    let metres = target.segment === search.source.segment ? Math.abs(target.toA - search.source.toA) : Infinity;
    let end = -1;
    const viaA = search.dist[target.a]! + target.toA;
    const viaB = search.dist[target.b]! + target.toB;
    // NaN (unreached) never compares smaller.
    if (viaA < metres) {
      metres = viaA;
      end = target.a;
    }
    if (viaB < metres) {
      metres = viaB;
      end = target.b;
    }
    return { metres: Number.isFinite(metres) ? metres : NaN, end };
  }

  /**
   * The road path from a target snap point back to the search's source, as
   * waypoints: the target's snap point, the vertices in order, the source's
   * snap point. Null when unreachable.
   */
  pathTo(search: SearchResult, target: Snap): LonLat[] | null {
    const { metres, end } = this.#bestEnd(search, target);
    if (Number.isNaN(metres)) return null;
    const out: LonLat[] = [target.point];
    for (let v = end; v >= 0; v = search.via[v]!) out.push(this.nodes[v]!);
    out.push(search.source.point);
    return out;
  }

  /**
   * The brute-force baseline: a fresh bidirectional Dijkstra (the library's)
   * between two snap points, on the graph with two temporary nodes added and
   * removed again. Slow by design; the benchmark compares against it.
   */
  roadMetresBruteForce(from: Snap, to: Snap): number {
    const g = this.graph;
    const s = 'from';
    const t = 'to';
    g.addNode(s);
    g.addNode(t);
    try {
      g.addEdge(s, String(from.a), { weight: from.toA });
      g.addEdge(s, String(from.b), { weight: from.toB });
      g.addEdge(t, String(to.a), { weight: to.toA });
      g.addEdge(t, String(to.b), { weight: to.toB });
      const direct = from.segment === to.segment ? Math.abs(from.toA - to.toA) : Infinity;
      const path = bidirectional(g, s, t, 'weight');
      if (!path) return Number.isFinite(direct) ? direct : NaN;
      let metres = 0;
      for (let i = 1; i < path.length; i++) metres += g.getEdgeAttribute(path[i - 1]!, path[i]!, 'weight');
      return Math.min(metres, direct);
    } finally {
      g.dropNode(s);
      g.dropNode(t);
    }
  }
}
