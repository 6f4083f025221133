export {
  CurrentPrincipal,
  OptionalAuth,
  Public,
  RequireAnyPermission,
  RequireAnyRole,
  RequirePermission,
  RequireRole,
  RequireScope,
} from './decorators.js';
export { ResourceServerGuard } from './resource-server.guard.js';
export {
  ResourceServerModule,
  type ResourceServerModuleAsyncOptions,
  type ResourceServerModuleOptions,
} from './resource-server.module.js';
export { RESOURCE_SERVER } from './tokens.js';
export type { Principal } from '../principal.js';
export type { ResourceServer, ResourceServerOptions } from '../index.js';
