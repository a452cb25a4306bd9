import type { Alert, AlertKind, LonLat, Severity } from '../lib/model';
import type { Queryable } from './client';
import { iso, isoRequired, lonLat } from './rows';

export interface AlertRow {
  id: string;
  kind: AlertKind;
  severity: number;
  team_id: number | null;
  team_code: string | null;
  team_name: string | null;
  team_name_en: string | null;
  lon: number | null;
  lat: number | null;
  message: string;
  raised_at: Date | string;
  acknowledged_at: Date | string | null;
  acknowledged_by: string | null;
  cleared_at: Date | string | null;
  cleared_by: string | null;
  incident_id: string | null;
  grid_id: number | null;
  grid_code: string | null;
}

/** The Alert columns of `source` (the alerts table, or a CTE of rows just written) with its team and grid. */
export const alertSelect = (source: string) => `
  SELECT a.id::text, a.kind, a.severity, a.team_id, t.code AS team_code, t.name AS team_name,
         t.name_en AS team_name_en, ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat, a.message,
         a.raised_at, a.acknowledged_at, a.acknowledged_by, a.cleared_at, a.cleared_by,
         a.incident_id::text, a.grid_id, g.code AS grid_code
  FROM ${source} a LEFT JOIN teams t ON t.id = a.team_id LEFT JOIN grids g ON g.id = a.grid_id`;

export function toAlert(r: AlertRow): Alert {
  return {
    id: Number(r.id),
    kind: r.kind,
    severity: r.severity as Severity,
    teamId: r.team_id,
    teamCode: r.team_code,
    teamName: r.team_name,
    teamNameEn: r.team_name_en,
    position: lonLat(r.lon, r.lat),
    message: r.message,
    raisedAt: isoRequired(r.raised_at),
    acknowledgedAt: iso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    clearedAt: iso(r.cleared_at),
    clearedBy: r.cleared_by,
    incidentId: r.incident_id === null ? null : Number(r.incident_id),
    gridId: r.grid_id,
    gridCode: r.grid_code,
  };
}

export async function insertAlert(
  db: Queryable,
  a: { kind: AlertKind; severity: Severity; teamId: number | null; deviceId: number | null; position: LonLat | null; message: string },
): Promise<Alert> {
  const { rows } = await db.query<AlertRow>(
    `WITH a AS (
       INSERT INTO alerts (kind, severity, team_id, device_id, geom, message)
       VALUES ($1::text, $2::smallint, $3::int, $4::int,
               CASE WHEN $5::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($5::float8, $6::float8), 4326) END,
               $7::text)
       RETURNING *)
     ${alertSelect('a')}`,
    [a.kind, a.severity, a.teamId, a.deviceId, a.position?.[0] ?? null, a.position?.[1] ?? null, a.message],
  );
  return toAlert(rows[0]!);
}

/** Which alerts GET /api/alerts lists: `attention` (not cleared, or cleared but not acknowledged), `active` (not cleared), `all`. */
export type AlertState = 'attention' | 'active' | 'all';

const STATE_WHERE: Record<AlertState, string> = {
  attention: '(a.cleared_at IS NULL OR a.acknowledged_at IS NULL)',
  active: 'a.cleared_at IS NULL',
  all: 'true',
};

/** Alerts newest first, optionally of one kind; `attention` is served by the partial index alerts_attention_idx. */
export async function getAlerts(
  db: Queryable,
  { state, kind, limit = 500 }: { state: AlertState; kind?: AlertKind; limit?: number },
): Promise<Alert[]> {
  const { rows } = await db.query<AlertRow>(
    `${alertSelect('alerts')}
     WHERE ${STATE_WHERE[state]} AND ($1::text IS NULL OR a.kind = $1::text)
     ORDER BY a.raised_at DESC, a.id DESC
     LIMIT $2::int`,
    [kind ?? null, limit],
  );
  return rows.map(toAlert);
}

/** The alerts that need attention (not cleared, or cleared but not acknowledged), newest first. */
export async function getOpenAlerts(db: Queryable): Promise<Alert[]> {
  return getAlerts(db, { state: 'attention' });
}

export async function getAlert(db: Queryable, { id }: { id: number }): Promise<Alert | null> {
  const { rows } = await db.query<AlertRow>(`${alertSelect('alerts')} WHERE a.id = $1::bigint`, [id]);
  return rows[0] ? toAlert(rows[0]) : null;
}

/** Records who acknowledged the alert; null when there is no such alert or it was acknowledged already. */
export async function setAlertAcknowledged(db: Queryable, { id, by }: { id: number; by: string }): Promise<Alert | null> {
  const { rows } = await db.query<AlertRow>(
    `WITH a AS (
       UPDATE alerts SET acknowledged_at = now(), acknowledged_by = $2::text
       WHERE id = $1::bigint AND acknowledged_at IS NULL
       RETURNING *)
     ${alertSelect('a')}`,
    [id, by],
  );
  return rows[0] ? toAlert(rows[0]) : null;
}

/**
 * A person clears an SOS (no rule can see that the danger is over). Whoever
 * clears it has seen it, so it is acknowledged too if it was not yet. Null
 * when there is no such SOS or it is cleared already.
 */
export async function setSosCleared(db: Queryable, { id, by }: { id: number; by: string }): Promise<Alert | null> {
  const { rows } = await db.query<AlertRow>(
    `WITH a AS (
       UPDATE alerts SET cleared_at = now(), cleared_by = $2::text,
                         acknowledged_at = COALESCE(acknowledged_at, now()),
                         acknowledged_by = COALESCE(acknowledged_by, $2::text)
       WHERE id = $1::bigint AND kind = 'sos' AND cleared_at IS NULL
       RETURNING *)
     ${alertSelect('a')}`,
    [id, by],
  );
  return rows[0] ? toAlert(rows[0]) : null;
}

/** Rule keys of the rule alerts that are live (not cleared): the evaluator's state between cycles. */
export async function getLiveRuleKeys(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ rule_key: string }>(
    `SELECT rule_key FROM alerts WHERE cleared_at IS NULL AND rule_key IS NOT NULL ORDER BY rule_key`,
  );
  return rows.map((r) => r.rule_key);
}

export interface RuleAlertInput {
  ruleKey: string;
  kind: AlertKind;
  severity: Severity;
  teamId: number | null;
  incidentId: number | null;
  gridId: number | null;
  position: LonLat | null;
  message: string;
}

/**
 * Raises rule alerts in one statement, at `now`. The partial unique index
 * alerts_one_live_per_rule makes a key that is live already (raised by a
 * concurrent cycle) a no-op: only the rows actually inserted come back.
 */
export async function insertRuleAlerts(db: Queryable, { alerts, now }: { alerts: readonly RuleAlertInput[]; now: Date }): Promise<Alert[]> {
  if (alerts.length === 0) return [];
  const { rows } = await db.query<AlertRow>(
    `WITH a AS (
       INSERT INTO alerts (rule_key, kind, severity, team_id, incident_id, grid_id, geom, message, raised_at)
       SELECT u.rule_key, u.kind, u.severity, u.team_id, u.incident_id, u.grid_id,
              CASE WHEN u.lon IS NULL OR u.lat IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326) END,
              u.message, $11::timestamptz
       FROM unnest($1::text[], $2::text[], $3::smallint[], $4::int[], $5::bigint[], $6::int[],
                   $7::float8[], $8::float8[], $9::text[], $10::int[])
         AS u(rule_key, kind, severity, team_id, incident_id, grid_id, lon, lat, message, ord)
       ORDER BY u.ord
       ON CONFLICT (rule_key) WHERE cleared_at IS NULL AND rule_key IS NOT NULL DO NOTHING
       RETURNING *)
     ${alertSelect('a')}
     ORDER BY a.id`,
    [
      alerts.map((a) => a.ruleKey),
      alerts.map((a) => a.kind),
      alerts.map((a) => a.severity),
      alerts.map((a) => a.teamId),
      alerts.map((a) => a.incidentId),
      alerts.map((a) => a.gridId),
      alerts.map((a) => a.position?.[0] ?? null),
      alerts.map((a) => a.position?.[1] ?? null),
      alerts.map((a) => a.message),
      alerts.map((_, i) => i),
      now.toISOString(),
    ],
  );
  return rows.map(toAlert);
}

/** Clears the live rule alerts with these keys at `now` (cleared_by 'rule'); only the rows actually cleared come back. */
export async function clearRuleAlerts(db: Queryable, { ruleKeys, now }: { ruleKeys: readonly string[]; now: Date }): Promise<Alert[]> {
  if (ruleKeys.length === 0) return [];
  const { rows } = await db.query<AlertRow>(
    `WITH a AS (
       UPDATE alerts SET cleared_at = $2::timestamptz, cleared_by = 'rule'
       WHERE rule_key = ANY($1::text[]) AND cleared_at IS NULL
       RETURNING *)
     ${alertSelect('a')}
     ORDER BY a.id`,
    [ruleKeys, now.toISOString()],
  );
  return rows.map(toAlert);
}
