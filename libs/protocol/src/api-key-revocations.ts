import { AuditService } from '@app/audit';
import { ApiKeysService } from '@app/clients';
import { Injectable } from '@nestjs/common';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { StoredApiKey } from './api-key-verifier.js';

/**
 * An API key revoked at the revocation endpoint by its owner: deleted (every instance drops
 * it at once) and recorded before the answer leaves — the admin API's own deletions are
 * recorded by its change audit.
 */
@Injectable()
export class ApiKeyRevocations {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly audit: AuditService,
  ) {}

  async revoke(key: StoredApiKey, ctx: KoaContextWithOIDC): Promise<void> {
    if (!(await this.apiKeys.revoke(key.tenantId, key.id))) return;
    await this.audit.record(key.tenantId, {
      type: 'api_key.revoked',
      outcome: 'success',
      actor: { type: 'client', id: key.clientId },
      subject: `${key.clientId}/${key.id}`,
      clientId: key.clientId,
      ip: ctx.ip,
      userAgent: ctx.get('user-agent') || undefined,
      data: { keyId: key.id, name: key.name, via: 'revocation_endpoint' },
    });
  }
}
