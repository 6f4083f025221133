import { ApiRateLimitsModule } from '@app/api-rate-limits';
import { IdentityModule } from '@app/identity';
import { MfaModule } from '@app/mfa';
import { ProtocolModule } from '@app/protocol';
import { SessionsModule } from '@app/sessions';
import { TenancyModule } from '@app/tenancy';
import { Module } from '@nestjs/common';
import { AccountController } from './account.controller.js';
import { AccountGuard } from './account.guard.js';

/** The signed-in user's own account at `{issuer}/account`, authenticated by the user's access token. */
@Module({
  imports: [ProtocolModule, TenancyModule, IdentityModule, MfaModule, SessionsModule, ApiRateLimitsModule],
  controllers: [AccountController],
  providers: [AccountGuard],
})
export class AccountApiModule {}
