// REDIS_URL and REDIS_KEY_PREFIX (issue 15, limits shared across processes).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config';

describe('Redis settings', () => {
  it('are optional: without REDIS_URL limits stay per process, and keys start with gs', () => {
    const c = loadConfig({});
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.REDIS_KEY_PREFIX).toBe('gs');
    expect(loadConfig({ REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });

  it('take redis:// and rediss:// URLs, with a password and a database number', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(loadConfig({ REDIS_URL: 'rediss://:s3cret@cache.example.cn:6380/2' }).REDIS_URL).toBe('rediss://:s3cret@cache.example.cn:6380/2');
  });

  it('name the setting and the expected form when the URL is wrong', () => {
    for (const bad of ['127.0.0.1:6379', 'http://127.0.0.1:6379', 'redis://', 'redis:127.0.0.1', 'redis://exa mple:6379']) {
      expect(() => loadConfig({ REDIS_URL: bad })).toThrow(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL such as redis:\/\/127\.0\.0\.1:6379/);
    }
  });

  it('refuse a key prefix that could not be told apart in Redis', () => {
    expect(loadConfig({ REDIS_KEY_PREFIX: 'gs-county:prod' }).REDIS_KEY_PREFIX).toBe('gs-county:prod');
    expect(() => loadConfig({ REDIS_KEY_PREFIX: 'gs prod' })).toThrow(/REDIS_KEY_PREFIX: must be 1-64 letters/);
    expect(() => loadConfig({ REDIS_KEY_PREFIX: 'x'.repeat(65) })).toThrow(/REDIS_KEY_PREFIX/);
  });
});
