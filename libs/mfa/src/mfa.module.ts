import { MailModule } from '@app/platform';
import { Module } from '@nestjs/common';
import { CODE_CHANNELS } from './codes/code-channel.js';
import { CodeFactorsService } from './codes/code-factors.service.js';
import { EmailCodeChannel } from './codes/email-code-channel.js';
import { OneTimeCodesRepository } from './codes/one-time-codes.repository.js';
import { MfaService } from './mfa.service.js';

/** Second factors: TOTP with recovery codes, and one-time codes over a channel (email; SMS would be another). */
@Module({
  imports: [MailModule],
  providers: [
    MfaService,
    OneTimeCodesRepository,
    CodeFactorsService,
    EmailCodeChannel,
    { provide: CODE_CHANNELS, inject: [EmailCodeChannel], useFactory: (email: EmailCodeChannel) => [email] },
  ],
  exports: [MfaService, CodeFactorsService],
})
export class MfaModule {}
