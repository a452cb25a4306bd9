// What the import preview's map draws (issue 12): the file's features, each
// marked with the worst problem about it (both cells of an overlap), the
// gaps between grid cells as points, and the box to fit. Pure: the map
// component and its unit test share it.
import type { Feature, FeatureCollection, Geometry, Point, Position } from 'geojson';
import type { ImportProblem, ImportReport, PreviewFeatureProps } from '@/lib/import/types';

export type PreviewStatus = 'ok' | 'warning' | 'error';

export type PreviewMapFeatureProps = PreviewFeatureProps & { status: PreviewStatus };

export interface PreviewMapData {
  features: FeatureCollection<Geometry, PreviewMapFeatureProps>;
  /** grid_gap: a point inside each gap, with its area. */
  gaps: FeatureCollection<Point, { areaM2: number }>;
  /** [west, south, east, north] of everything drawn; null when there is nothing. */
  bbox: [west: number, south: number, east: number, north: number] | null;
  /** How many drawn features carry an error or a warning. */
  flagged: number;
}

const RANK: Record<PreviewStatus, number> = { ok: 0, warning: 1, error: 2 };

/** The feature indexes a problem is about: its own, and for an overlap both cells (by code, or `#n` when a cell has none). */
function problemIndexes(p: ImportProblem, byCode: ReadonlyMap<string, number>): number[] {
  const out = p.feature === undefined ? [] : [p.feature];
  for (const code of p.codes ?? []) {
    const n = /^#(\d+)$/.exec(code);
    const i = byCode.get(code) ?? (n ? Number(n[1]) - 1 : undefined);
    if (i !== undefined && !out.includes(i)) out.push(i);
  }
  return out;
}

function eachPosition(g: Geometry, fn: (p: Position) => void): void {
  switch (g.type) {
    case 'Point':
      return fn(g.coordinates);
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates.forEach(fn);
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.forEach((line) => line.forEach(fn));
    case 'MultiPolygon':
      return g.coordinates.forEach((polygon) => polygon.forEach((ring) => ring.forEach(fn)));
    case 'GeometryCollection':
      return g.geometries.forEach((child) => eachPosition(child, fn));
  }
}

export function previewMapData(report: Pick<ImportReport, 'preview' | 'problems'>): PreviewMapData {
  const byCode = new Map<string, number>();
  for (const f of report.preview.features) if (f.properties.code !== null) byCode.set(f.properties.code, f.properties.index);

  const status = new Map<number, PreviewStatus>();
  for (const p of report.problems) {
    const s: PreviewStatus = p.severity === 'error' ? 'error' : 'warning';
    for (const i of problemIndexes(p, byCode)) if (RANK[s] > RANK[status.get(i) ?? 'ok']) status.set(i, s);
  }

  const features = report.preview.features.map(
    (f): Feature<Geometry, PreviewMapFeatureProps> => ({ ...f, properties: { ...f.properties, status: status.get(f.properties.index) ?? 'ok' } }),
  );
  const gaps = report.problems.flatMap((p): Feature<Point, { areaM2: number }>[] =>
    p.code === 'grid_gap' && p.at ? [{ type: 'Feature', geometry: { type: 'Point', coordinates: p.at }, properties: { areaM2: p.areaM2 ?? 0 } }] : [],
  );

  let bbox: PreviewMapData['bbox'] = null;
  const grow = (p: Position) => {
    const [x, y] = p as [number, number];
    bbox = bbox ? [Math.min(bbox[0], x), Math.min(bbox[1], y), Math.max(bbox[2], x), Math.max(bbox[3], y)] : [x, y, x, y];
  };
  for (const f of features) eachPosition(f.geometry, grow);
  for (const g of gaps) grow(g.geometry.coordinates);

  return {
    features: { type: 'FeatureCollection', features },
    gaps: { type: 'FeatureCollection', features: gaps },
    bbox,
    flagged: features.filter((f) => f.properties.status !== 'ok').length,
  };
}
