// The briefing page's pure helpers: a change reads as arrow and sign (never
// colour alone), and tables sort numbers as numbers and Chinese text by zh collation.
import { describe, expect, it } from 'vitest';
import { deltaLabel, sortRows } from '../../components/briefing/briefing-figures';
import { deltaText, lastDay } from '../../lib/briefing-pdf';

describe('deltaLabel and the PDF`s deltaText', () => {
  it('write up, down and no change with an arrow and a sign', () => {
    expect(deltaLabel(12, 9)).toEqual({ arrow: '↑', text: '↑ +3' });
    expect(deltaLabel(7, 9)).toEqual({ arrow: '↓', text: '↓ −2' });
    expect(deltaLabel(9, 9)).toEqual({ arrow: '=', text: '= 0' });
    expect(deltaLabel(12.34, 12.3, 1)).toEqual({ arrow: '=', text: '= 0' });
    expect(deltaLabel(40.5, 38.25, 1)).toEqual({ arrow: '↑', text: '↑ +2.3' });
    expect(deltaLabel(null, 3)).toEqual({ arrow: '', text: '—' });
    expect([deltaText(12, 9), deltaText(7, 9), deltaText(9, 9), deltaText(40.5, 38.25, 1)]).toEqual(['↑ +3', '↓ −2', '= 0', '↑ +2.3']);
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
