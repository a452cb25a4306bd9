// `npm run bench:eta`: ranking teams for an incident by road ETA.
//
// (a) the demo township's road network (seeded into an in-memory PGlite and
//     read back with db/map-layers.ts getRoadLines, as the server does);
// (b) a generated county-sized network: a perturbed 112 × 112 lattice
//     (500 m apart) with gaps and diagonal roads, ≥ 20,000 segments.
//
// For each: 200 teams at random road-side positions, N random incidents;
// p50/p95 of the fast ranking (ONE single-source search from the incident,
// lib/geo/eta.ts rankByEta) against the brute-force baseline (a fresh
// bidirectional shortest path per team, rankByEtaBruteForce), with the ratio,
// and the three ways the library offers to run the one search.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { brandes as stringBrandes, singleSource } from 'graphology-shortest-path/dijkstra.js';
import { openDb } from '../db/client';
import { getRoadLines } from '../db/map-layers';
import { migrate } from '../db/migrate';
import { rankByEta, rankByEtaBruteForce, travelSpeeds, type EtaCandidate } from '../lib/geo/eta';
import { RoadNetwork, type Snap } from '../lib/geo/road-network';
import { loadConfig } from '../lib/config';
import { TRAVEL_MODES, type LonLat } from '../lib/model';
import { createRng } from '../lib/sim/township/prng';
import { seedDemoTownship } from '../lib/sim/seed';
import { percentile } from './stats';

const ROOT = join(import.meta.dirname, '..');
const TEAMS = 200;
const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 200);
/**
 * Incidents for the baseline and the search comparison: the baseline takes
 * seconds per incident on the county network, so fewer there keep the run
 * within minutes (the ratio is what they are for).
 */
const BASELINE_INCIDENTS = { demo: Number(process.env.BENCH_BASELINE_DEMO ?? 40), county: Number(process.env.BENCH_BASELINE_COUNTY ?? 10) };
const progress = (msg: string) => process.stderr.write(`[bench:eta] ${msg}\n`);
const speeds = travelSpeeds(loadConfig({}));

/** The demo generator's seeded PRNG, so every run ranks the same teams for the same incidents. */
function prng(seed: number): () => number {
  const rng = createRng(seed, 'bench:eta');
  return () => rng.next();
}

/** A point beside a random road segment: somewhere along it, up to `maxOff` metres to one side. */
function roadSide(net: RoadNetwork, rand: () => number, maxOff: number): LonLat {
  const s = Math.floor(rand() * net.segmentCount);
  const [ax, ay] = net.project(net.nodes[net.segA[s]!]!);
  const [bx, by] = net.project(net.nodes[net.segB[s]!]!);
  const t = rand();
  const len = Math.hypot(bx - ax, by - ay);
  const off = (rand() * 2 - 1) * maxOff;
  return net.unproject(ax + t * (bx - ax) - ((by - ay) / len) * off, ay + t * (by - ay) + ((bx - ax) / len) * off);
}

/** The county: a jittered lattice, about 10 % of streets missing, a diagonal road every 7th row and column. */
function countyLines(rand: () => number): LonLat[][] {
  const N = 112;
  const step = 500;
  const lat0 = 31;
  const mPerDegLat = 111_195;
  const mPerDegLon = mPerDegLat * Math.cos((lat0 * Math.PI) / 180);
  const node: LonLat[][] = [];
  for (let i = 0; i < N; i++) {
    node.push([]);
    for (let j = 0; j < N; j++) {
      const x = i * step + (rand() - 0.5) * 200;
      const y = j * step + (rand() - 0.5) * 200;
      node[i]!.push([100 + x / mPerDegLon, lat0 + y / mPerDegLat]);
    }
  }
  const lines: LonLat[][] = [];
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      if (i + 1 < N && rand() > 0.1) lines.push([node[i]![j]!, node[i + 1]![j]!]);
      if (j + 1 < N && rand() > 0.1) lines.push([node[i]![j]!, node[i]![j + 1]!]);
      if (i + 1 < N && j + 1 < N && (i % 7 === 0 || j % 7 === 0) && rand() > 0.3) lines.push([node[i]![j]!, node[i + 1]![j + 1]!]);
    }
  }
  return lines;
}

const time = (fn: () => void): number => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

interface Figures {
  network: string;
  segments: number;
  nodes: number;
  buildMs: number;
  fast: { p50: number; p95: number; n: number };
  baseline: { p50: number; p95: number; n: number };
  ratioP50: number;
  ratioP95: number;
  /** One search from the incident only, by three library routines (p50 / p95 ms). */
  search: Record<'indexedBrandes' | 'dijkstraBrandes' | 'singleSource', { p50: number; p95: number }>;
  unreachableShare: number;
}

/** dist from a temporary source node by one of the library's string-keyed routines. */
function stringKeyedSearch(net: RoadNetwork, source: Snap, teams: Snap[], how: 'dijkstraBrandes' | 'singleSource'): void {
  const g = net.graph;
  g.addNode('src');
  try {
    g.addEdge('src', String(source.a), { weight: source.toA });
    g.addEdge('src', String(source.b), { weight: source.toB });
    const dist = new Map<string, number>([['src', 0]]);
    if (how === 'dijkstraBrandes') {
      const [S, P] = stringBrandes(g, 'src', 'weight');
      for (const w of S) {
        const v = P[w]![0];
        if (v !== undefined) dist.set(w, dist.get(v)! + g.getEdgeAttribute(v, w, 'weight'));
      }
    } else {
      const paths = singleSource(g, 'src', 'weight');
      // singleSource gives paths, not lengths: sum each needed one.
      for (const t of teams) {
        for (const end of [String(t.a), String(t.b)]) {
          const path = paths[end];
          if (!path || dist.has(end)) continue;
          let m = 0;
          for (let i = 1; i < path.length; i++) m += g.getEdgeAttribute(path[i - 1]!, path[i]!, 'weight');
          dist.set(end, m);
        }
      }
    }
  } finally {
    g.dropNode('src');
  }
}

function measure(label: string, lines: LonLat[][], seed: number, baselineIncidents: number): Figures {
  let net!: RoadNetwork;
  const buildMs = time(() => (net = new RoadNetwork(lines)));
  progress(`${label}: ${net.segmentCount} segments, built in ${buildMs.toFixed(0)} ms`);
  const rand = prng(seed);
  const teams: EtaCandidate[] = Array.from({ length: TEAMS }, (_, i) => ({
    teamId: i + 1,
    position: roadSide(net, rand, 30),
    mode: TRAVEL_MODES[i % TRAVEL_MODES.length]!,
  }));
  const incidents = Array.from({ length: INCIDENTS }, () => roadSide(net, rand, 200));

  // Warm-up: the JIT and the library's lazily built structures.
  for (const inc of incidents.slice(0, 10)) rankByEta(net, inc, teams, speeds);

  const fast: number[] = [];
  let unreachable = 0;
  for (const inc of incidents) {
    let n = 0;
    fast.push(time(() => (n = rankByEta(net, inc, teams, speeds).unreachable.length)));
    unreachable += n;
  }
  progress(`${label}: fast ranking done; baseline over ${baselineIncidents} incidents …`);
  const baseline: number[] = [];
  for (const inc of incidents.slice(0, baselineIncidents)) {
    const fastOut = rankByEta(net, inc, teams, speeds);
    let slowOut!: ReturnType<typeof rankByEtaBruteForce>;
    baseline.push(time(() => (slowOut = rankByEtaBruteForce(net, inc, teams, speeds))));
    // Same answer, or the comparison means nothing.
    const a = fastOut.ranked.map((r) => r.teamId).join();
    const b = slowOut.ranked.map((r) => r.teamId).join();
    if (a !== b) throw new Error(`${label}: fast and baseline rankings differ`);
  }

  const teamSnaps = teams.map((t) => net.snap(t.position)!);
  const searches = { indexedBrandes: [] as number[], dijkstraBrandes: [] as number[], singleSource: [] as number[] };
  progress(`${label}: comparing the library's search routines …`);
  for (const inc of incidents.slice(0, baselineIncidents)) {
    const s = net.snap(inc)!;
    searches.indexedBrandes.push(time(() => net.searchFrom(s)));
    searches.dijkstraBrandes.push(time(() => stringKeyedSearch(net, s, teamSnaps, 'dijkstraBrandes')));
    searches.singleSource.push(time(() => stringKeyedSearch(net, s, teamSnaps, 'singleSource')));
  }
  const summary = (xs: number[]) => ({ p50: percentile(xs, 50), p95: percentile(xs, 95) });
  return {
    network: label,
    segments: net.segmentCount,
    nodes: net.nodes.length,
    buildMs,
    fast: { ...summary(fast), n: fast.length },
    baseline: { ...summary(baseline), n: baseline.length },
    ratioP50: percentile(baseline, 50) / percentile(fast, 50),
    ratioP95: percentile(baseline, 95) / percentile(fast, 95),
    search: {
      indexedBrandes: summary(searches.indexedBrandes),
      dijkstraBrandes: summary(searches.dijkstraBrandes),
      singleSource: summary(searches.singleSource),
    },
    unreachableShare: unreachable / (INCIDENTS * TEAMS),
  };
}

progress('seeding the demo township into an in-memory PGlite …');
const db = await openDb({});
let demoLines: LonLat[][];
try {
  await migrate(db);
  await seedDemoTownship(db, { historyDays: 1 });
  demoLines = (await getRoadLines(db)).map((l) => l.coordinates);
} finally {
  await db.close();
}

const results = [
  measure('demo township', demoLines, 1, BASELINE_INCIDENTS.demo),
  measure('generated county', countyLines(prng(20261127)), 2, BASELINE_INCIDENTS.county),
];

const f = (x: number) => x.toFixed(x < 10 ? 2 : 1);
console.log(`\nETA ranking, ${TEAMS} teams; fast over ${INCIDENTS} incidents, baseline over ${BASELINE_INCIDENTS.demo} (demo) / ${BASELINE_INCIDENTS.county} (county) (ms)`);
console.log('| network | segments | build | fast p50 | fast p95 | baseline p50 | baseline p95 | ratio p50 | ratio p95 |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(
    `| ${r.network} | ${r.segments.toLocaleString('en')} | ${f(r.buildMs)} | **${f(r.fast.p50)}** | **${f(r.fast.p95)}** | ${f(r.baseline.p50)} | ${f(r.baseline.p95)} | ${r.ratioP50.toFixed(0)}× | ${r.ratioP95.toFixed(0)}× |`,
  );
}
console.log('\nOne search from the incident, by library routine (p50 / p95 ms)');
console.log('| network | indexed-brandes | dijkstra.brandes | dijkstra.singleSource |');
console.log('|---|---|---|---|');
for (const r of results) {
  const s = r.search;
  console.log(
    `| ${r.network} | ${f(s.indexedBrandes.p50)} / ${f(s.indexedBrandes.p95)} | ${f(s.dijkstraBrandes.p50)} / ${f(s.dijkstraBrandes.p95)} | ${f(s.singleSource.p50)} / ${f(s.singleSource.p95)} |`,
  );
}
const targets = [results[0]!.fast.p95 < 50, results[1]!.fast.p95 < 100];
console.log(`\ntargets: demo p95 < 50 ms ${targets[0] ? 'met' : 'MISSED'}; county p95 < 100 ms ${targets[1] ? 'met' : 'MISSED'}`);
console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
mkdirSync(join(ROOT, '.bench'), { recursive: true });
writeFileSync(join(ROOT, '.bench', 'eta.json'), JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
if (!targets.every(Boolean)) process.exitCode = 1;
