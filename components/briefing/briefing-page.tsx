'use client';
// The leadership briefing (/briefing): pick a period and a village; KPI cards
// with their change against the previous period and a year earlier (arrow and
// sign, never colour alone), ECharts charts with PNG export, a snapshot of
// where the period's disputes concentrated (the heatmap rollup), sortable tables
// with CSV export, print (A4 landscape, briefing.css) and the server's PDF.
import './briefing.css';
import dynamic from 'next/dynamic';
import { useMemo, useState } from 'react';
import useSWR from 'swr';
import { PageFrame } from '@/components/common/page-frame';
import { BriefingPlanSection } from '@/components/plans/plan-report';
import { snapshotAspect, snapshotNotes, snapshotOption } from '@/lib/briefing-snapshot';
import { fetcher } from '@/lib/hooks/fetcher';
import { bt, kpiCards, type KpiCard } from '@/lib/i18n/briefing';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { localName, type Lang } from '@/lib/i18n/messages';
import { BRIEFING_PERIODS, deltaLabel, lastDay, type Briefing, type BriefingPeriod } from '@/lib/model/briefing';
import { BRIEFING_TABLES, briefingCsv, type BriefingTable } from './briefing-csv';
import { downloadText } from './briefing-download';
import { categoryOption, forceOption, herbOption, hourOfWeekOption, sortRows, type SortDir } from './briefing-figures';

const BriefingChart = dynamic(() => import('./briefing-chart'), { ssr: false });

interface Query {
  period: BriefingPeriod;
  from: string;
  to: string;
  village: string;
}

/** The query string of the API and the PDF for the picked period and village (empty fields left out). */
export function briefingSearch(q: Query, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams({ period: q.period });
  if (q.from) p.set('from', q.from);
  if (q.period === 'custom' && q.to) p.set('to', q.to);
  if (q.village) p.set('village', q.village);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
}

const spanText = (r: { from: string; to: string }) => `${r.from} — ${lastDay(r.to)}`;

export function BriefingPage() {
  const { lang } = useI18n();
  const [q, setQ] = useState<Query>({ period: 'month', from: '', to: '', village: '' });
  const ready = q.period !== 'custom' || (q.from !== '' && q.to !== '');
  const { data, error, isLoading } = useSWR<Briefing, Error>(ready ? `/api/briefing?${briefingSearch(q)}` : null, fetcher, { keepPreviousData: true });
  const fileStem = data ? `briefing-${data.current.range.from}${data.village ? `-${data.village.code}` : ''}` : 'briefing';

  return (
    <PageFrame title={bt(lang, 'title')} testId="briefing-page">
      <div className="briefing" data-testid="briefing" aria-busy={isLoading}>
        <form className="briefing-controls no-print" onSubmit={(e) => e.preventDefault()}>
          <label>
            {bt(lang, 'period')}
            <select data-testid="briefing-period" value={q.period} onChange={(e) => setQ({ ...q, period: e.target.value as BriefingPeriod, from: '', to: '' })}>
              {BRIEFING_PERIODS.map((p) => (
                <option key={p} value={p}>
                  {bt(lang, `period.${p}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {bt(lang, 'from')}
            <input type="date" data-testid="briefing-from" value={q.from} onChange={(e) => setQ({ ...q, from: e.target.value })} />
          </label>
          {q.period === 'custom' && (
            <label>
              {bt(lang, 'to')}
              <input type="date" data-testid="briefing-to" value={q.to} onChange={(e) => setQ({ ...q, to: e.target.value })} />
            </label>
          )}
          <label>
            {bt(lang, 'village')}
            <select data-testid="briefing-village" value={q.village} onChange={(e) => setQ({ ...q, village: e.target.value })}>
              <option value="">{bt(lang, 'allVillages')}</option>
              {data?.villages.map((v) => (
                <option key={v.id} value={String(v.id)}>
                  {v.code} {localName(v, lang)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" data-testid="briefing-print" onClick={() => window.print()}>
            {bt(lang, 'print')}
          </button>
          <a className="briefing-pdf" data-testid="briefing-pdf" href={`/api/briefing/pdf?${briefingSearch(q, { lang })}`} download>
            {bt(lang, 'pdf')}
          </a>
        </form>

        {error && (
          <p role="alert" className="briefing-error" data-testid="briefing-error">
            {error.message}
          </p>
        )}
        {!data && !error && <p>{bt(lang, 'loading')}</p>}
        {data && (
          <>
            <header className="briefing-heading">
              <h2 data-testid="briefing-range">
                {data.village ? localName(data.village, lang) : bt(lang, 'allVillages')} · {spanText(data.current.range)}
              </h2>
              <p className="briefing-baselines" data-testid="briefing-baselines">
                {bt(lang, 'previous')}: {spanText(data.previous.range)} · {bt(lang, 'yearAgo')}: {spanText(data.yearAgo.range)} · {bt(lang, 'township')}: {data.townshipTz}
              </p>
            </header>
            <section className="briefing-kpis" aria-label="KPI">
              {kpiCards(data, lang).map((k) => (
                <KpiCardView key={k.id} card={k} lang={lang} />
              ))}
            </section>
            <Charts data={data} lang={lang} fileStem={fileStem} />
            <Snapshot data={data} lang={lang} fileStem={fileStem} />
            <section className="briefing-tables">
              {BRIEFING_TABLES.map((t) => (
                <SortableTable key={t.id} table={t} data={data} lang={lang} fileStem={fileStem} />
              ))}
            </section>
            {data.plans && <BriefingPlanSection report={data.plans} />}
          </>
        )}
      </div>
    </PageFrame>
  );
}

function KpiCardView({ card, lang }: { card: KpiCard; lang: Lang }) {
  const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(card.digits));
  const prev = deltaLabel(card.value, card.previous, card.digits);
  const year = deltaLabel(card.value, card.yearAgo, card.digits);
  return (
    <div className="briefing-kpi" data-testid={`kpi-${card.id}`}>
      <span className="briefing-kpi-label">{card.label}</span>
      <strong className="briefing-kpi-value" data-testid={`kpi-${card.id}-value`}>
        {fmt(card.value)}
        {card.unit && <small> {card.unit}</small>}
      </strong>
      <span className="briefing-kpi-delta" data-testid={`kpi-${card.id}-previous`} data-arrow={prev.arrow}>
        {bt(lang, 'previous')} {fmt(card.previous)} · {prev.text}
      </span>
      <span className="briefing-kpi-delta" data-testid={`kpi-${card.id}-year`} data-arrow={year.arrow}>
        {bt(lang, 'yearAgo')} {fmt(card.yearAgo)} · {year.text}
      </span>
    </div>
  );
}

function Charts({ data, lang, fileStem }: { data: Briefing; lang: Lang; fileStem: string }) {
  const charts = useMemo(
    () => [
      { id: 'categories', title: bt(lang, 'byCategory'), option: categoryOption(data, lang), height: 300 },
      { id: 'hour-of-week', title: bt(lang, 'hourOfWeek'), option: hourOfWeekOption(data, lang), height: 300 },
      { id: 'forces', title: bt(lang, 'byForce'), option: forceOption(data, lang), height: 240 },
      { id: 'herb-season', title: bt(lang, 'herbSeason'), option: herbOption(data, lang), height: 240 },
    ],
    [data, lang],
  );
  return (
    <section className="briefing-charts">
      {charts.map((c) => (
        <BriefingChart key={c.id} id={c.id} title={c.title} option={c.option} height={c.height} pngLabel={bt(lang, 'png')} fileStem={fileStem} />
      ))}
    </section>
  );
}

/** Where the period's disputes concentrated: the heatmap rollup's bins over the cells' outlines, a static picture. */
function Snapshot({ data, lang, fileStem }: { data: Briefing; lang: Lang; fileStem: string }) {
  const h = data.heatmap;
  const option = useMemo(() => snapshotOption(h), [h]);
  const notes = snapshotNotes(h, lang, data.village !== null);
  return (
    <section className="briefing-snapshot">
      <BriefingChart
        id="heatmap"
        title={bt(lang, 'heatmap')}
        option={option}
        height={420}
        aspect={snapshotAspect(h)}
        pngLabel={bt(lang, 'png')}
        fileStem={fileStem}
        data={{ 'data-bin-m': h.binM, 'data-bins': h.n.length, 'data-count': h.count, 'data-withheld': h.withheld }}
      >
        <ul className="briefing-snapshot-notes" data-testid="briefing-heatmap-notes">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      </BriefingChart>
    </section>
  );
}

function SortableTable({ table, data, lang, fileStem }: { table: BriefingTable; data: Briefing; lang: Lang; fileStem: string }) {
  const [sort, setSort] = useState<{ column: number; dir: SortDir } | null>(null);
  const { columns, rows } = useMemo(() => table.rows(data, lang), [table, data, lang]);
  const shown = useMemo(() => (sort ? sortRows(rows, sort.column, sort.dir, lang) : rows), [rows, sort, lang]);
  const toggle = (column: number) =>
    setSort((s) => (s?.column === column ? { column, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { column, dir: typeof rows[0]?.[column] === 'number' ? 'desc' : 'asc' }));
  const csv = () => downloadText(briefingCsv(table, data, lang), `${fileStem}-${table.id}.csv`, 'text/csv;charset=utf-8');
  return (
    <div className="briefing-table" data-testid={`table-${table.id}`}>
      <div className="briefing-table-head">
        <h3>{table.title(lang)}</h3>
        <button type="button" className="briefing-export no-print" data-testid={`csv-${table.id}`} onClick={csv}>
          {bt(lang, 'csv')}
        </button>
      </div>
      <table>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={c} aria-sort={sort?.column === i ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                <button type="button" data-testid={`sort-${table.id}-${i}`} onClick={() => toggle(i)}>
                  {c} {sort?.column === i ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={String(r[0])}>
              {r.map((v, i) => (
                <td key={i} className={typeof v === 'number' ? 'num' : undefined}>
                  {v}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
