export * from './provisioning.module.js';
export * from './tenant-provisioning.service.js';
