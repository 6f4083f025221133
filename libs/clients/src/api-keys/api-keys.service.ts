import { ConflictError, NotFoundError, ValidationError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import type { ClientEntity } from '../client.entity.js';
import { ApiResourcesRepository, ClientsRepository } from '../clients.repository.js';
import { apiKeyHint, generateApiKey, hashApiKey, isWellFormedApiKey } from './api-key-format.js';
import type { ApiKeyEntity } from './api-key.entity.js';
import { ApiKeyUsage } from './api-key-usage.js';
import { type ApiKeyCursor, ApiKeysRepository, type ApiKeyWithOwner } from './api-keys.repository.js';

export interface ApiKeyInput {
  name: string;
  resource?: string;
  scopes?: string[];
  expiresAt?: Date;
}

/** A resource that is not stored (the admin API), with the scopes it defines. */
export interface BuiltInResource {
  identifier: string;
  scopes: string[];
}

/** The scope that adds the owner's roles and permissions (as in client-credentials tokens). */
const ROLES_SCOPE = 'roles';
/** Enough for key rotation schemes; a client needing more is holding keys nobody uses. */
export const MAX_API_KEYS_PER_CLIENT = 100;

export type ApiKeysChangedListener = (tenantId: string) => Promise<void>;

/**
 * API keys of service clients: created and regenerated with a new random key (shown once,
 * stored as SHA-256), listed without it, deleted. Listeners hear of every key that stops
 * working (regenerated, deleted), so caches of verified keys drop it at once.
 */
@Injectable()
export class ApiKeysService {
  private readonly listeners: ApiKeysChangedListener[] = [];

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly clients: ClientsRepository,
    private readonly resources: ApiResourcesRepository,
    private readonly usage: ApiKeyUsage,
  ) {}

  onChange(listener: ApiKeysChangedListener): void {
    this.listeners.push(listener);
  }

  private async changed(tenantId: string): Promise<void> {
    await Promise.all(this.listeners.map((listener) => listener(tenantId)));
  }

  private async serviceClient(tenantId: string, clientId: string): Promise<ClientEntity> {
    const client = await this.clients.findByClientId(tenantId, clientId);
    if (!client) throw new NotFoundError('client');
    return client;
  }

  async create(
    tenantId: string,
    clientId: string,
    input: ApiKeyInput,
    builtIn: BuiltInResource[] = [],
  ): Promise<{ key: ApiKeyEntity; apiKey: string }> {
    const client = await this.serviceClient(tenantId, clientId);
    if (client.applicationType !== 'service') throw new ValidationError('API keys belong to service clients');
    assertFuture(input.expiresAt);
    const resource = input.resource ?? client.resources[0] ?? null;
    if (resource !== null && !client.resources.includes(resource)) {
      throw new ValidationError(`the client is not allowed the resource "${resource}"`);
    }
    const scopes = [...new Set(input.scopes ?? [])];
    await this.assertScopesDefined(tenantId, resource, scopes, builtIn);
    if ((await this.keys.countForClient(tenantId, client.id)) >= MAX_API_KEYS_PER_CLIENT) {
      throw new ConflictError(`a client holds at most ${MAX_API_KEYS_PER_CLIENT} API keys; delete unused ones first`);
    }
    const apiKey = generateApiKey();
    const key = await this.keys.insert(tenantId, {
      clientRowId: client.id,
      name: input.name,
      keyHash: hashApiKey(apiKey),
      keyHint: apiKeyHint(apiKey),
      resource,
      scopes,
      expiresAt: input.expiresAt ?? null,
    });
    return { key, apiKey };
  }

  async list(tenantId: string, clientId: string, limit: number, cursor?: string): Promise<ApiKeyEntity[]> {
    const client = await this.serviceClient(tenantId, clientId);
    return this.keys.listForClient(tenantId, client.id, limit, decodeCursor(cursor));
  }

  async get(tenantId: string, clientId: string, id: string): Promise<ApiKeyEntity> {
    const client = await this.serviceClient(tenantId, clientId);
    const key = await this.keys.findForClient(tenantId, client.id, id);
    if (!key) throw new NotFoundError('API key');
    return key;
  }

  /** A new key for the same grant; the old one stops working at once (only the new hash is kept). */
  async regenerate(
    tenantId: string,
    clientId: string,
    id: string,
    expiresAt?: Date | null,
  ): Promise<{ key: ApiKeyEntity; apiKey: string }> {
    const existing = await this.get(tenantId, clientId, id);
    assertFuture(expiresAt ?? undefined);
    const nextExpiry = expiresAt === undefined ? existing.expiresAt : expiresAt;
    if (nextExpiry && nextExpiry.getTime() <= Date.now()) {
      throw new ValidationError('the key has expired: regenerate it with a new expiresAt (or null for none)');
    }
    const apiKey = generateApiKey();
    await this.keys.replaceSecret(tenantId, existing.id, {
      keyHash: hashApiKey(apiKey),
      keyHint: apiKeyHint(apiKey),
      expiresAt: nextExpiry,
      regeneratedAt: new Date(),
    });
    await this.changed(tenantId);
    return { key: await this.get(tenantId, clientId, id), apiKey };
  }

  async delete(tenantId: string, clientId: string, id: string): Promise<void> {
    const key = await this.get(tenantId, clientId, id);
    await this.keys.delete(tenantId, key.id);
    await this.changed(tenantId);
  }

  /** RFC 7009 for API keys: the owner presented it at the revocation endpoint. False when it was gone already. */
  async revoke(tenantId: string, id: string): Promise<boolean> {
    const deleted = await this.keys.delete(tenantId, id);
    if (deleted) await this.changed(tenantId);
    return deleted;
  }

  /** The stored key a caller presents, with its owner, in any tenant; expired ones included. */
  findByPresentedKey(presented: string): Promise<ApiKeyWithOwner | null> {
    if (!isWellFormedApiKey(presented)) return Promise.resolve(null);
    return this.keys.findByHash(hashApiKey(presented));
  }

  recordUse(keyId: string): void {
    this.usage.recordUse(keyId);
  }

  lastUsedAt(key: ApiKeyEntity): Date | null {
    return this.usage.lastUsedAt(key.id, key.lastUsedAt);
  }

  /** Writes the gathered last-use times now (they are otherwise written every 30 s). */
  flushUsage(): Promise<void> {
    return this.usage.flush();
  }

  private async assertScopesDefined(
    tenantId: string,
    resource: string | null,
    scopes: string[],
    builtIn: BuiltInResource[],
  ): Promise<void> {
    const defined = new Set([ROLES_SCOPE]);
    if (resource !== null) {
      const stored =
        builtIn.find((r) => r.identifier === resource) ?? (await this.resources.findByIdentifier(tenantId, resource));
      stored?.scopes.forEach((scope) => defined.add(scope));
    }
    const unknown = scopes.filter((scope) => !defined.has(scope));
    if (unknown.length) {
      const where =
        resource === null ? 'without a resource only "roles" is allowed' : `"${resource}" defines no such scope`;
      throw new ValidationError(`unknown scopes: ${unknown.join(', ')} (${where})`);
    }
  }
}

function assertFuture(expiresAt: Date | undefined): void {
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw new ValidationError('expiresAt must be in the future');
}

export function encodeApiKeyCursor(key: ApiKeyEntity): string {
  return Buffer.from(`${key.createdAt.toISOString()}|${key.id}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): ApiKeyCursor | undefined {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id ?? '')) {
    throw new ValidationError('cursor is not one this list gave out');
  }
  return { createdAt, id };
}
