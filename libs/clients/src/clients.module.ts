import { Module } from '@nestjs/common';
import { ApiKeyUsage } from './api-keys/api-key-usage.js';
import { ApiKeysRepository } from './api-keys/api-keys.repository.js';
import { ApiKeysService } from './api-keys/api-keys.service.js';
import { ClientsChangeFeed } from './clients-changes.js';
import { ApiResourcesRepository, ClientsRepository } from './clients.repository.js';
import { ClientsService } from './clients.service.js';
import { ApiResourcesService } from './resources.service.js';

@Module({
  providers: [
    ClientsRepository,
    ApiResourcesRepository,
    ApiKeysRepository,
    ClientsChangeFeed,
    ClientsService,
    ApiResourcesService,
    ApiKeyUsage,
    ApiKeysService,
  ],
  exports: [ClientsService, ApiResourcesService, ApiKeysService],
})
export class ClientsModule {}
