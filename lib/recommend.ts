// Which teams to send: the on-duty teams ranked by estimated time of arrival
// at an incident along the township's road network (lib/geo/eta.ts).
import type { Queryable } from '../db/client';
import { getDispatchCandidates, type DispatchCandidates } from '../db/dispatch-candidates';
import { AppError } from './errors';
import { rankByEta, travelSpeeds, type EtaCandidate, type EtaSettings } from './geo/eta';
import type { RoadNetwork } from './geo/road-network';
import { loadRoadNetwork } from './geo/road-network-cache';
import { FORCE_TRAVEL_MODE, STALE_AFTER_MS, type LonLat, type Recommendation, type RecommendationsPayload } from './model';

/** At most this many teams are recommended, fastest first. */
export const RECOMMENDATION_LIMIT = 5;

export interface RecommendInput {
  incidentId: number;
  /** Also rank teams committed to an incident (each with `busyWith`). */
  includeBusy: boolean;
  /** The clock for "stale" (epoch ms); now by default. */
  now?: number;
}

/**
 * The five fastest available teams for an incident. Off-duty teams are left
 * out; busy ones (an active assignment) too unless asked for; a team with no
 * fix yet, or on a part of the road network the incident cannot be reached
 * from, is left out. Every left-out team is counted. A stale position is
 * ranked all the same and flagged. 404 for no such incident.
 */
export async function recommendTeams(
  deps: { db: Queryable; config: EtaSettings },
  { incidentId, includeBusy, now = Date.now() }: RecommendInput,
): Promise<RecommendationsPayload> {
  const [candidates, network] = await Promise.all([getDispatchCandidates(deps.db, { incidentId }), loadRoadNetwork(deps.db)]);
  if (!candidates) throw new AppError('not_found', `incident ${incidentId} does not exist`);
  return buildRecommendations(network, candidates, deps.config, { incidentId, includeBusy, now });
}

/** One decimal: metres and seconds to a tenth are plenty, and keep the JSON short. */
const tenth = (x: number) => Math.round(x * 10) / 10;

/** The pure part of recommendTeams: filter, rank, cut to five, flag stale positions. */
export function buildRecommendations(
  network: RoadNetwork,
  candidates: DispatchCandidates,
  config: EtaSettings,
  { incidentId, includeBusy, now }: { incidentId: number; includeBusy: boolean; now: number },
): RecommendationsPayload {
  const excluded = { offDuty: candidates.offDuty, busy: 0, noPosition: 0, unreachable: 0 };
  const eligible = new Map<number, DispatchCandidates['teams'][number] & { position: LonLat; fixTimeMs: number }>();
  for (const t of candidates.teams) {
    if (t.busyWith !== null && !includeBusy) excluded.busy++;
    else if (t.position === null || t.fixTimeMs === null) excluded.noPosition++;
    else eligible.set(t.teamId, { ...t, position: t.position, fixTimeMs: t.fixTimeMs });
  }
  const etaTeams: EtaCandidate[] = [...eligible.values()].map((t) => ({ teamId: t.teamId, position: t.position, mode: FORCE_TRAVEL_MODE[t.forceType] }));
  const { ranked, unreachable } = rankByEta(network, candidates.incidentPosition, etaTeams, travelSpeeds(config));
  excluded.unreachable = unreachable.length;

  const recommendations = ranked.slice(0, RECOMMENDATION_LIMIT).map((r): Recommendation => {
    const t = eligible.get(r.teamId)!;
    return {
      teamId: t.teamId,
      code: t.code,
      name: t.name,
      nameEn: t.nameEn,
      forceType: t.forceType,
      mode: FORCE_TRAVEL_MODE[t.forceType],
      status: t.status,
      etaSeconds: tenth(r.etaSeconds),
      roadMetres: tenth(r.roadMetres),
      offRoadMetres: tenth(r.offRoadMetres),
      position: t.position,
      fixTime: new Date(t.fixTimeMs).toISOString(),
      stale: now - t.fixTimeMs > STALE_AFTER_MS,
      busyWith: t.busyWith,
    };
  });
  return { incidentId, computedAt: new Date(now).toISOString(), recommendations, excluded };
}
