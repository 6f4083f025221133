/** The admin API's answers, as its OpenAPI document (/admin/docs-json) describes them. */

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireDigit: boolean;
  requireSymbol: boolean;
}

export interface TenantSettings {
  accessTokenTtlSeconds: number;
  idTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  refreshTokenReuseGraceSeconds: number;
  rolesInIdToken: boolean;
  passwordPolicy: PasswordPolicy;
  lockout: { threshold: number; durationSeconds: number };
  mfaRequired: boolean;
  selfRegistration: boolean;
  sessions: {
    maxPerUser: number;
    whenLimitReached: 'end-oldest' | 'refuse';
    idleTimeoutSeconds: number;
    absoluteTimeoutSeconds: number;
  };
  corsOrigins: string[];
  rateLimits: { clientRequestsPerMinute: number; apiRequestsPerMinute: number };
  auditRetentionDays: number;
}

export interface Tenant {
  id: string;
  slug: string;
  displayName: string;
  issuer: string;
  settings: TenantSettings;
  createdAt: string;
}

export interface HourlyActivity {
  /** Start of the hour, ISO 8601. */
  hour: string;
  signIns: number;
  tokens: number;
}

export interface TenantStats {
  users: number;
  clients: number;
  activeSessions: number;
  tokensIssuedLast24h: Record<string, number>;
  /** Oldest first, 24 entries; absent on servers that do not count by hour. */
  hourly?: HourlyActivity[];
}

export const APPLICATION_TYPES = ['web', 'spa', 'native', 'service'] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];

export interface Application {
  id: string;
  clientId: string;
  clientSecret?: string;
  name: string;
  applicationType: ApplicationType;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  scopes: string[];
  resources: string[];
  firstParty: boolean;
  createdAt: string;
}

export interface ApiResource {
  id: string;
  identifier: string;
  name: string;
  scopes: string[];
  accessTokenTtl: number | null;
}

export interface Role {
  id: string;
  name: string;
  description: string | null;
  permissions: string[];
  includes: string[];
}

export interface User {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  disabled: boolean;
  createdAt: string;
}

export interface UserSession {
  id: string;
  clients: string[];
  ip: string | null;
  userAgent: string | null;
  device: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export interface AuditEvent {
  id: string;
  seq: number;
  type: string;
  occurredAt: string;
  actor: { type: string; id: string | null };
  subject: string | null;
  clientId: string | null;
  ip: string | null;
  userAgent: string | null;
  outcome: 'success' | 'failure';
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditVerification {
  valid: boolean;
  count: number;
  firstBadSeq?: number;
  reason?: string;
  startsAfterSeq?: number;
}

export interface Webhook {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  secret?: string;
  enabled: boolean;
  disabledReason: string | null;
  status: 'healthy' | 'degraded' | 'unhealthy';
  consecutiveFailures: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  previousSecretExpiresAt: string | null;
  createdAt: string;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  deliveredAt: string;
}

export interface DependencyState {
  status: 'healthy' | 'degraded' | 'unhealthy';
  kind: string;
  required: boolean;
  consecutiveFailures: number;
  responseTimeMs: number | null;
  lastCheckedAt: string | null;
  lastError?: string | null;
}

export interface Readiness {
  status: 'ready' | 'degraded' | 'unavailable';
  dependencies: Record<string, DependencyState>;
}
