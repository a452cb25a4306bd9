// What the live fan-out benches share (bench/fanout.ts, one process;
// bench/fanout-cluster.ts, several behind nginx): the data on a fresh database
// (1,000 teams of one device each, the dashboards' sessions) and one measured
// phase — the client processes of bench/fanout-client.ts, dashboards first,
// then devices, a warm-up, then the window.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Db } from '../db/client';
import { insertUser } from '../db/users';
import { hashPassword } from '../lib/auth/password';
import { SESSION_COOKIE, startSession } from '../lib/auth/sessions';
import { addBenchDevices, benchTownship } from './fresh-db';

const ROOT = join(import.meta.dirname, '..');

export interface DashboardsResult {
  dashboards: number;
  deliveries: number;
  deliveriesPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  bytesPerUnit: number;
  unitEventsPerSec: number;
}
export interface DevicesResult {
  devices: number;
  fixesPosted: number;
  refused: number;
  failed: number;
  postP50: number;
  postP99: number;
}
export interface PhaseJob {
  url: string;
  cookies: string[];
  devices: string[];
  lon: number;
  lat: number;
}

/** One client process (bench/fanout-client.ts); `onReady` runs when it prints "ready" and may answer on its stdin. */
function runClient<T>(job: Record<string, unknown>, onReady?: (stdin: NodeJS.WritableStream) => void, onSpawn?: (pid: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'fanout-client.ts'), JSON.stringify(job)], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    if (child.pid !== undefined) onSpawn?.(child.pid);
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (onReady && out.startsWith('ready\n')) {
        onReady(child.stdin);
        onReady = undefined;
      }
    });
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop();
      if (code !== 0 || !line) reject(new Error(`fan-out client (${String(job.role)}) exited ${code}`));
      else resolve(JSON.parse(line) as T);
    });
  });
}

export interface PhaseHooks {
  /** Each client process as it starts (its pid, for its CPU in /proc). */
  onSpawn?(role: 'dashboards' | 'devices', pid: number): void;
  /** The measured window (epoch ms), once the dashboards are connected. */
  onWindow?(from: number, until: number): void;
}

/** Dashboards connect first; once they all have, the devices start and the window opens after the warm-up. */
export async function runPhase(
  job: PhaseJob,
  /** drainMs: how long the dashboards still count updates for fixes timed inside the window after it (default 2 s). */
  timing: { seconds: number; warmupSeconds: number; drainMs?: number },
  hooks: PhaseHooks = {}): Promise<DashboardsResult & DevicesResult> {
  let devices: Promise<DevicesResult> | undefined;
  const dashboards = runClient<DashboardsResult>(
    { ...job, role: 'dashboards', devices: [], from: 0, until: 0, drainMs: timing.drainMs },
    (stdin) => {
      const from = Date.now() + timing.warmupSeconds * 1000;
      const until = from + timing.seconds * 1000;
      stdin.write(`${JSON.stringify({ from, until })}\n`);
      devices = runClient<DevicesResult>({ ...job, role: 'devices', cookies: [], from, until }, undefined, (pid) => hooks.onSpawn?.('devices', pid));
      hooks.onWindow?.(from, until);
    },
    (pid) => hooks.onSpawn?.('dashboards', pid),
  );
  const d = await dashboards;
  if (!devices) throw new Error('the dashboards never got ready');
  return { ...d, ...(await devices) };
}

/**
 * The demo township, `devices` teams of one device each (the demo's teams,
 * then more like them, with names as real ones have) and `dashboards` browser
 * sessions of one viewer.
 */
export async function seedFanout(
  db: Db,
  counts: { devices: number; dashboards: number },
): Promise<{ lon: number; lat: number; identifiers: string[]; cookies: string[] }> {
  const { lon, lat } = await benchTownship(db);
  const { rows: counted } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM teams');
  await db.query(
    `INSERT INTO teams (code, name, name_en, force_type, size)
     SELECT 'BF-' || g, '压测巡逻队' || g || '号', 'Load patrol ' || g, 'armband', 4 FROM generate_series(1, $1::int) g`,
    [Math.max(0, counts.devices - counted[0]!.n)],
  );
  const identifiers = await addBenchDevices(db, counts.devices);
  const user = await insertUser(db, { username: 'bench-dashboard', displayName: '压测大屏', role: 'viewer', passwordHash: await hashPassword('bench-dashboard-password-0123456789') });
  const cookies: string[] = [];
  for (let k = 0; k < counts.dashboards; k++) {
    const s = await startSession(db, { userId: user.id, kind: 'browser', ip: null, userAgent: 'bench' });
    cookies.push(`${SESSION_COOKIE}=${s.token}`);
  }
  return { lon, lat, identifiers, cookies };
}
