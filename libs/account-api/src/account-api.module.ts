import { ApiRateLimitsModule } from '@app/api-rate-limits';
import { FederationModule } from '@app/federation';
import { IdentityModule } from '@app/identity';
import { MfaModule } from '@app/mfa';
import { PasskeysModule } from '@app/passkeys';
import { ProtocolModule } from '@app/protocol';
import { SessionsModule } from '@app/sessions';
import { TenancyModule } from '@app/tenancy';
import { Module } from '@nestjs/common';
import { AccountController } from './account.controller.js';
import { AccountGuard } from './account.guard.js';
import { AccountSelfServiceController } from './account-self-service.controller.js';
import { AccountIdentitiesController } from './identities.controller.js';
import { AccountMfaFactorsController } from './mfa-factors.controller.js';
import { AccountPasskeysController } from './passkeys.controller.js';

/** The signed-in user's own account at `{issuer}/account`, authenticated by the user's access token. */
@Module({
  imports: [
    ProtocolModule,
    TenancyModule,
    IdentityModule,
    MfaModule,
    PasskeysModule,
    FederationModule,
    SessionsModule,
    ApiRateLimitsModule,
  ],
  controllers: [
    AccountController,
    AccountSelfServiceController,
    AccountPasskeysController,
    AccountMfaFactorsController,
    AccountIdentitiesController,
  ],
  providers: [AccountGuard],
})
export class AccountApiModule {}
