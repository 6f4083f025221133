import { ApiKeysService, ApiResourcesService, ClientsService } from '@app/clients';
import { UsersService } from '@app/identity';
import { PasskeysService } from '@app/passkeys';
import { RbacService } from '@app/rbac';
import { TenantsRepository } from '@app/tenancy';
import { Injectable } from '@nestjs/common';

export type Snapshot = Record<string, unknown>;
type Params = Record<string, string>;

/** Fields that hold credentials: compared, never shown — only their name is recorded when they change. */
const CREDENTIAL_FIELD = /secret|password|hash|apikey/i;

/**
 * What an admin route changes, as plain state read before and after the handler runs, so
 * the audit trail can say "displayName: Acme → Acme Corp". Credentials are part of the
 * state only to notice that they changed.
 */
@Injectable()
export class AdminChangeSnapshots {
  private readonly loaders: [RegExp, (tenantId: string, params: Params) => Promise<Snapshot | null>][] = [
    [/\/clients\/:clientId\/api-keys\/:id(\/regenerate)?$/, (t, p) => this.apiKey(t, p.clientId, p.id)],
    [/\/clients\/:clientId\/roles$/, async (t, p) => this.rolesOf(t, 'client', await this.clientRowId(t, p.clientId))],
    [/\/users\/:id\/roles$/, (t, p) => this.rolesOf(t, 'user', p.id)],
    [/\/clients\/:clientId(\/secret)?$/, (t, p) => this.client(t, p.clientId)],
    [/\/users\/:id(\/(mfa|password|lockout))?$/, (t, p) => this.user(t, p.id)],
    [/\/users\/:id\/passkeys\/:pid$/, (t, p) => this.passkey(t, p.id, p.pid)],
    [/\/roles\/:id$/, (t, p) => this.role(t, p.id)],
    [/\/resources\/:id$/, (t, p) => this.resource(t, p.id)],
    [/\/tenants\/:slug$/, (t) => this.tenant(t)],
  ];

  constructor(
    private readonly tenants: TenantsRepository,
    private readonly clients: ClientsService,
    private readonly resources: ApiResourcesService,
    private readonly apiKeys: ApiKeysService,
    private readonly users: UsersService,
    private readonly rbac: RbacService,
    private readonly passkeys: PasskeysService,
  ) {}

  /** The state behind a route (`/admin/tenants/:slug/users/:id`), or null when it has none or is gone. */
  async capture(route: string, tenantId: string, params: Params): Promise<Snapshot | null> {
    const loader = this.loaders.find(([pattern]) => pattern.test(route));
    return loader ? loader[1](tenantId, params).catch(() => null) : null;
  }

  private async tenant(tenantId: string): Promise<Snapshot | null> {
    const tenant = await this.tenants.findById(tenantId);
    return tenant && { slug: tenant.slug, displayName: tenant.displayName, settings: tenant.settings };
  }

  private async client(tenantId: string, clientId: string): Promise<Snapshot | null> {
    const c = await this.clients.find(tenantId, clientId);
    return (
      c && {
        name: c.name,
        applicationType: c.applicationType,
        redirectUris: c.redirectUris,
        postLogoutRedirectUris: c.postLogoutRedirectUris,
        scopes: c.scopes,
        resources: c.resources,
        firstParty: c.firstParty,
        secret: c.secretHash,
      }
    );
  }

  private async apiKey(tenantId: string, clientId: string, id: string): Promise<Snapshot> {
    const k = await this.apiKeys.get(tenantId, clientId, id);
    return {
      name: k.name,
      resource: k.resource,
      scopes: k.scopes,
      expiresAt: k.expiresAt?.toISOString() ?? null,
      keyHash: k.keyHash,
    };
  }

  private async resource(tenantId: string, id: string): Promise<Snapshot> {
    const r = await this.resources.get(tenantId, id);
    return {
      identifier: r.identifier,
      name: r.name,
      scopes: r.scopes,
      scopeDescriptions: r.scopeDescriptions,
      accessTokenTtl: r.accessTokenTtl,
      introspectionClients: r.introspectionClients,
    };
  }

  private async clientRowId(tenantId: string, clientId: string): Promise<string> {
    return (await this.clients.get(tenantId, clientId)).id;
  }

  private async user(tenantId: string, id: string): Promise<Snapshot | null> {
    const u = await this.users.find(tenantId, id);
    return (
      u && {
        username: u.username,
        email: u.email,
        emailVerified: u.emailVerified,
        disabled: u.disabled,
        password: u.passwordHash,
      }
    );
  }

  private async passkey(tenantId: string, userId: string, id: string): Promise<Snapshot | null> {
    const k = await this.passkeys.get(tenantId, userId, id);
    return { name: k.name, deviceType: k.backupEligible ? 'multiDevice' : 'singleDevice', createdAt: k.createdAt };
  }

  private async role(tenantId: string, id: string): Promise<Snapshot | null> {
    const r = await this.rbac.getRole(tenantId, id);
    return { name: r.name, description: r.description, permissions: r.permissions, includes: r.includes };
  }

  private async rolesOf(tenantId: string, kind: 'user' | 'client', id: string): Promise<Snapshot> {
    return { roles: await this.rbac.assignedRoles(tenantId, kind, id) };
  }
}

export interface ChangeDescription {
  /** `{field: {before, after}}` for the fields that differ. */
  changes: Record<string, { before: unknown; after: unknown }>;
  /** Names of credential fields that changed (their values never appear). */
  credentialsChanged: string[];
}

/** The top-level fields that differ between two states; credentials by name only. */
export function describeChanges(before: Snapshot | null, after: Snapshot | null): ChangeDescription {
  const description: ChangeDescription = { changes: {}, credentialsChanged: [] };
  for (const field of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    const was = before?.[field] ?? null;
    const now = after?.[field] ?? null;
    if (JSON.stringify(was) === JSON.stringify(now)) continue;
    if (CREDENTIAL_FIELD.test(field)) description.credentialsChanged.push(field);
    else description.changes[field] = { before: was, after: now };
  }
  return description;
}
