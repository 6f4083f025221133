export * from './mfa.module.js';
export * from './mfa.service.js';
export * from './totp-factor.entity.js';
