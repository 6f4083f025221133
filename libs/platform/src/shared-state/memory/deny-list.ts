import { growingLru } from '../../cache/growing-lru.js';
import type { TokenDenyList } from '../deny-list.js';

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
