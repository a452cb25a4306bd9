// The wall's unit ages as pictures: each distinct text, in each colour and
// size, written once with its halo on a canvas at the screen's pixel density
// and handed to deck.gl's IconLayer, which packs it into its atlas the first
// time a unit shows it. There are only ~110 texts per language ("<1 min",
// 1–59 min, 1–47 h, then days). A label is then one quad drawn in one pass.
// The TextLayer drew a quad per character, twice (the halo, then the fill over
// neighbours' halos), through an SDF shader. On a PC drawing WebGL in
// software that was two thirds of the wall's frame under load
// (docs/BENCHMARKS.md, wall layers, 2026-12-03).
import { LABEL_HALO_COLOR, MAP_FONT_FAMILY, type Rgba } from '../palette';

/** The halo around the text, as a share of the font size (28 px: 3.5 px, as the SDF halo drew it). */
const HALO_SHARE = 0.125;
/** The line's height, as a share of the font size, before the halo. */
const LINE_SHARE = 1.2;
const AGE_FONT_WEIGHT = 600;

/** One age picture, as deck.gl's IconLayer takes it (`getIcon`): an id, its picture and where it hangs from. */
export interface AgeLabelImage {
  /** Unique per text, colour, size and pixel density. */
  readonly id: string;
  readonly text: string;
  readonly color: Rgba;
  /** The picture as a data URL (painted on first read). */
  readonly url: string;
  /** Its size in device pixels; `width` is measured on first read. */
  readonly width: number;
  readonly height: number;
  /** The anchor: the text's start (left of the halo), half-way up. */
  readonly anchorX: number;
  readonly anchorY: number;
}

/** How tall an age's picture is drawn, in CSS pixels, at a font size: the IconLayer's `getSize`. */
export function ageLabelHeight(fontPx: number): number {
  return Math.ceil(fontPx * (LINE_SHARE + 2 * HALO_SHARE));
}

function cssColor([r, g, b, a]: Rgba): string {
  return `rgba(${r}, ${g}, ${b}, ${+(a / 255).toFixed(3)})`;
}

function font(fontPx: number, dpr: number): string {
  return `${AGE_FONT_WEIGHT} ${fontPx * dpr}px ${MAP_FONT_FAMILY}`;
}

/** A 2D canvas context: where the page has none (a test in Node), reading a picture's url or width throws. */
function context(width = 1, height = 1): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('no 2D canvas context for the age labels');
  return { canvas, ctx };
}

/**
 * An age's picture. `url` and `width` are own, enumerable getters that paint
 * and measure on first read: the IconLayer reads them (spreading the object)
 * only for a picture it has not packed yet, and layer-building code that runs
 * without a page (unit tests) never paints.
 */
function makeImage(text: string, color: Rgba, fontPx: number, dpr: number): AgeLabelImage {
  const halo = fontPx * HALO_SHARE * dpr;
  const height = Math.ceil(ageLabelHeight(fontPx) * dpr);
  let width: number | null = null;
  let url: string | null = null;
  const measure = (): number => {
    if (width === null) {
      const { ctx } = context();
      ctx.font = font(fontPx, dpr);
      width = Math.ceil(ctx.measureText(text).width + 2 * halo);
    }
    return width;
  };
  const image = { id: `${text}|${color.join(',')}|${fontPx}@${dpr}`, text, color, height, anchorX: Math.round(halo), anchorY: height / 2 };
  Object.defineProperty(image, 'width', { enumerable: true, get: measure });
  Object.defineProperty(image, 'url', {
    enumerable: true,
    get: (): string => {
      if (url === null) {
        const { canvas, ctx } = context(measure(), height);
        ctx.font = font(fontPx, dpr);
        ctx.textBaseline = 'middle';
        ctx.lineJoin = 'round';
        ctx.lineWidth = 2 * halo;
        ctx.strokeStyle = cssColor(LABEL_HALO_COLOR);
        ctx.strokeText(text, halo, height / 2);
        ctx.fillStyle = cssColor(color);
        ctx.fillText(text, halo, height / 2);
        url = canvas.toDataURL();
      }
      return url;
    },
  });
  return image as AgeLabelImage;
}

/**
 * The pictures of one size and density, by colour and text: the wall asks for
 * 2,000 units' pictures at each batch of fixes, with no key string made per unit.
 */
export class AgeLabelImages {
  readonly #byColor = new Map<Rgba, Map<string, AgeLabelImage>>();

  constructor(
    readonly fontPx: number,
    readonly dpr: number,
  ) {}

  get(text: string, color: Rgba): AgeLabelImage {
    let byText = this.#byColor.get(color);
    if (byText === undefined) {
      byText = new Map();
      this.#byColor.set(color, byText);
    }
    let image = byText.get(text);
    if (image === undefined) {
      image = makeImage(text, color, this.fontPx, this.dpr);
      byText.set(text, image);
    }
    return image;
  }
}

const sets = new Map<string, AgeLabelImages>();

/** The pictures for a font size at the screen's pixel density (one set per pair, kept for the page's life). */
export function ageLabelImages(fontPx: number, dpr: number): AgeLabelImages {
  const key = `${fontPx}@${dpr}`;
  let set = sets.get(key);
  if (set === undefined) {
    set = new AgeLabelImages(fontPx, dpr);
    sets.set(key, set);
  }
  return set;
}
