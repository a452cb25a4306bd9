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

/**
 * Where a role lands when it asked for no page: the wall display on its
 * kiosk view, everyone else on the live map. The gate also sends a wall
 * session that opens `/` here, so a kiosk bookmarked at `/` still shows the wall.
 */
export function homePath(role: string): string {
  return role === 'wall' ? '/wall' : '/';
}

/**
 * Where to go after signing in: the `next` page when one was asked for (as
 * safeNextPath allows it), else the role's home. A wall asked for `/` goes
 * there and is sent on to /wall by the gate.
 */
export function afterSignInPath(raw: string | null | undefined, origin: string, role: string): string {
  return raw ? safeNextPath(raw, origin) : homePath(role);
}
