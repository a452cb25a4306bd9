// The request target as the gate sees it, and its canonical form. The gate
// decides on a path; Next routes on its own normal form of that path (dot
// segments resolved, `\` read as `/`, percent-escapes decoded). If the two
// differ, a permission check on one protects nothing on the other — so the
// gate lets only paths already in canonical form through, and for those the
// path it checks is the path Next routes (tests/unit/request-target.test.ts).

export type RequestTarget =
  /** `*` (only meaningful for OPTIONS). */
  | { form: 'asterisk' }
  /** Not something we route: an absolute URL, a malformed escape, a control character. */
  | { form: 'invalid'; message: string }
  | {
      form: 'origin';
      /** The path as sent (before `?` or `#`). */
      path: string;
      /** `?…` as sent, or ''. */
      query: string;
      /** The one spelling of `path` we route. */
      canonical: string;
      /** The target had a `#fragment`, which a client must not send. */
      fragment: boolean;
    };

/** Characters that may stand unescaped in a canonical path: RFC 3986 pchar and `/`. */
const PCHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/;
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

export class MalformedPath extends Error {}

/**
 * The canonical spelling of a path: `\` as `/`; escapes of unreserved
 * characters, `/` and `\` decoded, other escapes in upper-case hex, anything
 * else that is not a path character escaped; repeated slashes folded; `.` and
 * `..` segments resolved; no trailing slash (except the root). Throws
 * MalformedPath for a broken or non-UTF-8 escape and for control characters.
 */
export function canonicalPath(path: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch (err) {
    throw new MalformedPath('the path has a malformed percent-escape (a % must start %XX of valid UTF-8)', { cause: err });
  }
  if (CONTROL.test(decoded)) throw new MalformedPath('the path must not contain control characters');
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '%') {
      const hex = path.slice(i + 1, i + 3);
      const ch = String.fromCharCode(parseInt(hex, 16));
      out += UNRESERVED.test(ch) ? ch : ch === '/' || ch === '\\' ? '/' : `%${hex.toUpperCase()}`;
      i += 2;
    } else if (c === '\\') {
      out += '/';
    } else {
      out += PCHAR.test(c) ? c : encodeURIComponent(c);
    }
  }
  const segments: string[] = [];
  for (const s of out.split('/')) {
    if (s === '..') segments.pop();
    else if (s !== '' && s !== '.') segments.push(s);
  }
  return `/${segments.join('/')}`;
}

export function parseRequestTarget(raw: string): RequestTarget {
  if (raw === '*') return { form: 'asterisk' };
  if (!raw.startsWith('/')) {
    return { form: 'invalid', message: 'the request target must be a path starting with "/", not a full URL or authority' };
  }
  const hash = raw.indexOf('#');
  const beforeHash = hash < 0 ? raw : raw.slice(0, hash);
  const q = beforeHash.indexOf('?');
  const path = q < 0 ? beforeHash : beforeHash.slice(0, q);
  const query = q < 0 ? '' : beforeHash.slice(q);
  try {
    return { form: 'origin', path, query, canonical: canonicalPath(path), fragment: hash >= 0 };
  } catch (err) {
    if (err instanceof MalformedPath) return { form: 'invalid', message: err.message };
    throw err;
  }
}

/** Whether a target is in the one form the gate lets through. */
export function isCanonical(t: Extract<RequestTarget, { form: 'origin' }>): boolean {
  return !t.fragment && t.canonical === t.path;
}
