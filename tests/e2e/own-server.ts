// A GridSight server one test owns: it starts it, stops it and starts it again
// on the same port and the same database, as an operator restarting or
// upgrading the box does. The suite's own server (playwright.config.ts
// webServer) cannot be restarted from a test. Same production build, same
// fixtures (tests/e2e/serve.ts); the database is kept between starts
// (E2E_DB_NAME on the PostGIS server, E2E_DATA_DIR embedded), so sessions and
// data survive a restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const ROOT = join(import.meta.dirname, '..', '..');
/** A first start migrates and seeds a township and prepares Next: well under a minute on the 2-core machine, even loaded. */
const START_TIMEOUT_MS = 120_000;
/** server.ts gives its own shutdown 10 s before it exits anyway. */
const STOP_TIMEOUT_MS = 15_000;
/** Lines of the server's output kept for the error when it fails to start. */
const LOG_LINES = 60;

/** A TCP port nothing listens on now (the kernel's choice), for both starts of the server. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('freePort: no port'))));
    });
  });
}

/** The server database `name` beside `adminUrl`'s, made if missing (as tests/e2e/serve.ts does at start); its URL. */
async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const { rowCount } = await c.query(`SELECT 1 FROM pg_database WHERE datname = $1::text`, [name]);
    if (rowCount === 0) await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export class OwnServer {
  private proc: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private readonly log: string[] = [];

  private constructor(
    readonly port: number,
    /** Embedded engine: the kept data folder (its parent is removed by dispose). */
    private readonly dataDir: string,
    /** Server engine: the kept database's name (dropped by dispose). */
    private readonly dbName: string,
  ) {}

  static async create(): Promise<OwnServer> {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'gridsight-e2e-own-')), 'db');
    return new OwnServer(await freePort(), dataDir, `gs_e2e_own_${randomBytes(5).toString('hex')}`);
  }

  get baseURL(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.proc !== null;
  }

  /** Starts the server (extra settings in `env`, e.g. BUILD_ID) and resolves once /api/health answers 200. */
  async start(env: Record<string, string> = {}): Promise<void> {
    if (this.proc) throw new Error('OwnServer.start: already running');
    this.log.length = 0;
    const proc = spawn(process.execPath, ['--import', 'tsx', 'tests/e2e/serve.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        E2E_PORT: String(this.port),
        E2E_DATA_DIR: this.dataDir,
        E2E_DB_NAME: this.dbName,
        // The suite's server built the bundle (or found it current) under the
        // build lock; a rebuild here would swap it under the running suite.
        E2E_SKIP_BUILD: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.log.push(line);
      if (this.log.length > LOG_LINES) this.log.splice(0, this.log.length - LOG_LINES);
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    let exitCode: number | null | undefined;
    this.exited = new Promise((resolve) =>
      proc.once('exit', (code) => {
        exitCode = code;
        if (this.proc === proc) this.proc = null;
        resolve();
      }),
    );

    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`own server exited (${exitCode}) while starting:\n${this.log.join('\n')}`);
      const ok = await fetch(`${this.baseURL}/api/health`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.ok,
        () => false, // not listening yet: connection refused
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    await this.stop();
    throw new Error(`own server did not answer /api/health within ${START_TIMEOUT_MS} ms:\n${this.log.join('\n')}`);
  }

  /** SIGTERM, as systemd or an operator stops it; resolves when the process has exited (killed if it hangs). */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** Stops the server and removes its database. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(join(this.dataDir, '..'), { recursive: true, force: true });
    const admin = process.env.DATABASE_URL;
    if (admin) {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${this.dbName} WITH (FORCE)`);
      await c.end();
    }
  }

  /**
   * Runs one of our command-line scripts (`scripts/user-create.ts`, …) on this
   * server's database, as an operator on the box does, and resolves to what it
   * printed. On the embedded engine the server must be stopped: one process
   * owns PGlite's folder.
   */
  async runScript(script: string, args: string[]): Promise<string> {
    const admin = process.env.DATABASE_URL;
    if (this.proc && !admin) throw new Error('OwnServer.runScript: stop the server first (the embedded database has one owner)');
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (admin) env.DATABASE_URL = await ensureDatabase(admin, this.dbName);
    else env.DATA_DIR = this.dataDir;
    const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    proc.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve, reject) => {
      proc.once('error', reject);
      proc.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`${script} ${args.join(' ')} exited with ${code}:\n${out}`);
    return out;
  }

  /** The server's recent output, for a failure message. */
  output(): string {
    return this.log.join('\n');
  }
}
