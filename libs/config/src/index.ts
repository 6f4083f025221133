export { ConfigError, loadConfig, resolveMasterKey } from './config.js';
export type { AppConfig, TracingSettings } from './config.js';
