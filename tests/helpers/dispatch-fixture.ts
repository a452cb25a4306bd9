// A small township for dispatch tests: one village, one grid cell, a few
// teams with devices and unit_state rows — written in SQL, so a test does not
// pay for the demo seed and knows every name and secret it works with.
import type { Queryable } from '../../db/client';
import { insertDevice } from '../../db/devices';

export interface DispatchTeam {
  id: number;
  code: string;
  /** The device's secret (Authorization: Bearer …) and label. */
  secret: string;
  label: string;
}

export interface DispatchTownship {
  villageCode: string;
  gridCode: string;
  /** A point inside the grid cell. */
  inside: [lon: number, lat: number];
  /** On duty, in this order: M-01, M-02, M-03. */
  teams: DispatchTeam[];
  /** Off duty. */
  offDuty: DispatchTeam;
}

/** The cell spans lon 100.000–100.010, lat 31.000–31.010. */
export async function insertDispatchTownship(db: Queryable, suffix = ''): Promise<DispatchTownship> {
  const villageCode = `VT${suffix}`;
  const gridCode = `VT${suffix}-01`;
  const { rows: v } = await db.query<{ id: number }>(
    `INSERT INTO villages (code, name, name_en, kind, centre, population)
     VALUES ($1::text, '测试村', 'Test village', 'village', ST_SetSRID(ST_MakePoint(100.005, 31.005), 4326), 800) RETURNING id`,
    [villageCode],
  );
  await db.query(
    `INSERT INTO grids (code, name, name_en, village_id, geom)
     VALUES ($1::text, '测试网格', 'Test grid', $2::int,
             ST_Multi(ST_MakeEnvelope(100.000, 31.000, 100.010, 31.010, 4326)))`,
    [gridCode, v[0]!.id],
  );
  const make = async (code: string, name: string, onDuty: boolean): Promise<DispatchTeam> => {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO teams (code, name, name_en, force_type, size, village_id, on_duty)
       VALUES ($1::text, $2::text, $3::text, 'motorcycle', 3, $4::int, $5::boolean) RETURNING id`,
      [code, name, `Team ${code}`, v[0]!.id, onDuty],
    );
    const id = rows[0]!.id;
    const secret = `dispatch-test-secret-${code}-${suffix}-0123456789`;
    const label = `${code} 手台`;
    const deviceId = await insertDevice(db, { teamId: id, secret, label });
    await db.query(
      `INSERT INTO unit_state (team_id, device_id, status, fix_time, received_at, geom)
       VALUES ($1::int, $2::int, $3::text, now(), now(), ST_SetSRID(ST_MakePoint(100.002, 31.002), 4326))`,
      [id, deviceId, onDuty ? 'available' : 'off_duty'],
    );
    return { id, code, secret, label };
  };
  const teams = [await make(`M-01${suffix}`, '摩托一队', true), await make(`M-02${suffix}`, '摩托二队', true), await make(`M-03${suffix}`, '摩托三队', true)];
  const offDuty = await make(`M-09${suffix}`, '摩托九队', false);
  return { villageCode, gridCode, inside: [100.004, 31.006], teams, offDuty };
}
