import { IdentityModule } from '@app/identity';
import { Module } from '@nestjs/common';
import { FederatedAccountsService } from './federated-accounts.service.js';
import { FederationRepository } from './federation.repository.js';
import { IdentityProvidersService } from './identity-providers.service.js';
import { UpstreamClient } from './upstream-client.js';

/** Upstream identity providers of each tenant, the broker's relying-party side, and the links to our users. */
@Module({
  imports: [IdentityModule],
  providers: [FederationRepository, IdentityProvidersService, UpstreamClient, FederatedAccountsService],
  exports: [IdentityProvidersService, UpstreamClient, FederatedAccountsService],
})
export class FederationModule {}
