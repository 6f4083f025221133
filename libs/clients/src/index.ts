export { toProviderMetadata } from './client-metadata.js';
export { APPLICATION_TYPES, ClientEntity } from './client.entity.js';
export type { ApplicationType } from './client.entity.js';
export { ClientsModule } from './clients.module.js';
export { ClientsService, isUniqueViolation } from './clients.service.js';
export { consoleClientFields } from './console-client.js';
export { ApiResourceEntity } from './resource.entity.js';
