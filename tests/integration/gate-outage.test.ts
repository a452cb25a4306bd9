// A page reload while the database is unreachable (issue 8, item 10): the
// gate cannot look the session up, and a browser must get a small page that
// says so and retries by itself — not raw JSON. API callers keep the JSON 503.
// The app runs on a real PostgreSQL client whose server is unreachable (a
// closed port): the gate's session lookup fails exactly as in an outage, on
// either engine's run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../db/client';
import { SESSION_COOKIE } from '../../lib/auth/sessions';
import { startTestApp, type RunningApp } from '../helpers/app';
import { rawRequest } from '../helpers/raw-http';
import { TcpProxy } from '../helpers/tcp-proxy';

describe('the gate while the database is unreachable', () => {
  let db: Db;
  let server: RunningApp;
  const cookie = `${SESSION_COOKIE}=some-session-token`;

  beforeAll(async () => {
    // A port that was just ours and is now closed: every connection is refused.
    const closed = new TcpProxy('127.0.0.1', 9);
    const port = await closed.start();
    await closed.down();
    db = await openDb({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/gone` });
    server = await startTestApp(db, {
      web: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>the page</html>');
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('answers a protected page with an HTML 503 that refreshes itself and a Retry-After', async () => {
    for (const path of ['/', '/admin', '/account?x=1']) {
      const answer = await rawRequest(server.baseUrl, { path, headers: { cookie, accept: 'text/html' } });
      expect(answer.status, path).toBe(503);
      expect(String(answer.headers['content-type']), path).toContain('text/html');
      expect(answer.headers['retry-after'], path).toBe('5');
      expect(answer.body).toContain('数据库暂时不可用');
      expect(answer.body).toContain('The database is unavailable');
      expect(answer.body).toMatch(/<meta http-equiv="refresh" content="5">/);
      expect(answer.body).not.toMatch(/"error"|\bat .+:\d+:\d+/);
    }
  });

  it('keeps the JSON 503 for API requests', async () => {
    const answer = await rawRequest(server.baseUrl, { path: '/api/units', headers: { cookie } });
    expect(answer.status).toBe(503);
    expect(String(answer.headers['content-type'])).toContain('application/json');
    expect(answer.headers['retry-after']).toBe('5');
    expect(JSON.parse(answer.body)).toEqual({ error: { code: 'unavailable', message: expect.stringMatching(/database is unavailable/) } });
  });
});
