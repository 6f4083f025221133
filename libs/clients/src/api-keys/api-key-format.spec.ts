import { apiKeyHint, generateApiKey, hashApiKey, isWellFormedApiKey } from './api-key-format.js';

describe('API key format', () => {
  it('is idpk_ and 49 base62 characters, never JWT-shaped, never twice the same', () => {
    const keys = Array.from({ length: 200 }, generateApiKey);
    for (const key of keys) {
      expect(key).toMatch(/^idpk_[0-9A-Za-z]{49}$/);
      expect(key).not.toContain('.');
      expect(isWellFormedApiKey(key)).toBe(true);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('spreads its randomness over the whole body (no constant leading characters)', () => {
    const firstCharacters = new Set(Array.from({ length: 200 }, () => generateApiKey().charAt(5)));
    expect(firstCharacters.size).toBeGreaterThan(20);
  });

  it('refuses a key with one character changed (the checksum catches typos and guesses)', () => {
    const key = generateApiKey();
    for (const position of [5, 20, 47, 53]) {
      const changed = key.charAt(position) === 'A' ? 'B' : 'A';
      expect(isWellFormedApiKey(key.slice(0, position) + changed + key.slice(position + 1))).toBe(false);
    }
  });

  it.each([
    ['another prefix', (k: string) => `idpx_${k.slice(5)}`],
    ['one character short', (k: string) => k.slice(0, -1)],
    ['a character outside base62', (k: string) => `${k.slice(0, 10)}-${k.slice(11)}`],
    ['surrounding whitespace', (k: string) => ` ${k}`],
  ])('refuses %s', (_case, mangle) => {
    expect(isWellFormedApiKey(mangle(generateApiKey()))).toBe(false);
  });

  it('refuses what is not a string, and oidc-provider opaque tokens', () => {
    expect(isWellFormedApiKey(undefined)).toBe(false);
    expect(isWellFormedApiKey(42)).toBe(false);
    expect(isWellFormedApiKey('idpk_')).toBe(false);
    expect(isWellFormedApiKey('idpk_abcdefghijklmnopqrstuvwxyz0123456789ABCDE')).toBe(false);
  });

  it('stores a SHA-256 and shows a hint of a few characters only', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashApiKey(key)).not.toContain(key.slice(5, 15));
    expect(apiKeyHint(key)).toBe(key.slice(0, 9));
  });
});
