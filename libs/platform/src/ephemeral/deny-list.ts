import type { Redis } from 'ioredis';
import { growingLru } from '../cache/growing-lru.js';

/** Revoked JWT access tokens (by `jti`), remembered exactly until the token would expire. */
export interface TokenDenyList {
  deny(tenantId: string, jti: string, expiresAtEpochSeconds: number): Promise<void>;
  isDenied(tenantId: string, jti: string): Promise<boolean>;
}

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

export class MemoryTokenDenyList implements TokenDenyList {
  private readonly denied = growingLru<string, true>(1_000_000);

  async deny(tenantId: string, jti: string, expiresAt: number): Promise<void> {
    const ttl = expiresAt * 1000 - Date.now();
    if (ttl > 0) this.denied.set(`${tenantId}:${jti}`, true, { ttl });
  }

  async isDenied(tenantId: string, jti: string): Promise<boolean> {
    return this.denied.has(`${tenantId}:${jti}`);
  }
}
