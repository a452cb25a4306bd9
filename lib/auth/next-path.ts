/**
 * Where to send the browser after signing in, from the untrusted `next`
 * query value: only a path on our own origin, as the URL parser (not a
 * string test) sees it. The parser drops tabs and newlines anywhere and reads
 * `\` as `/`, so `/\evil.example/` and `/<TAB>/evil.example/` are other sites
 * although they start with one slash. Anything else becomes `/`.
 */
export function safeNextPath(raw: string | null | undefined, origin: string): string {
  const own = parse(origin)?.origin;
  const url = raw ? parse(raw, own) : null;
  if (!own || !url || url.origin !== own) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A pathname can itself start with `//` (`/.//evil.example`), which a browser
  // would read as another host: keep only a path that resolves back to the same URL.
  return parse(path, own)?.href === url.href ? path : '/';
}

function parse(input: string, base?: string): URL | null {
  try {
    return new URL(input, base);
  } catch {
    // Not a URL (e.g. `https://[::1`, or `//` with no host): nowhere to go.
    return null;
  }
}
