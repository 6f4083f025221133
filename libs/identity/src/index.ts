export * from './identity.module.js';
export * from './user.entity.js';
export * from './users.service.js';
