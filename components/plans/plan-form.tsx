'use client';
// Creating a patrol plan, or changing one: teams, recurrence, window, area by
// grid cells and/or drawn on the map, a route drawn on the map, and
// checkpoints picked from key locations or placed on the map
// (plan-map-editor.tsx). The server checks everything and says what is wrong
// (422 naming the field) or what clashes (409: an off-duty team, an
// overlapping plan, a checkpoint outside the area); its message is shown as
// it is. A stored area that is not one plain ring (a MultiPolygon, holes) is
// kept as it is until cleared.
import { useMemo, useState, type FormEvent } from 'react';
import {
  PLAN_REPEATS,
  type BasemapPayload,
  type CheckpointInput,
  type GridCollection,
  type KeyLocation,
  type LonLat,
  type PatrolPlan,
  type PlanInput,
  type PlanKind,
  type PlanPolygon,
  type PlanRepeat,
  type UnitState,
} from '@/lib/model';
import { closedRing } from '@/components/map/layers/plan-draft-layer';
import { PlanMapEditor } from './plan-map-editor';
import { send } from '@/lib/hooks/fetcher';
import { FormActions } from '@/components/common/form-actions';
import { FormStatus } from '@/components/common/form-status';
import { PlaceOptions } from '@/components/common/place-options';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { localName } from '@/lib/i18n/messages';

/** A checkpoint row as the form holds it: strings from the inputs; a map point (from the API) is kept as it is. */
interface CheckpointDraft {
  key: number;
  keyLocationId: string;
  point: [number, number] | null;
  name: string | null;
  radiusM: string;
  every: string;
  freqStart: string;
  freqEnd: string;
}

/** A new checkpoint of the draft: 50 m, no frequency, its every-window the plan's own. */
function newCheckpoint(d: Pick<Draft, 'start' | 'end'>, at: Pick<CheckpointDraft, 'keyLocationId' | 'point' | 'name'>): CheckpointDraft {
  return { key: nextKey++, ...at, radiusM: '50', every: '', freqStart: d.start, freqEnd: d.end };
}

interface Draft {
  name: string;
  kind: PlanKind;
  teamIds: string[];
  repeat: PlanRepeat;
  date: string;
  from: string;
  until: string;
  start: string;
  end: string;
  areaGridIds: string[];
  /** The drawn area's vertices, not closed. */
  area: LonLat[];
  /** A stored drawn area that is not one plain ring: sent back unchanged unless cleared. */
  keptArea: PlanPolygon | null;
  route: LonLat[];
  checkpoints: CheckpointDraft[];
}

/** A stored drawn area as vertices to edit (one ring, no holes; the database keeps a drawn Polygon as a one-part MultiPolygon), or kept whole. */
function editableArea(a: PlanPolygon | null): { area: LonLat[]; keptArea: PlanPolygon | null } {
  const rings = a?.type === 'Polygon' ? [a.coordinates] : a?.type === 'MultiPolygon' ? a.coordinates : [];
  if (rings.length === 1 && rings[0]!.length === 1) return { area: rings[0]![0]!.slice(0, -1), keptArea: null };
  return { area: [], keptArea: a };
}

let nextKey = 1;

function draftOf(plan: PatrolPlan | undefined, day: string): Draft {
  if (!plan) {
    return {
      name: '',
      kind: 'patrol',
      teamIds: [],
      repeat: 'daily',
      date: day,
      from: day,
      until: '',
      start: '18:00',
      end: '22:00',
      areaGridIds: [],
      area: [],
      keptArea: null,
      route: [],
      checkpoints: [],
    };
  }
  const rec = plan.recurrence;
  return {
    name: plan.name,
    kind: plan.kind,
    teamIds: plan.teams.map((t) => String(t.id)),
    repeat: rec.repeat,
    date: rec.repeat === 'once' ? rec.date : day,
    from: rec.repeat === 'once' ? '' : (rec.from ?? ''),
    until: rec.repeat === 'once' ? '' : (rec.until ?? ''),
    start: plan.window.start,
    end: plan.window.end,
    areaGridIds: plan.areaGridIds.map(String),
    ...editableArea(plan.drawnArea),
    route: plan.route?.coordinates ?? [],
    checkpoints: plan.checkpoints.map((c) => ({
      key: nextKey++,
      keyLocationId: c.keyLocationId === null ? '' : String(c.keyLocationId),
      point: c.keyLocationId === null ? c.point : null,
      name: c.keyLocationId === null ? c.name : null,
      radiusM: String(c.radiusM),
      every: c.frequency ? String(c.frequency.everyMinutes) : '',
      freqStart: c.frequency?.start ?? '',
      freqEnd: c.frequency?.end ?? '',
    })),
  };
}

/** The drawn area as the API takes it: the vertices closed into a ring (under three go as they are, for the server to refuse), else the kept one. */
function areaPolygon(d: Pick<Draft, 'area' | 'keptArea'>): PlanPolygon | null {
  if (d.area.length === 0) return d.keptArea;
  return { type: 'Polygon', coordinates: [closedRing(d.area) ?? [...d.area]] };
}

/** The API's body; malformed numbers and too-short shapes go through as they are, for the server to name. */
export function planBody(d: Draft): PlanInput {
  const checkpoints: CheckpointInput[] = d.checkpoints.map((c) => ({
    keyLocationId: c.point ? null : Number(c.keyLocationId),
    point: c.point,
    name: c.name,
    radiusM: Number(c.radiusM),
    frequency: c.every.trim() === '' ? null : { everyMinutes: Number(c.every), start: c.freqStart, end: c.freqEnd },
  }));
  return {
    name: d.name.trim(),
    kind: d.kind,
    teamIds: d.teamIds.map(Number),
    recurrence: d.repeat === 'once' ? { repeat: 'once', date: d.date } : { repeat: d.repeat, from: d.from || null, until: d.until || null },
    window: { start: d.start, end: d.end },
    areaGridIds: d.areaGridIds.map(Number),
    areaPolygon: areaPolygon(d),
    route: d.route.length === 0 ? null : { type: 'LineString', coordinates: d.route },
    checkpoints,
  };
}

const selected = (el: HTMLSelectElement) => Array.from(el.selectedOptions, (o) => o.value);

export function PlanForm({
  editing,
  day,
  units,
  grids,
  keyLocations,
  basemap,
  onSaved,
  onCancel,
}: {
  editing?: PatrolPlan;
  /** The board's day: a new plan starts on it. */
  day: string;
  units: UnitState[];
  grids: GridCollection;
  keyLocations: KeyLocation[];
  /** The offline basemap: the drawing map needs it (without it the form has no map). */
  basemap: BasemapPayload | undefined;
  onSaved: (plan: PatrolPlan) => void;
  onCancel?: () => void;
}) {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState<Draft>(() => draftOf(editing, day));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const prefix = editing ? 'plan-edit' : 'plan-create';
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const setCheckpoint = (key: number, change: Partial<CheckpointDraft>) =>
    setDraft((d) => ({ ...d, checkpoints: d.checkpoints.map((c) => (c.key === key ? { ...c, ...change } : c)) }));
  const keyById = useMemo(() => new Map(keyLocations.map((k) => [String(k.id), k])), [keyLocations]);
  const drawnCheckpoints = useMemo(
    () =>
      draft.checkpoints.flatMap((c) => {
        const position = c.point ?? keyById.get(c.keyLocationId)?.position;
        const radiusM = Number(c.radiusM);
        return position ? [{ position, radiusM: Number.isFinite(radiusM) && radiusM > 0 ? radiusM : 0 }] : [];
      }),
    [draft.checkpoints, keyById],
  );
  const keptRings = useMemo(
    () => (draft.keptArea === null ? [] : draft.keptArea.type === 'Polygon' ? draft.keptArea.coordinates : draft.keptArea.coordinates.flat()),
    [draft.keptArea],
  );
  const addMapCheckpoint = (position: LonLat, keyLocation: KeyLocation | null) =>
    setDraft((d) => ({
      ...d,
      checkpoints: [
        ...d.checkpoints,
        newCheckpoint(
          d,
          keyLocation
            ? { keyLocationId: String(keyLocation.id), point: null, name: null }
            : { keyLocationId: '', point: position, name: t('plans.draw.pointName', { n: d.checkpoints.length + 1 }) },
        ),
      ],
    }));

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const body = planBody(draft);
      const plan = editing ? await send<PatrolPlan>('PUT', `/api/plans/${editing.id}`, body) : await send<PatrolPlan>('POST', '/api/plans', body);
      if (!editing) setDraft(draftOf(undefined, day));
      setSaved(plan.name);
      onSaved(plan);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="create-form plan-form" data-testid={`${prefix}-form`} onSubmit={onSubmit} noValidate>
      <h3 className="section-title">{editing ? t('plans.form.editTitle', { name: editing.name }) : t('plans.form.createTitle')}</h3>
      <div className="create-form-fields">
        <label className="field">
          <span className="field-label">{t('plans.form.name')}</span>
          <input data-testid={`${prefix}-name`} value={draft.name} onChange={(e) => set('name', e.target.value)} maxLength={120} required />
        </label>
        <label className="field">
          <span className="field-label">{t('plans.form.kind')}</span>
          <select data-testid={`${prefix}-kind`} value={draft.kind} onChange={(e) => set('kind', e.target.value as PlanKind)}>
            <option value="patrol">{t('plans.kind.patrol')}</option>
            <option value="joint">{t('plans.kind.joint')}</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('plans.form.teams')}</span>
          <select
            multiple
            size={Math.min(6, Math.max(2, units.length))}
            data-testid={`${prefix}-teams`}
            value={draft.teamIds}
            onChange={(e) => set('teamIds', selected(e.target))}
            aria-describedby={`${prefix}-teams-hint`}
          >
            {units.map((u) => (
              <option key={u.teamId} value={String(u.teamId)}>
                {u.code} · {localName(u, lang)} · {t(`force.${u.forceType}`)}
                {u.status === 'off_duty' ? ` (${t('unitStatus.off_duty')})` : ''}
              </option>
            ))}
          </select>
          <span className="field-note" id={`${prefix}-teams-hint`}>
            {t('plans.form.teamsHint')}
          </span>
        </label>
        <label className="field">
          <span className="field-label">{t('plans.form.repeat')}</span>
          <select data-testid={`${prefix}-repeat`} value={draft.repeat} onChange={(e) => set('repeat', e.target.value as PlanRepeat)}>
            {PLAN_REPEATS.map((r) => (
              <option key={r} value={r}>
                {t(`plans.repeat.${r}`)}
              </option>
            ))}
          </select>
        </label>
        {draft.repeat === 'once' ? (
          <label className="field">
            <span className="field-label">{t('plans.form.date')}</span>
            <input type="date" data-testid={`${prefix}-date`} value={draft.date} onChange={(e) => set('date', e.target.value)} required />
          </label>
        ) : (
          <>
            <label className="field">
              <span className="field-label">{t('plans.form.from')}</span>
              <input type="date" data-testid={`${prefix}-from`} value={draft.from} onChange={(e) => set('from', e.target.value)} />
            </label>
            <label className="field">
              <span className="field-label">{t('plans.form.until')}</span>
              <input type="date" data-testid={`${prefix}-until`} value={draft.until} onChange={(e) => set('until', e.target.value)} />
            </label>
          </>
        )}
        <label className="field">
          <span className="field-label">{t('plans.form.start')}</span>
          <input type="time" data-testid={`${prefix}-start`} value={draft.start} onChange={(e) => set('start', e.target.value)} required />
        </label>
        <label className="field">
          <span className="field-label">{t('plans.form.end')}</span>
          <input
            type="time"
            data-testid={`${prefix}-end`}
            value={draft.end}
            onChange={(e) => set('end', e.target.value)}
            aria-describedby={`${prefix}-window-hint`}
            required
          />
          <span className="field-note" id={`${prefix}-window-hint`}>
            {t('plans.form.windowHint')}
          </span>
        </label>
        <label className="field">
          <span className="field-label">{t('plans.form.area')}</span>
          <select
            multiple
            size={Math.min(6, Math.max(2, grids.features.length))}
            data-testid={`${prefix}-area`}
            value={draft.areaGridIds}
            onChange={(e) => set('areaGridIds', selected(e.target))}
            aria-describedby={`${prefix}-area-hint`}
          >
            <PlaceOptions places={grids.features.map((g) => g.properties)} />
          </select>
          <span className="field-note" id={`${prefix}-area-hint`}>
            {t('plans.form.areaHint')}
          </span>
        </label>
      </div>

      <fieldset className="plan-checkpoints" data-testid={`${prefix}-checkpoints`}>
        <legend className="field-label">{t('plans.form.checkpoints')}</legend>
        {draft.checkpoints.map((c, i) => (
          <div key={c.key} className="plan-checkpoint-row" data-testid={`${prefix}-checkpoint`}>
            <span className="plan-checkpoint-seq">{i + 1}</span>
            {c.point ? (
              <label className="field">
                <span className="field-label">{t('plans.form.pointName')}</span>
                <input data-testid={`${prefix}-checkpoint-name`} value={c.name ?? ''} maxLength={80} onChange={(e) => setCheckpoint(c.key, { name: e.target.value })} />
              </label>
            ) : (
              <label className="field">
                <span className="field-label">{t('plans.form.keyLocation')}</span>
                <select data-testid={`${prefix}-checkpoint-location`} value={c.keyLocationId} onChange={(e) => setCheckpoint(c.key, { keyLocationId: e.target.value })}>
                  {keyLocations.map((k) => (
                    <option key={k.id} value={String(k.id)}>
                      {localName(k, lang)} · {t(`keyLocation.${k.category}`)}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label className="field field--narrow">
              <span className="field-label">{t('plans.form.radius')}</span>
              <input
                type="number"
                min={5}
                max={2000}
                data-testid={`${prefix}-checkpoint-radius`}
                value={c.radiusM}
                onChange={(e) => setCheckpoint(c.key, { radiusM: e.target.value })}
              />
            </label>
            <label className="field field--narrow">
              <span className="field-label">{t('plans.form.every')}</span>
              <input type="number" min={5} max={1440} data-testid={`${prefix}-checkpoint-every`} value={c.every} onChange={(e) => setCheckpoint(c.key, { every: e.target.value })} />
            </label>
            <label className="field field--narrow">
              <span className="field-label">{t('plans.form.freqStart')}</span>
              <input type="time" value={c.freqStart} onChange={(e) => setCheckpoint(c.key, { freqStart: e.target.value })} disabled={c.every.trim() === ''} />
            </label>
            <label className="field field--narrow">
              <span className="field-label">{t('plans.form.freqEnd')}</span>
              <input type="time" value={c.freqEnd} onChange={(e) => setCheckpoint(c.key, { freqEnd: e.target.value })} disabled={c.every.trim() === ''} />
            </label>
            <button
              type="button"
              className="action-button"
              data-testid={`${prefix}-checkpoint-remove`}
              onClick={() => setDraft((d) => ({ ...d, checkpoints: d.checkpoints.filter((x) => x.key !== c.key) }))}
            >
              {t('plans.form.removeCheckpoint')}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="action-button"
          data-testid={`${prefix}-checkpoint-add`}
          disabled={keyLocations.length === 0}
          onClick={() =>
            setDraft((d) => ({
              ...d,
              checkpoints: [
                ...d.checkpoints,
                newCheckpoint(d, { keyLocationId: String(keyLocations[0]?.id ?? ''), point: null, name: null }),
              ],
            }))
          }
        >
          {t('plans.form.addCheckpoint')}
        </button>
      </fieldset>

      {basemap && (
        <PlanMapEditor
          prefix={prefix}
          basemap={basemap}
          grids={grids}
          keyLocations={keyLocations}
          area={draft.area}
          keptArea={keptRings}
          route={draft.route}
          checkpoints={drawnCheckpoints}
          onArea={(area) => set('area', area)}
          onRoute={(route) => set('route', route)}
          onClearKeptArea={() => set('keptArea', null)}
          onCheckpoint={addMapCheckpoint}
        />
      )}

      <FormActions prefix={prefix} busy={busy} label={editing ? t('plans.form.submitEdit') : t('plans.form.submitCreate')} busyLabel={t('plans.form.saving')} onCancel={onCancel} />
      <FormStatus prefix={prefix} error={error} done={saved && t('plans.form.saved', { name: saved })} />
    </form>
  );
}
