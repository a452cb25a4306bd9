import type { Metadata } from 'next';
import { ReplayPage } from '@/components/replay/replay-page';

export const metadata: Metadata = { title: 'GridSight · 时光回放 Replay' };
export const dynamic = 'force-dynamic';

/** The last hour up to the request: the window when the URL names none. */
function lastHour(): { from: string; to: string } {
  const now = Date.now();
  return { from: new Date(now - 3_600_000).toISOString(), to: new Date(now).toISOString() };
}

const one = (v: string | string[] | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** ?from=&to=&at= (ISO-8601); without a window, the last hour. Decided here, once, so the server's HTML and the browser agree. */
export default async function ReplayRoute({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const q = await searchParams;
  const from = one(q.from);
  const to = one(q.to);
  const valid = from !== undefined && to !== undefined && Date.parse(from) < Date.parse(to);
  const win = valid ? { from, to } : lastHour();
  return <ReplayPage from={win.from} to={win.to} at={one(q.at)} />;
}
