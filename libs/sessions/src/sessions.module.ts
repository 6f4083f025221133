import { Module } from '@nestjs/common';
import { SessionTerminationService } from './session-termination.service.js';
import { SessionsService } from './sessions.service.js';

@Module({
  providers: [SessionsService, SessionTerminationService],
  exports: [SessionsService, SessionTerminationService],
})
export class SessionsModule {}
