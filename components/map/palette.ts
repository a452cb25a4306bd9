// Colours and sizes shared by the map layers and the legend, so the legend can
// never disagree with the map. RGBA 0–255.
import type { CheckpointState, ForceType, KeyLocationCategory, Severity } from '@/lib/model';

export type Rgba = [r: number, g: number, b: number, a: number];

export const FORCE_COLORS: Readonly<Record<ForceType, Rgba>> = {
  emergency: [239, 68, 68, 255],
  armband: [255, 128, 64, 255],
  motorcycle: [168, 122, 255, 255],
  militia: [244, 114, 182, 255],
  grid_worker: [45, 212, 191, 255],
};

/** A unit whose last fix is older than STALE_AFTER_MS: grey, half transparent. */
export const STALE_UNIT_COLOR: Rgba = [128, 136, 150, 150];
export const UNIT_OUTLINE_COLOR: Rgba = [8, 12, 18, 230];
export const STALE_UNIT_OUTLINE_COLOR: Rgba = [8, 12, 18, 120];
/** An offline unit (the wall): a hollow ring in this grey, unlike a stale unit's grey disc. */
export const OFFLINE_UNIT_LINE_COLOR: Rgba = [170, 178, 190, 235];
export const UNIT_RADIUS_PX = 6.5;
/** A committed team's ring, by its status: amber while sent or on the way, sky blue on scene. */
export const BUSY_UNIT_RING_COLORS: Readonly<Record<'dispatched' | 'en_route' | 'on_scene', Rgba>> = {
  dispatched: [251, 191, 36, 255],
  en_route: [251, 191, 36, 255],
  on_scene: [56, 189, 248, 255],
};
/** Where a new incident is about to be reported (pick mode / the form). */
export const DRAFT_INCIDENT_COLOR: Rgba = [255, 255, 255, 255];
export const DRAFT_INCIDENT_OUTLINE_COLOR: Rgba = [14, 165, 233, 255];
export const SELECTED_OUTLINE_COLOR: Rgba = [255, 255, 255, 255];

export const SEVERITY_COLORS: Readonly<Record<Severity, Rgba>> = {
  1: [96, 165, 250, 255],
  2: [250, 204, 21, 255],
  3: [251, 146, 60, 255],
  4: [255, 45, 85, 255],
};
export const SEVERITY_RADIUS_PX: Readonly<Record<Severity, number>> = { 1: 6, 2: 7.5, 3: 9, 4: 11 };
export const INCIDENT_OUTLINE_COLOR: Rgba = [255, 255, 255, 235];
/** Resolved and closed incidents stay on the map, hollow and quiet. */
export const DONE_INCIDENT_FILL_ALPHA = 60;

/** Alerts (an SOS above all): pure red with a white rim, bigger than any incident pin, never grey. */
export const ALERT_COLOR: Rgba = [255, 23, 23, 255];
export const ALERT_OUTLINE_COLOR: Rgba = [255, 255, 255, 255];
export const ALERT_RADIUS_PX = 12;

/** Grid fill by open incidents: index = min(count, length − 1). */
export const GRID_LOAD_COLORS: readonly Rgba[] = [
  [56, 189, 248, 12],
  [249, 115, 22, 40],
  [249, 115, 22, 66],
  [239, 68, 68, 84],
  [239, 68, 68, 118],
];
export const GRID_LOAD_LABELS = ['0', '1', '2', '3', '4+'] as const;
/**
 * Grid fill by hours since a patrol last entered the cell (coverage shading):
 * recent is a quiet teal, then amber, orange and red as the gap grows.
 * GRID_COVERAGE_HOURS[i] is the upper bound (exclusive) of step i; the last step is open-ended.
 */
export const GRID_COVERAGE_HOURS: readonly number[] = [2, 6, 12, 24];
export const GRID_COVERAGE_COLORS: readonly Rgba[] = [
  [45, 212, 191, 36],
  [250, 204, 21, 60],
  [249, 115, 22, 84],
  [239, 68, 68, 104],
  [220, 38, 38, 150],
];
/** Never patrolled: a violet no step of the ramp uses, so it cannot be read as "long ago". */
export const GRID_NEVER_PATROLLED_COLOR: Rgba = [168, 85, 247, 130];

export const GRID_LINE_COLOR: Rgba = [125, 211, 252, 150];
export const GRID_SELECTED_LINE_COLOR: Rgba = [255, 255, 255, 240];
export const GRID_HIGHLIGHT_COLOR: Rgba = [125, 211, 252, 50];
export const GRID_LABEL_COLOR: Rgba = [214, 224, 236, 235];
export const LABEL_HALO_COLOR: Rgba = [6, 10, 16, 235];
export const VILLAGE_LABEL_COLOR: Rgba = [248, 250, 252, 255];
/** A unit's position age beside it (the wall); grey once the unit is stale or offline. */
export const UNIT_AGE_LABEL_COLOR: Rgba = [226, 232, 240, 255];
export const STALE_UNIT_AGE_LABEL_COLOR: Rgba = [148, 158, 172, 255];

/** Text sizes in CSS pixels before MapView's labelScale. */
export interface LabelSizes {
  village: number;
  community: number;
  /** A grid label with the code only, and with the code and the name (zoomed in). */
  grid: number;
  gridNamed: number;
  unitAge: number;
}
/**
 * The desk's are today's. The wall's are read from 4 m on a 55-inch 1080p
 * screen (0.63 mm a pixel): the smallest, a unit's age, is 28 px ≈ 18 mm;
 * the wall passes labelScale = viewport height / 1080, so 4K gets 56 px, the
 * same physical size.
 */
export const LABEL_SIZES: Readonly<Record<'desk' | 'wall', LabelSizes>> = {
  desk: { village: 15, community: 17, grid: 12, gridNamed: 13, unitAge: 12 },
  wall: { village: 40, community: 44, grid: 30, gridNamed: 30, unitAge: 28 },
};
/** Markers on the wall are this much bigger than the desk's (before labelScale): seen from across the room. */
export const WALL_MARKER_SCALE = 1.5;
/** Units, incidents and alerts while the live connection is lost: faded, still legible. */
export const DIM_LIVE_OPACITY = 0.35;

/** Low → high dispute density: violet → magenta → orange → yellow, so heat never reads as water. */
export const HEATMAP_COLOR_RANGE: readonly Rgba[] = [
  [72, 30, 130, 110],
  [128, 40, 150, 160],
  [196, 52, 122, 195],
  [236, 92, 70, 220],
  [250, 152, 50, 235],
  [255, 226, 110, 250],
];

export const KEY_LOCATION_COLORS: Readonly<Record<KeyLocationCategory, string>> = {
  government: '#2563eb',
  police: '#1e40af',
  mediation_centre: '#0891b2',
  citizen_centre: '#0d9488',
  health: '#16a34a',
  school: '#d97706',
  market: '#b45309',
  bus_station: '#4f46e5',
  construction: '#a16207',
  hotel: '#7c3aed',
  rental_housing: '#9333ea',
  tea_house: '#4d7c0f',
  entertainment: '#db2777',
  equipment_depot: '#dc2626',
  bridge: '#475569',
};

/** Font stack for deck.gl text: must cover Chinese without any web font. */
export const MAP_FONT_FAMILY =
  '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';

export function rgbaCss([r, g, b, a]: Rgba): string {
  return `rgba(${r}, ${g}, ${b}, ${Math.round((a / 255) * 100) / 100})`;
}

/** A patrol plan's area and route (the live layers and the editor's draft): one blue, opacities per use. */
export const PLAN_BLUE: Rgba = [94, 178, 255, 255];
/** The same colour at another opacity (0–255). */
export const withAlpha = ([r, g, b]: Rgba, a: number): Rgba => [r, g, b, a];

/** Checkpoint colours by state: overdue red, due amber, visited green, upcoming grey-blue, suspended violet. */
export const CHECKPOINT_COLORS: Readonly<Record<CheckpointState, Rgba>> = {
  visited: [46, 204, 113, 255],
  due: [243, 166, 35, 255],
  overdue: [231, 76, 60, 255],
  upcoming: [127, 148, 171, 255],
  suspended: [155, 118, 214, 255],
};
