// Pure helpers of the briefing page: the KPI cards' figures and deltas, the
// chart options, and table sorting. No React, so they are easy to test.
import type { EChartsOption } from 'echarts';
import { bt, codeName } from '@/lib/i18n/briefing';
import type { Lang } from '@/lib/i18n/messages';
import type { Briefing, BriefingFigures } from '@/lib/model/briefing';
import type { Cell } from './briefing-csv';

export interface KpiCard {
  id: string;
  label: string;
  value: number | null;
  previous: number | null;
  yearAgo: number | null;
  digits: number;
  unit: string;
}

const minutes = (s: number | null): number | null => (s === null ? null : Math.round(s / 6) / 10);

/** The KPI figures the page leads with (the PDF shows the same ones, lib/briefing-pdf.ts). */
export function kpiCards(b: Briefing, lang: Lang): KpiCard[] {
  const defs: { id: string; label: string; value: (f: BriefingFigures) => number | null; digits?: number; unit?: string }[] = [
    { id: 'incidents', label: bt(lang, 'incidents'), value: (f) => f.incidents },
    { id: 'resolved', label: bt(lang, 'resolved'), value: (f) => f.resolved },
    { id: 'resolvedShare', label: bt(lang, 'resolvedShare'), value: (f) => (f.incidents ? Math.round((1000 * f.resolved) / f.incidents) / 10 : null), digits: 1, unit: '%' },
    { id: 'toDispatch', label: bt(lang, 'toDispatch'), value: (f) => minutes(f.response.dispatched.medianSeconds), digits: 1, unit: bt(lang, 'minutes') },
    { id: 'toScene', label: bt(lang, 'toScene'), value: (f) => minutes(f.response.onScene.medianSeconds), digits: 1, unit: bt(lang, 'minutes') },
    { id: 'toResolved', label: bt(lang, 'toResolved'), value: (f) => minutes(f.response.resolved.medianSeconds), digits: 1, unit: bt(lang, 'minutes') },
    { id: 'patrolKm', label: bt(lang, 'patrolKm'), value: (f) => f.patrolKm, digits: 1 },
    { id: 'patrolHours', label: bt(lang, 'patrolHours'), value: (f) => f.patrolByTeam.reduce((s, t) => s + t.hours, 0) },
    { id: 'gridsNotPatrolled', label: bt(lang, 'gridsNotPatrolled'), value: (f) => f.gridsNotPatrolled },
    { id: 'sos', label: bt(lang, 'sos'), value: (f) => f.alertsByKind.find((a) => a.kind === 'sos')?.count ?? 0 },
  ];
  return defs.map((d) => ({
    id: d.id,
    label: d.label,
    value: d.value(b.current.figures),
    previous: d.value(b.previous.figures),
    yearAgo: d.value(b.yearAgo.figures),
    digits: d.digits ?? 0,
    unit: d.unit ?? '',
  }));
}

/** A change as an arrow and a signed number, readable without colour: "↑ +3", "↓ −2", "= 0"; "—" without both figures. */
export function deltaLabel(now: number | null, before: number | null, digits = 0): { arrow: '↑' | '↓' | '=' | ''; text: string } {
  if (now === null || before === null) return { arrow: '', text: '—' };
  const d = Number((now - before).toFixed(digits));
  if (d === 0) return { arrow: '=', text: '= 0' };
  return d > 0 ? { arrow: '↑', text: `↑ +${d.toFixed(digits)}` } : { arrow: '↓', text: `↓ −${Math.abs(d).toFixed(digits)}` };
}

const BLUE = '#2f6fb0';
const GREY = '#9aa5b1';
/** The comparison series carry a hatch (decal) as well as a colour. */
const HATCH = { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 3], rotation: 0.8, color: 'rgba(0,0,0,0.35)' };

export function categoryOption(b: Briefing, lang: Lang): EChartsOption {
  const cur = b.current.figures.byCategory;
  const keys = [...new Set([...cur.map((c) => c.category), ...b.previous.figures.byCategory.map((c) => c.category)])];
  const count = (f: BriefingFigures, k: string) => f.byCategory.find((c) => c.category === k)?.count ?? 0;
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 110, right: 20, top: 30, bottom: 24 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: keys.map((k) => codeName(lang, 'category', k)) },
    series: [
      { name: bt(lang, 'incidents'), type: 'bar', data: keys.map((k) => count(b.current.figures, k)), itemStyle: { color: BLUE }, label: { show: true, position: 'right' } },
      { name: bt(lang, 'previous'), type: 'bar', data: keys.map((k) => count(b.previous.figures, k)), itemStyle: { color: GREY, decal: HATCH } },
      { name: bt(lang, 'yearAgo'), type: 'bar', data: keys.map((k) => count(b.yearAgo.figures, k)), itemStyle: { color: '#d9dee3', decal: { ...HATCH, rotation: -0.8 } } },
    ],
  };
}

export function hourOfWeekOption(b: Briefing, lang: Lang): EChartsOption {
  const cells = b.current.figures.hourOfWeek;
  return {
    tooltip: {},
    grid: { left: 40, right: 10, top: 10, bottom: 60 },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)), splitArea: { show: true } },
    yAxis: { type: 'category', inverse: true, data: bt(lang, 'weekdays').split(',') },
    visualMap: { min: 0, max: Math.max(1, ...cells.map((c) => c.count)), calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#f5f7fa', '#1f4e8c'] } },
    series: [{ type: 'heatmap', data: cells.map((c) => [c.hour, c.dow - 1, c.count]), label: { show: false } }],
  };
}

export function forceOption(b: Briefing, lang: Lang): EChartsOption {
  const rows = b.current.figures.patrolByForce;
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 110, right: 20, top: 30, bottom: 24 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => codeName(lang, 'force', r.forceType)) },
    series: [
      { name: bt(lang, 'hours'), type: 'bar', data: rows.map((r) => r.hours), itemStyle: { color: BLUE } },
      { name: bt(lang, 'km'), type: 'bar', data: rows.map((r) => r.km), itemStyle: { color: GREY, decal: HATCH } },
    ],
  };
}

export function herbOption(b: Briefing, lang: Lang): EChartsOption {
  const rate = (x: { incidents: number; days: number }) => (x.days ? Number((x.incidents / x.days).toFixed(2)) : 0);
  const parts = [b.current, b.previous, b.yearAgo];
  const names = [bt(lang, 'period'), bt(lang, 'previous'), bt(lang, 'yearAgo')];
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 50, right: 20, top: 30, bottom: 24 },
    xAxis: { type: 'category', data: names },
    yAxis: { type: 'value', name: bt(lang, 'perDay') },
    series: [
      { name: bt(lang, 'inSeason'), type: 'bar', data: parts.map((p) => rate(p.figures.herbSeason.inSeason)), itemStyle: { color: BLUE } },
      { name: bt(lang, 'offSeason'), type: 'bar', data: parts.map((p) => rate(p.figures.herbSeason.offSeason)), itemStyle: { color: GREY, decal: HATCH } },
    ],
  };
}

export type SortDir = 'asc' | 'desc';

/** Rows sorted by one column: numbers by value, text by the zh/en collation; ties keep their order. */
export function sortRows(rows: readonly Cell[][], column: number, dir: SortDir, lang: Lang): Cell[][] {
  const collator = new Intl.Collator(lang === 'zh' ? 'zh-CN' : 'en', { numeric: true });
  const sign = dir === 'asc' ? 1 : -1;
  return rows
    .map((r, i) => [r, i] as const)
    .sort(([a, i], [b, j]) => {
      const x = a[column];
      const y = b[column];
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
      return c === 0 ? i - j : sign * c;
    })
    .map(([r]) => r);
}
