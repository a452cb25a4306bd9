'use client';
// Layer switches, what the grid cells are shaded by, and the heatmap period.
import { LAYER_KEYS, type LayerKey, type LayerVisibility } from '@/components/map/build-layers';
import { GRID_SHADINGS, type GridShading } from '@/components/map/layers/grid-layer';
import { HEATMAP_WINDOWS, type HeatmapWindow } from '@/lib/model';
import { formatNumber } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { MessageKey } from '@/lib/i18n/messages';

const LAYER_LABELS: Record<LayerKey, MessageKey> = {
  grids: 'layers.grids',
  'key-locations': 'layers.keyLocations',
  units: 'layers.units',
  incidents: 'layers.incidents',
  heatmap: 'layers.heatmap',
  plans: 'layers.plans',
};

export interface LayerPanelProps {
  visibility: LayerVisibility;
  onToggle(key: LayerKey, visible: boolean): void;
  heatmapWindow: HeatmapWindow;
  onHeatmapWindow(w: HeatmapWindow): void;
  /** Disputes in the drawn heatmap; null while loading. */
  heatmapCount: number | null;
  /** Per-layer counts shown next to the switch. */
  counts: Partial<Record<LayerKey, number>>;
  gridShading: GridShading;
  onGridShading(s: GridShading): void;
}

export function LayerPanel({
  visibility,
  onToggle,
  heatmapWindow,
  onHeatmapWindow,
  heatmapCount,
  counts,
  gridShading,
  onGridShading,
}: LayerPanelProps) {
  const { t, lang } = useI18n();
  return (
    <section className="panel-section" aria-labelledby="layers-title">
      <h2 id="layers-title" className="section-title">
        {t('layers.title')}
      </h2>
      <ul className="toggle-list">
        {LAYER_KEYS.map((key) => (
          <li key={key}>
            <label className="toggle">
              <input
                type="checkbox"
                className="switch"
                data-testid={`layer-toggle-${key}`}
                checked={visibility[key]}
                onChange={(e) => onToggle(key, e.currentTarget.checked)}
              />
              <span className="toggle-label">{t(LAYER_LABELS[key])}</span>
              {counts[key] !== undefined && <span className="toggle-count">{formatNumber(counts[key], lang)}</span>}
            </label>
          </li>
        ))}
      </ul>
      <div className="heatmap-window">
        <span className="field-label">{t('layers.gridShading')}</span>
        <div className="segmented segmented--2" role="group" aria-label={t('layers.gridShading')}>
          {GRID_SHADINGS.map((s) => (
            <button
              key={s}
              type="button"
              data-testid={`grid-shading-${s}`}
              aria-pressed={s === gridShading}
              onClick={() => onGridShading(s)}
            >
              {t(`layers.shading.${s}`)}
            </button>
          ))}
        </div>
      </div>
      <div className="heatmap-window">
        <span className="field-label">{t('heatmap.window')}</span>
        <div className="segmented" role="group" aria-label={t('heatmap.window')}>
          {HEATMAP_WINDOWS.map((w) => (
            <button
              key={w}
              type="button"
              data-testid={`heatmap-window-${w}`}
              aria-pressed={w === heatmapWindow}
              onClick={() => onHeatmapWindow(w)}
            >
              {t(`heatmap.window.${w}`)}
            </button>
          ))}
        </div>
        <p className="field-note">
          {heatmapCount === null ? t('heatmap.loading') : t('heatmap.count', { n: formatNumber(heatmapCount, lang) })}
        </p>
      </div>
    </section>
  );
}
