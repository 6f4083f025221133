import { Injectable } from '@nestjs/common';
import { ConflictError, generateSecret, NotFoundError, sha256Base64Url, ValidationError } from '@app/platform';
import { randomBytes } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import type { ApplicationType, ClientEntity } from './client.entity.js';
import { ApiResourcesRepository, ClientsRepository } from './clients.repository.js';
import type { ApiResourceEntity } from './resource.entity.js';
import { assertNotConsoleClient, type ConsoleClientFields } from './console-client.js';

export interface ClientInput {
  name: string;
  applicationType: ApplicationType;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  scopes?: string[];
  resources?: string[];
  firstParty?: boolean;
  /** Only for bootstrap: a caller-chosen id and secret. */
  clientId?: string;
  clientSecret?: string;
}

export type ClientChanges = Partial<
  Pick<ClientInput, 'name' | 'redirectUris' | 'postLogoutRedirectUris' | 'scopes' | 'resources' | 'firstParty'>
>;

export interface ResourceInput {
  identifier: string;
  name: string;
  scopes: string[];
  accessTokenTtl?: number;
}

export interface ResourceChanges {
  name?: string;
  scopes?: string[];
  /** null: back to the tenant's default lifetime. */
  accessTokenTtl?: number | null;
}

/** Listeners learn that a tenant's clients or resources changed (provider caches rebuild). */
export const CLIENTS_CHANGED = Symbol('CLIENTS_CHANGED');
export type ClientsChangedListener = (tenantId: string) => Promise<void>;
/** Checks a client as the protocol engine will read it; throws a ValidationError if it would not load. */
export type ClientMetadataValidator = (tenantId: string, client: ClientEntity) => Promise<void>;

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '23505';
}

function assertRedirectUris(type: ApplicationType, uris: string[]): void {
  if (type === 'service') {
    if (uris.length) throw new ValidationError('service clients have no redirectUris');
    return;
  }
  if (!uris.length) throw new ValidationError(`${type} clients need at least one redirect URI`);
  for (const uri of uris) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new ValidationError(`redirect URI "${uri}" is not an absolute URL`);
    }
    if (url.hash) throw new ValidationError(`redirect URI "${uri}" must not have a fragment`);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (type !== 'native' && url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      throw new ValidationError(`redirect URI "${uri}" must use https (http only for localhost)`);
    }
  }
}

@Injectable()
export class ClientsService {
  private readonly listeners: ClientsChangedListener[] = [];
  private validator: ClientMetadataValidator = async () => undefined;

  constructor(
    private readonly clients: ClientsRepository,
    private readonly resources: ApiResourcesRepository,
  ) {}

  onChange(listener: ClientsChangedListener): void {
    this.listeners.push(listener);
  }

  useMetadataValidator(validator: ClientMetadataValidator): void {
    this.validator = validator;
  }

  private async changed(tenantId: string): Promise<void> {
    await Promise.all(this.listeners.map((listener) => listener(tenantId)));
  }

  async create(
    tenantId: string,
    input: ClientInput,
    builtInResources: string[] = [],
  ): Promise<{ client: ClientEntity; clientSecret?: string }> {
    const redirectUris = input.redirectUris ?? [];
    assertRedirectUris(input.applicationType, redirectUris);
    for (const uri of input.postLogoutRedirectUris ?? [])
      assertRedirectUris(input.applicationType === 'service' ? 'web' : input.applicationType, [uri]);
    await this.assertResourcesExist(tenantId, input.resources ?? [], builtInResources);
    const confidential = input.applicationType === 'web' || input.applicationType === 'service';
    const clientSecret = confidential ? (input.clientSecret ?? generateSecret()) : undefined;
    const candidate = {
      clientId: input.clientId ?? randomBytes(16).toString('base64url'),
      name: input.name,
      applicationType: input.applicationType,
      secretHash: clientSecret ? sha256Base64Url(clientSecret) : null,
      redirectUris,
      postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
      scopes: input.scopes ?? [],
      resources: input.resources ?? [],
      firstParty: input.firstParty ?? false,
    };
    await this.validator(tenantId, candidate as ClientEntity);
    try {
      const client = await this.clients.insert(tenantId, candidate);
      await this.changed(tenantId);
      return { client, clientSecret };
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('a client with this clientId already exists');
      throw error;
    }
  }

  async get(tenantId: string, clientId: string): Promise<ClientEntity> {
    const client = await this.clients.findByClientId(tenantId, clientId);
    if (!client) throw new NotFoundError('client');
    return client;
  }

  find(tenantId: string, clientId: string): Promise<ClientEntity | null> {
    return this.clients.findByClientId(tenantId, clientId);
  }

  count(tenantId: string): Promise<number> {
    return this.clients.count(tenantId);
  }

  list(tenantId: string, limit: number, cursor?: string): Promise<ClientEntity[]> {
    return this.clients.list(tenantId, limit, cursor);
  }

  async update(
    tenantId: string,
    clientId: string,
    changes: ClientChanges,
    builtInResources: string[] = [],
  ): Promise<ClientEntity> {
    const client = await this.get(tenantId, clientId);
    assertNotConsoleClient(clientId);
    if (changes.redirectUris) assertRedirectUris(client.applicationType, changes.redirectUris);
    if (changes.resources) await this.assertResourcesExist(tenantId, changes.resources, builtInResources);
    await this.validator(tenantId, { ...client, ...changes } as ClientEntity);
    await this.clients.update(tenantId, clientId, changes);
    await this.changed(tenantId);
    return this.get(tenantId, clientId);
  }

  /** The old secret stops working at once: only the new hash is kept. */
  async rotateSecret(tenantId: string, clientId: string): Promise<{ client: ClientEntity; clientSecret: string }> {
    const client = await this.get(tenantId, clientId);
    assertNotConsoleClient(clientId);
    if (!client.secretHash) throw new ValidationError('public clients have no secret');
    const clientSecret = generateSecret();
    await this.clients.update(tenantId, clientId, { secretHash: sha256Base64Url(clientSecret) });
    await this.changed(tenantId);
    return { client: await this.get(tenantId, clientId), clientSecret };
  }

  /** Idempotent bootstrap: make the stored client match the given id, secret and rights. */
  async ensure(tenantId: string, input: ClientInput & { clientId: string; clientSecret: string }, builtIn: string[]) {
    const existing = await this.clients.findByClientId(tenantId, input.clientId);
    if (!existing) return (await this.create(tenantId, input, builtIn)).client;
    await this.clients.update(tenantId, input.clientId, {
      secretHash: sha256Base64Url(input.clientSecret),
      resources: [...new Set([...existing.resources, ...(input.resources ?? [])])],
      scopes: [...new Set([...existing.scopes, ...(input.scopes ?? [])])],
    });
    await this.changed(tenantId);
    return this.get(tenantId, input.clientId);
  }

  async delete(tenantId: string, clientId: string): Promise<void> {
    await this.get(tenantId, clientId);
    assertNotConsoleClient(clientId);
    if (!(await this.clients.delete(tenantId, clientId))) throw new NotFoundError('client');
    await this.changed(tenantId);
  }

  /**
   * The console client of one tenant (a new tenant), or of every tenant at start. At start
   * no provider of this instance is built yet, and a changed PUBLIC_URL restarts every
   * instance, so there is nothing to tell the others.
   */
  async ensureConsoleClient(client: ConsoleClientFields, tenantId?: string): Promise<void> {
    const changed = await this.clients.ensureBuiltIn(client, tenantId);
    if (changed && tenantId) await this.changed(tenantId);
  }

  async createResource(
    tenantId: string,
    input: ResourceInput,
    builtInResources: string[] = [],
  ): Promise<ApiResourceEntity> {
    if (builtInResources.includes(input.identifier)) throw new ConflictError('this resource identifier is built in');
    try {
      const resource = await this.resources.insert(tenantId, {
        identifier: input.identifier,
        name: input.name,
        scopes: [...new Set(input.scopes)],
        accessTokenTtl: input.accessTokenTtl ?? null,
      });
      await this.changed(tenantId);
      return resource;
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('a resource with this identifier already exists');
      throw error;
    }
  }

  listResources(tenantId: string): Promise<ApiResourceEntity[]> {
    return this.resources.listAll(tenantId);
  }

  async getResource(tenantId: string, id: string): Promise<ApiResourceEntity> {
    const resource = await this.resources.findById(tenantId, id);
    if (!resource) throw new NotFoundError('resource');
    return resource;
  }

  /** The identifier is the tokens' audience: it never changes (delete and create instead). */
  async updateResource(tenantId: string, id: string, changes: ResourceChanges): Promise<ApiResourceEntity> {
    await this.getResource(tenantId, id);
    await this.resources.update(tenantId, id, {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.scopes ? { scopes: [...new Set(changes.scopes)] } : {}),
      ...(changes.accessTokenTtl !== undefined ? { accessTokenTtl: changes.accessTokenTtl } : {}),
    });
    await this.changed(tenantId);
    return this.getResource(tenantId, id);
  }

  /** Clients naming it can no longer get tokens for it; tokens issued for it live out their time. */
  async deleteResource(tenantId: string, id: string): Promise<void> {
    if (!(await this.resources.delete(tenantId, id))) throw new NotFoundError('resource');
    await this.changed(tenantId);
  }

  private async assertResourcesExist(tenantId: string, identifiers: string[], builtIn: string[]): Promise<void> {
    for (const identifier of identifiers) {
      if (builtIn.includes(identifier)) continue;
      if (!(await this.resources.findByIdentifier(tenantId, identifier))) {
        throw new ValidationError(`unknown resource "${identifier}"`);
      }
    }
  }
}
