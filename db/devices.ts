import type { Queryable } from './client';

export interface DeviceRef {
  id: number;
  teamId: number;
  identifier: string;
}

/** Every enabled device, for the ingest gateway's in-memory lookup. */
export async function getActiveDevices(db: Queryable): Promise<DeviceRef[]> {
  const { rows } = await db.query<{ id: number; team_id: number; identifier: string }>(
    `SELECT id, team_id, identifier FROM devices WHERE disabled_at IS NULL ORDER BY id`,
  );
  return rows.map((r) => ({ id: r.id, teamId: r.team_id, identifier: r.identifier }));
}

export async function getDeviceByIdentifier(db: Queryable, { identifier }: { identifier: string }): Promise<DeviceRef | null> {
  const { rows } = await db.query<{ id: number; team_id: number; identifier: string }>(
    `SELECT id, team_id, identifier FROM devices WHERE identifier = $1::text AND disabled_at IS NULL`,
    [identifier],
  );
  const r = rows[0];
  return r ? { id: r.id, teamId: r.team_id, identifier: r.identifier } : null;
}
