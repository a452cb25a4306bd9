// Estimated time of arrival of teams at an incident over the road network:
// off-road legs (team → its road, road → incident) are straight lines × the
// detour factor at walking speed; the road leg runs at the team's travel mode.
import type { Config } from '../config';
import type { LonLat, TravelMode } from '../model';
import type { RoadNetwork, Snap } from './road-network';

export interface TravelSpeeds {
  /** Road speed per travel mode, metres per second. */
  roadMs: Record<TravelMode, number>;
  /** Off-road legs are always walked, metres per second. */
  offRoadMs: number;
  detourFactor: number;
}

export type EtaSettings = Pick<Config, 'ETA_FOOT_KMH' | 'ETA_MOTORCYCLE_KMH' | 'ETA_VEHICLE_KMH' | 'ETA_DETOUR_FACTOR'>;

export function travelSpeeds(config: EtaSettings): TravelSpeeds {
  return {
    roadMs: { foot: config.ETA_FOOT_KMH / 3.6, motorcycle: config.ETA_MOTORCYCLE_KMH / 3.6, vehicle: config.ETA_VEHICLE_KMH / 3.6 },
    offRoadMs: config.ETA_FOOT_KMH / 3.6,
    detourFactor: config.ETA_DETOUR_FACTOR,
  };
}

export interface EtaCandidate {
  teamId: number;
  position: LonLat;
  mode: TravelMode;
}

export interface EtaResult {
  teamId: number;
  etaSeconds: number;
  roadMetres: number;
  /** Straight metres team → road plus road → incident, before the detour factor. */
  offRoadMetres: number;
}

export interface Ranking {
  /** Every reachable team, fastest first (ties: lower team id first). */
  ranked: EtaResult[];
  /** Teams on another component of the road network than the incident (or no roads at all). */
  unreachable: number[];
}

export function etaSeconds(speeds: TravelSpeeds, mode: TravelMode, roadMetres: number, offRoadMetres: number): number {
  return (offRoadMetres * speeds.detourFactor) / speeds.offRoadMs + roadMetres / speeds.roadMs[mode];
}

const byEta = (x: EtaResult, y: EtaResult) => x.etaSeconds - y.etaSeconds || x.teamId - y.teamId;

function rank(
  net: RoadNetwork,
  incident: LonLat,
  teams: readonly EtaCandidate[],
  speeds: TravelSpeeds,
  roadMetres: (from: Snap) => (to: Snap) => number,
): Ranking {
  const source = net.snap(incident);
  if (!source) return { ranked: [], unreachable: teams.map((t) => t.teamId) };
  const metresTo = roadMetres(source);
  const ranked: EtaResult[] = [];
  const unreachable: number[] = [];
  for (const team of teams) {
    const snap = net.snap(team.position);
    const road = snap ? metresTo(snap) : NaN;
    if (!snap || Number.isNaN(road)) {
      unreachable.push(team.teamId);
      continue;
    }
    const offRoadMetres = snap.offRoad + source.offRoad;
    ranked.push({ teamId: team.teamId, etaSeconds: etaSeconds(speeds, team.mode, road, offRoadMetres), roadMetres: road, offRoadMetres });
  }
  return { ranked: ranked.sort(byEta), unreachable };
}

/**
 * The fast ranking: ONE shortest-path search from the incident's snap point;
 * each team's road metres are then the better of its segment's two ends
 * (distance there + metres along the segment to its snap point).
 */
export function rankByEta(net: RoadNetwork, incident: LonLat, teams: readonly EtaCandidate[], speeds: TravelSpeeds): Ranking {
  return rank(net, incident, teams, speeds, (source) => {
    const search = net.searchFrom(source);
    return (to) => net.roadMetres(search, to);
  });
}

/** The baseline the benchmark compares with: a fresh bidirectional shortest path per team. */
export function rankByEtaBruteForce(net: RoadNetwork, incident: LonLat, teams: readonly EtaCandidate[], speeds: TravelSpeeds): Ranking {
  return rank(net, incident, teams, speeds, (source) => (to) => net.roadMetresBruteForce(source, to));
}
