// The briefing's heatmap snapshot as an ECharts option: the period's dispute
// bins as circles over the grid cells' outlines, on plain value axes in
// degrees (nothing from the internet: no tiles, no registered map). The page
// draws it on canvas (components/briefing/briefing-page.tsx), the PDF as
// server-side SVG (lib/briefing-pdf.ts); both keep the plot's width/height at
// snapshotAspect so a square bin stays square.
import type { EChartsOption } from 'echarts';
import { bt } from './i18n/briefing';
import type { Lang } from './i18n/messages';
import type { BriefingHeatmap } from './model/briefing';

type Extent = { west: number; south: number; east: number; north: number };

/** The cells' box widened to every bin centre shown (a merged bin's centre may lie outside), plus a margin of 4 %. */
export function snapshotExtent(h: BriefingHeatmap): Extent | null {
  const xs = [...h.lon, ...(h.bbox ? [h.bbox[0], h.bbox[2]] : [])];
  const ys = [...h.lat, ...(h.bbox ? [h.bbox[1], h.bbox[3]] : [])];
  if (xs.length === 0) return null;
  const [west, east, south, north] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // A single point still needs a box: about 200 m around it.
  const padX = Math.max((east - west) * 0.04, 0.002);
  const padY = Math.max((north - south) * 0.04, 0.002);
  return { west: west - padX, east: east + padX, south: south - padY, north: north + padY };
}

/** Width over height of the extent on the ground (a degree of longitude is cos(latitude) of a degree of latitude). */
export function snapshotAspect(h: BriefingHeatmap): number {
  const e = snapshotExtent(h);
  if (!e) return 1;
  const midLat = ((e.south + e.north) / 2) * (Math.PI / 180);
  return ((e.east - e.west) * Math.cos(midLat)) / (e.north - e.south);
}

const RING = '#9aa5b1';
const LOW = '#fdd49e';
const HIGH = '#b30000';

/**
 * The chart: outlines as one polyline series, bins as a scatter series whose
 * circle area and colour grow with the count. `maxSymbol` is the largest
 * circle's diameter in pixels. No margins: the container keeps the aspect.
 */
export function snapshotOption(h: BriefingHeatmap, { maxSymbol = 28 }: { maxSymbol?: number } = {}): EChartsOption {
  const e = snapshotExtent(h) ?? { west: 0, east: 1, south: 0, north: 1 };
  const max = Math.max(1, ...h.n);
  return {
    animation: false,
    grid: { left: 0, right: 0, top: 0, bottom: 0 },
    xAxis: { type: 'value', min: e.west, max: e.east, show: false },
    yAxis: { type: 'value', min: e.south, max: e.north, show: false },
    tooltip: { trigger: 'item' },
    visualMap: { show: false, type: 'continuous', min: 0, max, dimension: 2, seriesIndex: 1, inRange: { color: [LOW, HIGH] } },
    series: [
      {
        id: 'cells',
        type: 'lines',
        coordinateSystem: 'cartesian2d',
        polyline: true,
        silent: true,
        lineStyle: { color: RING, width: 0.8, opacity: 1 },
        data: h.outlines.map((ring) => ({ coords: ring })),
      },
      {
        id: 'bins',
        type: 'scatter',
        // Area in proportion to the count: the diameter grows with its square root.
        symbolSize: (v: number[]) => Math.max(4, maxSymbol * Math.sqrt((v[2] ?? 0) / max)),
        itemStyle: { opacity: 0.85, borderColor: '#ffffff', borderWidth: 0.5 },
        // The tooltip gives the count, not the centre's degrees.
        encode: { x: 0, y: 1, tooltip: 2 },
        data: h.lon.map((lon, i) => [lon, h.lat[i] ?? 0, h.n[i] ?? 0]),
      },
    ],
  };
}

/** The lines under the snapshot: bin size and count, what was withheld, what a village's view holds, the legend. */
export function snapshotNotes(h: BriefingHeatmap, lang: Lang, village: boolean): string[] {
  const fill = (text: string, values: Record<string, number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
  const notes = [fill(bt(lang, 'heatmapCaption'), { bin: h.binM, count: h.count })];
  if (h.withheld > 0) notes.push(fill(bt(lang, 'heatmapWithheld'), { withheld: h.withheld, min: h.minCount }));
  if (village) notes.push(bt(lang, 'heatmapVillage'));
  notes.push(bt(lang, 'heatmapLegend'));
  return notes;
}
