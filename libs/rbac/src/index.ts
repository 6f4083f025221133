export * from './effective-access.js';
export * from './permissions.js';
export * from './rbac.module.js';
export * from './rbac.service.js';
export * from './role.entity.js';
