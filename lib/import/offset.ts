// "This layer looks offset": coordinates copied from a Chinese web map are
// shifted by the GCJ-02 (Amap, Tencent) or BD-09 (Baidu) offset — a few
// hundred metres, varying over the country — and imported as WGS-84 they sit
// beside everything else. The preview reads the layer again as each other
// datum and asks PostGIS how well each reading fits what is stored
// (db/import.ts: measureLayerFit); these pure functions make the readings and
// judge the fits. Also right the other way round: a WGS-84 file wrongly
// converted from GCJ-02 fits better read as WGS-84.
import type { Geometry, Position } from 'geojson';
import gcoord, { type CRSTypes } from 'gcoord';
import { mapPositions, positionsOf } from './geometry';
import { SOURCE_DATUMS, type SourceDatum } from './types';

const GCOORD: Record<SourceDatum, CRSTypes> = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 };

/**
 * A geometry converted to WGS-84 as if `assumed` were its source datum, read
 * again as converted from `actual` instead: back to the file's coordinates,
 * then to WGS-84 from `actual`.
 */
export function reinterpretDatum(geometry: Geometry, assumed: SourceDatum, actual: SourceDatum): Geometry {
  if (assumed === actual) return geometry;
  return mapPositions(geometry, (p: Position): Position => {
    const xy: [number, number] = [p[0]!, p[1]!];
    const original = assumed === 'wgs84' ? xy : gcoord.transform(xy, GCOORD.wgs84, GCOORD[assumed]);
    const [lon, lat] = actual === 'wgs84' ? original : gcoord.transform(original, GCOORD[actual], GCOORD.wgs84);
    return [lon, lat, ...p.slice(2)];
  });
}

/** The other datums a layer read as `assumed` could really be in. */
export const otherDatums = (assumed: SourceDatum): SourceDatum[] => SOURCE_DATUMS.filter((d) => d !== assumed);

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle metres between two [lon, lat] positions (haversine: ample for a shift of hundreds of metres). */
function metres(a: Position, b: Position): number {
  const rad = Math.PI / 180;
  const dLat = (b[1]! - a[1]!) * rad;
  const dLon = (b[0]! - a[0]!) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1]! * rad) * Math.cos(b[1]! * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(h));
}

/** How far reading the layer as `actual` moves it: at its first position (the offset varies by metres over a township). */
export function datumShiftM(geometries: readonly Geometry[], assumed: SourceDatum, actual: SourceDatum): number {
  const first = geometries.map((g) => positionsOf(g)[0]).find((p) => p !== undefined);
  if (!first) return 0;
  const moved = positionsOf(reinterpretDatum({ type: 'Point', coordinates: first }, assumed, actual))[0]!;
  return metres(first, moved);
}

/** A layer's fit against what is stored (db/import.ts: LayerFit). */
export interface Fit {
  share: number | null;
  matched: number;
  medianM: number | null;
}

/**
 * Matched features this close (median) already fit what is stored: a file
 * exported again, or a boundary redrawn a little. Web-map offsets are 100 m
 * and more everywhere in China.
 */
export const FITS_ALREADY_M = 50;
/** The other reading must bring matched features at least this many times closer. */
export const CLOSER_FACTOR = 3;
/** Below this share outside the reference, being outside is normal: a road leaving the township, a boundary drawn a little wide. */
export const OUTSIDE_NOTICED = 0.02;
/** The other reading must leave at most this fraction of what lay outside. */
export const OUTSIDE_FACTOR = 0.5;

/**
 * Whether `other` (the layer read as another datum) fits what is stored much
 * better than `asRead`. Matched features decide when there are any (a
 * re-import: the same cells, the same boundary); otherwise the share inside
 * the reference does.
 */
export function fitsBetter(asRead: Fit, other: Fit): boolean {
  if (asRead.matched > 0 && asRead.medianM !== null && other.medianM !== null) {
    return asRead.medianM >= FITS_ALREADY_M && other.medianM * CLOSER_FACTOR <= asRead.medianM;
  }
  if (asRead.share === null || other.share === null) return false;
  const outside = 1 - asRead.share;
  return outside >= OUTSIDE_NOTICED && 1 - other.share <= outside * OUTSIDE_FACTOR;
}

/** Of the readings that fit much better, the best (closest matches, else the largest share inside); null when none does. */
export function bestReading<D>(asRead: Fit, others: readonly { datum: D; fit: Fit }[]): { datum: D; fit: Fit } | null {
  const better = others.filter((o) => fitsBetter(asRead, o.fit));
  const score = (f: Fit) => (f.medianM !== null && asRead.medianM !== null ? -f.medianM : (f.share ?? 0));
  return better.reduce<{ datum: D; fit: Fit } | null>((best, o) => (best === null || score(o.fit) > score(best.fit) ? o : best), null);
}
