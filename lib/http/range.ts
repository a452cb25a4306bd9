// One `Range: bytes=…` header against a resource of known size (RFC 9110
// §14): what to answer. Only a single range is served — the `pmtiles`
// library asks for one at a time — and a request for several is answered
// with the whole resource, as the RFC lets a server do.

export type RangeAnswer =
  /** No Range header, another unit, or several ranges: 200 with everything. */
  | { kind: 'full' }
  /** 206 with bytes start..end (both inclusive). */
  | { kind: 'partial'; start: number; end: number }
  /** 416 with `Content-Range: bytes *\/size`: malformed, or nothing of it lies in the resource. */
  | { kind: 'unsatisfiable' };

const SINGLE = /^(\d*)-(\d*)$/;

export function parseRange(header: string | null, size: number): RangeAnswer {
  if (header === null) return { kind: 'full' };
  const m = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!m) return { kind: 'full' };
  const specs = m[1]!.split(',').map((s) => s.trim());
  if (specs.length > 1) return { kind: 'full' };
  const spec = SINGLE.exec(specs[0]!);
  if (!spec || (spec[1] === '' && spec[2] === '')) return { kind: 'unsatisfiable' };
  const [first, last] = [spec[1]!, spec[2]!];
  if (first === '') {
    // bytes=-N: the last N bytes (all of them when N is larger than the resource).
    const suffix = Number(last);
    if (!Number.isSafeInteger(suffix) || suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start >= size) return { kind: 'unsatisfiable' };
  if (last !== '' && Number(last) < start) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}
