export * from './account-api.module.js';
