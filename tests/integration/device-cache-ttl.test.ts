// The device-secret cache is per process and never shared (lib/ingest/devices.ts):
// that is safe only because its default lifetimes are short. With its default
// TTLs, a disabled device or a re-issued secret stops on a process that cached
// it within 30 s, and a secret issued by another process starts working within
// 5 s. Only Date is faked (the database's timers run for real). Also: parallel
// lookups of one uncached secret (a cold 1,000-fix batch) share one query.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client';
import { disableDevice, insertDevice, replaceDeviceSecret } from '../../db/devices';
import { DeviceDirectory } from '../../lib/ingest/devices';
import { engines, freshDb, type TestDb } from '../helpers/db';

describe.each(engines())('device-secret cache lifetimes on %s', (engine) => {
  let t: TestDb;
  let teamId: number;
  let n = 0;

  beforeAll(async () => {
    t = await freshDb(engine);
    const { rows } = await t.db.query<{ id: number }>(
      `INSERT INTO teams (code, name, name_en, force_type, size) VALUES ('TTL', '缓存巡逻队', 'Cache patrol', 'armband', 4) RETURNING id`,
    );
    teamId = rows[0]!.id;
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => t?.drop());

  const device = async () => {
    const secret = `device-cache-ttl-secret-${n++}-0000000000`;
    return { secret, id: await insertDevice(t.db, { teamId, secret, label: `扎西的手机 ${n}` }) };
  };
  /** Another process's directory: it saw the device before the change and was not told about it. */
  const otherProcess = () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-06-01T08:00:00Z') });
    return new DeviceDirectory(t.db);
  };

  it('a device disabled elsewhere stops here 30 s after this process last looked it up, not later', async () => {
    const { secret, id } = await device();
    const directory = otherProcess();
    expect((await directory.resolve(secret))?.id).toBe(id);
    expect(await disableDevice(t.db, { id })).toBe(true);
    vi.advanceTimersByTime(29_999);
    // Still cached: this is the window the comment promises, no longer.
    expect(directory.cached(secret)?.id).toBe(id);
    vi.advanceTimersByTime(1);
    expect(directory.cached(secret)).toBeUndefined();
    expect(await directory.resolve(secret)).toBeNull();
  });

  it('a secret re-issued elsewhere: the old one stops here within 30 s, the new one works at once', async () => {
    const { secret, id } = await device();
    const directory = otherProcess();
    expect((await directory.resolve(secret))?.id).toBe(id);
    const fresh = `${secret}-reissued`;
    expect(await replaceDeviceSecret(t.db, { id, secret: fresh })).toBe(true);
    expect((await directory.resolve(fresh))?.id).toBe(id);
    vi.advanceTimersByTime(30_000);
    expect(await directory.resolve(secret)).toBeNull();
    expect((await directory.resolve(fresh))?.id).toBe(id);
  });

  it('1,000 parallel lookups of a secret not yet cached ask the database once, and all get the device', async () => {
    const { secret, id } = await device();
    let queries = 0;
    // The real database, with its statements counted on the way through.
    const counted = new Proxy(t.db, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (prop !== 'query' || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          queries++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as Db;
    const directory = new DeviceDirectory(counted);
    const found = await Promise.all(Array.from({ length: 1000 }, () => directory.resolve(secret)));
    expect(new Set(found.map((d) => d?.id))).toEqual(new Set([id]));
    expect(queries).toBe(1);
    // A change announced while a lookup is under way: later callers ask again rather than join the stale one.
    const before = directory.resolve(`${secret}-unknown`);
    directory.invalidate();
    const after = directory.resolve(`${secret}-unknown`);
    expect([await before, await after]).toEqual([null, null]);
    expect(queries).toBe(3);
  });

  it('a secret refused here as unknown works 5 s later once another process has issued it', async () => {
    const { id } = await device();
    const directory = otherProcess();
    const next = `device-cache-ttl-next-${id}-0000000000`;
    expect(await directory.resolve(next)).toBeNull();
    expect(await replaceDeviceSecret(t.db, { id, secret: next })).toBe(true);
    vi.advanceTimersByTime(4_999);
    expect(await directory.resolve(next)).toBeNull();
    vi.advanceTimersByTime(1);
    expect((await directory.resolve(next))?.id).toBe(id);
  });
});
