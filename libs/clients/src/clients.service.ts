import { Injectable } from '@nestjs/common';
import { ConflictError, generateSecret, NotFoundError, sha256Base64Url, ValidationError } from '@app/platform';
import { randomBytes } from 'node:crypto';
import { ApiKeysRepository } from './api-keys/api-keys.repository.js';
import type { ApplicationType, ClientEntity } from './client.entity.js';
import { ClientsChangeFeed, type ClientsChangedListener } from './clients-changes.js';
import { ApiResourcesRepository, ClientsRepository } from './clients.repository.js';
import { assertNotConsoleClient, type ConsoleClientFields } from './console-client.js';
import { isUniqueViolation } from './unique-violation.js';

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

/** Checks a client as the protocol engine will read it; throws a ValidationError if it would not load. */
export type ClientMetadataValidator = (tenantId: string, client: ClientEntity) => Promise<void>;

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
  private validator: ClientMetadataValidator = async () => undefined;

  constructor(
    private readonly clients: ClientsRepository,
    private readonly resources: ApiResourcesRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly feed: ClientsChangeFeed,
  ) {}

  /** Listeners learn that a tenant's clients or resources changed (provider caches rebuild). */
  onChange(listener: ClientsChangedListener): void {
    this.feed.onChange(listener);
  }

  useMetadataValidator(validator: ClientMetadataValidator): void {
    this.validator = validator;
  }

  private changed(tenantId: string): Promise<void> {
    return this.feed.changed(tenantId);
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
    if (changes.resources) {
      await this.assertResourcesExist(tenantId, changes.resources, builtInResources);
      const dropped = client.resources.filter((r) => !changes.resources!.includes(r));
      const keys = await this.apiKeys.namesOfClientUsing(tenantId, client.id, dropped);
      if (keys.length)
        throw new ConflictError(`API keys of this client use the resources it would lose: ${keys.join(', ')}`);
    }
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

  /** Its API keys go with it (cascade), and it stops being any resource's resource server. */
  async delete(tenantId: string, clientId: string): Promise<void> {
    await this.get(tenantId, clientId);
    assertNotConsoleClient(clientId);
    if (!(await this.clients.delete(tenantId, clientId))) throw new NotFoundError('client');
    await this.resources.removeIntrospectionClient(tenantId, clientId);
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

  private async assertResourcesExist(tenantId: string, identifiers: string[], builtIn: string[]): Promise<void> {
    for (const identifier of identifiers) {
      if (builtIn.includes(identifier)) continue;
      if (!(await this.resources.findByIdentifier(tenantId, identifier))) {
        throw new ValidationError(`unknown resource "${identifier}"`);
      }
    }
  }
}
