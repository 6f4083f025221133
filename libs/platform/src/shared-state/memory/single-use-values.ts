import { growingLru } from '../../cache/growing-lru.js';
import type { SingleUseValues } from '../single-use-values.js';

export class MemorySingleUseValues implements SingleUseValues {
  private readonly values = growingLru<string, string>(100_000);

  async put(tenantId: string, key: string, value: string, ttlSeconds: number): Promise<void> {
    this.values.set(`${tenantId}:${key}`, value, { ttl: ttlSeconds * 1000 });
  }

  // No await between reading and deleting: atomic within the one process this store serves.
  async take(tenantId: string, key: string): Promise<string | null> {
    const full = `${tenantId}:${key}`;
    const value = this.values.get(full);
    this.values.delete(full);
    return value ?? null;
  }
}
