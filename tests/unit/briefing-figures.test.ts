// The briefing's pure helpers: the KPI figures the page and the PDF lead with,
// a change reads as arrow and sign (never colour alone), and tables sort
// numbers as numbers and Chinese text by zh collation.
import { describe, expect, it } from 'vitest';
import { sortRows } from '../../components/briefing/briefing-figures';
import { BRIEFING_TEXT, kpiCards } from '../../lib/i18n/briefing';
import { deltaLabel, lastDay, type Briefing, type BriefingFigures, type BriefingPart } from '../../lib/model/briefing';

const NONE = { samples: 0, medianSeconds: null, p90Seconds: null };
const NO_RESPONSE: BriefingFigures['response'] = { dispatched: NONE, onScene: NONE, resolved: NONE };

/** Figures of a period with nothing in it, but for `over`. */
function figures(over: Partial<BriefingFigures>): BriefingFigures {
  return {
    incidents: 0,
    resolved: 0,
    byCategory: [],
    bySeverity: [],
    byOutcome: [],
    byVillage: [],
    byGrid: [],
    response: NO_RESPONSE,
    patrolByForce: [],
    patrolByTeam: [],
    patrolKm: 0,
    gridsTotal: 0,
    gridsNotPatrolled: 0,
    alertsByKind: [],
    hourOfWeek: [],
    herbSeason: { inSeason: { incidents: 0, days: 0 }, offSeason: { incidents: 0, days: 0 } },
    ...over,
  };
}

const part = (from: string, to: string, f: BriefingFigures): BriefingPart => ({ range: { from, to, start: '', end: '', days: 0 }, figures: f });
const team = (code: string, hours: number) => ({ teamId: 1, code, name: code, nameEn: code, forceType: 'armband', hours, km: 0, cells: 0 });

describe('kpiCards (the page`s cards and the PDF`s)', () => {
  // Every figure differs between the three periods, and each median from its p90, so a card that reads the wrong one shows.
  const current = figures({
    incidents: 10,
    resolved: 4,
    response: {
      dispatched: { samples: 3, medianSeconds: 120, p90Seconds: 600 },
      onScene: { samples: 2, medianSeconds: 900, p90Seconds: 1800 },
      resolved: { samples: 4, medianSeconds: 3600, p90Seconds: 7200 },
    },
    patrolKm: 12.5,
    patrolByTeam: [team('T1', 3), team('T2', 4)],
    gridsNotPatrolled: 2,
    alertsByKind: [
      { kind: 'stale', count: 5 },
      { kind: 'sos', count: 1 },
    ],
  });
  const previous = figures({ incidents: 8, resolved: 6, response: { ...NO_RESPONSE, dispatched: { samples: 1, medianSeconds: 60, p90Seconds: 90 } } });
  const yearAgo = figures({ incidents: 12, resolved: 3, gridsNotPatrolled: 5 });
  const b: Briefing = {
    period: 'month',
    townshipTz: 'Asia/Shanghai',
    village: null,
    villages: [],
    herbSeasonMonths: [5, 6, 7],
    heatmap: { binM: 400, minCount: 1, count: 0, withheld: 0, lon: [], lat: [], n: [], outlines: [], bbox: null },
    current: part('2025-06-01', '2025-07-01', current),
    previous: part('2025-05-01', '2025-06-01', previous),
    yearAgo: part('2024-06-01', '2024-07-01', yearAgo),
  };
  const cards = Object.fromEntries(kpiCards(b, 'en').map((c) => [c.id, c]));

  it('gives each figure for the period, the period before and a year earlier', () => {
    expect(Object.keys(cards)).toEqual(['incidents', 'resolved', 'resolvedShare', 'toDispatch', 'toScene', 'toResolved', 'patrolKm', 'patrolHours', 'gridsNotPatrolled', 'sos']);
    expect(kpiCards(b, 'zh').map((c) => c.label)).toEqual(['事件总数', '已化解', '化解率', '上报→派遣（中位）', '上报→到场（中位）', '上报→化解（中位）', '巡逻里程（公里）', '巡逻时长（队·小时）', '未巡逻网格', BRIEFING_TEXT.zh.sos]);
    expect(cards.incidents).toMatchObject({ value: 10, previous: 8, yearAgo: 12, digits: 0, unit: '' });
    expect(cards.resolved).toMatchObject({ value: 4, previous: 6, yearAgo: 3 });
    expect(cards.resolvedShare).toMatchObject({ value: 40, previous: 75, yearAgo: 25, digits: 1, unit: '%' });
    expect(cards.gridsNotPatrolled).toMatchObject({ value: 2, previous: 0, yearAgo: 5 });
  });

  it('shows response times as median minutes (not p90), "—" where no incident reached the step', () => {
    expect(cards.toDispatch).toMatchObject({ value: 2, previous: 1, yearAgo: null, digits: 1 });
    expect(cards.toScene).toMatchObject({ value: 15, previous: null });
    expect(cards.toResolved).toMatchObject({ value: 60, previous: null });
  });

  it('sums team-hours, takes patrol km as measured and counts SOS alerts only', () => {
    expect(cards.patrolHours).toMatchObject({ value: 7, previous: 0 });
    expect(cards.patrolKm).toMatchObject({ value: 12.5, digits: 1 });
    expect(cards.sos).toMatchObject({ value: 1, previous: 0, yearAgo: 0 });
  });
});

describe('deltaLabel (the page`s and the PDF`s)', () => {
  it('write up, down and no change with an arrow and a sign', () => {
    expect(deltaLabel(12, 9)).toEqual({ arrow: '↑', text: '↑ +3' });
    expect(deltaLabel(7, 9)).toEqual({ arrow: '↓', text: '↓ −2' });
    expect(deltaLabel(9, 9)).toEqual({ arrow: '=', text: '= 0' });
    expect(deltaLabel(12.34, 12.3, 1)).toEqual({ arrow: '=', text: '= 0' });
    expect(deltaLabel(40.5, 38.25, 1)).toEqual({ arrow: '↑', text: '↑ +2.3' });
    expect(deltaLabel(null, 3)).toEqual({ arrow: '', text: '—' });
    expect([deltaLabel(12, 9).text, deltaLabel(7, 9).text, deltaLabel(9, 9).text, deltaLabel(40.5, 38.25, 1).text]).toEqual(['↑ +3', '↓ −2', '= 0', '↑ +2.3']);
  });

  it('names the last day of a [from, to) span, across a month and a leap day', () => {
    expect(lastDay('2025-07-01')).toBe('2025-06-30');
    expect(lastDay('2024-03-01')).toBe('2024-02-29');
  });
});

describe('sortRows', () => {
  const rows = [
    ['G10', '网格十', 3],
    ['G2', '网格二', 12],
    ['G1', '网格一', 3],
  ];
  it('sorts numbers by value, keeping the order of ties', () => {
    expect(sortRows(rows, 2, 'desc', 'zh').map((r) => r[0])).toEqual(['G2', 'G10', 'G1']);
    expect(sortRows(rows, 2, 'asc', 'zh').map((r) => r[0])).toEqual(['G10', 'G1', 'G2']);
  });
  it('sorts codes with their numbers in order (G2 before G10)', () => {
    expect(sortRows(rows, 0, 'asc', 'en').map((r) => r[0])).toEqual(['G1', 'G2', 'G10']);
    expect(sortRows(rows, 0, 'desc', 'en').map((r) => r[0])).toEqual(['G10', 'G2', 'G1']);
  });
});
