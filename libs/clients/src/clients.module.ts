import { Module } from '@nestjs/common';
import { ApiResourcesRepository, ClientsRepository } from './clients.repository.js';
import { ClientsService } from './clients.service.js';

@Module({
  providers: [ClientsRepository, ApiResourcesRepository, ClientsService],
  exports: [ClientsService],
})
export class ClientsModule {}
