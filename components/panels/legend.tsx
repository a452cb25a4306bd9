'use client';
// The legend, drawn from the same palette as the map layers.
import { keyLocationIcon } from '@/components/map/icons';
import type { GridShading } from '@/components/map/layers/grid-layer';
import {
  BUSY_UNIT_RING_COLORS,
  FORCE_COLORS,
  GRID_COVERAGE_COLORS,
  GRID_COVERAGE_HOURS,
  GRID_LOAD_COLORS,
  GRID_LOAD_LABELS,
  GRID_NEVER_PATROLLED_COLOR,
  HEATMAP_COLOR_RANGE,
  SEVERITY_COLORS,
  SEVERITY_RADIUS_PX,
  STALE_UNIT_COLOR,
  rgbaCss,
} from '@/components/map/palette';
import { FORCE_TYPES, KEY_LOCATION_CATEGORIES, NEW_INCIDENT_MS, SEVERITIES, STALE_AFTER_MS } from '@/lib/model';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { Rgba } from '@/components/map/palette';

/** Grid fills are faint on the map (the basemap shows through); the legend swatches are drawn stronger to be readable. */
function swatch(c: Rgba): string {
  return rgbaCss([c[0], c[1], c[2], Math.min(255, c[3] * 2.4)]);
}

export function Legend({ gridShading = 'load' }: { gridShading?: GridShading }) {
  const { t } = useI18n();
  const hours = GRID_COVERAGE_HOURS;
  const coverageLabels = GRID_COVERAGE_COLORS.map((_, i) =>
    i === 0
      ? t('legend.hoursUnder', { n: hours[0]! })
      : i < hours.length
        ? t('legend.hoursRange', { a: hours[i - 1]!, b: hours[i]! })
        : t('legend.hoursOver', { n: hours[hours.length - 1]! }),
  );
  const heatGradient = `linear-gradient(90deg, ${HEATMAP_COLOR_RANGE.map((c) => rgbaCss(c)).join(', ')})`;
  return (
    <section className="panel-section legend" data-testid="legend" aria-labelledby="legend-title">
      <h2 id="legend-title" className="section-title">
        {t('legend.title')}
      </h2>

      <h3 className="legend-heading">{t('legend.forces')}</h3>
      <ul className="legend-list">
        {FORCE_TYPES.map((f) => (
          <li key={f}>
            <span className="legend-unit" style={{ background: rgbaCss(FORCE_COLORS[f]) }} aria-hidden="true" />
            {t(`force.${f}`)}
          </li>
        ))}
        <li className="muted">
          <span className="legend-unit" style={{ background: rgbaCss(STALE_UNIT_COLOR) }} aria-hidden="true" />
          {t('legend.stale', { n: Math.round(STALE_AFTER_MS / 60_000) })}
        </li>
        <li className="muted">
          <span className="legend-heading-icon" aria-hidden="true" />
          {t('legend.heading')}
        </li>
        <li className="muted">
          <span
            className="legend-unit legend-unit--ring"
            style={{ boxShadow: `0 0 0 3px ${rgbaCss(BUSY_UNIT_RING_COLORS.dispatched)}, 0 0 0 6px ${rgbaCss(BUSY_UNIT_RING_COLORS.on_scene)}` }}
            aria-hidden="true"
          />
          {t('legend.busyUnit')}
        </li>
      </ul>

      <h3 className="legend-heading">{t('legend.severity')}</h3>
      <ul className="legend-list legend-list--inline">
        {SEVERITIES.map((s) => (
          <li key={s}>
            <span
              className="legend-incident"
              style={{ background: rgbaCss(SEVERITY_COLORS[s]), width: SEVERITY_RADIUS_PX[s] * 2, height: SEVERITY_RADIUS_PX[s] * 2 }}
              aria-hidden="true"
            />
            {t(`severity.${s}`)}
          </li>
        ))}
      </ul>
      <ul className="legend-list">
        <li className="muted">
          <span className="legend-pulse" aria-hidden="true" />
          {t('legend.newIncident', { n: Math.round(NEW_INCIDENT_MS / 60_000) })}
        </li>
        <li className="muted">
          <span className="legend-incident legend-incident--done" aria-hidden="true" />
          {t('legend.closedIncident')}
        </li>
        <li>
          <span className="legend-pulse legend-pulse--alert" aria-hidden="true" />
          {t('legend.alert')}
        </li>
      </ul>

      {gridShading === 'coverage' ? (
        <>
          <h3 className="legend-heading">{t('legend.coverage')}</h3>
          <div className="legend-steps" data-testid="legend-coverage">
            {GRID_COVERAGE_COLORS.map((c, i) => (
              <span key={i} className="legend-step">
                <span className="legend-step-swatch" style={{ background: swatch(c) }} />
                {coverageLabels[i]}
              </span>
            ))}
            <span className="legend-step">
              <span className="legend-step-swatch" style={{ background: swatch(GRID_NEVER_PATROLLED_COLOR) }} />
              {t('legend.neverPatrolled')}
            </span>
          </div>
        </>
      ) : (
        <>
          <h3 className="legend-heading">{t('legend.gridLoad')}</h3>
          <div className="legend-steps">
            {GRID_LOAD_COLORS.map((c, i) => (
              <span key={i} className="legend-step">
                <span className="legend-step-swatch" style={{ background: swatch(c) }} />
                {GRID_LOAD_LABELS[i]}
              </span>
            ))}
          </div>
        </>
      )}

      <h3 className="legend-heading">{t('legend.heatmap')}</h3>
      <div className="legend-ramp" style={{ background: heatGradient }} aria-hidden="true" />
      <div className="legend-ramp-labels">
        <span>{t('legend.low')}</span>
        <span>{t('legend.high')}</span>
      </div>

      <h3 className="legend-heading">{t('legend.keyLocations')}</h3>
      <ul className="legend-list legend-list--grid">
        {KEY_LOCATION_CATEGORIES.map((c) => (
          <li key={c}>
            {/* eslint-disable-next-line @next/next/no-img-element -- an inline SVG data URL; next/image adds nothing here */}
            <img src={keyLocationIcon(c).url} width={18} height={18} alt="" />
            {t(`keyLocation.${c}`)}
          </li>
        ))}
      </ul>
    </section>
  );
}
