'use client';
// Plan vs actual (issue 14) on the plan board: the board's day, or the 7 or
// 30 township days ending on it, from GET /api/plans/report — per plan, per
// team and per force. The briefing shows the same object for its period
// (PlanReportTables is shared with it).
import { useState } from 'react';
import useSWR from 'swr';
import { LoadState } from '@/components/common/load-state';
import { fetcher } from '@/lib/hooks/fetcher';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { localName } from '@/lib/i18n/messages';
import type { PlanReport, SlotCounts } from '@/lib/model/plan-report';
import { addDays } from '@/lib/model/township-time';

const SPANS = { day: 1, week: 7, month: 30 } as const;
type SpanKey = keyof typeof SPANS;

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

function CountCells({ c }: { c: SlotCounts }) {
  return (
    <>
      <td className="num" data-col="slots">{c.slots}</td>
      <td className="num" data-col="onTime">{c.onTime}</td>
      <td className="num" data-col="late">{c.late}</td>
      <td className="num" data-col="missed">{c.missed}</td>
      <td className="num" data-col="suspended">{c.suspended}</td>
      <td className="num" data-col="pending">{c.pending}</td>
    </>
  );
}

/** The report's three tables (plans with the total, teams, forces). */
export function PlanReportTables({ report, testId }: { report: PlanReport; testId: string }) {
  const { t, lang } = useI18n();
  if (report.plans.length === 0) {
    return (
      <p className="empty-state" data-testid={`${testId}-empty`}>
        {t('planReport.empty')}
      </p>
    );
  }
  const planName = new Map(report.plans.map((p) => [p.planId, p.name]));
  const countHead = (
    <>
      <th className="num">{t('planReport.col.slots')}</th>
      <th className="num">{t('planReport.col.onTime')}</th>
      <th className="num">{t('planReport.col.late')}</th>
      <th className="num">{t('planReport.col.missed')}</th>
      <th className="num">{t('planReport.col.suspended')}</th>
      <th className="num">{t('planReport.col.pending')}</th>
    </>
  );
  const onPlan = (r: { onPlanMinutes: number; plannedMinutes: number }) => t('planReport.onPlan', { on: Math.round(r.onPlanMinutes), planned: Math.round(r.plannedMinutes) });
  return (
    <div data-testid={testId}>
      <div className="table-wrap">
        <table className="data-table" data-testid={`${testId}-plans`}>
          <thead>
            <tr>
              <th>{t('planReport.col.plan')}</th>
              {countHead}
              <th className="num">{t('planReport.col.coverage')}</th>
              <th className="num">{t('planReport.col.onPlan')}</th>
            </tr>
          </thead>
          <tbody>
            {report.plans.map((p) => (
              <tr key={p.planId} data-testid={`${testId}-plan`} data-plan-id={p.planId}>
                <td>{p.name}</td>
                <CountCells c={p} />
                <td className="num">{percent(p.routeCoverage)}</td>
                <td className="num">{onPlan(p)}</td>
              </tr>
            ))}
            <tr data-testid={`${testId}-total`}>
              <td>
                <strong>{t('planReport.total')}</strong>
              </td>
              <CountCells c={report.totals} />
              <td className="num">{percent(report.totals.routeCoverage)}</td>
              <td className="num">{onPlan(report.totals)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <h4 className="section-title">{t('planReport.byTeam')}</h4>
      <div className="table-wrap">
        <table className="data-table" data-testid={`${testId}-teams`}>
          <thead>
            <tr>
              <th>{t('planReport.col.plan')}</th>
              <th>{t('planReport.col.team')}</th>
              {countHead}
              <th className="num">{t('planReport.col.coverage')}</th>
              <th className="num">{t('planReport.col.onPlan')}</th>
            </tr>
          </thead>
          <tbody>
            {report.teams.map((r) => (
              <tr key={`${r.planId}:${r.teamId}`}>
                <td>{planName.get(r.planId)}</td>
                <td>
                  {r.code} · {localName(r, lang)}
                </td>
                <CountCells c={r} />
                <td className="num">{percent(r.routeCoverage)}</td>
                <td className="num">{onPlan(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h4 className="section-title">{t('planReport.byForce')}</h4>
      <div className="table-wrap">
        <table className="data-table" data-testid={`${testId}-forces`}>
          <thead>
            <tr>
              <th>{t('planReport.col.force')}</th>
              {countHead}
              <th className="num">{t('planReport.col.onPlan')}</th>
            </tr>
          </thead>
          <tbody>
            {report.forces.map((f) => (
              <tr key={f.forceType}>
                <td>{t(`force.${f.forceType}`)}</td>
                <CountCells c={f} />
                <td className="num">{onPlan(f)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">{t('planReport.note', { m: report.coverM })}</p>
    </div>
  );
}

/** The plan board's "计划执行" section for the board's day (`''` until the board has answered). */
export function PlanReportSection({ day }: { day: string }) {
  const { t } = useI18n();
  const [span, setSpan] = useState<SpanKey>('day');
  const from = day === '' ? '' : addDays(day, 1 - SPANS[span]);
  const report = useSWR<PlanReport, Error>(day === '' ? null : `/api/plans/report?from=${from}&to=${day}`, fetcher, { keepPreviousData: true });
  return (
    <section className="plan-report" data-testid="plan-report">
      <h3 className="section-title">{t('planReport.title')}</h3>
      <div className="plan-board-day">
        {(Object.keys(SPANS) as SpanKey[]).map((k) => (
          <button
            key={k}
            type="button"
            className={`action-button${k === span ? ' action-button--primary' : ''}`}
            aria-pressed={k === span}
            data-testid={`plan-report-${k}`}
            onClick={() => setSpan(k)}
          >
            {t(`planReport.${k}`)}
          </button>
        ))}
        {from !== '' && <span className="muted">{t('planReport.range', { from, to: day })}</span>}
      </div>
      <LoadState loading={report.data === undefined && day !== ''} error={report.error} />
      {report.data && <PlanReportTables report={report.data} testId="plan-report" />}
    </section>
  );
}

/** The briefing's plan section: the same figures as GET /api/plans/report for the briefing's period (township-wide). */
export function BriefingPlanSection({ report }: { report: PlanReport }) {
  const { t } = useI18n();
  return (
    <section className="briefing-plans" data-testid="briefing-plans">
      <h3 className="section-title">
        {t('planReport.title')} · {t('planReport.range', { from: report.from, to: report.to })}
      </h3>
      <PlanReportTables report={report} testId="briefing-plan-report" />
    </section>
  );
}
