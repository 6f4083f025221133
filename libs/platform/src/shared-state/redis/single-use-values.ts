import type { Redis } from 'ioredis';
import type { SingleUseValues } from '../single-use-values.js';

export class RedisSingleUseValues implements SingleUseValues {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(tenantId: string, key: string): string {
    return `${this.prefix}{${tenantId}}:once:${key}`;
  }

  async put(tenantId: string, key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.key(tenantId, key), value, 'EX', ttlSeconds);
  }

  /** GETDEL: reading and removing are one command, so a value is never handed out twice. */
  take(tenantId: string, key: string): Promise<string | null> {
    return this.redis.getdel(this.key(tenantId, key));
  }
}
