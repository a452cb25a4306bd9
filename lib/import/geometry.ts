// Coordinates of imported features: the shape of GeoJSON geometry read
// without trusting it, one walk over every position, and the conversions to
// WGS-84 longitude / latitude (projected systems with proj4, the GCJ-02 and
// BD-09 offsets of Chinese web maps with gcoord).
import type { Geometry, MultiLineString, MultiPoint, MultiPolygon, Position } from 'geojson';
import gcoord from 'gcoord';
import proj4 from 'proj4';
import type { ImportFeature, ImportProblem, SourceDatum } from './types';

/** Calls `fn` with every position of a geometry, replacing each with what `fn` returns. */
export function mapPositions(geometry: Geometry, fn: (p: Position) => Position): Geometry {
  switch (geometry.type) {
    case 'Point':
      return { ...geometry, coordinates: fn(geometry.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { ...geometry, coordinates: geometry.coordinates.map(fn) };
    case 'MultiLineString':
    case 'Polygon':
      return { ...geometry, coordinates: geometry.coordinates.map((line) => line.map(fn)) };
    case 'MultiPolygon':
      return { ...geometry, coordinates: geometry.coordinates.map((poly) => poly.map((ring) => ring.map(fn))) };
    case 'GeometryCollection':
      return { ...geometry, geometries: geometry.geometries.map((g) => mapPositions(g, fn)) };
  }
}

export function positionsOf(geometry: Geometry): Position[] {
  const out: Position[] = [];
  mapPositions(geometry, (p) => {
    out.push(p);
    return p;
  });
  return out;
}

const isPosition = (v: unknown): v is Position =>
  Array.isArray(v) && v.length >= 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n));
const isArrayOf = (v: unknown, item: (x: unknown) => boolean): boolean => Array.isArray(v) && v.every(item);

const COORDINATE_DEPTH: Record<string, number> = {
  Point: 0,
  MultiPoint: 1,
  LineString: 1,
  MultiLineString: 2,
  Polygon: 2,
  MultiPolygon: 3,
};

function coordinatesHaveDepth(v: unknown, depth: number): boolean {
  return depth === 0 ? isPosition(v) : isArrayOf(v, (x) => coordinatesHaveDepth(x, depth - 1));
}

/**
 * Why a GeoJSON geometry from an uploaded file cannot be used, or null when
 * its shape is right (type known, coordinates nested to the type's depth,
 * every position two or three finite numbers). Whether rings close or
 * polygons self-intersect is PostGIS's question, asked later.
 */
export function geometryShapeError(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'the geometry is not an object';
  const g = value as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  if (g.type === 'GeometryCollection') {
    if (!Array.isArray(g.geometries)) return 'the GeometryCollection has no list of geometries';
    for (const member of g.geometries) {
      const why = geometryShapeError(member);
      if (why) return why;
    }
    return null;
  }
  if (typeof g.type !== 'string' || !(g.type in COORDINATE_DEPTH)) return `“${String(g.type)}” is not a GeoJSON geometry type`;
  if (!coordinatesHaveDepth(g.coordinates, COORDINATE_DEPTH[g.type]!)) return `the ${g.type}'s coordinates are not lists of numbers as GeoJSON requires`;
  return null;
}

/**
 * A GeometryCollection whose members are all polygons (or all lines, or all
 * points) as one Multi* geometry: KML's MultiGeometry arrives as a
 * collection, and a grid cell in two parts is a MultiPolygon to PostGIS.
 */
export function mergeCollection(geometry: Geometry): Geometry {
  if (geometry.type !== 'GeometryCollection' || geometry.geometries.length === 0) return geometry;
  const parts = geometry.geometries.map(mergeCollection);
  const polygons: MultiPolygon['coordinates'] = [];
  const lines: MultiLineString['coordinates'] = [];
  const points: MultiPoint['coordinates'] = [];
  for (const g of parts) {
    if (g.type === 'Polygon') polygons.push(g.coordinates);
    else if (g.type === 'MultiPolygon') polygons.push(...g.coordinates);
    else if (g.type === 'LineString') lines.push(g.coordinates);
    else if (g.type === 'MultiLineString') lines.push(...g.coordinates);
    else if (g.type === 'Point') points.push(g.coordinates);
    else if (g.type === 'MultiPoint') points.push(...g.coordinates);
    else return geometry; // a nested mixed collection stays as it is
  }
  const kinds = [polygons, lines, points].filter((list) => list.length > 0).length;
  if (kinds !== 1) return geometry;
  if (polygons.length) return { type: 'MultiPolygon', coordinates: polygons };
  if (lines.length) return { type: 'MultiLineString', coordinates: lines };
  return { type: 'MultiPoint', coordinates: points };
}

const GCOORD_FROM = { gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/** A layer from GCJ-02 or BD-09 as WGS-84 (new geometries; the input is not changed); WGS-84 passes through. */
export function convertDatum(features: ImportFeature[], datum: SourceDatum): ImportFeature[] {
  if (datum === 'wgs84') return features;
  const from = GCOORD_FROM[datum];
  const convert = (p: Position): Position => {
    const [lon, lat] = gcoord.transform([p[0]!, p[1]!], from, gcoord.WGS84);
    return [lon, lat, ...p.slice(2)];
  };
  return features.map((f) => (f.geometry ? { ...f, geometry: mapPositions(f.geometry, convert) } : f));
}

/** A coordinate system read from WKT (a .prj) or an EPSG code, ready to turn its coordinates into longitude / latitude. */
export interface Projection {
  name: string;
  /** The WKT's DATUM name ('D_China_2000', 'D_Beijing_1954', …) when nothing shifts it to WGS-84, else null. */
  datum: string | null;
  /** False for a geographic system (GEOGCS): its coordinates are longitude / latitude already. */
  projected: boolean;
  toWgs84: (p: Position) => Position;
}

const wktName = (wkt: string): string | null => /^\s*(?:PROJCS|PROJCRS|GEOGCS|GEOGCRS|GEODCRS)\s*\[\s*"([^"]*)"/i.exec(wkt)?.[1] ?? null;
const wktDatum = (wkt: string): string | null => /\bDATUM\s*\[\s*"([^"]*)"/i.exec(wkt)?.[1] ?? null;

/**
 * True for a datum that is WGS-84 to within centimetres (WGS 84, CGCS2000,
 * GRS 1980 / ITRF realisations), or an unnamed one. Beijing 1954 and Xi'an
 * 1980 are not: proj4 has no shift for them, so they pass through unshifted
 * and the caller warns.
 */
export const isWgs84Like = (datum: string | null): boolean => datum === null || /WGS.?(19)?84|China.?2000|CGCS.?2000|GRS.?(19)?80|ITRF/i.test(datum);

/**
 * Reads a .prj's WKT. Geographic systems (WGS-84, CGCS2000, …) are taken as
 * longitude / latitude without a shift; projected ones get a proj4 converter.
 * Returns null when proj4 cannot read it: the caller refuses rather than guesses.
 */
export function readProjection(definition: string): Projection | null {
  const text = definition.replace(/^\uFEFF/, '').trim();
  if (/^\s*(?:GEOGCS|GEOGCRS|GEODCRS)\s*\[/i.test(text)) {
    return { name: wktName(text) ?? 'geographic', datum: wktDatum(text), projected: false, toWgs84: (p) => p };
  }
  // A TOWGS84 clause gives proj4 the datum shift, so that datum is taken care of.
  return projected(text, wktName(text) ?? text, /\bTOWGS84\s*\[/i.test(text) ? null : wktDatum(text));
}

function projected(definition: string, name: string, datum: string | null): Projection | null {
  try {
    const converter = proj4(definition, 'EPSG:4326');
    return {
      name,
      datum,
      projected: true,
      toWgs84: (p) => {
        const [lon, lat] = converter.forward([p[0]!, p[1]!]);
        return [lon!, lat!, ...p.slice(2)];
      },
    };
  } catch {
    // proj4 throws (sometimes a bare undefined) on a definition it cannot parse; null is the answer
    return null;
  }
}

/**
 * The EPSG codes a Chinese GeoJSON export names in its `crs`: geographic
 * WGS-84 / CGCS2000, Web Mercator, and the 64 CGCS2000 Gauss–Krüger systems
 * (EPSG:4491–4554; their parameters follow the zone number, so they are
 * built here rather than listed). Null for a code not known here.
 */
export function projectionForEpsg(code: number): Projection | null {
  const name = `EPSG:${code}`;
  if (code === 4326 || code === 4490) return { name, datum: null, projected: false, toWgs84: (p) => p };
  if (code === 3857 || code === 900913 || code === 102100) return projected('EPSG:3857', name, null);
  const gk = (centralMeridian: number, falseEasting: number) =>
    projected(`+proj=tmerc +lat_0=0 +lon_0=${centralMeridian} +k=1 +x_0=${falseEasting} +y_0=0 +ellps=GRS80 +units=m +no_defs`, name, null);
  // 6-degree zones 13–23, easting prefixed with the zone number.
  if (code >= 4491 && code <= 4501) return gk((code - 4491 + 13) * 6 - 3, (code - 4491 + 13) * 1e6 + 500_000);
  // 6-degree, central meridians 75°E…135°E, no prefix.
  if (code >= 4502 && code <= 4512) return gk(75 + (code - 4502) * 6, 500_000);
  // 3-degree zones 25–45, easting prefixed with the zone number.
  if (code >= 4513 && code <= 4533) return gk((code - 4513 + 25) * 3, (code - 4513 + 25) * 1e6 + 500_000);
  // 3-degree, central meridians 75°E…135°E, no prefix.
  if (code >= 4534 && code <= 4554) return gk(75 + (code - 4534) * 3, 500_000);
  return null;
}

export const reproject = (features: ImportFeature[], projection: Projection): ImportFeature[] =>
  features.map((f) => (f.geometry ? { ...f, geometry: mapPositions(f.geometry, projection.toWgs84) } : f));

const inRange = (p: Position): boolean =>
  Number.isFinite(p[0]) && Number.isFinite(p[1]) && p[0]! >= -180 && p[0]! <= 180 && p[1]! >= -90 && p[1]! <= 90;

const fmt = (n: number | undefined) => (n === undefined ? '?' : Number.isFinite(n) ? String(Math.round(n * 1e6) / 1e6) : String(n));

/** One error per feature with a position outside longitude −180…180 / latitude −90…90 (after any conversion). */
export function rangeProblems(features: ImportFeature[], hint: string): ImportProblem[] {
  const out: ImportProblem[] = [];
  features.forEach((f, i) => {
    if (!f.geometry) return;
    const bad = positionsOf(f.geometry).find((p) => !inRange(p));
    if (!bad) return;
    out.push({
      code: 'coordinates_out_of_range',
      severity: 'error',
      feature: i,
      message: `Feature ${i + 1} has a point at (${fmt(bad[0])}, ${fmt(bad[1])}), outside longitude −180…180 / latitude −90…90.${hint ? ` ${hint}` : ''}`,
    });
  });
  return out;
}
