// A second GridSight process for tests of what must hold across processes
// (limits shared through Redis). Route handlers find their limits through the
// process-wide registry, so two apps in one process would share one set of
// limiters and prove nothing: the peer runs in a child process of its own.
// Run: node --import tsx tests/helpers/peer-app.ts, with PEER_ENV (JSON
// settings for loadConfig) and PEER_DATABASE_URL; it prints {"port":…} once
// it listens and closes when its stdin ends.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface Peer {
  baseUrl: string;
  /** Everything the peer wrote to stderr (its logs), for assertions and for failures. */
  stderr(): string;
  /** A clean stop (as on a deploy): its sockets are closed and their state kept for recovery. */
  close(): Promise<void>;
  /** The process dies at once (SIGKILL): nothing it held is handed over. */
  kill(): Promise<void>;
}

const SCRIPT = fileURLToPath(import.meta.url);

/** Starts a peer app on the same database as the test (the PostGIS server: an embedded one cannot be shared). */
export async function startPeerApp(databaseUrl: string, env: Record<string, string>): Promise<Peer> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: { ...process.env, PEER_MAIN: '1', PEER_DATABASE_URL: databaseUrl, PEER_ENV: JSON.stringify(env) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    // Its logs (the leader's, say) go to stdout too: the port is the line that says so.
    lines.on('line', (line) => {
      if (line.startsWith('{"port":')) resolve((JSON.parse(line) as { port: number }).port);
      else stderr += `${line}\n`;
    });
    void exited.then((code) => reject(new Error(`the peer app exited (${code}) before listening:\n${stderr}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stderr: () => stderr,
    async close() {
      child.stdin.end();
      const code = await exited;
      if (code !== 0) throw new Error(`the peer app exited with ${code}:\n${stderr}`);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function main(): Promise<void> {
  const [{ openDb }, { createApp }, { loadConfig }, { apiRouter }] = await Promise.all([
    import('../../db/client'),
    import('../../lib/app'),
    import('../../lib/config'),
    import('./api-router'),
  ]);
  const config = loadConfig({ SIM_ENABLED: 'false', ...(JSON.parse(process.env.PEER_ENV ?? '{}') as Record<string, string>) });
  const db = await openDb({ databaseUrl: process.env.PEER_DATABASE_URL });
  const app = createApp({ db, config, web: await apiRouter() });
  const port = await app.listen(0, '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.stdin.on('end', () => {
    void app
      .close()
      .then(() => db.close())
      .then(() => process.exit(0));
  });
  process.stdin.resume();
}

if (process.env.PEER_MAIN === '1' && process.argv[1] === SCRIPT) {
  main().catch((err: unknown) => {
    console.error('[peer] failed:', err);
    process.exit(1);
  });
}
