import { APP_CONFIG, type AppConfig, MasterKeyCipher, NotFoundError, ValidationError } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { FederationRepository } from './federation.repository.js';
import { type IdentityProviderEntity, type LinkPolicy, type ProviderType } from './identity-provider.entity.js';
import { MICROSOFT_DEFAULT_ISSUER, MICROSOFT_ISSUER, PRESETS } from './presets.js';

export const ALIAS = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface ProviderInput {
  alias: string;
  displayName: string;
  type: ProviderType;
  issuer?: string;
  clientId: string;
  clientSecret: string;
  scopes?: string[];
  fallbacks?: string[];
  jit?: boolean;
  linkBy?: LinkPolicy;
  enabled?: boolean;
}

export type ProviderChanges = Partial<Omit<ProviderInput, 'alias' | 'type'>>;

/**
 * The tenant's upstream identity providers. The client secret is sealed with MASTER_KEY on
 * the way in (bound to the tenant and the row) and opened only to talk to the upstream.
 */
@Injectable()
export class IdentityProvidersService {
  constructor(
    private readonly repo: FederationRepository,
    private readonly cipher: MasterKeyCipher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(tenantId: string, input: ProviderInput): Promise<IdentityProviderEntity> {
    if (!ALIAS.test(input.alias)) throw new ValidationError('alias must match ^[a-z0-9][a-z0-9-]{0,62}$');
    const id = randomUUID();
    return this.repo.insertProvider({
      id,
      tenantId,
      alias: input.alias,
      displayName: input.displayName,
      type: input.type,
      issuer: this.issuerFor(input.type, input.issuer),
      clientId: input.clientId,
      clientSecretSealed: this.seal(tenantId, id, input.clientSecret),
      scopes: this.scopesFor(input.type, input.scopes),
      fallbacks: this.fallbacksFor(input.alias, input.fallbacks),
      jit: input.jit ?? true,
      linkBy: input.linkBy ?? 'verified-email',
      enabled: input.enabled ?? true,
    });
  }

  async get(tenantId: string, alias: string): Promise<IdentityProviderEntity> {
    const provider = ALIAS.test(alias) ? await this.repo.findProvider(tenantId, alias) : null;
    if (!provider) throw new NotFoundError('identity provider');
    return provider;
  }

  find(tenantId: string, alias: string): Promise<IdentityProviderEntity | null> {
    return ALIAS.test(alias) ? this.repo.findProvider(tenantId, alias) : Promise.resolve(null);
  }

  list(tenantId: string, limit: number, cursor?: string): Promise<IdentityProviderEntity[]> {
    return this.repo.listProviders(tenantId, limit, cursor);
  }

  listEnabled(tenantId: string): Promise<IdentityProviderEntity[]> {
    return this.repo.listEnabledProviders(tenantId);
  }

  async update(tenantId: string, alias: string, changes: ProviderChanges): Promise<IdentityProviderEntity> {
    const provider = await this.get(tenantId, alias);
    const update: Partial<IdentityProviderEntity> = {};
    if (changes.displayName !== undefined) update.displayName = changes.displayName;
    if (changes.issuer !== undefined) update.issuer = this.issuerFor(provider.type, changes.issuer);
    if (changes.clientId !== undefined) update.clientId = changes.clientId;
    if (changes.clientSecret !== undefined)
      update.clientSecretSealed = this.seal(tenantId, provider.id, changes.clientSecret);
    if (changes.scopes !== undefined) update.scopes = this.scopesFor(provider.type, changes.scopes);
    if (changes.fallbacks !== undefined) update.fallbacks = this.fallbacksFor(alias, changes.fallbacks);
    if (changes.jit !== undefined) update.jit = changes.jit;
    if (changes.linkBy !== undefined) update.linkBy = changes.linkBy;
    if (changes.enabled !== undefined) update.enabled = changes.enabled;
    if (Object.keys(update).length) await this.repo.updateProvider(tenantId, provider.id, update);
    return this.get(tenantId, alias);
  }

  async delete(tenantId: string, alias: string): Promise<void> {
    if (!ALIAS.test(alias) || !(await this.repo.deleteProvider(tenantId, alias)))
      throw new NotFoundError('identity provider');
  }

  /** The secret in clear, for the token request to the upstream only. */
  clientSecret(provider: IdentityProviderEntity): string {
    return this.cipher.decrypt(provider.clientSecretSealed, associatedData(provider.tenantId, provider.id));
  }

  private seal(tenantId: string, id: string, secret: string): string {
    return this.cipher.encrypt(secret, associatedData(tenantId, id));
  }

  /**
   * oidc: the operator's issuer (https; plain http only outside production, for a local
   * upstream); google: Google's; microsoft: a directory's own issuer; github: none (OAuth 2.0).
   */
  private issuerFor(type: ProviderType, issuer: string | undefined): string | null {
    const preset = PRESETS[type];
    if (type === 'github') return null;
    if (type === 'google') return preset.issuer;
    if (type === 'microsoft' && !issuer) return MICROSOFT_DEFAULT_ISSUER;
    if (!issuer) throw new ValidationError(`issuer is required for type ${type}`);
    let url: URL;
    try {
      url = new URL(issuer);
    } catch {
      throw new ValidationError('issuer must be an absolute URL');
    }
    if (url.protocol !== 'https:' && (this.config.production || url.protocol !== 'http:'))
      throw new ValidationError('issuer must be an https URL');
    if (url.search || url.hash) throw new ValidationError('issuer must have no query or fragment');
    if (type === 'microsoft' && !MICROSOFT_ISSUER.test(issuer))
      throw new ValidationError(
        'issuer must be https://login.microsoftonline.com/{directory id|common|organizations|consumers}/v2.0',
      );
    return issuer;
  }

  /** Defaults per type; OpenID Connect types always ask for `openid` (else no ID token). */
  private scopesFor(type: ProviderType, scopes: string[] | undefined): string[] {
    const chosen = scopes?.length ? scopes : PRESETS[type].defaultScopes;
    const all = type === 'github' || chosen.includes('openid') ? chosen : ['openid', ...chosen];
    return [...new Set(all)];
  }

  private fallbacksFor(alias: string, fallbacks: string[] | undefined): string[] {
    const list = [...new Set(fallbacks ?? [])];
    if (list.some((f) => !ALIAS.test(f))) throw new ValidationError('fallbacks must be provider aliases');
    if (list.includes(alias)) throw new ValidationError('a provider cannot be its own fallback');
    return list;
  }
}

function associatedData(tenantId: string, providerId: string): string {
  return `identity-provider:${tenantId}:${providerId}`;
}
