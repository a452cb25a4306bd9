// The ingest benches' load: bench/load.ts (autocannon) run as its own
// process, so it does not share an event loop with the server it measures.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/client';
import type { RulesEvaluator } from '../lib/rules/evaluator';
import { addBenchDevices, benchTownship } from './fresh-db';

const ROOT = join(import.meta.dirname, '..');

/** The demo township and `count` bench devices, their identifiers written to .bench/devices.txt for the load generator. */
export async function loadTownship(db: Db, count: number): Promise<{ lon: number; lat: number; identifiers: string[]; devicesFile: string }> {
  const { lon, lat } = await benchTownship(db);
  const identifiers = await addBenchDevices(db, count);
  mkdirSync(join(ROOT, '.bench'), { recursive: true });
  const devicesFile = join(ROOT, '.bench', 'devices.txt');
  writeFileSync(devicesFile, identifiers.join('\n'));
  return { lon, lat, identifiers, devicesFile };
}

/** How many fixes the positions table holds. */
export async function countRows(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM positions');
  return Number(rows[0]!.n);
}

/** Zeroes the evaluator's cycle figures (after a warm-up cycle), so a run reports only its own. */
export function resetStats(rules: RulesEvaluator): void {
  Object.assign(rules.stats, { cycles: 0, totalMs: 0, maxMs: 0 });
  for (const step of Object.keys(rules.stats.stepMs) as (keyof typeof rules.stats.stepMs)[]) rules.stats.stepMs[step] = 0;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  sentFixes: number;
}

export function runLoad(job: Record<string, unknown>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'load.ts'), JSON.stringify(job)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop();
      if (code !== 0 || !line) reject(new Error(`load generator exited ${code}`));
      else resolve(JSON.parse(line) as LoadResult);
    });
  });
}
