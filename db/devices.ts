import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './client';

export interface DeviceRef {
  id: number;
  teamId: number;
}

/** SHA-256 hex of a device secret: the only form the database keeps. */
export function hashDeviceSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A fresh device secret: 128 random bits as 32 hex characters. */
export function newDeviceSecret(): string {
  return randomBytes(16).toString('hex');
}

export async function getDeviceBySecret(db: Queryable, { secret }: { secret: string }): Promise<DeviceRef | null> {
  const { rows } = await db.query<{ id: number; team_id: number }>(
    `SELECT id, team_id FROM devices WHERE secret_hash = $1::text AND disabled_at IS NULL`,
    [hashDeviceSecret(secret)],
  );
  const r = rows[0];
  return r ? { id: r.id, teamId: r.team_id } : null;
}

/**
 * Issues a new secret for a device (the old one stops working) and returns
 * it: the only moment the plain secret exists outside the device.
 */
export async function issueDeviceSecret(db: Queryable, { deviceId }: { deviceId: number }): Promise<string> {
  const secret = newDeviceSecret();
  const { rows } = await db.query<{ id: number }>(`UPDATE devices SET secret_hash = $2::text WHERE id = $1::int RETURNING id`, [
    deviceId,
    hashDeviceSecret(secret),
  ]);
  if (rows.length === 0) throw new Error(`no device ${deviceId}`);
  return secret;
}

export interface TeamDevice {
  teamId: number;
  /** The team's first enabled device; null when it has none. */
  deviceId: number | null;
}

/** A team by its code (GW-017, ARM-3) with its device, for issuing a secret; null when no team has that code. */
export async function getTeamDevice(db: Queryable, { teamCode }: { teamCode: string }): Promise<TeamDevice | null> {
  const { rows } = await db.query<{ team_id: number; device_id: number | null }>(
    `SELECT t.id AS team_id,
            (SELECT d.id FROM devices d WHERE d.team_id = t.id AND d.disabled_at IS NULL ORDER BY d.id LIMIT 1) AS device_id
     FROM teams t WHERE t.code = $1::text`,
    [teamCode],
  );
  const r = rows[0];
  return r ? { teamId: r.team_id, deviceId: r.device_id } : null;
}

/** Registers a device for a team with a known secret (tests, fixtures, the e2e server). */
export async function insertDevice(
  db: Queryable,
  { teamId, secret, label, protocol = 'osmand' }: { teamId: number; secret: string; label: string; protocol?: string },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO devices (team_id, secret_hash, label, protocol) VALUES ($1::int, $2::text, $3::text, $4::text) RETURNING id`,
    [teamId, hashDeviceSecret(secret), label, protocol],
  );
  return rows[0]!.id;
}
