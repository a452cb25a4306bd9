// The nginx configuration `npm run start:cluster` writes (scripts/cluster/):
// what it says for three processes, and that nginx itself accepts it,
// unprivileged paths and all. No servers are started.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASEMAP_ARCHIVE_BYTES } from '@/lib/http/body-limits';
import { findNginx, renderNginxConfig } from '@/scripts/cluster/nginx-config';

const conf = renderNginxConfig({ listenPort: 3400, processPorts: [3401, 3402, 3403] });
/** The directives alone: the comments name what is deliberately not there. */
const directives = conf.replace(/#.*$/gm, '');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the cluster nginx configuration', () => {
  it('lists each process once in the upstream, with passive health, and listens on the port given', () => {
    const upstream = /upstream gridsight \{([^}]*)\}/.exec(conf)?.[1] ?? '';
    expect(upstream.match(/^\s*server .*$/gm)?.map((l) => l.trim())).toEqual([
      'server 127.0.0.1:3401 max_fails=2 fail_timeout=5s;',
      'server 127.0.0.1:3402 max_fails=2 fail_timeout=5s;',
      'server 127.0.0.1:3403 max_fails=2 fail_timeout=5s;',
    ]);
    expect(upstream).toMatch(/^\s*least_conn;/m);
    expect(conf).toMatch(/^\s*listen 0\.0\.0\.0:3400;/m);
    expect(renderNginxConfig({ listenHost: '::1', listenPort: 80, processPorts: [81] })).toMatch(/^\s*listen \[::1\]:80;/m);
    expect(conf).not.toContain('{{');
  });

  it('passes the websocket upgrade, the client address and the Host with its port', () => {
    const socketIo = /location \/socket\.io\/ \{([^}]*)\}/.exec(conf)?.[1] ?? '';
    expect(socketIo).toMatch(/proxy_read_timeout 1h;/);
    expect(conf).toMatch(/map \$http_upgrade \$connection_upgrade \{\s*default upgrade;\s*'' '';\s*\}/);
    expect(conf).toMatch(/^\s*proxy_http_version 1\.1;/m);
    expect(conf).toMatch(/^\s*proxy_set_header Upgrade \$http_upgrade;/m);
    expect(conf).toMatch(/^\s*proxy_set_header Connection \$connection_upgrade;/m);
    // $host would drop the port, and the app's Origin check (lib/auth/origin.ts) would refuse every socket.
    expect(conf).toMatch(/^\s*proxy_set_header Host \$http_host;/m);
    // Replaced, not appended to: a client cannot put a forged address in front.
    expect(conf).toMatch(/^\s*proxy_set_header X-Forwarded-For \$remote_addr;/m);
    expect(conf).toMatch(/^\s*proxy_set_header X-Forwarded-Proto \$scheme;/m);
  });

  it('takes the largest upload the app takes and never retries a POST that was sent', () => {
    const size = /^\s*client_max_body_size (\d+)m;/m.exec(conf)?.[1];
    expect(Number(size) * 1024 * 1024).toBeGreaterThanOrEqual(BASEMAP_ARCHIVE_BYTES);
    expect(conf).toMatch(/^\s*proxy_next_upstream error timeout;/m);
    expect(directives).not.toMatch(/non_idempotent/);
  });

  it('refuses a placeholder it does not know', () => {
    expect(() => renderNginxConfig({ listenPort: 1, processPorts: [2] }, 'listen {{LISTEN}}; {{NOPE}}')).toThrow('{{NOPE}}');
    expect(() => renderNginxConfig({ listenPort: 1, processPorts: [] })).toThrow('no process ports');
  });

  it('is accepted by nginx -t, as an unprivileged run directory', () => {
    const nginx = findNginx();
    expect(nginx, 'nginx is not installed: apt-get install nginx').not.toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'gridsight-nginx-test-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'tmp'));
    writeFileSync(join(dir, 'nginx.conf'), conf);
    const r = spawnSync(nginx ?? 'nginx', ['-e', 'stderr', '-t', '-p', `${dir}/`, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
    expect(r.stderr).toContain('test is successful');
    expect(r.status).toBe(0);
  });
});
