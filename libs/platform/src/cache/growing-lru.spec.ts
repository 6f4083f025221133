import { transformFileSync } from '@swc/core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { growingLru } from './growing-lru.js';

/**
 * Bytes that `count` caches of each kind retain, measured in a fresh Node process: in the jest
 * worker, garbage left by earlier suites is collected between the readings and decides the result.
 */
function retainedBytesInFreshProcess(count: number): { growing: number; preallocated: number } {
  const dir = mkdtempSync(join(tmpdir(), 'growing-lru-'));
  try {
    const compiled = transformFileSync(resolve(__dirname, 'growing-lru.ts'), {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    writeFileSync(join(dir, 'growing-lru.js'), compiled.code);
    const probe = `
      const { growingLru } = require('./growing-lru.js');
      const { LRUCache } = require('lru-cache');
      // Typed arrays live outside the JS heap: count both.
      const retained = () => { gc(); gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
      const before = retained();
      const growing = Array.from({ length: ${count} }, () => growingLru(10000, { ttl: 60000 }));
      const afterGrowing = retained();
      const preallocated = Array.from({ length: ${count} }, () => new LRUCache({ max: 10000, ttl: 60000 }));
      const afterPreallocated = retained();
      if (growing.length + preallocated.length !== ${2 * count}) throw new Error('caches not kept');
      console.log(JSON.stringify({ growing: afterGrowing - before, preallocated: afterPreallocated - afterGrowing }));
    `;
    writeFileSync(join(dir, 'probe.js'), probe);
    const run = spawnSync(process.execPath, ['--expose-gc', join(dir, 'probe.js')], {
      env: { NODE_PATH: resolve(__dirname, '../../../../node_modules') },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`probe failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as { growing: number; preallocated: number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
    const { growing, preallocated } = retainedBytesInFreshProcess(count);
    // 200 preallocated caches of 10,000 entries with ttl: ~56 MB; growing ones: a few hundred KB.
    expect(preallocated).toBeGreaterThan(count * 10_000 * 16);
    expect(growing).toBeLessThan(preallocated / 10);
  });
});
