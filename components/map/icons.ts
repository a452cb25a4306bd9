// Map icons as inline SVG data URLs (no network, no sprite build step).
// deck.gl's IconLayer packs them into an atlas by `id`. Keep the SVG ASCII:
// loaders.gl base64-encodes it with btoa().
import type { KeyLocationCategory } from '@/lib/model';
import { KEY_LOCATION_COLORS } from './palette';

export interface IconDef {
  url: string;
  width: number;
  height: number;
  id: string;
  mask?: boolean;
  anchorX?: number;
  anchorY?: number;
}

function svgUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** White glyphs drawn inside a 48×48 badge. */
const GLYPHS: Record<KeyLocationCategory, string> = {
  government:
    '<path d="M11 20 L24 11 L37 20 Z"/><rect x="13.5" y="22" width="4.5" height="10"/><rect x="21.75" y="22" width="4.5" height="10"/><rect x="30" y="22" width="4.5" height="10"/><rect x="11" y="33" width="26" height="3.5"/>',
  police: '<path d="M24 10 L36 14.5 V23 C36 30 31 35 24 38 C17 35 12 30 12 23 V14.5 Z"/>',
  mediation_centre:
    '<path d="M10 13 H26 Q29 13 29 16 V24 Q29 27 26 27 H17 L12 31 V27 Q10 27 10 24 V16 Q10 13 13 13 Z"/><path d="M32 19 H35 Q38 19 38 22 V30 Q38 33 35 33 V36 L31 33 H23 Q20 33 20 30 V29.5 H27 Q31.5 29.5 31.5 25 V19 Z"/>',
  citizen_centre:
    '<circle cx="24" cy="17" r="6"/><path d="M12 37 C12 29 17.5 25.5 24 25.5 C30.5 25.5 36 29 36 37 Z"/>',
  health: '<rect x="20" y="11" width="8" height="26" rx="1"/><rect x="11" y="20" width="26" height="8" rx="1"/>',
  school:
    '<path d="M24 12 L39 19.5 L24 27 L9 19.5 Z"/><path d="M15.5 24 V30.5 C15.5 34.5 32.5 34.5 32.5 30.5 V24 L24 28.5 Z"/><rect x="36" y="20" width="2" height="10"/>',
  market:
    '<path d="M11 12 H37 L39 20 Q39 23 35.5 23 Q32 23 32 20 Q32 23 28 23 Q24 23 24 20 Q24 23 20 23 Q16 23 16 20 Q16 23 12.5 23 Q9 23 9 20 Z"/><path d="M12 25 H36 V37 H27 V29 H21 V37 H12 Z"/>',
  bus_station:
    '<path d="M16 10 H32 Q36 10 36 14 V33 H12 V14 Q12 10 16 10 Z M15 14 V23 H33 V14 Z"/><rect x="13" y="33" width="5" height="4" rx="1"/><rect x="30" y="33" width="5" height="4" rx="1"/>',
  construction:
    '<path d="M13 31 C13 22 17.5 16.5 24 16.5 C30.5 16.5 35 22 35 31 Z"/><rect x="22" y="13" width="4" height="8" rx="1"/><rect x="10" y="32" width="28" height="4" rx="1.5"/>',
  hotel:
    '<path d="M10 36 V13 H14 V26 H35 Q38 26 38 29 V36 H34.5 V32 H13.5 V36 Z"/><circle cx="19.5" cy="21.5" r="3.5"/><path d="M25 18 H33 Q36 18 36 21 V24 H25 Z"/>',
  rental_housing: '<path d="M24 10 L38 22 H34 V37 H27 V28 H21 V37 H14 V22 H10 Z"/>',
  tea_house:
    '<path d="M12 19 H32 V26 C32 32.5 28 35.5 22 35.5 C16 35.5 12 32.5 12 26 Z"/><path d="M32 21 H34.5 Q38.5 21 38.5 25 Q38.5 29 34.5 29 H31.5 V26.5 H34.5 Q36 26.5 36 25 Q36 23.5 34.5 23.5 H32 Z"/><rect x="17" y="10" width="2.5" height="6" rx="1.2"/><rect x="23" y="10" width="2.5" height="6" rx="1.2"/>',
  entertainment:
    '<path d="M19 15 L36 11 V30 A4.5 4.5 0 1 1 33 25.8 V17.5 L22 20 V33 A4.5 4.5 0 1 1 19 28.8 Z"/>',
  equipment_depot:
    '<path d="M9 21 L24 12 L39 21 V37 H9 Z M14 24 V37 H34 V24 Z"/><rect x="16" y="26" width="7" height="4.5"/><rect x="25" y="26" width="7" height="4.5"/><rect x="20.5" y="32" width="7" height="4.5"/>',
  bridge:
    '<rect x="7" y="19" width="34" height="3.5"/><path d="M10 34 Q24 17 38 34 H34.5 Q24 23 13.5 34 Z"/><rect x="11" y="12" width="3" height="10"/><rect x="34" y="12" width="3" height="10"/>',
};

function badgeSvg(color: string, glyph: string): string {
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">' +
    '<rect x="3" y="4.5" width="42" height="42" rx="11" fill="#000" fill-opacity="0.35"/>' +
    `<rect x="3" y="3" width="42" height="42" rx="11" fill="${color}" stroke="#ffffff" stroke-width="2.5"/>` +
    `<g fill="#ffffff">${glyph}</g></svg>`
  );
}

const KEY_LOCATION_ICONS = new Map<KeyLocationCategory, IconDef>();

export function keyLocationIcon(category: KeyLocationCategory): IconDef {
  let icon = KEY_LOCATION_ICONS.get(category);
  if (!icon) {
    icon = { id: `kl-${category}`, url: svgUrl(badgeSvg(KEY_LOCATION_COLORS[category], GLYPHS[category])), width: 48, height: 48 };
    KEY_LOCATION_ICONS.set(category, icon);
  }
  return icon;
}

/**
 * A wedge pointing north, drawn under a unit's dot and rotated to its heading;
 * a mask, so getColor paints it in the unit's colour.
 */
export const HEADING_ICON: IconDef = {
  id: 'heading-wedge',
  url: svgUrl(
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><path d="M32 2 L45 27 Q32 21 19 27 Z" fill="#ffffff"/></svg>',
  ),
  width: 64,
  height: 64,
  mask: true,
};
