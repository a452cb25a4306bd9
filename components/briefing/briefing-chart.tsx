'use client';
// One ECharts chart of the briefing, drawn in the browser (canvas), with its
// PNG export (getDataURL). Loaded only on the client (briefing-page.tsx).
import * as echarts from 'echarts';
import { useEffect, useRef } from 'react';
import { downloadUrl } from './briefing-download';

export interface BriefingChartProps {
  id: string;
  title: string;
  option: echarts.EChartsOption;
  pngLabel: string;
  fileStem: string;
  height?: number;
}

export default function BriefingChart({ id, title, option, pngLabel, fileStem, height = 260 }: BriefingChartProps) {
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
    <figure className="briefing-chart" data-testid={`chart-${id}`}>
      <figcaption>
        <span>{title}</span>
        <button type="button" className="briefing-export no-print" data-testid={`png-${id}`} onClick={png}>
          {pngLabel}
        </button>
      </figcaption>
      <div ref={el} className="briefing-chart-canvas" style={{ height }} />
    </figure>
  );
}
