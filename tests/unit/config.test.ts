import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../lib/config';

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.SIM_ENABLED).toBe(true);
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('names the wrong setting', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => loadConfig({ SIM_ENABLED: 'maybe' })).toThrow(/SIM_ENABLED/);
  });

  it('reads booleans the way people write them', () => {
    expect(loadConfig({ SIM_ENABLED: 'off' }).SIM_ENABLED).toBe(false);
    expect(loadConfig({ SIM_ENABLED: '1' }).SIM_ENABLED).toBe(true);
  });
});
