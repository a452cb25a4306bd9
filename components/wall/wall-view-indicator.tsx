'use client';
// Which of the rotating views is on screen, and whether the rotation is held
// by an alert nobody has acknowledged. No progress bar: an animation running
// all day would cost frames for nothing.
import { memo } from 'react';
import { WALL_VIEWS, type WallView } from '@/lib/live/wall-rotation';
import { useI18n } from '@/lib/i18n/i18n-provider';

export interface WallViewIndicatorProps {
  view: WallView;
  rotation: number;
  paused: boolean;
  /** Views with something to show; the others are drawn faint (they are skipped). */
  available: readonly WallView[];
  /** A new incident or SOS has the camera. */
  interrupted: boolean;
}

export const WallViewIndicator = memo(function WallViewIndicator({ view, rotation, paused, available, interrupted }: WallViewIndicatorProps) {
  const { t } = useI18n();
  return (
    <div
      className="wall-view"
      data-testid="wall-view"
      data-view={view}
      data-rotation={rotation}
      data-paused={paused ? 'true' : 'false'}
      data-interrupted={interrupted ? 'true' : undefined}
      aria-label={t('wall.view.label')}
    >
      <ol className="wall-view-list">
        {WALL_VIEWS.map((v) => (
          <li
            key={v}
            className={`wall-view-item ${v === view ? 'wall-view-item--current' : ''} ${available.includes(v) ? '' : 'wall-view-item--empty'}`}
            aria-current={v === view ? 'true' : undefined}
          >
            {t(`wall.view.${v}`)}
          </li>
        ))}
      </ol>
      {paused && <span className="wall-view-paused">{t('wall.paused')}</span>}
    </div>
  );
});
