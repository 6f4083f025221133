import type { Redis } from 'ioredis';
import type { TokenDenyList } from '../deny-list.js';

export class RedisTokenDenyList implements TokenDenyList {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(tenantId: string, jti: string): string {
    return `${this.prefix}{${tenantId}}:denied-jti:${jti}`;
  }

  async deny(tenantId: string, jti: string, expiresAt: number): Promise<void> {
    if (expiresAt * 1000 <= Date.now()) return;
    await this.redis.set(this.key(tenantId, jti), '1', 'EXAT', Math.ceil(expiresAt));
  }

  async isDenied(tenantId: string, jti: string): Promise<boolean> {
    return (await this.redis.exists(this.key(tenantId, jti))) === 1;
  }
}
