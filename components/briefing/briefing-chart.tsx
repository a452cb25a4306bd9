'use client';
// One ECharts chart of the briefing, drawn in the browser (canvas), with its
// PNG export (getDataURL). Loaded only on the client (briefing-page.tsx).
import * as echarts from 'echarts';
import { useEffect, useRef, type CSSProperties, type ReactNode } from 'react';
import { downloadUrl } from './briefing-download';

export interface BriefingChartProps {
  id: string;
  title: string;
  option: echarts.EChartsOption;
  pngLabel: string;
  fileStem: string;
  height?: number;
  /** Width over height to keep (a map-like chart): the chart is then `height` tall at most, as wide as that allows. */
  aspect?: number;
  /** Shown under the chart (notes, a legend), part of the figure. */
  children?: ReactNode;
  /** Attributes for tests and readers: what the chart shows, as data-* on the figure. */
  data?: Record<`data-${string}`, string | number>;
}

export default function BriefingChart({ id, title, option, pngLabel, fileStem, height = 260, aspect, children, data }: BriefingChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, null, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ animation: false, ...option }, { notMerge: true });
  }, [option]);

  const png = () => {
    const c = chart.current;
    if (c) downloadUrl(c.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' }), `${fileStem}-${id}.png`);
  };

  return (
    <figure className="briefing-chart" data-testid={`chart-${id}`} {...data}>
      <figcaption>
        <span>{title}</span>
        <button type="button" className="briefing-export no-print" data-testid={`png-${id}`} onClick={png}>
          {pngLabel}
        </button>
      </figcaption>
      <div ref={el} className="briefing-chart-canvas" style={canvasStyle(height, aspect)} />
      {children}
    </figure>
  );
}

/** A fixed height, or for a kept aspect a width of at most `height × aspect` and the height that follows from it. */
function canvasStyle(height: number, aspect: number | undefined): CSSProperties {
  if (aspect === undefined) return { height };
  return { width: `min(100%, ${Math.round(height * aspect)}px)`, aspectRatio: String(aspect), margin: '0 auto' };
}
