import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..');
const SOURCES = ['app', 'components', 'lib', 'db', 'public', 'next.config.js', 'package.json', 'tsconfig.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when there is no production build or a source is newer than it. */
export function needsBuild(): boolean {
  const buildId = join(ROOT, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return Math.max(...SOURCES.map((p) => newestMtime(join(ROOT, p)))) > built;
}

/** Runs `next build` when needed; exits the process if the build fails. */
export function buildIfNeeded(): void {
  if (!needsBuild()) return;
  console.log('[build] building the production bundle (a minute or two)…');
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) {
    console.error('[build] next build failed');
    process.exit(r.status ?? 1);
  }
}

// `npm install` runs this (the `prepare` script), so the first `npm start` on a
// clean machine does not spend its first minute building.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) buildIfNeeded();
