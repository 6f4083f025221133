import { ClientsService, consoleClientFields, isUniqueViolation } from '@app/clients';
import { UsersService } from '@app/identity';
import { KeysService } from '@app/keys';
import { RbacService } from '@app/rbac';
import {
  APP_CONFIG,
  type AppConfig,
  ConflictError,
  SHARED_STATE,
  type SharedState,
  NotFoundError,
  ValidationError,
  assertTenantAccess,
  type Principal,
  generateSecret,
} from '@app/platform';
import {
  effectiveSettings,
  isValidTenantSlug,
  SYSTEM_TENANT_SLUG,
  type TenantEntity,
  type TenantSettings,
  TenantsRepository,
} from '@app/tenancy';
import { WebhooksService } from '@app/webhooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { TenantProviderRegistry, ADMIN_SCOPE, adminResourceIdentifier } from '@app/protocol';

/** The operator created on a first start without bootstrap credentials. */
const GENERATED_ADMIN_USERNAME = 'admin';

/** The seeded role that holds every admin permission. */
const ADMIN_ROLE = 'admin';

/**
 * A tenant is an issuer: creating one creates its signing key in the same transaction, and
 * deleting one removes its rows (cascade) and its Redis keys, then tells every instance.
 */
@Injectable()
export class TenantProvisioningService {
  private readonly logger = new Logger('tenants');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SHARED_STATE) private readonly store: SharedState,
    private readonly tenants: TenantsRepository,
    private readonly keys: KeysService,
    private readonly clients: ClientsService,
    private readonly users: UsersService,
    private readonly rbac: RbacService,
    private readonly registry: TenantProviderRegistry,
    private readonly webhooks: WebhooksService,
  ) {}

  issuerOf(tenant: Pick<TenantEntity, 'slug'>): string {
    return `${this.config.publicUrl}/t/${tenant.slug}`;
  }

  get adminResource(): string {
    return adminResourceIdentifier(this.config.publicUrl);
  }

  private get consoleClient() {
    return consoleClientFields(this.config.publicUrl, this.adminResource);
  }

  async create(slug: string, displayName: string): Promise<TenantEntity> {
    if (!isValidTenantSlug(slug)) throw new ValidationError('slug must match ^[a-z0-9][a-z0-9-]{1,62}$');
    try {
      const tenant = await this.tenants.transaction(async (manager) => {
        const created = await this.tenants.insert(manager, { slug, displayName });
        await this.keys.createCurrentKey(created.id, manager);
        await this.rbac.seedDefaultRoles(created.id, manager);
        return created;
      });
      await this.clients.ensureConsoleClient(this.consoleClient, tenant.id);
      await this.registry.tenantChanged(tenant.id);
      return tenant;
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`tenant "${slug}" already exists`);
      throw error;
    }
  }

  /** The tenant a principal acts on: 403 for another tenant's principal, 404 when there is none. */
  async getFor(principal: Principal, slug: string): Promise<TenantEntity> {
    assertTenantAccess(principal, slug);
    return this.get(slug);
  }

  async get(slug: string): Promise<TenantEntity> {
    const tenant = isValidTenantSlug(slug) ? await this.tenants.findBySlug(slug) : null;
    if (!tenant) throw new NotFoundError('tenant');
    return tenant;
  }

  list(limit: number, cursor?: string): Promise<TenantEntity[]> {
    return this.tenants.list(limit, cursor);
  }

  /** Settings are merged (a PATCH names only what changes); every instance rebuilds the provider. */
  async update(slug: string, changes: { displayName?: string; settings?: TenantSettings }): Promise<TenantEntity> {
    const tenant = await this.get(slug);
    const settings = changes.settings
      ? {
          ...tenant.settings,
          ...changes.settings,
          passwordPolicy: { ...tenant.settings.passwordPolicy, ...changes.settings.passwordPolicy },
          lockout: { ...tenant.settings.lockout, ...changes.settings.lockout },
          sessions: { ...tenant.settings.sessions, ...changes.settings.sessions },
          rateLimits: { ...tenant.settings.rateLimits, ...changes.settings.rateLimits },
        }
      : undefined;
    const policy = effectiveSettings(settings ?? tenant.settings).passwordPolicy;
    if (policy.maxLength < policy.minLength) throw new ValidationError('passwordPolicy.maxLength must be ≥ minLength');
    const sessions = effectiveSettings(settings ?? tenant.settings).sessions;
    if (sessions.absoluteTimeoutSeconds < sessions.idleTimeoutSeconds)
      throw new ValidationError('sessions.absoluteTimeoutSeconds must be ≥ idleTimeoutSeconds');
    await this.tenants.update(tenant.id, {
      ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
      ...(settings ? { settings } : {}),
    });
    await this.registry.tenantChanged(tenant.id);
    return this.get(slug);
  }

  async delete(slug: string): Promise<void> {
    if (slug === SYSTEM_TENANT_SLUG) throw new ValidationError('the system tenant cannot be deleted');
    const tenant = await this.get(slug);
    await this.tenants.delete(tenant.id);
    await this.store.purgeTenant(tenant.id);
    await this.webhooks.purgeTenant(tenant.id);
    await this.registry.tenantChanged(tenant.id);
  }

  async stats(slug: string) {
    const tenant = await this.get(slug);
    const [users, clients, activeSessions, hours] = await Promise.all([
      this.users.count(tenant.id),
      this.clients.count(tenant.id),
      this.store.oidcAdapterFactory(tenant.id).count('Session'),
      this.store.tokenStats.hourlyLast24h(tenant.id),
    ]);
    const grantTypes = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
    const tokensIssuedLast24h = Object.fromEntries(
      grantTypes.map((grant) => [grant, hours.reduce((sum, h) => sum + h.counts[grant], 0)]),
    );
    // Per hour, oldest first: what the console charts.
    const hourly = hours.map(({ hour, counts }) => ({
      hour: new Date(hour * 3600_000).toISOString(),
      signIns: counts.sign_in,
      tokens: grantTypes.reduce((sum, grant) => sum + counts[grant], 0),
    }));
    return { users, clients, activeSessions, tokensIssuedLast24h, hourly };
  }

  async rotateKeys(slug: string): Promise<string> {
    const tenant = await this.get(slug);
    const key = await this.keys.rotate(tenant.id);
    await this.registry.tenantChanged(tenant.id);
    return key.kid;
  }

  /** First start: the system tenant, and the operator credentials the environment asks for. */
  /**
   * The system tenant and the operators' credentials. On the very first start with no
   * bootstrap credentials configured, an admin client and an admin user `admin` are created
   * with random secrets, returned once (for the start banner) and stored only as hashes.
   */
  async bootstrap(): Promise<{
    created: boolean;
    generatedClient?: { clientId: string; clientSecret: string };
    generatedUser?: { username: string; password: string };
  }> {
    let created = false;
    let system = await this.tenants.findBySlug(SYSTEM_TENANT_SLUG);
    if (!system) {
      try {
        system = await this.create(SYSTEM_TENANT_SLUG, 'System');
        created = true;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        system = (await this.tenants.findBySlug(SYSTEM_TENANT_SLUG))!;
      }
    }
    const adminClient = {
      name: 'Bootstrap admin',
      applicationType: 'service' as const,
      resources: [this.adminResource],
      scopes: [ADMIN_SCOPE],
    };
    let generatedClient: { clientId: string; clientSecret: string } | undefined;
    if (this.config.bootstrapAdminClient) {
      const client = await this.clients.ensure(system.id, { ...adminClient, ...this.config.bootstrapAdminClient }, [
        this.adminResource,
      ]);
      await this.rbac.grant(system.id, 'client', client.id, [ADMIN_ROLE]);
    } else if (created) {
      const { client, clientSecret } = await this.clients.create(system.id, adminClient, [this.adminResource]);
      await this.rbac.grant(system.id, 'client', client.id, [ADMIN_ROLE]);
      generatedClient = { clientId: client.clientId, clientSecret: clientSecret! };
    }
    let generatedUser: { username: string; password: string } | undefined;
    if (!this.config.bootstrapAdminUser && !this.config.bootstrapAdminClient && created) {
      // A newcomer's first `npm start`: someone must be able to sign in to the console.
      generatedUser = { username: GENERATED_ADMIN_USERNAME, password: generateSecret(18) };
    }
    const adminUser = this.config.bootstrapAdminUser ?? generatedUser;
    if (adminUser) {
      const policy = effectiveSettings(system.settings).passwordPolicy;
      const user = await this.users.ensure(system.id, adminUser, policy).catch((error: unknown) => {
        if (error instanceof ValidationError) throw new Error(`BOOTSTRAP_ADMIN_PASSWORD is refused: ${error.message}`);
        throw error;
      });
      await this.rbac.grant(system.id, 'user', user.id, [ADMIN_ROLE]);
    }
    // Every tenant's console client, repaired if PUBLIC_URL moved (one statement for all).
    await this.clients.ensureConsoleClient(this.consoleClient);
    this.logger.log(created ? 'created the system tenant' : 'system tenant present');
    return { created, generatedClient, generatedUser };
  }
}
