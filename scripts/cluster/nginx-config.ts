// The nginx configuration for `npm run start:cluster`: the template beside this
// file with its placeholders filled in, and where nginx is.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const TEMPLATE = join(import.meta.dirname, 'nginx.conf.template');

export interface NginxConfigOptions {
  /** The port nginx listens on … */
  listenPort: number;
  /** … on this address (default all interfaces, as `npm start`'s HOST). */
  listenHost?: string;
  /** The GridSight processes' ports, each bound to 127.0.0.1. */
  processPorts: readonly number[];
  /** Failures in `failTimeoutS` after which a process is skipped for `failTimeoutS`. */
  maxFails?: number;
  failTimeoutS?: number;
}

/** The template with every `{{PLACEHOLDER}}` filled in; throws on one it does not know. */
export function renderNginxConfig(opts: NginxConfigOptions, template = readFileSync(TEMPLATE, 'utf8')): string {
  const { listenPort, listenHost = '0.0.0.0', processPorts, maxFails = 2, failTimeoutS = 5 } = opts;
  if (processPorts.length === 0) throw new Error('renderNginxConfig: no process ports');
  const values: Record<string, string> = {
    LISTEN: `${listenHost.includes(':') ? `[${listenHost}]` : listenHost}:${listenPort}`,
    MAX_FAILS: String(maxFails),
    FAIL_TIMEOUT: `${failTimeoutS}s`,
    UPSTREAM_SERVERS: processPorts
      .map((port) => `    server 127.0.0.1:${port} max_fails=${maxFails} fail_timeout=${failTimeoutS}s;`)
      .join('\n'),
  };
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`renderNginxConfig: unknown placeholder {{${name}}}`);
    return value;
  });
}

/** nginx on PATH, else Debian's /usr/sbin/nginx (not on a normal user's PATH); null when neither is there. */
export function findNginx(path = process.env.PATH ?? ''): string | null {
  const candidates = [...path.split(delimiter).filter(Boolean).map((dir) => join(dir, 'nginx')), '/usr/sbin/nginx'];
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // Not here (or not executable): try the next.
    }
  }
  return null;
}

/**
 * nginx in the foreground on the configuration for `opts`, written into
 * `runDir` with everything nginx writes (pid, temp files): unprivileged, no
 * /var/lib/nginx. `-e stderr`: errors before the configuration is read go to
 * stderr too, not to /var/log/nginx. Returns the process and the config's path.
 */
export function spawnNginx(nginx: string, runDir: string, opts: NginxConfigOptions, stdio: StdioOptions): { child: ChildProcess; conf: string } {
  mkdirSync(join(runDir, 'tmp'));
  const conf = join(runDir, 'nginx.conf');
  writeFileSync(conf, renderNginxConfig(opts));
  const child = spawn(nginx, ['-e', 'stderr', '-p', `${runDir}/`, '-c', conf, '-g', 'daemon off;'], { stdio });
  return { child, conf };
}
