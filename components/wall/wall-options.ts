// The wall's query options: /wall?theme=contrast&sound=on&lang=en. A kiosk
// has no controls, so everything it needs is in its URL. Unknown or malformed
// values fall back to the defaults (a typo must not leave the screen blank).
import { isLang, type Lang } from '@/lib/i18n/messages';

export const WALL_THEMES = ['dark', 'contrast'] as const;
export type WallTheme = (typeof WALL_THEMES)[number];

export interface WallOptions {
  /** `dark` (default) or `contrast`: black, white and saturated colours for washed-out screens and bright rooms. */
  theme: WallTheme;
  /** `sound=on`: a short generated tone when a new incident or SOS interrupts. */
  sound: boolean;
  /** `lang=zh|en`: set the language (kept in the browser, like the desk's switch); null: keep it. */
  lang: Lang | null;
}

type Query = Record<string, string | string[] | undefined>;

/** The first value of a query parameter. */
const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

export function parseWallOptions(q: Query): WallOptions {
  const theme = first(q.theme);
  const lang = first(q.lang);
  return {
    theme: theme === 'contrast' ? 'contrast' : 'dark',
    sound: first(q.sound) === 'on',
    lang: isLang(lang) ? lang : null,
  };
}
