import type { ThrottlerStorage } from '@nestjs/throttler';

export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** What both throttler storages answer, from a hit count and the remaining window and block times. */
export function toRecord(hits: number, ttlMs: number, blockedMs: number): ThrottlerStorageRecord {
  return {
    totalHits: hits,
    timeToExpire: Math.max(0, Math.ceil(ttlMs / 1000)),
    isBlocked: blockedMs > 0,
    timeToBlockExpire: Math.max(0, Math.ceil(blockedMs / 1000)),
  };
}
