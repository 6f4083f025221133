import { API_KEY_PREFIX } from '@app/clients';
import { APP_CONFIG, type AppConfig, type Principal, UnauthorizedError } from '@app/platform';
import { adminResourceIdentifier, ApiKeyVerifier, TenantProviderRegistry } from '@app/protocol';
import { Inject, Injectable } from '@nestjs/common';

/** The bearer value when the Authorization header carries one of our API keys (by its prefix). */
export function bearerApiKey(authorization: string | undefined): string | undefined {
  const match = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1].startsWith(API_KEY_PREFIX) ? match[1] : undefined;
}

/**
 * API keys at the admin API: a key issued for the admin resource (`{PUBLIC_URL}/admin`)
 * acts as its client, with the rights the client's roles give it now — a role taken away
 * applies to the next request. Expired, deleted and other resources' keys are refused (401).
 */
@Injectable()
export class AdminApiKeys {
  private readonly adminResource: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly verifier: ApiKeyVerifier,
    private readonly registry: TenantProviderRegistry,
  ) {
    this.adminResource = adminResourceIdentifier(config.publicUrl);
  }

  async principal(presented: string): Promise<Principal> {
    const key = await this.verifier.use(presented);
    if (!key || key.resource !== this.adminResource) throw new UnauthorizedError();
    const runtime = await this.registry.get(key.tenantSlug);
    if (!runtime || runtime.tenant.id !== key.tenantId) throw new UnauthorizedError();
    const { permissions } = await runtime.accessOf('client', key.clientRowId);
    return {
      tenantSlug: key.tenantSlug,
      tenantId: key.tenantId,
      subject: key.clientId,
      clientId: key.clientId,
      kind: 'client',
      permissions,
      jti: `api-key:${key.id}`,
      apiKeyId: key.id,
    };
  }
}
