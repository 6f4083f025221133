export * from './oidc.module.js';
