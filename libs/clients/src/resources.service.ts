import { ConflictError, NotFoundError, ValidationError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys/api-keys.repository.js';
import { STANDARD_SCOPES } from './client-metadata.js';
import { ClientsChangeFeed } from './clients-changes.js';
import { ApiResourcesRepository, ClientsRepository, type ResourceFields } from './clients.repository.js';
import { isUniqueViolation } from './unique-violation.js';
import type { ApiResourceEntity } from './resource.entity.js';

export interface ResourceInput {
  identifier: string;
  name: string;
  scopes: string[];
  scopeDescriptions?: Record<string, string>;
  accessTokenTtl?: number;
  introspectionClients?: string[];
}

/** What may change on a resource; the identifier is fixed (it is every token's `aud`). */
export type ResourceChanges = Partial<Omit<ResourceInput, 'identifier' | 'accessTokenTtl'>> & {
  accessTokenTtl?: number | null;
};

/**
 * Told of a resource about to be created (`before` null), changed or deleted (`after` null);
 * throws to refuse it. The permission registry (rbac) refuses a change that would take away
 * a permission a role grants.
 */
export type ResourceChangeGuard = (
  tenantId: string,
  change: { before: ApiResourceEntity | null; after: ResourceFields | null },
) => Promise<void>;

/** API resources (RFC 8707 resource indicators): their scopes, lifetimes and resource servers. */
@Injectable()
export class ApiResourcesService {
  private guards: ResourceChangeGuard[] = [];

  constructor(
    private readonly resources: ApiResourcesRepository,
    private readonly clients: ClientsRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly feed: ClientsChangeFeed,
  ) {}

  useChangeGuard(guard: ResourceChangeGuard): void {
    this.guards.push(guard);
  }

  private async guard(tenantId: string, before: ApiResourceEntity | null, after: ResourceFields | null) {
    for (const guard of this.guards) await guard(tenantId, { before, after });
  }

  async create(tenantId: string, input: ResourceInput, builtInResources: string[] = []): Promise<ApiResourceEntity> {
    if (builtInResources.includes(input.identifier)) throw new ConflictError('this resource identifier is built in');
    const fields: ResourceFields = {
      identifier: input.identifier,
      name: input.name,
      scopes: [...new Set(input.scopes)],
      scopeDescriptions: input.scopeDescriptions ?? {},
      accessTokenTtl: input.accessTokenTtl ?? null,
      introspectionClients: [...new Set(input.introspectionClients ?? [])],
    };
    await this.assertConsistent(tenantId, fields);
    await this.guard(tenantId, null, fields);
    try {
      const resource = await this.resources.insert(tenantId, fields);
      await this.feed.changed(tenantId);
      return resource;
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('a resource with this identifier already exists');
      throw error;
    }
  }

  list(tenantId: string): Promise<ApiResourceEntity[]> {
    return this.resources.listAll(tenantId);
  }

  async get(tenantId: string, id: string): Promise<ApiResourceEntity> {
    const resource = /^[0-9a-f-]{36}$/i.test(id) ? await this.resources.findById(tenantId, id) : null;
    if (!resource) throw new NotFoundError('resource');
    return resource;
  }

  /**
   * Removing a scope is refused (409) while an API key holds it or a role grants it as a
   * permission: either would silently lose rights it was given. Take it from them first.
   */
  async update(tenantId: string, id: string, changes: ResourceChanges): Promise<ApiResourceEntity> {
    const before = await this.get(tenantId, id);
    const after: ResourceFields = {
      identifier: before.identifier,
      name: changes.name ?? before.name,
      scopes: changes.scopes ? [...new Set(changes.scopes)] : before.scopes,
      scopeDescriptions: changes.scopeDescriptions ?? before.scopeDescriptions,
      accessTokenTtl: changes.accessTokenTtl === undefined ? before.accessTokenTtl : changes.accessTokenTtl,
      introspectionClients: changes.introspectionClients
        ? [...new Set(changes.introspectionClients)]
        : before.introspectionClients,
    };
    // Descriptions of scopes that go away go with them.
    if (!changes.scopeDescriptions) after.scopeDescriptions = onlyFor(after.scopes, after.scopeDescriptions);
    await this.assertConsistent(tenantId, after);
    const removed = before.scopes.filter((scope) => !after.scopes.includes(scope));
    if (removed.length) {
      const keys = await this.apiKeys.namesUsing(tenantId, before.identifier, removed);
      if (keys.length) {
        throw new ConflictError(
          `API keys hold the scopes ${removed.join(', ')}: ${keys.join(', ')}; change them first`,
        );
      }
    }
    await this.guard(tenantId, before, after);
    await this.resources.update(tenantId, id, after);
    await this.feed.changed(tenantId);
    return this.get(tenantId, id);
  }

  /** Refused (409) while a client may ask for it, an API key is bound to it or a role grants its permissions. */
  async delete(tenantId: string, id: string): Promise<void> {
    const resource = await this.get(tenantId, id);
    const clients = await this.clients.clientIdsListing(tenantId, resource.identifier);
    if (clients.length) throw new ConflictError(`clients are allowed this resource: ${clients.join(', ')}`);
    const keys = await this.apiKeys.namesUsing(tenantId, resource.identifier);
    if (keys.length) throw new ConflictError(`API keys are bound to this resource: ${keys.join(', ')}`);
    await this.guard(tenantId, resource, null);
    await this.resources.delete(tenantId, id);
    await this.feed.changed(tenantId);
  }

  private async assertConsistent(tenantId: string, fields: ResourceFields): Promise<void> {
    // OpenID scopes mean the same at every resource; a resource cannot redefine them.
    const reserved = fields.scopes.filter((scope) => STANDARD_SCOPES.includes(scope));
    if (reserved.length) throw new ValidationError(`scopes reserved by OpenID Connect: ${reserved.join(', ')}`);
    const undescribed = Object.keys(fields.scopeDescriptions).filter((scope) => !fields.scopes.includes(scope));
    if (undescribed.length) {
      throw new ValidationError(
        `scopeDescriptions name scopes the resource does not define: ${undescribed.join(', ')}`,
      );
    }
    const refused: string[] = [];
    for (const clientId of fields.introspectionClients) {
      const client = await this.clients.findByClientId(tenantId, clientId);
      // Introspection needs client authentication: a public client cannot prove who it is.
      if (!client || !client.secretHash) refused.push(clientId);
    }
    if (refused.length) {
      throw new ValidationError(
        `introspectionClients must be confidential clients of this tenant: ${refused.join(', ')}`,
      );
    }
  }
}

function onlyFor(scopes: string[], descriptions: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(descriptions).filter(([scope]) => scopes.includes(scope)));
}
