import { ClientsModule } from '@app/clients';
import { IdentityModule } from '@app/identity';
import { KeysModule } from '@app/keys';
import { RbacModule } from '@app/rbac';
import { SessionsModule } from '@app/sessions';
import { MfaModule } from '@app/mfa';
import { TenancyModule } from '@app/tenancy';
import { MailModule } from '@app/platform';
import { WebhooksModule } from '@app/webhooks';
import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ApiRateLimitsModule, TenantRateLimitGuard } from '@app/api-rate-limits';
import { PassportModule } from '@nestjs/passport';
import { AdminAuthGuard } from './admin-auth/admin-auth.guard.js';
import { AdminAuditInterceptor } from './admin/admin-audit.interceptor.js';
import { AdminChangeSnapshots } from './admin/admin-change-snapshots.js';
import { AuditAdminController } from './admin/audit-admin.controller.js';
import { AdminJwtStrategy } from './admin-auth/admin-jwt.strategy.js';
import { ClientsAdminController, TenantsAdminController, UsersAdminController } from './admin/admin.controllers.js';
import { RolesAdminController } from './admin/roles-admin.controller.js';
import { SessionsAdminController } from './admin/sessions-admin.controller.js';
import { WebhooksAdminController } from './admin/webhooks-admin.controller.js';
import { ProvisioningModule } from '@app/provisioning';
import { AssetsController } from './assets/assets.controller.js';
import { InteractionsController } from './interactions/interactions.controller.js';
import { ProtocolModule } from '@app/protocol';
import { SelfServiceController } from './self-service/self-service.controller.js';
import { SelfServiceService } from './self-service/self-service.service.js';

@Module({
  imports: [
    ProtocolModule,
    ProvisioningModule,
    TenancyModule,
    KeysModule,
    ClientsModule,
    IdentityModule,
    RbacModule,
    SessionsModule,
    MfaModule,
    WebhooksModule,
    PassportModule,
    ApiRateLimitsModule,
    MailModule,
  ],
  controllers: [
    InteractionsController,
    AssetsController,
    TenantsAdminController,
    ClientsAdminController,
    UsersAdminController,
    RolesAdminController,
    SessionsAdminController,
    AuditAdminController,
    SelfServiceController,
    WebhooksAdminController,
  ],
  providers: [
    SelfServiceService,
    AdminJwtStrategy,
    { provide: APP_GUARD, useClass: AdminAuthGuard },
    // After authentication (guards run in this order): limits need to know who calls.
    { provide: APP_GUARD, useClass: TenantRateLimitGuard },
    AdminChangeSnapshots,
    { provide: APP_INTERCEPTOR, useClass: AdminAuditInterceptor },
  ],
  exports: [ProtocolModule, ProvisioningModule],
})
export class OidcModule {}
