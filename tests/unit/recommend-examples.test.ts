// buildRecommendations (lib/recommend.ts, the pure part of recommendTeams)
// pinned by example on one straight road along the equator, where 0.001° is
// 111.19508 m: every field of a recommendation written out, the stale flag at
// its edge (2 minutes), and who is left out and why.
import { describe, expect, it } from 'vitest';
import type { DispatchCandidate, DispatchCandidates } from '../../db/dispatch-candidates';
import { RoadNetwork } from '../../lib/geo/road-network';
import type { LonLat } from '../../lib/model';
import { RECOMMENDATION_LIMIT, buildRecommendations } from '../../lib/recommend';

const U = 0.001;
const at = (x: number): LonLat => [x * U, 0];
const NET = new RoadNetwork([[at(0), at(40)]]);
const CONFIG = { ETA_FOOT_KMH: 5, ETA_MOTORCYCLE_KMH: 30, ETA_VEHICLE_KMH: 40, ETA_DETOUR_FACTOR: 1.4 };
const NOW = Date.parse('2025-06-01T08:00:00Z');

const candidate = (teamId: number, over: Partial<DispatchCandidate> = {}): DispatchCandidate => ({
  teamId,
  code: `T${teamId}`,
  name: `巡逻${teamId}组`,
  nameEn: `Patrol ${teamId}`,
  forceType: 'emergency',
  status: 'available',
  position: at(teamId),
  fixTimeMs: NOW - 60_000,
  busyWith: null,
  ...over,
});
const input = (teams: DispatchCandidate[]): DispatchCandidates => ({ incidentPosition: at(0), onDuty: teams.length, offDuty: 3, teams });
const build = (teams: DispatchCandidate[], includeBusy = false) => buildRecommendations(NET, input(teams), CONFIG, { incidentId: 7, includeBusy, now: NOW });

describe('buildRecommendations by example', () => {
  it('writes every field of a recommendation, to a tenth of a metre or second', () => {
    // Vehicle at 40 km/h (11.11111 m/s) on 1u of road: 111.19508 m / 11.11111 = 10.00756 s.
    const out = build([candidate(1, { status: 'on_scene', busyWith: 12 })], true);
    expect(out).toEqual({
      incidentId: 7,
      computedAt: '2025-06-01T08:00:00.000Z',
      recommendations: [
        {
          teamId: 1,
          code: 'T1',
          name: '巡逻1组',
          nameEn: 'Patrol 1',
          forceType: 'emergency',
          mode: 'vehicle',
          status: 'on_scene',
          etaSeconds: 10,
          roadMetres: 111.2,
          offRoadMetres: 0,
          position: [0.001, 0],
          fixTime: '2025-06-01T07:59:00.000Z',
          stale: false,
          busyWith: 12,
        },
      ],
      excluded: { offDuty: 3, busy: 0, noPosition: 0, unreachable: 0 },
    });
  });

  it('flags a position older than 2 minutes as stale, not one exactly 2 minutes old', () => {
    const out = build([candidate(1, { fixTimeMs: NOW - 120_000 }), candidate(2, { fixTimeMs: NOW - 120_001 })]);
    expect(out.recommendations.map((r) => [r.teamId, r.stale])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('leaves out a team with a position but no fix time, or a fix time but no position', () => {
    const out = build([candidate(1, { fixTimeMs: null }), candidate(2, { position: null }), candidate(3)]);
    expect(out.recommendations.map((r) => r.teamId)).toEqual([3]);
    expect(out.excluded).toEqual({ offDuty: 3, busy: 0, noPosition: 2, unreachable: 0 });
  });

  it('recommends at most five, fastest first', () => {
    expect(RECOMMENDATION_LIMIT).toBe(5);
    const out = build([7, 3, 6, 1, 5, 2, 4].map((id) => candidate(id)));
    expect(out.recommendations.map((r) => r.teamId)).toEqual([1, 2, 3, 4, 5]);
    expect(out.recommendations.map((r) => r.etaSeconds)).toEqual([10, 20, 30, 40, 50]);
  });
});
