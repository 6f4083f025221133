import { LRUCache } from 'lru-cache';

/** What lru-cache accepts as a key or value: anything but null and undefined. */
type Present = NonNullable<unknown>;

export type GrowingLruOptions<K extends Present, V extends Present> = Omit<
  LRUCache.Options<K, V, unknown>,
  'max' | 'maxSize' | 'sizeCalculation' | 'maxEntrySize'
>;

/**
 * An LRU bounded to `limit` entries that allocates only for what it holds. lru-cache sizes
 * its internal arrays for `max` entries up front (16–40 bytes each): a cache per tenant
 * provider sized for a large tenant cost ~0.5 MB per tenant before holding anything, and the
 * single-process store's deny-list ~40 MB at start. Counting entries through `maxSize`
 * keeps the same bound and eviction order with arrays that grow as entries arrive.
 */
export function growingLru<K extends Present, V extends Present>(
  limit: number,
  options: GrowingLruOptions<K, V> = {},
): LRUCache<K, V> {
  return new LRUCache<K, V>({ ...options, maxSize: limit, sizeCalculation: () => 1 } as LRUCache.Options<
    K,
    V,
    unknown
  >);
}
