export * from './client-metadata.js';
export * from './client.entity.js';
export * from './clients.module.js';
export * from './clients.service.js';
export * from './resource.entity.js';
