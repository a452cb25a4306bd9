// The teams and devices service (issue 12): an administrator creates and
// changes teams, adds devices, issues their secrets and disables them. Each
// change and its audit row commit together; only after the commit does the
// bus hear of it — `units:moved` so live maps redraw the team (a new team is
// known to them before its first fix; its first fix then puts it on the map),
// and `device:changed` so the ingest gateway drops the secrets it had cached
// and an old secret stops working at once in this process.
import type { Db } from '../db/client';
import { disableDevice, getAdminDevice, insertManagedDevice, newDeviceSecret, replaceDeviceSecret } from '../db/devices';
import { findUnknownPlaces, getAdminTeam, getTeamName, insertTeam, listAdminTeams, listPlaceOptions, syncDutyStatus, updateTeam, type TeamFields } from '../db/teams';
import { recordAudit, type Actor } from './audit';
import type { Bus } from './bus';
import { AppError } from './errors';
import type { AdminDevice, AdminTeam, AdminTeamsView, DeviceProtocol, IssuedDeviceSecret } from './model';

export type TeamChange = Partial<TeamFields>;

export interface NewDevice {
  label: string;
  protocol: DeviceProtocol;
}

const codeTaken = (code: string) => new AppError('conflict', `a team with code "${code}" already exists`);

/** PostgreSQL's unique violation on teams.code: another request took the code between our check and insert. */
function isCodeTaken(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && (e.constraint === undefined || e.constraint === 'teams_code_key');
}

/** Every team with its devices, and the villages and grid cells the form offers. */
export async function listTeams(deps: { db: Db }): Promise<AdminTeamsView> {
  const [teams, places] = await Promise.all([listAdminTeams(deps.db), listPlaceOptions(deps.db)]);
  return { teams, ...places };
}

/** The village, home cell and area cells must exist: a 422 that names the field otherwise. */
async function checkPlaces(db: Db, fields: TeamChange): Promise<void> {
  const gridIds = [...(fields.homeGridId == null ? [] : [fields.homeGridId]), ...(fields.areaGridIds ?? [])];
  const { villageUnknown, unknownGridIds } = await findUnknownPlaces(db, { villageId: fields.villageId ?? null, gridIds });
  if (villageUnknown) throw new AppError('invalid_input', `villageId: no village ${fields.villageId}`);
  if (fields.homeGridId != null && unknownGridIds.includes(fields.homeGridId)) {
    throw new AppError('invalid_input', `homeGridId: no grid cell ${fields.homeGridId}`);
  }
  if (unknownGridIds.length > 0) throw new AppError('invalid_input', `areaGridIds: no grid cell ${unknownGridIds.join(', ')}`);
}

/** Creates a team; its code must be free (409). */
export async function createTeam(deps: { db: Db; bus: Bus }, { team, actor }: { team: TeamFields; actor: Actor }): Promise<AdminTeam> {
  await checkPlaces(deps.db, team);
  const created = await deps.db
    .transaction(async (tx) => {
      const id = await insertTeam(tx, { team });
      await recordAudit(tx, actor, { action: 'team.create', target: `team:${id}`, detail: { ...team } });
      return (await getAdminTeam(tx, { id }))!;
    })
    .catch((err: unknown) => {
      throw isCodeTaken(err) ? codeTaken(team.code) : err;
    });
  deps.bus.publish('units:moved', [created.id]);
  return created;
}

/** Changes the given fields of a team: 404 for no such team, 409 for a code another team has. */
export async function changeTeam(deps: { db: Db; bus: Bus }, { id, change, actor }: { id: number; change: TeamChange; actor: Actor }): Promise<AdminTeam> {
  await checkPlaces(deps.db, change);
  const changed = await deps.db
    .transaction(async (tx) => {
      if (!(await updateTeam(tx, { id, change }))) throw new AppError('not_found', `no team ${id}`);
      if (change.onDuty !== undefined) await syncDutyStatus(tx, { teamId: id });
      await recordAudit(tx, actor, { action: 'team.update', target: `team:${id}`, detail: { ...change } });
      return (await getAdminTeam(tx, { id }))!;
    })
    .catch((err: unknown) => {
      throw isCodeTaken(err) && change.code !== undefined ? codeTaken(change.code) : err;
    });
  deps.bus.publish('units:moved', [id]);
  return changed;
}

/** Registers a device for a team and issues its first secret, returned this once (404: no such team). */
export async function addDevice(
  deps: { db: Db; bus: Bus },
  { teamId, device, actor }: { teamId: number; device: NewDevice; actor: Actor },
): Promise<IssuedDeviceSecret> {
  const secret = newDeviceSecret();
  const issued = await deps.db.transaction(async (tx) => {
    const team = await getTeamName(tx, { id: teamId });
    if (!team) throw new AppError('not_found', `no team ${teamId}`);
    const id = await insertManagedDevice(tx, { teamId, secret, ...device });
    // Never the secret, nor its hash: only that one was issued.
    await recordAudit(tx, actor, { action: 'device.create', target: `device:${id}`, detail: { teamId, team: team.code, ...device } });
    return { device: (await getAdminDevice(tx, { id }))!, team, secret };
  });
  deps.bus.publish('device:changed', issued.device.id);
  return issued;
}

/** Issues a new secret for an enabled device; the old one stops working (404: no device, 409: disabled). */
export async function issueSecret(deps: { db: Db; bus: Bus }, { deviceId, actor }: { deviceId: number; actor: Actor }): Promise<IssuedDeviceSecret> {
  const secret = newDeviceSecret();
  const issued = await deps.db.transaction(async (tx) => {
    const before = await getAdminDevice(tx, { id: deviceId });
    if (!before) throw new AppError('not_found', `no device ${deviceId}`);
    if (!(await replaceDeviceSecret(tx, { id: deviceId, secret }))) {
      throw new AppError('conflict', `device ${deviceId} is disabled; add a new device instead`);
    }
    const team = (await getTeamName(tx, { id: before.teamId }))!;
    await recordAudit(tx, actor, { action: 'device.secret', target: `device:${deviceId}`, detail: { teamId: team.id, team: team.code, label: before.label } });
    return { device: (await getAdminDevice(tx, { id: deviceId }))!, team, secret };
  });
  deps.bus.publish('device:changed', deviceId);
  return issued;
}

/** Disables a device: its secret stops working (404: no device, 409: disabled already). */
export async function disableTeamDevice(deps: { db: Db; bus: Bus }, { deviceId, actor }: { deviceId: number; actor: Actor }): Promise<AdminDevice> {
  const disabled = await deps.db.transaction(async (tx) => {
    const before = await getAdminDevice(tx, { id: deviceId });
    if (!before) throw new AppError('not_found', `no device ${deviceId}`);
    if (!(await disableDevice(tx, { id: deviceId }))) throw new AppError('conflict', `device ${deviceId} is disabled already`);
    await recordAudit(tx, actor, { action: 'device.disable', target: `device:${deviceId}`, detail: { teamId: before.teamId, label: before.label } });
    return (await getAdminDevice(tx, { id: deviceId }))!;
  });
  deps.bus.publish('device:changed', deviceId);
  return disabled;
}
