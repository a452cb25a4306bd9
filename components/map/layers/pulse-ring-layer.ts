import { ScatterplotLayer } from '@deck.gl/layers';
import type { LonLat } from '@/lib/model';

type Rgb = readonly [number, number, number] | readonly [number, number, number, number];

/** Rings that have stopped pulsing (the wall after its pulse time, or reduced motion): fixed, opaque and bold. */
export interface StillRings<T> {
  isStill: (d: T) => boolean;
  radius: (d: T) => number;
  lineWidth: number;
  /** Changes whenever isStill's answers may: recomputes the accessors. */
  key: string;
}

/**
 * The spreading ring drawn under new incidents and open alerts: unpickable,
 * stroked only, its radius and opacity driven by the animation phase so the
 * builders stay pure (phase in, layer out). Rings `still` says have stopped
 * keep one radius and full opacity, with a bolder line.
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
  still,
}: {
  id: string;
  data: T[];
  visible?: boolean;
  phase: number;
  maxAlpha: number;
  lineWidth: number;
  radius: (d: T) => number;
  color: (d: T) => Rgb;
  still?: StillRings<T>;
}): ScatterplotLayer<T> {
  const fade = Math.round(maxAlpha * (1 - phase));
  const isStill = (d: T) => still?.isStill(d) ?? false;
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
    getRadius: (d) => (still && isStill(d) ? still.radius(d) : radius(d)),
    getLineColor: (d) => {
      const [r, g, b] = color(d);
      return [r, g, b, isStill(d) ? 255 : fade];
    },
    getLineWidth: still ? (d) => (isStill(d) ? still.lineWidth : lineWidth) : lineWidth,
    updateTriggers: { getRadius: [phase, still?.key], getLineColor: [phase, still?.key], getLineWidth: still?.key },
  });
}
