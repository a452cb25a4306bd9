// ETA ranking on a small hand-made road network, checked against numbers
// worked out by hand.
//
// Distances: the network lies on the equator, so its local equirectangular
// projection has cos φ0 = 1 and one unit u = 0.001° is the same in both axes:
// u = 6,371,008.8 m × π/180 × 0.001 = 111.19508 m.
// Speeds (config defaults): foot 5 km/h = 1.3888… m/s (0.72 s/m), motorcycle
// 30 km/h = 8.3333… m/s, vehicle 40 km/h = 11.111… m/s; detour factor 1.4.
// ETA = off-road metres × 1.4 × 0.72 + road metres / road speed.
//
//   bypass  P5 (0,1u) ─────────────── P6 (20u,1u)          island road
//            │                          │                  (30u,-1u)─(30u,1u)
//   main    P0 (0,0) ── P1 (10u,0) ── P2 (20u,0)
//                  ▲ incident at (5u, 0.2u): snaps to (5u, 0), 0.2u = 22.23902 m off the road
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DispatchCandidate, DispatchCandidates } from '../../db/dispatch-candidates';
import { rankByEta, rankByEtaBruteForce, travelSpeeds, type EtaCandidate } from '../../lib/geo/eta';
import { RoadNetwork } from '../../lib/geo/road-network';
import type { LonLat } from '../../lib/model';
import { buildRecommendations } from '../../lib/recommend';
import { Walker } from '../../lib/sim/walker';

const U = 0.001;
const at = (x: number, y: number): LonLat => [x * U, y * U];
const LINES: LonLat[][] = [
  [at(0, 0), at(10, 0), at(20, 0)],
  [at(0, 0), at(0, 1), at(20, 1), at(20, 0)],
  [at(30, -1), at(30, 1)],
];
const CONFIG = { ETA_FOOT_KMH: 5, ETA_MOTORCYCLE_KMH: 30, ETA_VEHICLE_KMH: 40, ETA_DETOUR_FACTOR: 1.4 };
const SPEEDS = travelSpeeds(CONFIG);
const INCIDENT = at(5, 0.2);
const NOW = Date.parse('2025-06-01T08:00:00Z');

describe('road network', () => {
  const net = new RoadNetwork(LINES);

  it('snaps to the nearest point of a segment, not the nearest vertex, splitting it', () => {
    const s = net.snap(INCIDENT)!;
    expect(s.offRoad).toBeCloseTo(22.23902, 3);
    expect(s.toA).toBeCloseTo(555.97540, 3);
    expect(s.toB).toBeCloseTo(555.97540, 3);
    expect(s.point[0]).toBeCloseTo(0.005, 9);
    expect(s.point[1]).toBeCloseTo(0, 9);
    // (10u, 0.9u) is 0.9u from vertex P1 but 0.1u from the bypass segment.
    const b = net.snap(at(10, 0.9))!;
    expect(b.offRoad).toBeCloseTo(11.11951, 3);
    expect(b.point[1]).toBeCloseTo(0.001, 9);
  });

  it('measures road metres from the incident, taking the shorter way round', () => {
    const search = net.searchFrom(net.snap(INCIDENT)!);
    // Through P1: 5u + 2u.
    expect(net.roadMetres(search, net.snap(at(12, 0))!)).toBeCloseTo(778.36556, 3);
    // On the bypass at (10u, 1u): west via P5 and P0 is 10u + 1u + 5u = 16u; east via P6, P2, P1 would be 26u.
    expect(net.roadMetres(search, net.snap(at(10, 1))!)).toBeCloseTo(1779.12128, 3);
    // The same segment as the incident: straight along it, 2u.
    expect(net.roadMetres(search, net.snap(at(3, 0))!)).toBeCloseTo(222.39016, 3);
    expect(net.roadMetres(search, net.snap(at(30, 0))!)).toBeNaN();
  });

  it('gives the road path back to the incident as waypoints', () => {
    const search = net.searchFrom(net.snap(INCIDENT)!);
    const path = net.pathTo(search, net.snap(at(10, 1))!)!;
    const expected = [at(10, 1), at(0, 1), at(0, 0), at(5, 0)];
    expect(path).toHaveLength(expected.length);
    path.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(expected[i]![0], 9);
      expect(p[1]).toBeCloseTo(expected[i]![1], 9);
    });
    expect(net.pathTo(search, net.snap(at(30, 0))!)).toBeNull();
  });
});

describe('rankByEta', () => {
  const net = new RoadNetwork(LINES);
  const team = (teamId: number, position: LonLat, mode: EtaCandidate['mode'] = 'foot'): EtaCandidate => ({ teamId, position, mode });

  it('adds the off-road legs (× detour factor, at walking speed) to the road leg', () => {
    const { ranked } = rankByEta(net, INCIDENT, [team(4, at(12, -0.5))], SPEEDS);
    // Off road 0.5u + 0.2u = 0.7u = 77.83656 m; road 7u = 778.36556 m, all on foot:
    // (77.83656 × 1.4 + 778.36556) × 0.72 = 638.88245 s.
    expect(ranked).toHaveLength(1);
    expect(ranked[0]!.offRoadMetres).toBeCloseTo(77.83656, 3);
    expect(ranked[0]!.roadMetres).toBeCloseTo(778.36556, 3);
    expect(ranked[0]!.etaSeconds).toBeCloseTo(638.88245, 3);
  });

  it('uses each mode’s speed: a motorcycle 15u away beats a foot team 10u away', () => {
    const { ranked } = rankByEta(net, INCIDENT, [team(3, at(15, 0)), team(2, at(20, 0), 'motorcycle')], SPEEDS);
    // Motorcycle: 22.23902 × 1.4 × 0.72 + 1667.92620 / 8.33333 = 22.41690 + 200.15114 = 222.56807 s.
    // On foot:   (22.23902 × 1.4 + 1111.95080) × 0.72 = 823.02151 s.
    expect(ranked.map((r) => r.teamId)).toEqual([2, 3]);
    expect(ranked[0]!.etaSeconds).toBeCloseTo(222.56807, 3);
    expect(ranked[1]!.etaSeconds).toBeCloseTo(823.02151, 3);
  });

  it('leaves out a team on another part of the road network, and counts it', () => {
    const { ranked, unreachable } = rankByEta(net, INCIDENT, [team(7, at(30, 0)), team(1, at(3, 0))], SPEEDS);
    expect(ranked.map((r) => r.teamId)).toEqual([1]);
    expect(unreachable).toEqual([7]);
  });

  it('agrees with a fresh shortest path per team (the brute-force baseline) on random networks', () => {
    const grid = fc.record({
      keep: fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
      points: fc.array(fc.tuple(fc.double({ min: -1, max: 6, noNaN: true }), fc.double({ min: -1, max: 6, noNaN: true })), { minLength: 2, maxLength: 12 }),
    });
    fc.assert(
      fc.property(grid, ({ keep, points }) => {
        // A 6 × 6 lattice of u-spaced vertices with some streets missing (so some parts are cut off).
        const lines: LonLat[][] = [];
        let k = 0;
        for (let i = 0; i < 6; i++) {
          for (let j = 0; j < 5; j++) {
            if (keep[k++]) lines.push([at(i, j), at(i, j + 1)]);
            if (keep[k++]) lines.push([at(j, i), at(j + 1, i)]);
          }
        }
        if (lines.length === 0) return;
        const g = new RoadNetwork(lines);
        const [incident, ...rest] = points.map(([x, y]) => at(x, y));
        const teams = rest.map((p, i) => team(i + 1, p, i % 2 === 0 ? 'foot' : 'vehicle'));
        const fast = rankByEta(g, incident!, teams, SPEEDS);
        const slow = rankByEtaBruteForce(g, incident!, teams, SPEEDS);
        expect(fast.unreachable).toEqual(slow.unreachable);
        expect(fast.ranked.map((r) => r.teamId)).toEqual(slow.ranked.map((r) => r.teamId));
        fast.ranked.forEach((r, i) => expect(r.roadMetres).toBeCloseTo(slow.ranked[i]!.roadMetres, 6));
      }),
      { numRuns: 100 },
    );
  });
});

describe('buildRecommendations', () => {
  const net = new RoadNetwork(LINES);
  const fixAgo = (ms: number) => NOW - ms;
  const candidate = (teamId: number, over: Partial<DispatchCandidate>): DispatchCandidate => ({
    teamId,
    code: `T${teamId}`,
    name: `巡逻${teamId}组`,
    nameEn: `Patrol ${teamId}`,
    forceType: 'armband',
    status: 'available',
    position: null,
    fixTimeMs: fixAgo(20_000),
    busyWith: null,
    ...over,
  });
  const candidates: DispatchCandidates = {
    incidentPosition: INCIDENT,
    onDuty: 10,
    offDuty: 2,
    teams: [
      candidate(1, { position: at(3, 0) }),
      candidate(2, { position: at(20, 0), forceType: 'motorcycle' }),
      candidate(3, { position: at(15, 0) }),
      candidate(4, { position: at(12, -0.5), forceType: 'militia' }),
      candidate(5, { position: at(0, 0), forceType: 'emergency' }),
      // Ten minutes old: stale, and still ranked second.
      candidate(6, { position: at(4, 0), fixTimeMs: fixAgo(600_000) }),
      candidate(7, { position: at(30, 0) }),
      candidate(8, { position: at(5, 0), forceType: 'emergency', status: 'dispatched', busyWith: 99 }),
      candidate(9, { position: null, fixTimeMs: null }),
      candidate(10, { position: at(10, 1), forceType: 'grid_worker' }),
    ],
  };

  it('ranks the five fastest, flags the stale one, and counts who was left out and why', () => {
    const out = buildRecommendations(net, candidates, CONFIG, { incidentId: 42, includeBusy: false, now: NOW });
    // Team 5 (vehicle, at P0, road 5u):  22.41690 + 555.97540 / 11.11111 = 72.45471 s
    // Team 6 (foot, road 1u):           (31.13462 + 111.19508) × 0.72    = 102.47739 s
    // Team 1 (foot, road 2u):           (31.13462 + 222.39016) × 0.72    = 182.53784 s
    // Team 2 (motorcycle, road 15u):                                        222.56807 s
    // Team 4 (foot, road 7u, 0.7u off road):                                638.88245 s
    // cut: team 3 (823.02151 s) and team 10 (road 16u: 1303.38425 s).
    expect(out.incidentId).toBe(42);
    expect(out.computedAt).toBe('2025-06-01T08:00:00.000Z');
    expect(out.recommendations.map((r) => r.teamId)).toEqual([5, 6, 1, 2, 4]);
    expect(out.recommendations.map((r) => r.etaSeconds)).toEqual([72.5, 102.5, 182.5, 222.6, 638.9]);
    expect(out.recommendations.map((r) => r.roadMetres)).toEqual([556, 111.2, 222.4, 1667.9, 778.4]);
    expect(out.recommendations.map((r) => r.offRoadMetres)).toEqual([22.2, 22.2, 22.2, 22.2, 77.8]);
    expect(out.recommendations.map((r) => r.mode)).toEqual(['vehicle', 'foot', 'foot', 'motorcycle', 'foot']);
    expect(out.recommendations.map((r) => r.stale)).toEqual([false, true, false, false, false]);
    expect(out.recommendations[1]!.fixTime).toBe('2025-06-01T07:50:00.000Z');
    expect(out.recommendations.every((r) => r.busyWith === null)).toBe(true);
    expect(out.excluded).toEqual({ offDuty: 2, busy: 1, noPosition: 1, unreachable: 1 });
  });

  it('with busy teams shown, ranks the busy one by its ETA and says where it is committed', () => {
    const out = buildRecommendations(net, candidates, CONFIG, { incidentId: 42, includeBusy: true, now: NOW });
    // Team 8 (vehicle) stands at the incident's snap point: only the 0.2u off-road leg, 22.23902 × 1.4 × 0.72 = 22.41690 s.
    expect(out.recommendations.map((r) => r.teamId)).toEqual([8, 5, 6, 1, 2]);
    expect(out.recommendations[0]).toMatchObject({ teamId: 8, busyWith: 99, status: 'dispatched', etaSeconds: 22.4, roadMetres: 0 });
    expect(out.excluded).toEqual({ offDuty: 2, busy: 0, noPosition: 1, unreachable: 1 });
  });

  it('with no roads at all, every located team (8 of them) is unreachable', () => {
    const out = buildRecommendations(new RoadNetwork([]), candidates, CONFIG, { incidentId: 42, includeBusy: false, now: NOW });
    expect(out.recommendations).toEqual([]);
    expect(out.excluded).toEqual({ offDuty: 2, busy: 1, noPosition: 1, unreachable: 8 });
  });
});

describe('a dispatched walker (the simulator drives its teams this way)', () => {
  it('follows its course leg by leg, each at its own speed, then keeps to the new waypoints', () => {
    // Along the equator: 0.001° = 111.19508 m (the haversine of turf, same radius).
    const stay = at(2, 0);
    const w = new Walker(at(0, 0), 1, () => at(-5, 0));
    w.follow([{ to: at(1, 0), speedMs: 1 }, { to: at(2, 0), speedMs: 10 }], () => stay, 0.3);
    // 100 s at 1 m/s: 100 m of the first 111.19508 m leg.
    expect(w.advance(100)).toBeCloseTo(100, 6);
    expect(w.position[0]).toBeCloseTo(0.0008993204, 9);
    // 20 s more: 11.19508 m at 1 m/s (11.19508 s), then 8.80492 s at 10 m/s = 88.0492 m.
    expect(w.advance(20)).toBeCloseTo(99.24428, 4);
    expect(w.speedMs).toBe(10);
    expect(w.position[0]).toBeCloseTo(0.0017918444, 9);
    // It arrives (23.14 m left) and stays where its new waypoints keep it.
    w.advance(60);
    expect(w.position).toEqual(stay);
    w.advance(60);
    expect(w.position).toEqual(stay);
  });
});
