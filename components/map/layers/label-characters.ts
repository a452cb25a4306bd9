// The characters a text layer may draw, worked out once for its data and
// language. deck.gl's `characterSet: 'auto'` takes the characters of the texts
// drawn now, so a text with one not seen before draws the font atlas again:
// the grid labels gaining their names when the wall cuts to a closer view
// drew every new glyph's SDF on a canvas in the cut's frame (55 ms, measured
// in bench:wall:load). A set that covers every text the layer may draw gives
// the atlas its glyphs with the layer's first draw, and a string that stays
// equal while the data does leaves deck.gl's atlas alone when a text changes.

/** Every character of the texts, once each, sorted (deck.gl splits texts by code point: so is each character here). */
export function charactersOf(texts: Iterable<string>): string {
  const chars = new Set<string>();
  for (const text of texts) for (const c of text) chars.add(c);
  return [...chars].sort().join('');
}

/** Per data array, per language: the layers are rebuilt with every batch of fixes, their data far more rarely. */
const memo = new WeakMap<object, Map<string, string>>();

/** charactersOf(texts()) for this data array and key, worked out once while the array is alive. */
export function charactersFor(data: object, key: string, texts: () => Iterable<string>): string {
  let byKey = memo.get(data);
  if (!byKey) {
    byKey = new Map();
    memo.set(data, byKey);
  }
  let chars = byKey.get(key);
  if (chars === undefined) {
    chars = charactersOf(texts());
    byKey.set(key, chars);
  }
  return chars;
}
