// The bench's devices (bench/wall.ts): every team reporting through
// /ingest/batch as a phone would, each once per period, the requests spread
// evenly over the period so fixes arrive all the time (not in one burst).
// Run as its own process: the job is argv[2] (JSON); it stops on SIGTERM or
// after maxSeconds and prints one JSON line of what it sent.
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../lib/sim/township/prng';
import { percentile } from './stats';

export interface FeedUnit {
  teamId: number;
  lon: number;
  lat: number;
}

export interface FeedJob {
  url: string;
  /** Device secrets are `<token>-<team id>` (bench/wall-server.ts registers them). */
  token: string;
  units: FeedUnit[];
  periodS: number;
  fixesPerRequest: number;
  maxSeconds: number;
}

export interface FeedResult {
  requests: number;
  fixes: number;
  rejectedFixes: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  maxMs: number;
  /** Requests not sent because too many were still waiting for an answer (the server fell behind). */
  skipped: number;
}

interface BatchAnswer {
  accepted?: number;
}

/** One request: a fix for each unit, timed now. Resolves to how many fixes the server did not accept (-1: the request failed). */
export async function postFixes(url: string, token: string, units: readonly FeedUnit[]): Promise<number> {
  const time = Date.now();
  const fixes = units.map((u) => ({ device: `${token}-${u.teamId}`, time, lat: u.lat, lon: u.lon, speed: 1.5, battery: 80 }));
  const res = await fetch(`${url}/ingest/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fixes }) });
  const body = (await res.json().catch(() => ({}))) as BatchAnswer;
  if (!res.ok) return -1;
  return fixes.length - (body.accepted ?? 0);
}

/** Every unit once, in requests of up to 1,000 fixes (the batch limit). */
export async function postAll(url: string, token: string, units: readonly FeedUnit[]): Promise<void> {
  for (let i = 0; i < units.length; i += 1000) {
    const refused = await postFixes(url, token, units.slice(i, i + 1000));
    if (refused !== 0) throw new Error(`postAll: ${refused === -1 ? 'the request failed' : `${refused} fixes refused`}`);
  }
}

const METRES_PER_DEGREE = 111_195;
const MAX_IN_FLIGHT = 8;

async function feed(job: FeedJob): Promise<FeedResult> {
  // Deterministic, so runs walk the same paths.
  const rnd = mulberry32(20261127);
  const walkers = job.units.map((u) => ({ ...u, heading: rnd() * 2 * Math.PI }));
  const step = 1.5 * job.periodS; // on foot, metres per report
  const perPeriod = Math.ceil(walkers.length / job.fixesPerRequest);
  const intervalMs = (job.periodS * 1000) / perPeriod;
  const latencies: number[] = [];
  const r: FeedResult = { requests: 0, fixes: 0, rejectedFixes: 0, non2xx: 0, errors: 0, p50Ms: 0, maxMs: 0, skipped: 0 };
  let inFlight = 0;
  let stopped = false;
  process.on('SIGTERM', () => (stopped = true));
  const started = Date.now();
  for (let tick = 0; !stopped && Date.now() - started < job.maxSeconds * 1000; tick++) {
    const from = (tick % perPeriod) * job.fixesPerRequest;
    const batch = walkers.slice(from, from + job.fixesPerRequest);
    for (const w of batch) {
      w.heading += (rnd() - 0.5) * 0.8;
      w.lat += (Math.cos(w.heading) * step) / METRES_PER_DEGREE;
      w.lon += (Math.sin(w.heading) * step) / (METRES_PER_DEGREE * Math.cos((w.lat * Math.PI) / 180));
    }
    if (inFlight >= MAX_IN_FLIGHT) r.skipped++;
    else {
      inFlight++;
      const t0 = performance.now();
      postFixes(job.url, job.token, batch)
        .then((refused) => {
          r.requests++;
          if (refused < 0) r.non2xx++;
          else {
            r.fixes += batch.length - refused;
            r.rejectedFixes += refused;
          }
          latencies.push(performance.now() - t0);
        })
        .catch(() => r.errors++)
        .finally(() => inFlight--);
    }
    // Paced from the start, so a slow request does not stretch the period.
    const next = started + (tick + 1) * intervalMs;
    await new Promise((res) => setTimeout(res, Math.max(0, next - Date.now())));
  }
  while (inFlight > 0) await new Promise((res) => setTimeout(res, 50));
  r.p50Ms = latencies.length ? +percentile(latencies, 50).toFixed(1) : 0;
  r.maxMs = +Math.max(0, ...latencies).toFixed(1);
  return r;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await feed(JSON.parse(process.argv[2]!) as FeedJob);
  console.log(JSON.stringify(result));
}
