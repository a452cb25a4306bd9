// The previewed features as a compact GeoJSON for the admin page's map preview
// (issue 12): every feature the file holds with a geometry, as WGS-84, with
// the coordinates rounded and only what the page draws and names kept — its
// place in the file (what `ImportProblem.feature` points at), code and name.
// A county's 65 grid cells are a few hundred kilobytes; a road layer of a
// whole county could be tens of megabytes, so past a vertex budget the rest
// is left off and the collection says so.
import type { Feature, Geometry } from 'geojson';
import type { FeatureFields } from './fields';
import { mapPositions, positionsOf } from './geometry';
import type { ImportFeature, PreviewFeatureCollection, PreviewFeatureProps } from './types';

/** 6 decimals of a degree: about 10 cm, finer than any preview is looked at. */
const DECIMALS = 6;
/** About 4 MB of JSON: beyond this the preview map would be slow to send and to draw. */
export const PREVIEW_MAX_VERTICES = 200_000;

const FACTOR = 10 ** DECIMALS;
const round = (n: number): number => Math.round(n * FACTOR) / FACTOR;
const roundGeometry = (g: Geometry): Geometry => mapPositions(g, (p) => [round(p[0]!), round(p[1]!)]);

/**
 * The features with a geometry, in file order, until the vertex budget is
 * spent. `fields` is each feature's code and name as the report names them.
 */
export function previewFeatureCollection(
  features: readonly ImportFeature[],
  fields: readonly (FeatureFields | undefined)[],
  maxVertices: number = PREVIEW_MAX_VERTICES,
): PreviewFeatureCollection {
  const kept: Feature<Geometry, PreviewFeatureProps>[] = [];
  let vertices = 0;
  let omitted = 0;
  features.forEach((f, index) => {
    if (!f.geometry) return;
    const positions = positionsOf(f.geometry);
    // The parser reports coordinates it cannot read; JSON would turn them into nulls the map cannot draw.
    if (!positions.every((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]))) return;
    const n = positions.length;
    if (omitted > 0 || vertices + n > maxVertices) {
      omitted++;
      return;
    }
    vertices += n;
    kept.push({
      type: 'Feature',
      geometry: roundGeometry(f.geometry),
      properties: { index, code: fields[index]?.code ?? null, name: fields[index]?.name ?? null },
    });
  });
  return { type: 'FeatureCollection', features: kept, omitted };
}
