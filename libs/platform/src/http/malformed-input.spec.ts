import { isInvalidTextError, malformedValue, urlHasNul } from './malformed-input.js';

describe('malformed input predicates', () => {
  it('find a NUL byte raw or percent-encoded in a URL', () => {
    expect(urlHasNul('/a?b=%00')).toBe(true);
    expect(urlHasNul('/a?b=%00'.toUpperCase())).toBe(true);
    expect(urlHasNul('/a\u0000')).toBe(true);
    expect(urlHasNul('/a?b=%100')).toBe(false);
  });

  it('find a NUL byte in any value or key, at any depth', () => {
    expect(malformedValue({ a: [{ b: 'x\u0000' }] })).toMatch(/NUL/);
    expect(malformedValue({ ['k\u0000']: 1 })).toMatch(/field name/);
    expect(malformedValue({ a: ['ok', 1, null, true] })).toBeNull();
    expect(malformedValue(undefined)).toBeNull();
  });

  it('refuse documents nested deeper than the limit without recursing', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expect(malformedValue(deep)).toMatch(/nested deeper than 32/);
    expect(malformedValue(JSON.parse('{"a":'.repeat(31) + '1' + '}'.repeat(31)))).toBeNull();
  });

  it('recognise the Postgres errors for text it cannot store', () => {
    expect(isInvalidTextError({ driverError: { code: '22021' } })).toBe(true);
    expect(isInvalidTextError({ driverError: { code: '23505' } })).toBe(false);
    expect(isInvalidTextError(null)).toBe(false);
  });
});
