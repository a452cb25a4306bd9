'use client';
// Teams and their devices: each team with its devices' last fix; create or
// change a team, add a device, issue a device's secret (shown once, on a
// printable card) or disable a device.
import { useState, type FormEvent } from 'react';
import useSWR from 'swr';
import { ConfirmButton } from '@/components/common/confirm-button';
import { LoadState } from '@/components/common/load-state';
import { Timestamp } from '@/components/common/timestamp';
import { DEVICE_PROTOCOLS, type AdminDevice, type AdminTeam, type AdminTeamsView, type IssuedDeviceSecret } from '@/lib/model';
import { fetcher, send } from '@/lib/hooks/fetcher';
import { useAction } from '@/lib/hooks/use-action';
import { useNow } from '@/lib/hooks/use-now';
import { formatAge } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { localName } from '@/lib/i18n/messages';
import { DeviceCard } from './device-card';
import { TeamForm } from './team-form';
import './teams.css';

export const TEAMS_KEY = '/api/admin/teams';

function DeviceAddForm({ team, busy, onAdd, onCancel }: { team: AdminTeam; busy: boolean; onAdd: (label: string, protocol: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    onAdd(String(form.get('label') ?? '').trim(), String(form.get('protocol') ?? ''));
  }
  return (
    <form className="device-add-form" data-testid="device-add-form" onSubmit={onSubmit} noValidate>
      <label className="field">
        <span className="field-label">{t('device.field.label')}</span>
        <input name="label" data-testid="device-add-label" defaultValue={`${team.code} ${t('device.defaultLabel')}`} maxLength={80} required />
      </label>
      <label className="field">
        <span className="field-label">{t('device.field.protocol')}</span>
        <select name="protocol" data-testid="device-add-protocol" defaultValue="osmand">
          {DEVICE_PROTOCOLS.map((p) => (
            <option key={p} value={p}>
              {t(`device.protocol.${p}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="filter-actions">
        <button type="submit" className="action-button action-button--primary" data-testid="device-add-submit" disabled={busy}>
          {t('device.add.submit')}
        </button>
        <button type="button" className="action-button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function DeviceLine({ device, now, busy, onIssue, onDisable }: { device: AdminDevice; now: number | null; busy: boolean; onIssue: () => void; onDisable: () => void }) {
  const { t, lang } = useI18n();
  const disabled = device.disabledAt !== null;
  const lastFix =
    device.lastFixAt === null ? t('device.noFix') : now === null ? '' : formatAge(now - Date.parse(device.lastFixAt), lang);
  return (
    <li className={`device-line${disabled ? ' row--disabled' : ''}`} data-testid="device-line" data-device-id={device.id} data-disabled={disabled ? 'true' : 'false'}>
      <span className="device-line-label">{device.label}</span>
      <span className="tag">{t(`device.protocol.${device.protocol === 'owntracks' ? 'owntracks' : 'osmand'}`)}</span>
      <span className={`badge ${disabled ? 'badge--disabled' : 'badge--active'}`}>{disabled ? t('device.disabled') : t('device.enabled')}</span>
      <span className="device-line-fix" data-testid="device-last-fix" title={device.lastFixAt ?? undefined}>
        {t('device.lastFix')}: {lastFix}
      </span>
      <span className="muted device-line-issued">
        {t('device.secretIssued')}: <Timestamp iso={device.secretIssuedAt} />
      </span>
      {!disabled && (
        <span className="device-line-actions">
          <ConfirmButton label={t('device.issue')} confirmLabel={t('device.issue.confirm')} testId="device-issue" disabled={busy} onConfirm={onIssue} />
          <ConfirmButton label={t('device.disable')} confirmLabel={t('device.disable.confirm')} testId="device-disable" disabled={busy} onConfirm={onDisable} />
        </span>
      )}
    </li>
  );
}

export function TeamsPanel() {
  const { t, lang } = useI18n();
  const now = useNow();
  const view = useSWR<AdminTeamsView, Error>(TEAMS_KEY, fetcher);
  const action = useAction();
  const [editingId, setEditingId] = useState<number | null>(null);
  const [addingFor, setAddingFor] = useState<number | null>(null);
  // The one moment a secret is readable; dropped when the card is closed.
  const [issued, setIssued] = useState<IssuedDeviceSecret | null>(null);

  const refresh = () => void view.mutate();

  async function addDevice(team: AdminTeam, label: string, protocol: string) {
    const answer = await action.run(`add:${team.id}`, () => send<IssuedDeviceSecret>('POST', `/api/admin/teams/${team.id}/devices`, { label, protocol }));
    if (answer) {
      setAddingFor(null);
      setIssued(answer);
    }
    refresh();
  }

  async function issueSecret(device: AdminDevice) {
    const answer = await action.run(`issue:${device.id}`, () => send<IssuedDeviceSecret>('POST', `/api/admin/devices/${device.id}/secret`));
    if (answer) setIssued(answer);
    refresh();
  }

  async function disableDevice(device: AdminDevice) {
    await action.run(`disable:${device.id}`, () => send<AdminDevice>('POST', `/api/admin/devices/${device.id}/disable`));
    refresh();
  }

  const data = view.data;
  const editing = data?.teams.find((team) => team.id === editingId);
  const placeName = (list: AdminTeamsView['villages'], id: number | null) => {
    const place = id === null ? undefined : list.find((p) => p.id === id);
    return place ? `${place.code} · ${localName(place, lang)}` : t('teams.none');
  };

  return (
    <div className="admin-section teams-panel" data-testid="teams-panel">
      {issued && <DeviceCard issued={issued} origin={window.location.origin} onDone={() => setIssued(null)} />}
      {data && (
        <TeamForm
          view={data}
          editing={editing}
          onSaved={() => {
            setEditingId(null);
            refresh();
          }}
          onCancel={editing ? () => setEditingId(null) : undefined}
        />
      )}
      <LoadState loading={data === undefined} error={view.error} />
      {action.error && (
        <p className="form-error" role="alert" data-testid="teams-action-error">
          {action.error}
        </p>
      )}
      {data !== undefined && data.teams.length === 0 && <p className="empty-state">{t('teams.empty')}</p>}
      {data !== undefined && data.teams.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" data-testid="team-table">
            <thead>
              <tr>
                <th scope="col">{t('teams.field.code')}</th>
                <th scope="col">{t('teams.field.name')}</th>
                <th scope="col">{t('teams.field.forceType')}</th>
                <th scope="col" className="cell-num">
                  {t('teams.field.size')}
                </th>
                <th scope="col">{t('teams.field.village')}</th>
                <th scope="col">{t('teams.field.homeGrid')}</th>
                <th scope="col">{t('teams.field.onDuty')}</th>
                <th scope="col">{t('teams.col.devices')}</th>
                <th scope="col">{t('users.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {data.teams.map((team) => (
                <tr key={team.id} data-testid="team-row" data-team-id={team.id} data-team-code={team.code}>
                  <td className="mono cell-nowrap">{team.code}</td>
                  <td>{localName(team, lang)}</td>
                  <td className="cell-nowrap">{t(`force.${team.forceType}`)}</td>
                  <td className="mono cell-num">{team.size}</td>
                  <td>{placeName(data.villages, team.villageId)}</td>
                  <td>{placeName(data.grids, team.homeGridId)}</td>
                  <td className="cell-nowrap">
                    <span className={`badge ${team.onDuty ? 'badge--available' : 'badge--off_duty'}`}>{team.onDuty ? t('teams.onDuty') : t('teams.offDuty')}</span>
                  </td>
                  <td>
                    {team.devices.length === 0 ? (
                      <span className="muted">{t('teams.noDevices')}</span>
                    ) : (
                      <ul className="device-list">
                        {team.devices.map((d) => (
                          <DeviceLine
                            key={d.id}
                            device={d}
                            now={now}
                            busy={action.pending !== null}
                            onIssue={() => void issueSecret(d)}
                            onDisable={() => void disableDevice(d)}
                          />
                        ))}
                      </ul>
                    )}
                    {addingFor === team.id && (
                      <DeviceAddForm team={team} busy={action.pending !== null} onAdd={(label, protocol) => void addDevice(team, label, protocol)} onCancel={() => setAddingFor(null)} />
                    )}
                  </td>
                  <td className="cell-nowrap">
                    <button type="button" className="action-button" data-testid="team-edit" onClick={() => setEditingId(team.id)}>
                      {t('teams.edit')}
                    </button>
                    <button type="button" className="action-button" data-testid="device-add" onClick={() => setAddingFor(team.id)}>
                      {t('device.add')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
