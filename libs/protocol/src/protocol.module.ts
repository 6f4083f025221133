import { ClientsModule } from '@app/clients';
import { IdentityModule } from '@app/identity';
import { KeysModule } from '@app/keys';
import { RbacModule } from '@app/rbac';
import { SessionsModule } from '@app/sessions';
import { TenancyModule } from '@app/tenancy';
import { Module } from '@nestjs/common';
import { ApiKeyRevocations } from './api-key-revocations.js';
import { ApiKeyVerifier } from './api-key-verifier.js';
import { TenantProviderRegistry } from './tenant-provider.registry.js';

/** The protocol engine: one oidc-provider per tenant, built from the domain stores. */
@Module({
  imports: [TenancyModule, KeysModule, ClientsModule, IdentityModule, RbacModule, SessionsModule],
  providers: [ApiKeyVerifier, ApiKeyRevocations, TenantProviderRegistry],
  exports: [TenantProviderRegistry, ApiKeyVerifier],
})
export class ProtocolModule {}
