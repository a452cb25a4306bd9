import { describe, expect, it } from 'vitest';
import { hashPassword, randomPassword, verifyPassword } from '../../lib/auth/password';

describe('passwords (scrypt)', () => {
  it('verifies the right password and nothing else', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    expect(await hashPassword('same password!')).not.toBe(await hashPassword('same password!'));
  });

  it('refuses short passwords and never verifies against a malformed hash', async () => {
    await expect(hashPassword('short')).rejects.toThrow(/10 characters/);
    expect(await verifyPassword('anything at all', 'plain-text')).toBe(false);
    expect(await verifyPassword('anything at all', '$scrypt$99999999999$8$1$abc$def')).toBe(false);
  });

  it('makes random passwords long and unambiguous', () => {
    const p = randomPassword();
    expect(p).toHaveLength(20);
    expect(p).not.toMatch(/[0O1lI]/);
    expect(randomPassword()).not.toBe(p);
  });
});
