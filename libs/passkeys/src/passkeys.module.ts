import { MailModule } from '@app/platform';
import { Module } from '@nestjs/common';
import { PasskeysRepository } from './passkeys.repository.js';
import { PasskeysService } from './passkeys.service.js';

@Module({ imports: [MailModule], providers: [PasskeysRepository, PasskeysService], exports: [PasskeysService] })
export class PasskeysModule {}
