// The briefing's tables as rows (the page's sortable tables and their CSV
// exports share them) and as CSV: UTF-8 with a byte-order mark so Excel reads
// the Chinese names, RFC 4180 quoting, numbers written as plain numbers.
import { bt, codeName } from '@/lib/i18n/briefing';
import { localName, type Lang } from '@/lib/i18n/messages';
import type { Briefing } from '@/lib/model/briefing';

export type Cell = string | number;

export interface BriefingTable {
  id: 'villages' | 'grids' | 'teams';
  title: (lang: Lang) => string;
  /** The header and the rows of the current period; numbers stay numbers. */
  rows: (b: Briefing, lang: Lang) => { columns: string[]; rows: Cell[][] };
}

export const BRIEFING_TABLES: readonly BriefingTable[] = [
  {
    id: 'villages',
    title: (lang) => bt(lang, 'villages'),
    rows: (b, lang) => ({
      columns: [bt(lang, 'code'), bt(lang, 'name'), bt(lang, 'incidents'), bt(lang, 'resolved')],
      rows: b.current.figures.byVillage.map((v) => [v.code, localName(v, lang), v.incidents, v.resolved]),
    }),
  },
  {
    id: 'grids',
    title: (lang) => bt(lang, 'grids'),
    rows: (b, lang) => ({
      columns: [bt(lang, 'code'), bt(lang, 'name'), bt(lang, 'village'), bt(lang, 'incidents'), bt(lang, 'resolved'), bt(lang, 'patrolHours')],
      rows: b.current.figures.byGrid.map((g) => [g.code, localName(g, lang), g.villageCode, g.incidents, g.resolved, g.patrolHours]),
    }),
  },
  {
    id: 'teams',
    title: (lang) => bt(lang, 'teams'),
    rows: (b, lang) => ({
      columns: [bt(lang, 'code'), bt(lang, 'name'), bt(lang, 'force'), bt(lang, 'hours'), bt(lang, 'km'), bt(lang, 'cells')],
      rows: b.current.figures.patrolByTeam.map((t) => [t.code, localName(t, lang), codeName(lang, 'force', t.forceType), t.hours, t.km, t.cells]),
    }),
  },
];

function field(v: Cell): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** The table as CSV text, starting with U+FEFF (the BOM once encoded as UTF-8), lines ended CRLF. */
export function briefingCsv(table: BriefingTable, b: Briefing, lang: Lang): string {
  const { columns, rows } = table.rows(b, lang);
  return `\uFEFF${[columns, ...rows].map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}
