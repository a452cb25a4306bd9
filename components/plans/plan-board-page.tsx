'use client';
// The plan board (issue 14): a township day's patrol occurrences by start,
// with their teams, window, area and checkpoints; below, every plan. Staff
// create, change and delete plans here; a viewer reads. Times are the
// township's wall clock (the plan's own window), never the browser's zone.
import { useState } from 'react';
import useSWR from 'swr';
import { PageFrame } from '@/components/common/page-frame';
import { ConfirmButton } from '@/components/common/confirm-button';
import { LoadState } from '@/components/common/load-state';
import { STAFF_ROLES, type BasemapPayload, type GridCollection, type KeyLocation, type PatrolPlan, type PlanBoard, type UnitState } from '@/lib/model';
import { fetcher, send } from '@/lib/hooks/fetcher';
import { BASEMAP_KEY } from '@/lib/hooks/use-live';
import { STATIC_SWR } from '@/lib/hooks/use-map-snapshots';
import { addDays } from '@/lib/model/township-time';
import { useAction } from '@/lib/hooks/use-action';
import { useMe } from '@/lib/hooks/use-me';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { localName, type MessageKey, type MessageVars } from '@/lib/i18n/messages';
import { PlanForm } from './plan-form';
import { PlanReportSection } from './plan-report';
import './plans.css';

const crossesMidnight = (p: PatrolPlan) => p.window.end <= p.window.start;

function recurrenceText(p: PatrolPlan, t: (key: MessageKey, vars?: MessageVars) => string): string {
  const r = p.recurrence;
  if (r.repeat === 'once') return t('plans.recurrence.once', { date: r.date });
  const range = r.from === null && r.until === null ? '' : ` · ${t('plans.recurrence.range', { from: r.from ?? t('plans.recurrence.open'), until: r.until ?? t('plans.recurrence.open') })}`;
  return `${t(`plans.repeat.${r.repeat}`)}${range}`;
}

export function PlanBoardPage() {
  const { t, lang } = useI18n();
  const me = useMe();
  // '' until the first answer: the server's today, in the township's zone.
  const [day, setDay] = useState('');
  const board = useSWR<PlanBoard, Error>(day === '' ? '/api/plans' : `/api/plans?day=${day}`, fetcher, { keepPreviousData: true });
  const units = useSWR<UnitState[], Error>('/api/units', fetcher);
  const grids = useSWR<GridCollection, Error>('/api/grids', fetcher);
  const keyLocations = useSWR<KeyLocation[], Error>('/api/key-locations', fetcher);
  // The drawing map's township (plan-map-editor.tsx); the form works without it, minus the map.
  // The basemap changes only on an import: read once per page, as the maps do (use-map-snapshots.ts).
  const basemap = useSWR<BasemapPayload, Error>(BASEMAP_KEY, fetcher, STATIC_SWR);
  const action = useAction();
  const [editingId, setEditingId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);

  const canWrite = me !== undefined && (STAFF_ROLES as readonly string[]).includes(me.role);
  const data = board.data;
  const shownDay = day || data?.day || '';
  const plans = new Map((data?.plans ?? []).map((p) => [p.id, p]));
  const gridCode = new Map((grids.data?.features ?? []).map((g) => [g.properties.id, g.properties.code]));
  const editing = editingId === null ? undefined : plans.get(editingId);
  const formReady = units.data !== undefined && grids.data !== undefined && keyLocations.data !== undefined;

  const refresh = () => void board.mutate();
  async function remove(plan: PatrolPlan) {
    await action.run(`delete:${plan.id}`, () => send('DELETE', `/api/plans/${plan.id}`));
    if (editingId === plan.id) setEditingId(null);
    refresh();
  }

  const areaText = (p: PatrolPlan) =>
    [
      ...p.areaGridIds.map((id) => gridCode.get(id) ?? `#${id}`),
      ...(p.drawnArea ? ['⬠'] : []),
      ...(p.route ? ['〰'] : []),
    ].join(', ');

  return (
    <PageFrame title={t('plans.title')} testId="plans-page">
      <div className="plan-board" data-testid="plan-board">
        <div className="plan-board-day">
          <button type="button" className="action-button" data-testid="plans-prev-day" disabled={shownDay === ''} onClick={() => setDay(addDays(shownDay, -1))}>
            {t('plans.prevDay')}
          </button>
          <label className="field">
            <span className="field-label">{t('plans.day')}</span>
            <input type="date" data-testid="plans-day" value={shownDay} onChange={(e) => e.target.value && setDay(e.target.value)} />
          </label>
          <button type="button" className="action-button" data-testid="plans-next-day" disabled={shownDay === ''} onClick={() => setDay(addDays(shownDay, 1))}>
            {t('plans.nextDay')}
          </button>
          <button type="button" className="action-button" data-testid="plans-today" onClick={() => setDay('')}>
            {t('plans.today')}
          </button>
          {data && <span className="muted">{t('plans.timeZoneNote', { tz: data.timeZone })}</span>}
        </div>

        {canWrite && formReady && (creating || editing) && (
          <PlanForm
            key={editing?.id ?? 'new'}
            editing={editing}
            day={shownDay}
            units={units.data!}
            grids={grids.data!}
            keyLocations={keyLocations.data!}
            basemap={basemap.data}
            onSaved={() => {
              setEditingId(null);
              setCreating(false);
              refresh();
            }}
            onCancel={() => {
              setEditingId(null);
              setCreating(false);
            }}
          />
        )}
        {canWrite && !creating && !editing && (
          <button type="button" className="action-button action-button--primary" data-testid="plans-new" onClick={() => setCreating(true)}>
            {t('plans.new')}
          </button>
        )}
        {me !== undefined && !canWrite && <p className="muted">{t('plans.readOnly')}</p>}

        <LoadState loading={data === undefined} error={board.error} />
        {action.error && (
          <p className="form-error" role="alert" data-testid="plans-action-error">
            {action.error}
          </p>
        )}

        {data !== undefined && data.occurrences.length === 0 && (
          <p className="empty-state" data-testid="plans-day-empty">
            {t('plans.dayEmpty')}
          </p>
        )}
        {data !== undefined && data.occurrences.length > 0 && (
          <div className="table-wrap">
            <table className="data-table" data-testid="plan-occurrences">
              <thead>
                <tr>
                  <th>{t('plans.col.window')}</th>
                  <th>{t('plans.col.plan')}</th>
                  <th>{t('plans.col.teams')}</th>
                  <th>{t('plans.col.area')}</th>
                  <th>{t('plans.col.checkpoints')}</th>
                </tr>
              </thead>
              <tbody>
                {data.occurrences.map((o) => {
                  const p = plans.get(o.planId);
                  if (!p) return null;
                  return (
                    <tr key={`${o.planId}:${o.start}`} data-testid="plan-occurrence" data-plan-id={p.id}>
                      <td className="plan-window">
                        {p.window.start}–{p.window.end}
                        {crossesMidnight(p) && <span className="muted"> ({t('plans.nextDayMark')})</span>}
                      </td>
                      <td>
                        <strong>{p.name}</strong>
                        <div className="muted">
                          {t(`plans.kind.${p.kind}`)} · {recurrenceText(p, t)}
                        </div>
                      </td>
                      <td>
                        <ul className="plan-list">
                          {p.teams.map((team) => (
                            <li key={team.id}>
                              {team.code} · {localName(team, lang)} · {t(`force.${team.forceType}`)}
                              {!team.onDuty && <span className="muted"> ({t('unitStatus.off_duty')})</span>}
                            </li>
                          ))}
                        </ul>
                      </td>
                      <td>{areaText(p)}</td>
                      <td>
                        <ol className="plan-list">
                          {p.checkpoints.map((c) => (
                            <li key={c.id}>
                              {c.name} · {c.radiusM} m
                              {c.frequency && (
                                <span className="muted"> · {t('plans.checkpoint.every', { n: c.frequency.everyMinutes, start: c.frequency.start, end: c.frequency.end })}</span>
                              )}
                            </li>
                          ))}
                        </ol>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}

        <PlanReportSection day={shownDay} />

        {data !== undefined && (
          <section className="plan-all" data-testid="plan-all">
            <h3 className="section-title">{t('plans.allPlans', { n: data.plans.length })}</h3>
            {data.plans.length === 0 && <p className="empty-state">{t('plans.noPlans')}</p>}
            <ul className="plan-list plan-all-list">
              {data.plans.map((p) => (
                <li key={p.id} data-testid="plan-row" data-plan-id={p.id}>
                  <strong>{p.name}</strong>{' '}
                  <span className="muted">
                    {p.window.start}–{p.window.end} · {recurrenceText(p, t)} · {p.teams.map((team) => team.code).join(', ')}
                  </span>
                  {canWrite && (
                    <span className="plan-actions">
                      <button
                        type="button"
                        className="action-button"
                        data-testid="plan-edit"
                        onClick={() => {
                          setCreating(false);
                          setEditingId(p.id);
                        }}
                      >
                        {t('plans.edit')}
                      </button>
                      <ConfirmButton label={t('plans.delete')} confirmLabel={t('plans.delete.confirm')} testId="plan-delete" disabled={action.pending !== null} onConfirm={() => void remove(p)} />
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </PageFrame>
  );
}
