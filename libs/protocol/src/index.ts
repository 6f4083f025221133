export { ApiKeyVerifier } from './api-key-verifier.js';
export type { StoredApiKey } from './api-key-verifier.js';
export { directProviderRoutes, tenantProviderMiddleware } from './mount.js';
export type { RawMiddleware } from './mount.js';
export { ProtocolModule } from './protocol.module.js';
export {
  currentRequest,
  currentRequestInfo,
  requestScopeSharedWithProvider,
  serveInRequestScope,
} from './request-context.js';
export { verifyOwnAccessToken } from './structured-tokens.js';
export { TenantProviderRegistry } from './tenant-provider.registry.js';
export type { TenantRuntime } from './tenant-provider.registry.js';
export { ADMIN_SCOPE, adminResourceIdentifier } from './tenant-settings.js';
/** oidc-provider's result of a finished interaction step, for the sign-in pages. */
export type { InteractionResults } from 'oidc-provider';
