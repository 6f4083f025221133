export * from './admin-api.module.js';
