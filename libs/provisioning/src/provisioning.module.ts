import { ClientsModule } from '@app/clients';
import { IdentityModule } from '@app/identity';
import { KeysModule } from '@app/keys';
import { ProtocolModule } from '@app/protocol';
import { RbacModule } from '@app/rbac';
import { TenancyModule } from '@app/tenancy';
import { WebhooksModule } from '@app/webhooks';
import { Module } from '@nestjs/common';
import { TenantProvisioningService } from './tenant-provisioning.service.js';

/** Tenant lifecycle (create with key and roles, delete, bootstrap, key rotation) for the admin API and the CLI. */
@Module({
  imports: [TenancyModule, KeysModule, ClientsModule, IdentityModule, RbacModule, WebhooksModule, ProtocolModule],
  providers: [TenantProvisioningService],
  exports: [TenantProvisioningService],
})
export class ProvisioningModule {}
