import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, listAudit } from '../../db/audit';
import { countAdmins, getUserForLogin, insertUser } from '../../db/users';
import { hashPassword, verifyPassword } from '../../lib/auth/password';
import { engines, freshDb, type TestDb } from '../helpers/db';

describe.each(engines())('accounts and the audit log on %s', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb(engine);
  });
  afterAll(async () => t?.drop());

  it('starts with no accounts at all: no default administrator', async () => {
    expect(await countAdmins(t.db)).toBe(0);
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users`);
    expect(rows[0]!.n).toBe(0);
  });

  it('stores a user with a scrypt hash that verifies, never the password', async () => {
    await insertUser(t.db, { username: 'zhuoma', displayName: '卓玛', role: 'coordinator', passwordHash: await hashPassword('a long passphrase') });
    const u = await getUserForLogin(t.db, { username: 'zhuoma' });
    expect(u?.role).toBe('coordinator');
    expect(await verifyPassword('a long passphrase', u!.passwordHash)).toBe(true);
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users u WHERE row_to_json(u)::text LIKE '%a long passphrase%'`);
    expect(rows[0]!.n).toBe(0);
  });

  it('refuses a username that is not a handle and a role that does not exist', async () => {
    const hash = await hashPassword('another passphrase');
    await expect(insertUser(t.db, { username: 'Bad Name', displayName: 'x', role: 'viewer', passwordHash: hash })).rejects.toThrow();
    await expect(insertUser(t.db, { username: 'okname', displayName: 'x', role: 'root' as never, passwordHash: hash })).rejects.toThrow();
  });

  it('appends audit entries and refuses UPDATE, DELETE and TRUNCATE on them', async () => {
    await appendAudit(t.db, { actorUserId: null, actor: 'zhuoma', role: 'coordinator', action: 'login', outcome: 'ok', ip: '127.0.0.1' });
    await appendAudit(t.db, { actorUserId: null, actor: 'nobody', role: null, action: 'login', outcome: 'failed', ip: '127.0.0.1' });
    const entries = await listAudit(t.db, { action: 'login' });
    expect(entries.map((e) => e.outcome)).toEqual(['failed', 'ok']);
    expect(entries[0]!.at).toMatch(/Z$/);

    await expect(t.db.query(`UPDATE audit_log SET outcome = 'ok'`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    expect(await listAudit(t.db, { action: 'login' })).toHaveLength(2);
  });
});
