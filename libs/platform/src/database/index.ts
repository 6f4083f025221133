export * from './data-source.js';
export * from './database.module.js';
export * from './pglite/embedded-postgres.js';
