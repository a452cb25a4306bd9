// `npm run bench:fanout`: the live feed under load (issue 15). On a fresh
// database (the PostGIS server when DATABASE_URL is set) with 1,000 teams of
// one device each, the gateway and realtime server run in this process; two
// client processes (bench/fanout-client.ts) run the devices, each posting one
// fix to /ingest/batch once a second, and N signed-in dashboards on socket.io
// taking fix time → arrival for every unit update and the bytes per unit
// update. Each row of issue 15's table is measured with the feed before
// issue 15 (every moved unit re-read and sent whole: Realtime.feed = 'full')
// and the compact feed (moves from the insert), one after the other in the
// same run.
//
// BENCH_SECONDS (default 10) per phase after a 3 s warm-up; BENCH_ROWS
// ("1000x100,200x100") and BENCH_FEEDS ("compact") pick phases.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../lib/app';
import { loadConfig } from '../lib/config';
import { runPhase, seedFanout, type DashboardsResult, type DevicesResult } from './fanout-phase';
import { freshDatabase } from './fresh-db';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, '.bench');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 3;
const ALL_ROWS: [devices: number, dashboards: number][] = [
  [10, 200],
  [200, 100],
  [1000, 10],
  [1000, 100],
];
const ROWS = process.env.BENCH_ROWS
  ? process.env.BENCH_ROWS.split(',').map((r) => r.split('x').map(Number) as [number, number])
  : ALL_ROWS;
const FEEDS = (process.env.BENCH_FEEDS?.split(',') ?? ['full', 'compact']) as ('full' | 'compact')[];
const DEVICES = Math.max(...ROWS.map((r) => r[0]));
const DASHBOARDS = Math.max(...ROWS.map((r) => r[1]));

const { db, label, url: databaseUrl, drop } = await freshDatabase('gs_fanout');
try {
  const { lon, lat, identifiers, cookies } = await seedFanout(db, { devices: DEVICES, dashboards: DASHBOARDS });

  const config = loadConfig({ SIM_ENABLED: 'false', DATABASE_URL: databaseUrl, RULES_INTERVAL_MS: '600000', SOCKETS_PER_ADDRESS: '10000' });
  const app = createApp({ db, config });
  const port = await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;

  const phases: ({ feed: 'full' | 'compact'; serverCpuPct: number; load1: number; deliveredShare: number } & DashboardsResult & DevicesResult)[] = [];
  for (const [devices, dashboards] of ROWS) {
    for (const feed of FEEDS) {
      app.realtime.feed = feed;
      const cpu = process.cpuUsage();
      const started = performance.now();
      const r = await runPhase({ url, cookies: cookies.slice(0, dashboards), devices: identifiers.slice(0, devices), lon, lat }, { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS });
      const used = process.cpuUsage(cpu);
      const serverCpuPct = Math.round(((used.user + used.system) / 1000 / (performance.now() - started)) * 100);
      // Unit updates received per fix stored per dashboard: 1 means every fix reached every dashboard once.
      const deliveredShare = r.fixesPosted === 0 ? 0 : +(r.deliveries / (r.fixesPosted * dashboards)).toFixed(3);
      phases.push({ feed, serverCpuPct, load1: +loadavg()[0]!.toFixed(2), deliveredShare, ...r });
      const p = phases.at(-1)!;
      console.error(
        `${String(devices).padStart(5)} devices ${String(dashboards).padStart(4)} dashboards ${feed.padEnd(7)}: ` +
          `${p.deliveriesPerSec} deliveries/s (share ${p.deliveredShare}), p50 ${p.p50} ms p95 ${p.p95} ms p99 ${p.p99} ms, ` +
          `${p.bytesPerUnit} B/unit, server CPU ${serverCpuPct} %, post p50/p99 ${p.postP50}/${p.postP99} ms (${p.failed} failed, ${p.refused} refused), load ${p.load1}`,
      );
      // Let the last updates drain and the sockets go before the next phase.
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  await app.gateway.writer.flushed();
  await app.close();

  const ratios = ROWS.map(([devices, dashboards]) => {
    const of = (feed: string) => phases.find((p) => p.devices === devices && p.dashboards === dashboards && p.feed === feed);
    const full = of('full');
    const compact = of('compact');
    return {
      devices,
      dashboards,
      bytesRatio: full && compact ? +(compact.bytesPerUnit / full.bytesPerUnit).toFixed(3) : null,
      p99Ratio: full && compact ? +(compact.p99 / full.p99).toFixed(3) : null,
    };
  });
  const report = {
    date: new Date().toISOString(),
    machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    database: label,
    secondsPerPhase: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    positionsTickMs: config.POSITIONS_TICK_MS,
    phases,
    ratios,
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'fanout.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));
  console.log(`\nlive fan-out on ${label} (${report.machine}), ${SECONDS} s per phase:`);
  console.log('| devices | dashboards | feed | unit deliveries/s | delivered | p50 | p95 | p99 | bytes/unit update | server CPU | ingest p99 | load |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const p of phases) {
    console.log(
      `| ${p.devices} | ${p.dashboards} | ${p.feed} | ${p.deliveriesPerSec} | ${p.deliveredShare} | ${p.p50} ms | ${p.p95} ms | ${p.p99} ms | ${p.bytesPerUnit} | ${p.serverCpuPct} % | ${p.postP99} ms | ${p.load1} |`,
    );
  }
  for (const r of ratios) console.log(`${r.devices}/${r.dashboards}: bytes per unit update compact/full ${r.bytesRatio}, p99 compact/full ${r.p99Ratio}`);
} finally {
  await drop();
}
