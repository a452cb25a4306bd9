import { ScatterplotLayer } from '@deck.gl/layers';
import type { LonLat } from '@/lib/model';

type Rgb = readonly [number, number, number] | readonly [number, number, number, number];

/**
 * The spreading ring drawn under new incidents and open alerts: unpickable,
 * stroked only, its radius and opacity driven by the animation phase so the
 * builders stay pure (phase in, layer out).
 */
export function pulseRingLayer<T extends { position: LonLat }>({
  id,
  data,
  visible = true,
  phase,
  maxAlpha,
  lineWidth,
  radius,
  color,
}: {
  id: string;
  data: T[];
  visible?: boolean;
  phase: number;
  maxAlpha: number;
  lineWidth: number;
  radius: (d: T) => number;
  color: (d: T) => Rgb;
}): ScatterplotLayer<T> {
  const fade = Math.round(maxAlpha * (1 - phase));
  return new ScatterplotLayer<T>({
    id,
    data,
    visible,
    pickable: false,
    filled: false,
    stroked: true,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    getPosition: (d) => d.position,
    getRadius: radius,
    getLineColor: (d) => {
      const [r, g, b] = color(d);
      return [r, g, b, fade];
    },
    getLineWidth: lineWidth,
    updateTriggers: { getRadius: phase, getLineColor: phase },
  });
}
