'use client';
// Creating a team, or changing one. The server checks the input and says what
// is wrong (422 naming the field), or that the code is taken (409); its
// message is shown as it is.
import { useState, type FormEvent } from 'react';
import { FORCE_TYPES, type AdminTeam, type AdminTeamsView } from '@/lib/model';
import { PlaceOptions } from '@/components/common/place-options';
import { send } from '@/lib/hooks/fetcher';
import { FormActions } from '@/components/common/form-actions';
import { FormStatus } from '@/components/common/form-status';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** The form's fields as the API takes them; ids from the selects, '' for none. */
function readTeamForm(form: FormData) {
  const optionalId = (v: FormDataEntryValue | null) => (v === null || v === '' ? null : Number(v));
  return {
    code: String(form.get('code') ?? '').trim(),
    name: String(form.get('name') ?? '').trim(),
    nameEn: String(form.get('nameEn') ?? '').trim(),
    forceType: String(form.get('forceType') ?? ''),
    size: Number(form.get('size')),
    villageId: optionalId(form.get('villageId')),
    homeGridId: optionalId(form.get('homeGridId')),
    areaGridIds: form.getAll('areaGridIds').map(Number),
    onDuty: form.get('onDuty') === 'on',
  };
}

export function TeamForm({
  view,
  editing,
  onSaved,
  onCancel,
}: {
  view: AdminTeamsView;
  /** The team being changed; undefined: a new team. */
  editing?: AdminTeam;
  onSaved: (team: AdminTeam) => void;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const prefix = editing ? 'team-edit' : 'team-create';

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const body = readTeamForm(new FormData(formEl));
      const team = editing
        ? await send<AdminTeam>('PATCH', `/api/admin/teams/${editing.id}`, body)
        : await send<AdminTeam>('POST', '/api/admin/teams', body);
      if (!editing) formEl.reset();
      setSaved(team.code);
      onSaved(team);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  // key: a different team (or back to a new one) starts from its own values.
  return (
    <form key={editing?.id ?? 'new'} className="create-form team-form" data-testid={`${prefix}-form`} onSubmit={onSubmit} noValidate>
      <h3 className="section-title">{editing ? t('teams.edit.title', { code: editing.code }) : t('teams.create.title')}</h3>
      <div className="create-form-fields">
        <label className="field">
          <span className="field-label">{t('teams.field.code')}</span>
          <input name="code" data-testid={`${prefix}-code`} defaultValue={editing?.code} autoComplete="off" spellCheck={false} maxLength={32} required />
        </label>
        <label className="field">
          <span className="field-label">{t('teams.field.name')}</span>
          <input name="name" data-testid={`${prefix}-name`} defaultValue={editing?.name} autoComplete="off" maxLength={80} required />
        </label>
        <label className="field">
          <span className="field-label">{t('teams.field.nameEn')}</span>
          <input name="nameEn" data-testid={`${prefix}-name-en`} defaultValue={editing?.nameEn} autoComplete="off" maxLength={80} required />
        </label>
        <label className="field">
          <span className="field-label">{t('teams.field.forceType')}</span>
          <select name="forceType" data-testid={`${prefix}-force`} defaultValue={editing?.forceType ?? 'armband'}>
            {FORCE_TYPES.map((f) => (
              <option key={f} value={f}>
                {t(`force.${f}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('teams.field.size')}</span>
          <input name="size" type="number" min={1} max={500} data-testid={`${prefix}-size`} defaultValue={editing?.size ?? 4} required />
        </label>
        <label className="field">
          <span className="field-label">{t('teams.field.village')}</span>
          <select name="villageId" data-testid={`${prefix}-village`} defaultValue={editing?.villageId ?? ''}>
            <option value="">{t('teams.none')}</option>
            <PlaceOptions places={view.villages} />
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('teams.field.homeGrid')}</span>
          <select name="homeGridId" data-testid={`${prefix}-home-grid`} defaultValue={editing?.homeGridId ?? ''}>
            <option value="">{t('teams.none')}</option>
            <PlaceOptions places={view.grids} />
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('teams.field.area')}</span>
          <select
            name="areaGridIds"
            multiple
            size={Math.min(6, Math.max(2, view.grids.length))}
            data-testid={`${prefix}-area`}
            defaultValue={(editing?.areaGridIds ?? []).map(String)}
            aria-describedby={`${prefix}-area-hint`}
          >
            <PlaceOptions places={view.grids} />
          </select>
          <span className="field-note" id={`${prefix}-area-hint`}>
            {t('teams.field.areaHint')}
          </span>
        </label>
        <label className="field field--check">
          <input name="onDuty" type="checkbox" data-testid={`${prefix}-on-duty`} defaultChecked={editing?.onDuty ?? true} />
          <span className="field-label">{t('teams.field.onDuty')}</span>
        </label>
        <FormActions prefix={prefix} busy={busy} label={editing ? t('teams.edit.submit') : t('teams.create.submit')} busyLabel={t('teams.saving')} onCancel={onCancel} />
      </div>
      <FormStatus prefix={prefix} error={error} done={saved && t('teams.saved', { code: saved })} />
    </form>
  );
}
