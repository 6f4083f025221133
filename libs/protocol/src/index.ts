export * from './protocol.module.js';
export * from './mount.js';
export * from './tenant-provider.registry.js';
export * from './tenant-settings.js';
export * from './request-context.js';
export { verifyOwnAccessToken } from './structured-tokens.js';
