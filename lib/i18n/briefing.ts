// The briefing's own words, in both languages (the page, the CSV headers and
// the server's PDF share them), and the KPI cards both lead with. Category,
// force and outcome names come from the app catalogue (lib/i18n/messages.ts).
import type { Briefing, BriefingFigures } from '../model/briefing';
import { translateCode, type Lang } from './messages';

const zh = {
  title: '领导简报',
  period: '时段',
  village: '村（社区）',
  allVillages: '全乡镇',
  'period.day': '日',
  'period.week': '周',
  'period.month': '月',
  'period.quarter': '季度',
  'period.year': '年',
  'period.custom': '自定义',
  from: '起',
  to: '止（不含）',
  previous: '上期',
  yearAgo: '去年同期',
  incidents: '事件总数',
  resolved: '已化解',
  resolvedShare: '化解率',
  toDispatch: '上报→派遣（中位）',
  toScene: '上报→到场（中位）',
  toResolved: '上报→化解（中位）',
  p90: 'P90',
  patrolKm: '巡逻里程（公里）',
  patrolHours: '巡逻时长（队·小时）',
  gridsNotPatrolled: '未巡逻网格',
  sos: 'SOS 求助',
  alerts: '告警',
  byCategory: '事件类别',
  bySeverity: '严重程度',
  byOutcome: '处置结果',
  byForce: '各力量巡逻',
  hourOfWeek: '一周各时段事件',
  herbSeason: '虫草季与其他月份（日均事件）',
  inSeason: '虫草季',
  offSeason: '其他月份',
  villages: '各村（社区）',
  grids: '各网格',
  teams: '各队伍巡逻',
  code: '编号',
  name: '名称',
  force: '力量类型',
  hours: '小时',
  km: '公里',
  cells: '网格数',
  count: '数量',
  print: '打印',
  pdf: '下载 PDF',
  png: 'PNG',
  csv: 'CSV',
  noChange: '持平',
  none: '无',
  minutes: '分钟',
  perDay: '日均',
  weekdays: '一,二,三,四,五,六,日',
  loading: '加载中…',
  generated: '生成于',
  township: '乡镇时区',
  heatmap: '纠纷热点（本期）',
  heatmapCaption: '{bin} 米方格 · 图上纠纷 {count} 起',
  heatmapWithheld: '另有 {withheld} 起所在方格不足 {min} 起，未显示',
  heatmapVillage: '仅显示中心位于本村网格内的方格',
  heatmapLegend: '圆越大、颜色越深，纠纷越多；灰线为网格边界',
};

const en: Record<keyof typeof zh, string> = {
  title: 'Leadership briefing',
  period: 'Period',
  village: 'Village',
  allVillages: 'Whole township',
  'period.day': 'Day',
  'period.week': 'Week',
  'period.month': 'Month',
  'period.quarter': 'Quarter',
  'period.year': 'Year',
  'period.custom': 'Custom',
  from: 'From',
  to: 'To (exclusive)',
  previous: 'Previous period',
  yearAgo: 'A year earlier',
  incidents: 'Incidents',
  resolved: 'Resolved',
  resolvedShare: 'Share resolved',
  toDispatch: 'Report → dispatch (median)',
  toScene: 'Report → on scene (median)',
  toResolved: 'Report → resolved (median)',
  p90: 'p90',
  patrolKm: 'Km patrolled',
  patrolHours: 'Patrol team-hours',
  gridsNotPatrolled: 'Cells not patrolled',
  sos: 'SOS',
  alerts: 'Alerts',
  byCategory: 'By category',
  bySeverity: 'By severity',
  byOutcome: 'By outcome',
  byForce: 'Patrol by force type',
  hourOfWeek: 'Incidents by weekday and hour',
  herbSeason: 'Herb season against the rest (incidents per day)',
  inSeason: 'Herb season',
  offSeason: 'Other months',
  villages: 'Villages',
  grids: 'Grid cells',
  teams: 'Patrol by team',
  code: 'Code',
  name: 'Name',
  force: 'Force type',
  hours: 'Hours',
  km: 'Km',
  cells: 'Cells',
  count: 'Count',
  print: 'Print',
  pdf: 'Download PDF',
  png: 'PNG',
  csv: 'CSV',
  noChange: 'no change',
  none: 'none',
  minutes: 'min',
  perDay: 'per day',
  weekdays: 'Mon,Tue,Wed,Thu,Fri,Sat,Sun',
  loading: 'Loading…',
  generated: 'Generated',
  township: 'Township time zone',
  heatmap: 'Where disputes concentrated (this period)',
  heatmapCaption: '{bin} m bins · {count} disputes on the map',
  heatmapWithheld: '{withheld} more in bins of fewer than {min}, not shown',
  heatmapVillage: "only bins whose centre lies in the village's cells",
  heatmapLegend: 'Larger, darker circles hold more disputes; grey lines are the grid cells',
};

export type BriefingTextKey = keyof typeof zh;
export const BRIEFING_TEXT: Record<Lang, Record<BriefingTextKey, string>> = { zh, en };

export const bt = (lang: Lang, key: BriefingTextKey): string => BRIEFING_TEXT[lang][key];

/** A category, force type, outcome or alert kind in the app's words. */
export const codeName = (lang: Lang, prefix: 'category' | 'force' | 'outcome' | 'alertKind' | 'severity', code: string): string => translateCode(lang, prefix, code);

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

/** The KPI cards (the page's and the PDF's): each figure in the current period, the previous one and a year earlier. */
export function kpiCards(b: Briefing, lang: Lang): KpiCard[] {
  // Each card's label is its id's words.
  const defs: { id: BriefingTextKey; value: (f: BriefingFigures) => number | null; digits?: number; unit?: string }[] = [
    { id: 'incidents', value: (f) => f.incidents },
    { id: 'resolved', value: (f) => f.resolved },
    { id: 'resolvedShare', value: (f) => (f.incidents ? Math.round((1000 * f.resolved) / f.incidents) / 10 : null), digits: 1, unit: '%' },
    { id: 'toDispatch', value: (f) => minutes(f.response.dispatched.medianSeconds), digits: 1, unit: bt(lang, 'minutes') },
    { id: 'toScene', value: (f) => minutes(f.response.onScene.medianSeconds), digits: 1, unit: bt(lang, 'minutes') },
    { id: 'toResolved', value: (f) => minutes(f.response.resolved.medianSeconds), digits: 1, unit: bt(lang, 'minutes') },
    { id: 'patrolKm', value: (f) => f.patrolKm, digits: 1 },
    { id: 'patrolHours', value: (f) => f.patrolByTeam.reduce((s, t) => s + t.hours, 0) },
    { id: 'gridsNotPatrolled', value: (f) => f.gridsNotPatrolled },
    { id: 'sos', value: (f) => f.alertsByKind.find((a) => a.kind === 'sos')?.count ?? 0 },
  ];
  return defs.map((d) => ({
    id: d.id,
    label: bt(lang, d.id),
    value: d.value(b.current.figures),
    previous: d.value(b.previous.figures),
    yearAgo: d.value(b.yearAgo.figures),
    digits: d.digits ?? 0,
    unit: d.unit ?? '',
  }));
}
