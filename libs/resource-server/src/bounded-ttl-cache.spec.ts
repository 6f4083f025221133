import { BoundedTtlCache } from './bounded-ttl-cache.js';

describe('BoundedTtlCache', () => {
  let now = 1_000;
  const clock = () => now;

  it('forgets an entry once its time is up', () => {
    const cache = new BoundedTtlCache<string>(10, clock);
    cache.set('a', 'A', 100);
    now += 99;
    expect(cache.get('a')).toBe('A');
    now += 1;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries, dropping the least recently used first', () => {
    const cache = new BoundedTtlCache<string>(2, clock);
    cache.set('a', 'A', 1000);
    cache.set('b', 'B', 1000);
    expect(cache.get('a')).toBe('A'); // now b is the least recently used
    cache.set('c', 'C', 1000);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
  });

  it('stores nothing for a zero lifetime or a zero size', () => {
    const cache = new BoundedTtlCache<string>(2, clock);
    cache.set('a', 'A', 0);
    expect(cache.get('a')).toBeUndefined();
    const none = new BoundedTtlCache<string>(0, clock);
    none.set('a', 'A', 1000);
    expect(none.size).toBe(0);
  });
});
