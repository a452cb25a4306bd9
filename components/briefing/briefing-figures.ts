// Pure helpers of the briefing page: the chart options and table sorting. No
// React, so they are easy to test. (The KPI cards and their deltas the PDF
// shows too: kpiCards in lib/i18n/briefing.ts, deltaLabel in lib/model/briefing.ts.)
import type { EChartsOption } from 'echarts';
import { bt, codeName } from '@/lib/i18n/briefing';
import type { Lang } from '@/lib/i18n/messages';
import type { Briefing, BriefingFigures } from '@/lib/model/briefing';
import type { Cell } from './briefing-csv';

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
