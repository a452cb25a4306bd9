// An incident's severity as the coloured bar at the start of a list row: the
// live incident list, the map's incident feed and the time machine's list.
import { SEVERITY_COLORS, rgbaCss } from '@/components/map/palette';
import type { Severity } from '@/lib/model';

/** `className` is added to `sev-bar` (a list's own sizing). Decorative: the row says the severity in words where it matters. */
export function SeverityBar({ severity, className }: { severity: Severity; className?: string }) {
  return <span className={className ? `sev-bar ${className}` : 'sev-bar'} style={{ background: rgbaCss(SEVERITY_COLORS[severity]) }} aria-hidden="true" />;
}
