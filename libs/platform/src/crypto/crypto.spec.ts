import { randomBytes } from 'node:crypto';
import { MasterKeyCipher } from './master-key-cipher.js';
import argon2 from 'argon2';
import {
  constantTimeEqual,
  generateSecret,
  hashPassword,
  PASSWORD_HASH_CONCURRENCY,
  passwordNeedsRehash,
  sha256Base64Url,
  verifyPassword,
} from './secrets.js';

describe('MasterKeyCipher', () => {
  const cipher = new MasterKeyCipher(randomBytes(32));

  it('round-trips and never repeats a ciphertext', () => {
    const a = cipher.encrypt('private key', 'tenant-1/kid-1');
    const b = cipher.encrypt('private key', 'tenant-1/kid-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('private key');
    expect(cipher.decrypt(a, 'tenant-1/kid-1')).toBe('private key');
  });

  it('refuses a ciphertext moved to another owner', () => {
    const sealed = cipher.encrypt('private key', 'tenant-1/kid-1');
    expect(() => cipher.decrypt(sealed, 'tenant-2/kid-1')).toThrow();
  });

  it('refuses a tampered ciphertext and a different master key', () => {
    const sealed = cipher.encrypt('private key', 'x');
    const parts = sealed.split('.');
    parts[2] = Buffer.from('tampered').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'x')).toThrow();
    expect(() => new MasterKeyCipher(randomBytes(32)).decrypt(sealed, 'x')).toThrow();
  });
});

describe('secrets', () => {
  it('generates 32-byte url-safe secrets', () => {
    const secret = generateSecret();
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(secret).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(generateSecret()).not.toBe(secret);
  });

  it('hashes deterministically with SHA-256 and compares in constant time', () => {
    expect(sha256Base64Url('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
  });

  it('hashes passwords with argon2id at the documented cost', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    await expect(verifyPassword(hash, 'correct horse battery staple')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'wrong')).resolves.toBe(false);
    await expect(verifyPassword('not-a-hash', 'x')).resolves.toBe(false);
  });

  it('asks for a rehash only when the parameters differ from today’s', async () => {
    expect(passwordNeedsRehash(await hashPassword('x'))).toBe(false);
    const weaker = await argon2.hash('x', { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    expect(passwordNeedsRehash(weaker)).toBe(true);
    expect(passwordNeedsRehash('garbage')).toBe(true);
  });

  it('runs at most one argon2id computation per core at a time, and every caller still gets its answer', async () => {
    let running = 0;
    let most = 0;
    const track = <T>(work: Promise<T>): Promise<T> => {
      running++;
      most = Math.max(most, running);
      return work.finally(() => running--);
    };
    const realHash = argon2.hash.bind(argon2);
    const realVerify = argon2.verify.bind(argon2);
    const hashSpy = jest
      .spyOn(argon2, 'hash')
      .mockImplementation(((...args: Parameters<typeof argon2.hash>) =>
        track(realHash(...args))) as typeof argon2.hash);
    const verifySpy = jest.spyOn(argon2, 'verify').mockImplementation((...args) => track(realVerify(...args)));
    try {
      const hashes = await Promise.all(Array.from({ length: 8 }, (_, i) => hashPassword(`password-${i}`)));
      const checks = await Promise.all(hashes.map((hash, i) => verifyPassword(hash, `password-${i}`)));
      expect(checks).toEqual(Array(8).fill(true));
      expect(hashSpy).toHaveBeenCalledTimes(8);
      expect(most).toBeGreaterThanOrEqual(1);
      expect(most).toBeLessThanOrEqual(PASSWORD_HASH_CONCURRENCY);
      expect(PASSWORD_HASH_CONCURRENCY).toBeLessThan(8);
    } finally {
      hashSpy.mockRestore();
      verifySpy.mockRestore();
    }
  });
});
