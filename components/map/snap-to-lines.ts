// Snapping a drawn point to the nearest road (the plan editor's route, issue
// 14): the closest point on any segment of the given lines within `maxM`
// metres, or the point itself when none is that close. The lines are the
// offline basemap's roads and tracks (GET /api/basemap), so it works with no
// network; without roads there is nothing to snap to. Pure; distances on a
// local flat projection around the point (exact enough at tens of metres).
import type { LonLat } from '@/lib/model';

const M_PER_DEG = (Math.PI * 6_371_008.8) / 180;

export interface SnapResult {
  point: LonLat;
  /** Metres moved (0 when not snapped). */
  movedM: number;
  snapped: boolean;
}

export function snapToLines(p: LonLat, lines: readonly (readonly LonLat[])[], maxM: number): SnapResult {
  const kx = M_PER_DEG * Math.cos((p[1] * Math.PI) / 180);
  const toXY = (q: LonLat): [number, number] => [(q[0] - p[0]) * kx, (q[1] - p[1]) * M_PER_DEG];
  let best: { d2: number; x: number; y: number } | null = null;
  for (const line of lines) {
    for (let i = 1; i < line.length; i++) {
      const [ax, ay] = toXY(line[i - 1]!);
      const [bx, by] = toXY(line[i]!);
      const dx = bx - ax;
      const dy = by - ay;
      const len2 = dx * dx + dy * dy;
      // The point is the origin: project it onto the segment.
      const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2));
      const x = ax + dx * t;
      const y = ay + dy * t;
      const d2 = x * x + y * y;
      if (best === null || d2 < best.d2) best = { d2, x, y };
    }
  }
  if (best === null || best.d2 > maxM * maxM) return { point: p, movedM: 0, snapped: false };
  return { point: [p[0] + best.x / kx, p[1] + best.y / M_PER_DEG], movedM: Math.sqrt(best.d2), snapped: true };
}
