export * from './identity.module.js';
export * from './user.entity.js';
export * from './users.service.js';
export * from './password-policy.js';
export * from './user-action-token.entity.js';
export * from './user-action-tokens.service.js';
