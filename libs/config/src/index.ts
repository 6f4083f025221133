export { ConfigError, loadConfig, resolveMasterKey } from './config.js';
export type { AppConfig } from './config.js';
