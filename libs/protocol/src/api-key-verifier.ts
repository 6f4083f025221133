import { ApiKeysService, isWellFormedApiKey } from '@app/clients';
import { growingLru, SHARED_STATE, type SharedState, sha256Base64Url } from '@app/platform';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';

/** An API key as the protocol needs it, whoever asks (introspection, the admin API). */
export interface StoredApiKey {
  id: string;
  tenantId: string;
  tenantSlug: string;
  /** The owning client's public id (the key's `client_id` and `sub`). */
  clientId: string;
  /** clients.id of the owner, for its roles. */
  clientRowId: string;
  name: string;
  resource: string | null;
  scopes: string[];
  expiresAt: Date | null;
  /** When this key value was issued: created, or last regenerated. */
  issuedAt: Date;
}

const API_KEYS_CHANGED = 'api-keys-changed';
/** Safety net only: every change that ends a key is announced to every instance at once. */
const CACHE_TTL_MS = 60_000;

export function isActive(key: StoredApiKey, now = Date.now()): boolean {
  return !key.expiresAt || key.expiresAt.getTime() > now;
}

/**
 * Finds presented API keys without a Postgres query per request: look-ups are cached by the
 * key's SHA-256 (so the cache never holds a usable key), misses included, and dropped on
 * every instance as soon as a key of the tenant is regenerated or deleted (Redis pub/sub),
 * or the tenant's clients change. A look-up that was under way when such a change landed is
 * not kept. Malformed keys (wrong shape or checksum) never reach the cache or the database.
 */
@Injectable()
export class ApiKeyVerifier implements OnModuleInit {
  private readonly cache = growingLru<string, { found: StoredApiKey | null }>(10_000, { ttl: CACHE_TTL_MS });
  private generation = 0;

  constructor(
    private readonly apiKeys: ApiKeysService,
    @Inject(SHARED_STATE) private readonly store: SharedState,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.store.events.subscribe(API_KEYS_CHANGED, (tenantId: string) => this.forget(tenantId));
    this.apiKeys.onChange(async (tenantId) => {
      this.forget(tenantId);
      await this.store.events.publish(API_KEYS_CHANGED, tenantId);
    });
  }

  /** The stored key, expired or not; null for anything we did not issue (or no longer hold). */
  async find(presented: unknown): Promise<StoredApiKey | null> {
    if (!isWellFormedApiKey(presented)) return null;
    const digest = sha256Base64Url(presented);
    const hit = this.cache.get(digest);
    if (hit) return hit.found;
    const generation = this.generation;
    const row = await this.apiKeys.findByPresentedKey(presented);
    const found: StoredApiKey | null = row && {
      id: row.key.id,
      tenantId: row.key.tenantId,
      tenantSlug: row.tenantSlug,
      clientId: row.clientId,
      clientRowId: row.key.clientRowId,
      name: row.key.name,
      resource: row.key.resource,
      scopes: row.key.scopes,
      expiresAt: row.key.expiresAt,
      issuedAt: row.key.regeneratedAt ?? row.key.createdAt,
    };
    if (generation === this.generation) this.cache.set(digest, { found });
    return found;
  }

  /** The key if it is active, its use recorded (in batches): for callers that accept any active key. */
  async use(presented: unknown): Promise<StoredApiKey | null> {
    const key = await this.find(presented);
    if (!key || !isActive(key)) return null;
    this.markUsed(key);
    return key;
  }

  /** A key was accepted: its last use moves (written in batches). */
  markUsed(key: StoredApiKey): void {
    this.apiKeys.recordUse(key.id);
  }

  /** Drops what is known of a tenant's keys (and any look-up under way). */
  forget(tenantId: string): void {
    this.generation++;
    for (const [digest, entry] of this.cache.entries()) {
      if (entry.found?.tenantId === tenantId) this.cache.delete(digest);
    }
  }
}
