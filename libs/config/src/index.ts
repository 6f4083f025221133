export { ConfigError, loadConfig, resolveMasterKey } from './config.js';
export type { AppConfig, HealthSettings, TracingSettings } from './config.js';
