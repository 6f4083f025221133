import { ClientsModule } from '@app/clients';
import { Module } from '@nestjs/common';
import { PermissionRegistry } from './permission-registry.js';
import { RbacService } from './rbac.service.js';

@Module({
  imports: [ClientsModule],
  providers: [PermissionRegistry, RbacService],
  exports: [RbacService, PermissionRegistry],
})
export class RbacModule {}
