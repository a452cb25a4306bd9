import { describe, expect, it } from 'vitest';
import {
  FORCE_TYPES,
  INCIDENT_CATEGORIES,
  INCIDENT_STATUSES,
  KEY_LOCATION_CATEGORIES,
  SEVERITIES,
  UNIT_STATUSES,
  type AlertKind,
} from '@/lib/model';
import { formatAge } from '@/lib/i18n/format';
import { CATALOGUES, LANGS, alertTeamName, localName, translate, translateCode, type MessageKey } from '@/lib/i18n/messages';

// A Record over the union, so adding an AlertKind without listing it here fails the typecheck.
const ALERT_KINDS = Object.keys({ sos: 1, stale: 1, offline: 1, outside_area: 1, coverage_gap: 1, unacknowledged: 1, checkpoint_overdue: 1, plan_team_unready: 1, joint_patrol_split: 1 } satisfies Record<AlertKind, 1>);

describe('i18n catalogue', () => {
  it('has the same keys in zh and en, none empty', () => {
    const zh = Object.keys(CATALOGUES.zh).sort();
    const en = Object.keys(CATALOGUES.en).sort();
    expect(en).toEqual(zh);
    for (const lang of LANGS) {
      for (const [key, text] of Object.entries(CATALOGUES[lang])) {
        expect(text.trim(), `${lang}:${key}`).not.toBe('');
      }
    }
  });

  it('uses the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(CATALOGUES.zh) as MessageKey[]) {
      expect(names(CATALOGUES.en[key]), key).toEqual(names(CATALOGUES.zh[key]));
    }
  });

  it('names every domain value', () => {
    const keys: string[] = [
      ...FORCE_TYPES.map((v) => `force.${v}`),
      ...UNIT_STATUSES.map((v) => `unitStatus.${v}`),
      ...INCIDENT_CATEGORIES.map((v) => `category.${v}`),
      ...INCIDENT_STATUSES.map((v) => `incidentStatus.${v}`),
      ...SEVERITIES.map((v) => `severity.${v}`),
      ...KEY_LOCATION_CATEGORIES.map((v) => `keyLocation.${v}`),
      ...ALERT_KINDS.map((v) => `alertKind.${v}`),
    ];
    for (const lang of LANGS) for (const k of keys) expect(CATALOGUES[lang], `${lang}:${k}`).toHaveProperty(k);
  });

  it('writes Chinese in zh and no Chinese in en (except the language switch label)', () => {
    const han = /\p{Script=Han}/u;
    expect(han.test(translate('zh', 'force.grid_worker'))).toBe(true);
    for (const [key, text] of Object.entries(CATALOGUES.en)) {
      if (key === 'header.langSwitch' || key === 'header.langSwitchLabel') continue;
      expect(han.test(text), key).toBe(false);
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'age.seconds', { n: 5 })).toBe('5 s ago');
    expect(translate('zh', 'age.seconds', { n: 5 })).toBe('5 秒前');
    expect(translate('en', 'age.seconds')).toBe('{n} s ago');
  });

  it('shows name in zh and nameEn in en', () => {
    const item = { name: '拉雍村', nameEn: 'Layong Village' };
    expect(localName(item, 'zh')).toBe('拉雍村');
    expect(localName(item, 'en')).toBe('Layong Village');
    expect(localName({ name: '拉雍村', nameEn: '' }, 'en')).toBe('拉雍村');
  });

  it('names an alert\'s team in the language, falling back when a name is missing', () => {
    const a = { teamName: '网格员一组', teamNameEn: 'Grid team 1' };
    expect(alertTeamName(a, 'zh')).toBe('网格员一组');
    expect(alertTeamName(a, 'en')).toBe('Grid team 1');
    expect(alertTeamName({ teamName: '网格员一组', teamNameEn: null }, 'en')).toBe('网格员一组');
    expect(alertTeamName({ teamName: null, teamNameEn: null }, 'zh')).toBeNull();
  });

  it('translates known open-ended codes and shows unknown ones as they are', () => {
    expect(translateCode('en', 'source', 'coordinator')).toBe('Command centre');
    expect(translateCode('zh', 'source', 'traccar')).toBe('traccar');
  });

  it('formats ages', () => {
    expect(formatAge(400, 'en')).toBe('0 s ago');
    expect(formatAge(12_500, 'en')).toBe('12 s ago');
    expect(formatAge(125_000, 'zh')).toBe('2 分钟前');
    expect(formatAge(-5_000, 'zh')).toBe('0 秒前');
    expect(formatAge(3 * 3_600_000, 'en')).toBe('3 h ago');
  });
});
