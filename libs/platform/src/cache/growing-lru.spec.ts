import { LRUCache } from 'lru-cache';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { growingLru } from './growing-lru.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

describe('growingLru', () => {
  it('keeps at most `limit` entries and evicts the least recently used', () => {
    const cache = growingLru<string, number>(3);
    cache.set('a', 1).set('b', 2).set('c', 3);
    expect(cache.get('a')).toBe(1); // a is now the most recently used
    cache.set('d', 4);
    expect([...cache.keys()].sort()).toEqual(['a', 'c', 'd']);
    expect(cache.size).toBe(3);
  });

  it('expires entries by ttl like a plain LRU', async () => {
    const cache = growingLru<string, string>(10, { ttl: 20 });
    cache.set('k', 'v');
    expect(cache.get('k')).toBe('v');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(cache.get('k')).toBeUndefined();
  });

  it('costs next to nothing while empty, where a preallocated LRU of the same bound does not', () => {
    const count = 200;
    const before = heapAfterGc();
    const growing = Array.from({ length: count }, () => growingLru<string, string>(10_000, { ttl: 60_000 }));
    const growingBytes = heapAfterGc() - before;
    const preallocated = Array.from(
      { length: count },
      () => new LRUCache<string, string>({ max: 10_000, ttl: 60_000 }),
    );
    const preallocatedBytes = heapAfterGc() - before - growingBytes;
    expect(growing).toHaveLength(count);
    expect(preallocated).toHaveLength(count);
    // 200 preallocated caches of 10,000 entries with ttl: ~56 MB; growing ones: a few hundred KB.
    expect(preallocatedBytes).toBeGreaterThan(count * 10_000 * 16);
    // Relative, so that what other suites of the same worker allocate meanwhile cannot decide it.
    expect(growingBytes).toBeLessThan(preallocatedBytes / 10);
  });
});
