export * from './keys.module.js';
export * from './keys.service.js';
export * from './signing-key.entity.js';
