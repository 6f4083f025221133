import { IdentityModule } from '@app/identity';
import { MfaModule } from '@app/mfa';
import { MailModule } from '@app/platform';
import { ProtocolModule } from '@app/protocol';
import { SessionsModule } from '@app/sessions';
import { TenancyModule } from '@app/tenancy';
import { Module } from '@nestjs/common';
import { AssetsController } from './assets/assets.controller.js';
import { InteractionsController } from './interactions/interactions.controller.js';
import { SelfServiceController } from './self-service/self-service.controller.js';
import { SelfServiceService } from './self-service/self-service.service.js';

@Module({
  imports: [ProtocolModule, TenancyModule, IdentityModule, SessionsModule, MfaModule, MailModule],
  controllers: [InteractionsController, AssetsController, SelfServiceController],
  providers: [SelfServiceService],
})
export class OidcModule {}
