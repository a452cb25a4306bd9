import { createHash, randomBytes } from 'node:crypto';
import type { AdminDevice } from '../lib/model';
import type { Queryable } from './client';
import { iso, isoRequired } from './rows';

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
  const { rows } = await db.query<{ id: number }>(`UPDATE devices SET secret_hash = $2::text, secret_issued_at = now() WHERE id = $1::int RETURNING id`, [
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

interface AdminDeviceRow {
  id: number;
  team_id: number;
  label: string;
  protocol: string;
  created_at: Date | string;
  secret_issued_at: Date | string;
  disabled_at: Date | string | null;
  last_fix_at: Date | string | null;
  last_received_at: Date | string | null;
}

/**
 * Devices as the admin page lists them, with each one's newest fix. The
 * lateral subquery walks the positions unique index (device_id, fix_time)
 * backwards from the end: one index probe per device, however long the history.
 */
export async function listAdminDevices(db: Queryable, { teamId, deviceId }: { teamId?: number; deviceId?: number }): Promise<AdminDevice[]> {
  const { rows } = await db.query<AdminDeviceRow>(
    `SELECT d.id, d.team_id, d.label, d.protocol, d.created_at, d.secret_issued_at, d.disabled_at,
            p.fix_time AS last_fix_at, p.received_at AS last_received_at
     FROM devices d
     LEFT JOIN LATERAL (
       -- The last day first: positions is partitioned by UTC day with a default partition (migration 0019),
       -- and an unbounded probe opens every partition's index; only a device silent all day needs it.
       (SELECT fix_time, received_at FROM positions WHERE device_id = d.id AND fix_time > now() - interval '1 day' ORDER BY fix_time DESC LIMIT 1)
       UNION ALL
       (SELECT fix_time, received_at FROM positions WHERE device_id = d.id AND fix_time <= now() - interval '1 day' ORDER BY fix_time DESC LIMIT 1)
       LIMIT 1
     ) p ON true
     WHERE ($1::int IS NULL OR d.team_id = $1::int) AND ($2::int IS NULL OR d.id = $2::int)
     ORDER BY d.team_id, d.id`,
    [teamId ?? null, deviceId ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    teamId: r.team_id,
    label: r.label,
    protocol: r.protocol,
    createdAt: isoRequired(r.created_at),
    secretIssuedAt: isoRequired(r.secret_issued_at),
    disabledAt: iso(r.disabled_at),
    lastFixAt: iso(r.last_fix_at),
    lastReceivedAt: iso(r.last_received_at),
  }));
}

export async function getAdminDevice(db: Queryable, { id }: { id: number }): Promise<AdminDevice | null> {
  return (await listAdminDevices(db, { deviceId: id }))[0] ?? null;
}

/**
 * Registers a device an administrator set up, with the hash of its first
 * secret. admin_managed: the demo simulator never re-keys it (migration 0009).
 */
export async function insertManagedDevice(
  db: Queryable,
  { teamId, secret, label, protocol }: { teamId: number; secret: string; label: string; protocol: string },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO devices (team_id, secret_hash, label, protocol, admin_managed)
     VALUES ($1::int, $2::text, $3::text, $4::text, true) RETURNING id`,
    [teamId, hashDeviceSecret(secret), label, protocol],
  );
  return rows[0]!.id;
}

/**
 * Gives an enabled device a new secret on an administrator's behalf (the old
 * one stops matching at once) and takes it out of the simulator's hands.
 * Returns false when no enabled device has that id.
 */
export async function replaceDeviceSecret(db: Queryable, { id, secret }: { id: number; secret: string }): Promise<boolean> {
  const { rows } = await db.query<{ id: number }>(
    `UPDATE devices SET secret_hash = $2::text, secret_issued_at = now(), admin_managed = true
     WHERE id = $1::int AND disabled_at IS NULL RETURNING id`,
    [id, hashDeviceSecret(secret)],
  );
  return rows.length > 0;
}

/** Disables an enabled device (getDeviceBySecret stops finding it); false when none was enabled with that id. */
export async function disableDevice(db: Queryable, { id }: { id: number }): Promise<boolean> {
  const { rows } = await db.query<{ id: number }>(`UPDATE devices SET disabled_at = now() WHERE id = $1::int AND disabled_at IS NULL RETURNING id`, [id]);
  return rows.length > 0;
}
