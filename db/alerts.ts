import type { Alert, AlertKind, LonLat, Severity } from '../lib/model';
import type { Queryable } from './client';
import { iso, isoRequired, lonLat } from './rows';

interface AlertRow {
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
}

const ALERT_SELECT = `
  SELECT a.id::text, a.kind, a.severity, a.team_id, t.code AS team_code, t.name AS team_name,
         t.name_en AS team_name_en, ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat, a.message,
         a.raised_at, a.acknowledged_at
  FROM alerts a LEFT JOIN teams t ON t.id = a.team_id`;

function toAlert(r: AlertRow): Alert {
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
     SELECT a.id::text, a.kind, a.severity, a.team_id, t.code AS team_code, t.name AS team_name,
            t.name_en AS team_name_en, ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat, a.message,
            a.raised_at, a.acknowledged_at
     FROM a LEFT JOIN teams t ON t.id = a.team_id`,
    [a.kind, a.severity, a.teamId, a.deviceId, a.position?.[0] ?? null, a.position?.[1] ?? null, a.message],
  );
  return toAlert(rows[0]!);
}

/** Open (unacknowledged) alerts, newest first. */
export async function getOpenAlerts(db: Queryable): Promise<Alert[]> {
  const { rows } = await db.query<AlertRow>(`${ALERT_SELECT} WHERE a.acknowledged_at IS NULL ORDER BY a.raised_at DESC LIMIT 500`);
  return rows.map(toAlert);
}
