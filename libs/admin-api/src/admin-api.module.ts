import { ApiRateLimitsModule, TenantRateLimitGuard } from '@app/api-rate-limits';
import { ClientsModule } from '@app/clients';
import { FederationModule } from '@app/federation';
import { IdentityModule } from '@app/identity';
import { MfaModule } from '@app/mfa';
import { PasskeysModule } from '@app/passkeys';
import { ProtocolModule } from '@app/protocol';
import { ProvisioningModule } from '@app/provisioning';
import { RbacModule } from '@app/rbac';
import { SessionsModule } from '@app/sessions';
import { TenancyModule } from '@app/tenancy';
import { WebhooksModule } from '@app/webhooks';
import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ApiKeysAdminController } from './api-keys/api-keys.controller.js';
import { AuditAdminController } from './audit/audit-events.controller.js';
import { AdminApiKeys } from './auth/admin-api-keys.js';
import { AdminAuthGuard } from './auth/admin-auth.guard.js';
import { AdminJwtStrategy } from './auth/admin-jwt.strategy.js';
import { AdminAuditInterceptor } from './change-audit/admin-audit.interceptor.js';
import { AdminChangeSnapshots } from './change-audit/admin-change-snapshots.js';
import { ClientsAdminController } from './clients/clients.controller.js';
import { IdentityProvidersAdminController } from './identity-providers/identity-providers.controller.js';
import { PermissionsAdminController } from './permissions/permissions.controller.js';
import { ResourcesAdminController } from './resources/resources.controller.js';
import { RolesAdminController } from './roles/roles.controller.js';
import { SessionsAdminController } from './sessions/sessions.controller.js';
import { TenantsAdminController } from './tenants/tenants.controller.js';
import { UserPasskeysAdminController } from './users/user-passkeys.controller.js';
import { UsersAdminController } from './users/users.controller.js';
import { WebhooksAdminController } from './webhooks/webhooks.controller.js';

/**
 * The admin API (`/admin`, one controller per resource) and the global guard that denies
 * every route not marked @Public() unless a valid admin token with the route's permission
 * comes with it — so a forgotten guard fails closed everywhere, not only here.
 */
@Module({
  imports: [
    ProtocolModule,
    ProvisioningModule,
    TenancyModule,
    ClientsModule,
    IdentityModule,
    RbacModule,
    SessionsModule,
    MfaModule,
    PasskeysModule,
    FederationModule,
    WebhooksModule,
    PassportModule,
    ApiRateLimitsModule,
  ],
  controllers: [
    TenantsAdminController,
    ClientsAdminController,
    ApiKeysAdminController,
    ResourcesAdminController,
    PermissionsAdminController,
    UsersAdminController,
    UserPasskeysAdminController,
    RolesAdminController,
    SessionsAdminController,
    AuditAdminController,
    WebhooksAdminController,
    IdentityProvidersAdminController,
  ],
  providers: [
    AdminJwtStrategy,
    AdminApiKeys,
    { provide: APP_GUARD, useClass: AdminAuthGuard },
    // After authentication (guards run in this order): limits need to know who calls.
    { provide: APP_GUARD, useClass: TenantRateLimitGuard },
    AdminChangeSnapshots,
    { provide: APP_INTERCEPTOR, useClass: AdminAuditInterceptor },
  ],
})
export class AdminApiModule {}
