import { indexedSessions } from './indexed-sessions.js';
import { reuseClientInstances } from './client-instances.js';
import { tokenAuditInput } from './token-audit.js';
import { AuditService } from '@app/audit';
import { ApiResourcesService, ClientsService, type ApiResourceEntity, type ClientEntity } from '@app/clients';
import { type UserEntity, UsersService } from '@app/identity';
import { RbacService } from '@app/rbac';
import { SessionsService } from '@app/sessions';
import { KeysService } from '@app/keys';
import {
  APP_CONFIG,
  type AppConfig,
  SHARED_STATE,
  type SharedState,
  growingLru,
  MASTER_KEY,
  Metrics,
  ValidationError,
} from '@app/platform';
import { effectiveSettings, type TenantEntity, TenantsRepository } from '@app/tenancy';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { hkdfSync } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { buildTenantProvider, clientMetadata, type TenantProvider } from './provider-factory.js';
import { withRefreshReuseGrace } from './refresh-reuse-grace.js';
import { skippingApiKeys } from './api-key-tokens.js';
import { ApiKeyVerifier } from './api-key-verifier.js';
import { ApiKeyRevocations } from './api-key-revocations.js';
import { effectiveTtls } from './tenant-settings.js';

export interface TenantRuntime extends TenantProvider {
  tenant: TenantEntity;
  /** Signed-in users looked up by the provider (claims, disabled check), dropped on change. */
  users: LRUCache<string, Promise<UserEntity | null>>;
  /** Effective roles and permissions of a user or client (clients.id), cached with the runtime. */
  accessOf(kind: 'user' | 'client', id: string): Promise<{ roles: string[]; permissions: string[] }>;
}

const TENANT_CHANGED = 'tenant-changed';
const USER_CHANGED = 'user-changed';
/** Safety net only: a change is announced to every instance at once (USER_CHANGED). */
const USER_CACHE_TTL_MS = 60_000;
/** Bounded: a provider costs ~0.5 MB, and 10,000 tenants must not mean 10,000 of them in memory. */
const MAX_PROVIDERS = 250;
const IDLE_EVICTION_MS = 30 * 60 * 1000;
/** Unknown slugs are remembered briefly so a flood of them does not hit Postgres per request. */
const NEGATIVE_TTL_MS = 5_000;

/**
 * One oidc-provider per tenant, built lazily from that tenant's keys, clients and settings
 * and kept in an LRU. Any instance that changes a tenant publishes "tenant changed"; every
 * instance (this one included) drops its cached provider and rebuilds on the next request.
 */
@Injectable()
export class TenantProviderRegistry implements OnModuleInit {
  private readonly logger = new Logger('tenants');
  private readonly runtimes = new LRUCache<string, Promise<TenantRuntime | null>>({
    max: MAX_PROVIDERS,
    ttl: IDLE_EVICTION_MS,
    updateAgeOnGet: true,
  });
  private readonly unknown = growingLru<string, true>(10_000, { ttl: NEGATIVE_TTL_MS });
  /** What each runtime promise resolved to, for `peek`; entries go with their promises. */
  private readonly settled = new WeakMap<Promise<TenantRuntime | null>, TenantRuntime | null>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MASTER_KEY) private readonly masterKey: Buffer,
    @Inject(SHARED_STATE) private readonly store: SharedState,
    private readonly tenants: TenantsRepository,
    private readonly keys: KeysService,
    private readonly clients: ClientsService,
    private readonly resources: ApiResourcesService,
    private readonly apiKeys: ApiKeyVerifier,
    private readonly apiKeyRevocations: ApiKeyRevocations,
    private readonly users: UsersService,
    private readonly rbac: RbacService,
    private readonly metrics: Metrics,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  async onModuleInit(): Promise<void> {
    this.metrics.gauge(
      'idp_tenant_providers_cached',
      'Tenant providers built and cached (LRU)',
      () => this.runtimes.size,
    );
    await this.store.events.subscribe(TENANT_CHANGED, (tenantId: string) => this.evict(tenantId));
    this.clients.onChange((tenantId) => this.tenantChanged(tenantId));
    this.clients.useMetadataValidator((tenantId, client) => this.validateClient(tenantId, client));
    this.rbac.onChange((tenantId) => this.tenantChanged(tenantId));
    await this.store.events.subscribe(USER_CHANGED, (message: string) => {
      const [tenantId, userId] = message.split(':');
      this.forgetUser(tenantId, userId);
    });
    this.users.onChange(async (tenantId, userId) => {
      this.forgetUser(tenantId, userId);
      await this.store.events.publish(USER_CHANGED, `${tenantId}:${userId}`);
    });
  }

  get(slug: string): Promise<TenantRuntime | null> {
    if (this.unknown.has(slug)) return Promise.resolve(null);
    let runtime = this.runtimes.get(slug);
    if (!runtime) {
      const building = this.build(slug).catch((error) => {
        this.runtimes.delete(slug);
        throw error;
      });
      building.then((built) => this.settled.set(building, built)).catch(() => undefined);
      this.runtimes.set(slug, (runtime = building));
    }
    return runtime;
  }

  /**
   * The tenant's runtime if it is already built (null: no such tenant), without waiting for a
   * promise; undefined when it still has to be built. Lets the hot path skip a microtask.
   */
  peek(slug: string): TenantRuntime | null | undefined {
    if (this.unknown.has(slug)) return null;
    const runtime = this.runtimes.get(slug);
    return runtime ? this.settled.get(runtime) : undefined;
  }

  /** A client our API accepts must also load in oidc-provider, or sign-ins would fail later. */
  private async validateClient(tenantId: string, client: ClientEntity): Promise<void> {
    const tenant = await this.tenants.findById(tenantId);
    const runtime = tenant ? await this.get(tenant.slug) : null;
    if (!runtime) return;
    try {
      await runtime.provider.Client.validate(
        clientMetadata(client) as unknown as Parameters<typeof runtime.provider.Client.validate>[0],
      );
    } catch (error) {
      const described = error as { error_description?: string; message?: string };
      throw new ValidationError(`invalid client: ${described.error_description ?? described.message}`);
    }
  }

  /** Tell every instance (this one included) to rebuild the tenant's provider. */
  async tenantChanged(tenantId: string): Promise<void> {
    this.evict(tenantId);
    await this.store.events.publish(TENANT_CHANGED, tenantId);
  }

  private forgetUser(tenantId: string, userId: string): void {
    for (const runtime of this.runtimes.values()) {
      void runtime.then((r) => {
        if (r?.tenant.id === tenantId) r.users.delete(userId);
      });
    }
  }

  private evict(tenantId: string): void {
    // Deleting a client deletes its API keys too.
    this.apiKeys.forget(tenantId);
    for (const [slug, runtime] of this.runtimes.entries()) {
      void runtime.then((r) => {
        if (r?.tenant.id === tenantId && this.runtimes.get(slug) === runtime) this.runtimes.delete(slug);
      });
    }
    this.unknown.clear();
  }

  private async build(slug: string): Promise<TenantRuntime | null> {
    const tenant = await this.tenants.findBySlug(slug);
    if (!tenant) {
      this.unknown.set(slug, true);
      this.runtimes.delete(slug);
      return null;
    }
    const ttl = effectiveTtls(tenant.settings);
    const resources = new Map<string, ApiResourceEntity>(
      (await this.resources.list(tenant.id)).map((r) => [r.identifier, r]),
    );
    const longestSignedToken = Math.max(
      ttl.idToken,
      ttl.accessToken,
      ...[...resources.values()].map((r) => r.accessTokenTtl ?? 0),
    );
    const signingKeys = await this.keys.signingKeySet(tenant.id, longestSignedToken + 300);
    if (!signingKeys.length) throw new Error(`tenant ${slug} has no signing key`);

    const clientCache = growingLru<string, { entity: ClientEntity | null }>(5000);
    const findClient = async (clientId: string) => {
      let hit = clientCache.get(clientId);
      if (!hit) {
        hit = { entity: await this.clients.find(tenant.id, clientId) };
        clientCache.set(clientId, hit);
      }
      return hit.entity;
    };
    const users = growingLru<string, Promise<UserEntity | null>>(10_000, { ttl: USER_CACHE_TTL_MS });
    // Dropped with the whole runtime when roles or assignments change (tenant changed event).
    const accessCache = growingLru<string, { roles: string[]; permissions: string[] }>(10_000);
    const accessOf = async (kind: 'user' | 'client', id: string) => {
      const key = `${kind}:${id}`;
      let access = accessCache.get(key);
      if (!access) accessCache.set(key, (access = await this.rbac.effective(tenant.id, kind, id)));
      return access;
    };
    const oidcAdapter = this.store.oidcAdapterFactory(tenant.id);
    const reuseGraceSeconds = effectiveSettings(tenant.settings).refreshTokenReuseGraceSeconds;
    const adapter = (model: string) => {
      if (model === 'Session') return indexedSessions(tenant.id, oidcAdapter(model), this.sessions, this.audit);
      if (model === 'RefreshToken')
        return skippingApiKeys(withRefreshReuseGrace(oidcAdapter(model), reuseGraceSeconds));
      if (model === 'AccessToken' || model === 'ClientCredentials') return skippingApiKeys(oidcAdapter(model));
      if (model !== 'Client') return oidcAdapter(model);
      return {
        async find(id: string) {
          const client = await findClient(id);
          return client ? clientMetadata(client) : undefined;
        },
      } as ReturnType<typeof oidcAdapter>;
    };

    const built = buildTenantProvider({
      publicUrl: this.config.publicUrl,
      tenant,
      signingKeys,
      cookieKeys: [hkdfKey(this.masterKey, `cookies:${tenant.id}`)],
      adapter: adapter as never,
      findClient,
      findResource: async (identifier) => resources.get(identifier) ?? null,
      // The lookup itself is cached: a change that lands while it runs deletes it, so its
      // (possibly stale) answer is never kept.
      findUser: (id) => {
        let lookup = users.get(id);
        if (!lookup) {
          lookup = this.users.find(tenant.id, id);
          users.set(id, lookup);
          lookup.catch(() => users.delete(id));
        }
        return lookup;
      },
      accessOf,
      denyList: {
        deny: (jti, exp) => this.store.denyList.deny(tenant.id, jti, exp),
        isDenied: (jti) => this.store.denyList.isDenied(tenant.id, jti),
      },
      apiKeys: {
        find: (presented) => this.apiKeys.find(presented),
        markUsed: (key) => this.apiKeys.markUsed(key),
        revoke: (key, ctx) => this.apiKeyRevocations.revoke(key, ctx),
      },
      trustProxy: this.config.trustProxy,
      secureCookies: this.config.publicUrl.startsWith('https:'),
      failures: this.store.failures,
      throttle: this.store.throttle,
      // Counted off the response path: a failed increment must never fail a token request.
      onTokenIssued: (grantType) => {
        this.metrics.tokensIssued.inc({ grant_type: grantType });
        void this.store.tokenStats.recordIssued(tenant.id, grantType).catch(() => undefined);
      },
      onClientAuthFailure: () => this.metrics.authFailures.inc({ kind: 'client_secret' }),
      onClientLimited: (kind) => this.metrics.rateLimited.inc({ kind }),
      tokenAudit: {
        batched: (event) => this.audit.recordBatched(tenant.id, tokenAuditInput(event)),
        durable: (event) => this.audit.record(tenant.id, tokenAuditInput(event)),
      },
      onServerError: (error) =>
        this.logger.error(`oidc-provider server error in tenant ${slug}: ${error.message}`, error.stack),
    });
    reuseClientInstances(built.provider);
    this.logger.debug(`built provider for tenant ${slug}`);
    return { ...built, tenant, users, accessOf };
  }
}

function hkdfKey(masterKey: Buffer, info: string): string {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32)).toString('base64url');
}
