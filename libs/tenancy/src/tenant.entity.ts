import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireDigit: boolean;
  requireSymbol: boolean;
  /** A new password may not be any of the last N (the current one included); 0 = off. */
  historyCount: number;
  /** Days a password works before the sign-in asks for a new one; 0 = never expires. */
  maxAgeDays: number;
}

/** What a tenant may change; anything absent takes the default (see effectiveSettings). */
export interface TenantSettings {
  accessTokenTtlSeconds?: number;
  idTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  passwordPolicy?: Partial<PasswordPolicy>;
  /** Browser origins allowed to call the token, userinfo and revocation endpoints (SPAs). */
  corsOrigins?: string[];
  /** Users without a second factor must enroll one while signing in. */
  mfaRequired?: boolean;
  /** Wrong passwords per account before sign-in is refused (429) for `durationSeconds`. */
  lockout?: Partial<LockoutPolicy>;
  /** A rotated refresh token used again within this many seconds is honoured (0 = reuse revokes the grant). */
  refreshTokenReuseGraceSeconds?: number;
  /** Also put `roles` and `permissions` in ID tokens (always in JWT access tokens when the `roles` scope is granted). */
  rolesInIdToken?: boolean;
  sessions?: Partial<SessionPolicy>;
  /** Audit events older than this are removed (a signed checkpoint keeps the chain verifiable); 0 = keep forever. */
  auditRetentionDays?: number;
  /** Limits on successful traffic, per minute (contract: none unless a tenant asks; 0 = off). */
  rateLimits?: Partial<RateLimits>;
  /** Anyone may create an account from the sign-in page (off by default). */
  selfRegistration?: boolean;
  /** After a sign-in without one, offer users to create a passkey (off by default: the contract's page sequence stays). */
  offerPasskeys?: boolean;
}

export interface RateLimits {
  /** Requests per client per minute at the token, introspection and revocation endpoints. */
  clientRequestsPerMinute: number;
  /** Admin and account API calls per principal (user or client) per minute. */
  apiRequestsPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { clientRequestsPerMinute: 0, apiRequestsPerMinute: 0 };

export interface SessionPolicy {
  /** Concurrent sign-in sessions per user; 0 = unlimited. */
  maxPerUser: number;
  /** What a sign-in past the limit does: end the user's oldest session, or be refused. */
  whenLimitReached: 'end-oldest' | 'refuse';
  /** A session unused for this long ends. */
  idleTimeoutSeconds: number;
  /** A session ends this long after sign-in, however active. */
  absoluteTimeoutSeconds: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  maxPerUser: 0,
  whenLimitReached: 'end-oldest',
  idleTimeoutSeconds: 24 * 3600,
  absoluteTimeoutSeconds: 7 * 24 * 3600,
};

export interface LockoutPolicy {
  threshold: number;
  durationSeconds: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { threshold: 10, durationSeconds: 900 };

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 12,
  maxLength: 128,
  requireUppercase: false,
  requireLowercase: false,
  requireDigit: false,
  requireSymbol: false,
  historyCount: 0,
  maxAgeDays: 0,
};

export const DEFAULT_TOKEN_TTLS = {
  accessTokenTtlSeconds: 900,
  idTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 7 * 24 * 3600,
};

export type EffectiveTenantSettings = Required<
  Omit<TenantSettings, 'passwordPolicy' | 'lockout' | 'sessions' | 'rateLimits'>
> & {
  passwordPolicy: PasswordPolicy;
  lockout: LockoutPolicy;
  sessions: SessionPolicy;
  rateLimits: RateLimits;
};

export function effectiveSettings(settings: TenantSettings): EffectiveTenantSettings {
  return {
    ...DEFAULT_TOKEN_TTLS,
    corsOrigins: [],
    mfaRequired: false,
    refreshTokenReuseGraceSeconds: 0,
    rolesInIdToken: false,
    auditRetentionDays: 365,
    selfRegistration: false,
    offerPasskeys: false,
    ...settings,
    passwordPolicy: { ...DEFAULT_PASSWORD_POLICY, ...settings.passwordPolicy },
    lockout: { ...DEFAULT_LOCKOUT, ...settings.lockout },
    sessions: { ...DEFAULT_SESSION_POLICY, ...settings.sessions },
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...settings.rateLimits },
  };
}

@Entity({ name: 'tenants' })
@Index('uq_tenants_slug', ['slug'], { unique: true })
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_tenants' })
  id: string;

  @Column({ type: 'varchar', length: 63 })
  slug: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  settings: TenantSettings;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
