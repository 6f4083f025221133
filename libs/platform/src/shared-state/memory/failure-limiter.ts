import { growingLru } from '../../cache/growing-lru.js';
import { type FailureLimiter, type FailureRule, type LimitState, OPEN, type Reservation } from '../failure-limiter.js';

export class MemoryFailureLimiter implements FailureLimiter {
  private readonly windows = growingLru<string, { count: number; endsAt: number }>(100_000);

  private current(key: string) {
    const window = this.windows.get(key);
    return window && window.endsAt > Date.now() ? window : undefined;
  }

  knowsBlocks(): boolean {
    return this.windows.size > 0;
  }

  async check(tenantId: string, keys: [string, FailureRule][]): Promise<LimitState> {
    for (const [key, rule] of keys) {
      const window = this.current(`${tenantId}:${key}`);
      if (window && window.count >= rule.limit) {
        return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((window.endsAt - Date.now()) / 1000)) };
      }
    }
    return OPEN;
  }

  async clear(tenantId: string, keys: string[]): Promise<void> {
    for (const key of keys) this.windows.delete(`${tenantId}:${key}`);
  }

  // No await between looking and counting: atomic within the one process this store serves.
  async reserve(tenantId: string, keys: [string, FailureRule][]): Promise<Reservation> {
    for (const [key, rule] of keys) {
      const window = this.current(`${tenantId}:${key}`);
      if (window && window.count >= rule.limit) {
        const retryAfterSeconds = Math.max(1, Math.ceil((window.endsAt - Date.now()) / 1000));
        return { blocked: true, retryAfterSeconds, filled: [], succeeded: async () => undefined };
      }
    }
    const filled = keys
      .filter(([key, rule]) => this.count(`${tenantId}:${key}`, rule) >= rule.limit)
      .map(([key]) => key);
    return {
      blocked: false,
      retryAfterSeconds: 0,
      filled,
      succeeded: async () => {
        for (const [key] of keys) {
          const window = this.current(`${tenantId}:${key}`);
          if (window && window.count > 0) window.count--;
        }
      },
    };
  }

  private count(full: string, rule: FailureRule): number {
    const window = this.current(full) ?? { count: 0, endsAt: Date.now() + rule.windowSeconds * 1000 };
    window.count++;
    this.windows.set(full, window);
    return window.count;
  }

  async recordFailure(tenantId: string, key: string, rule: FailureRule): Promise<void> {
    this.count(`${tenantId}:${key}`, rule);
  }
}
