'use client';
// The wall's KPI tiles (GET /api/wall/kpis): teams, open incidents by
// severity, today against the same weekday's average, median response time,
// open alerts. Every figure carries its raw number in data-value (empty while
// unknown) for tests and benchmarks; the text is formatted for the room.
import { memo, type CSSProperties } from 'react';
import { SEVERITIES, type Severity, type WallKpis } from '@/lib/model';
import { SEVERITY_COLORS } from '@/components/map/palette';
import { formatNumber } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { formatDifference, formatMinutesSeconds } from './wall-format';

/** The data-testid suffixes, as the contract with tests/e2e/wall.spec.ts names them. */
export type KpiName =
  | 'teams-on-duty'
  | 'teams-available'
  | 'teams-busy'
  | `open-sev-${Severity}`
  | 'incidents-today'
  | 'weekday-average'
  | 'median-response'
  | 'open-alerts';

interface KpiProps {
  name: KpiName;
  value: number | null;
  /** The value as shown; "—" while unknown. */
  text: string;
  caption: string;
  /** A second line under the caption. */
  note?: string;
  noteTone?: 'warn';
  tone?: 'quiet' | 'warn' | 'danger';
  style?: CSSProperties;
  className?: string;
}

function Kpi({ name, value, text, caption, note, noteTone, tone, style, className }: KpiProps) {
  return (
    <div
      className={`wall-kpi ${tone ? `wall-kpi--${tone}` : ''} ${className ?? ''}`}
      data-testid={`wall-kpi-${name}`}
      data-value={value === null ? '' : String(value)}
      style={style}
    >
      <span className="wall-kpi-value">{text}</span>
      <span className="wall-kpi-caption">{caption}</span>
      {note !== undefined && <span className={`wall-kpi-note ${noteTone ? `wall-kpi-note--${noteTone}` : ''}`}>{note}</span>}
    </div>
  );
}

const rgb = ([r, g, b]: readonly number[]) => `rgb(${r} ${g} ${b})`;

export interface WallKpiTilesProps {
  /** Undefined until the first answer. */
  kpis: WallKpis | undefined;
}

export const WallKpiTiles = memo(function WallKpiTiles({ kpis }: WallKpiTilesProps) {
  const { t, lang } = useI18n();
  const num = (n: number | undefined, digits = 0) => (n === undefined ? '—' : formatNumber(n, lang, digits));
  const diff = kpis ? kpis.incidentsToday - kpis.sameWeekdayAverage : null;
  return (
    <div className="wall-kpis">
      <section className="wall-group">
        <h2 className="wall-group-title">{t('wall.kpi.teams')}</h2>
        <div className="wall-cells wall-cells--3">
          <Kpi name="teams-on-duty" value={kpis?.teams.onDuty ?? null} text={num(kpis?.teams.onDuty)} caption={t('wall.kpi.onDuty')} />
          <Kpi name="teams-available" value={kpis?.teams.available ?? null} text={num(kpis?.teams.available)} caption={t('wall.kpi.available')} />
          <Kpi name="teams-busy" value={kpis?.teams.busy ?? null} text={num(kpis?.teams.busy)} caption={t('wall.kpi.busy')} />
        </div>
      </section>

      <section className="wall-group">
        <h2 className="wall-group-title">{t('wall.kpi.open')}</h2>
        <div className="wall-cells wall-cells--4">
          {SEVERITIES.map((s) => {
            const n = kpis?.openBySeverity[s];
            return (
              <Kpi
                key={s}
                name={`open-sev-${s}`}
                value={n ?? null}
                text={num(n)}
                caption={t(`severity.${s}`)}
                className="wall-kpi--severity"
                tone={n === 0 ? 'quiet' : undefined}
                style={{ '--sev': rgb(SEVERITY_COLORS[s]) } as CSSProperties}
              />
            );
          })}
        </div>
      </section>

      <section className="wall-group">
        <div className="wall-cells wall-cells--2">
          <Kpi
            name="incidents-today"
            value={kpis?.incidentsToday ?? null}
            text={num(kpis?.incidentsToday)}
            caption={t('wall.kpi.today')}
            note={diff === null ? undefined : `${t('wall.kpi.vsAverage')} ${formatDifference(diff, lang)}`}
            noteTone={diff !== null && diff > 0 ? 'warn' : undefined}
          />
          <Kpi
            name="weekday-average"
            value={kpis?.sameWeekdayAverage ?? null}
            text={num(kpis?.sameWeekdayAverage, 1)}
            caption={t('wall.kpi.weekdayAverage')}
          />
        </div>
      </section>

      <section className="wall-group">
        <div className="wall-cells wall-cells--2">
          <Kpi
            name="median-response"
            value={kpis?.medianResponseSeconds ?? null}
            text={formatMinutesSeconds(kpis?.medianResponseSeconds ?? null)}
            caption={t('wall.kpi.medianResponse')}
            note={kpis ? t('wall.kpi.responseSamples', { n: kpis.responseSamples }) : undefined}
          />
          <Kpi
            name="open-alerts"
            value={kpis?.openAlerts ?? null}
            text={num(kpis?.openAlerts)}
            caption={t('wall.kpi.openAlerts')}
            note={kpis && kpis.unacknowledgedAlerts > 0 ? t('wall.kpi.unacknowledged', { n: kpis.unacknowledgedAlerts }) : undefined}
            tone={kpis === undefined ? undefined : kpis.unacknowledgedAlerts > 0 ? 'danger' : kpis.openAlerts > 0 ? 'warn' : 'quiet'}
          />
        </div>
      </section>
    </div>
  );
});
