// Leadership on a database with no sessions of its own (the embedded engine:
// one process, always the leader) and the LEADER_RETRY_MS setting. The
// election on the PostGIS server is tests/integration/leader.test.ts.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config';
import { Leadership, type Duty } from '../../lib/leader';

/** A duty that writes what happens to it into `events`. */
function duty(name: string, events: string[], opts: { failStart?: boolean } = {}): Duty {
  return {
    name,
    start() {
      events.push(`start ${name}`);
      if (opts.failStart) throw new Error(`${name} cannot start`);
    },
    async stop() {
      await Promise.resolve();
      events.push(`stop ${name}`);
    },
  };
}

const oneProcess = () => {
  const log: string[] = [];
  return { log, leader: new Leadership({}, { retryMs: 200, log: (line) => log.push(line) }) };
};

describe('Leadership with one process (no sessions of its own)', () => {
  it('leads from start(), starts its duties in order, and stops them in reverse on close', async () => {
    const events: string[] = [];
    const { leader, log } = oneProcess();
    void leader.add(duty('rules', events));
    void leader.add(duty('retention', events));
    expect(leader.isLeader()).toBe(false);
    leader.start();
    expect(leader.isLeader()).toBe(true);
    await leader.settled();
    expect(events).toEqual(['start rules', 'start retention']);

    await leader.close();
    expect(leader.isLeader()).toBe(false);
    expect(events).toEqual(['start rules', 'start retention', 'stop retention', 'stop rules']);
    // No election happened: nothing to tell the log.
    expect(log).toEqual([]);
  });

  it('starts a duty added while leading, once, even while the first start is still in progress', async () => {
    const events: string[] = [];
    const { leader } = oneProcess();
    void leader.add(duty('rules', events));
    leader.start();
    await leader.add(duty('simulator', events));
    leader.start();
    await leader.settled();
    expect(events).toEqual(['start rules', 'start simulator']);
    await leader.close();
    await leader.close();
    expect(events).toEqual(['start rules', 'start simulator', 'stop simulator', 'stop rules']);
  });

  it('a duty that fails to start is stopped again and the others still start', async () => {
    const events: string[] = [];
    const { leader } = oneProcess();
    void leader.add(duty('simulator', events, { failStart: true }));
    void leader.add(duty('rules', events));
    leader.start();
    await leader.settled();
    expect(events).toEqual(['start simulator', 'stop simulator', 'start rules']);
    await leader.close();
    expect(events.at(-1)).toBe('stop rules');
    expect(events.filter((e) => e === 'stop simulator')).toHaveLength(1);
  });

  it('never leads after close, and a duty added then does not start', async () => {
    const events: string[] = [];
    const { leader } = oneProcess();
    await leader.close();
    leader.start();
    await leader.add(duty('rules', events));
    expect(leader.isLeader()).toBe(false);
    expect(events).toEqual([]);
  });
});

describe('LEADER_RETRY_MS', () => {
  it('is 5 s by default and takes whole milliseconds from 50 to 10,000', () => {
    expect(loadConfig({}).LEADER_RETRY_MS).toBe(5_000);
    expect(loadConfig({ LEADER_RETRY_MS: '200' }).LEADER_RETRY_MS).toBe(200);
    expect(loadConfig({ LEADER_RETRY_MS: '10000' }).LEADER_RETRY_MS).toBe(10_000);
  });

  it('refuses a setting that would break the 15 s takeover or busy the database, naming it', () => {
    for (const bad of ['10001', '49', '0', '-5', '1.5', 'soon']) {
      expect(() => loadConfig({ LEADER_RETRY_MS: bad })).toThrow(/LEADER_RETRY_MS/);
    }
  });
});
