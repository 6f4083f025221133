import type { TenantRuntime } from '@app/protocol';

/** What oidc-provider knows of the running sign-in (prompt, params, session, earlier results). */
export type Details = Awaited<ReturnType<TenantRuntime['provider']['interactionDetails']>>;

export const GENERIC_LOGIN_ERROR = 'Invalid username or password.';
export const FORM_EXPIRED = 'The form expired or was not sent from this site. Please start again.';
export const ACR_PASSWORD = 'urn:idp:acr:pwd';
export const ACR_MFA = 'urn:idp:acr:mfa';
/** Signed in through an upstream provider: it vouched for the user, we saw no password. */
export const ACR_FEDERATED = 'urn:idp:acr:fed';

/** How the first factor was proven (RFC 8176 `amr`): our password, or an upstream provider (`fed`). */
export type FirstFactor = 'pwd' | 'fed';

/** Interaction result keys: kept server-side by oidc-provider, bound to the interaction cookie. */
export const PENDING_MFA = 'pendingSecondFactor';
export const ENROLLED = 'enrolledSecondFactor';
/** Every factor is proven; steps before the login is handed over remain (new password, passkey offer). */
export const AUTHENTICATED = 'authenticated';

/** What a finished authentication hands to oidc-provider (RFC 8176 `amr`, our `acr`). */
export interface Login {
  accountId: string;
  amr: string[];
  acr: string;
}

/** The steps after authentication already done in this sign-in. */
export interface AfterAuthentication {
  passwordChanged?: boolean;
  passkeyOffered?: boolean;
}

/** The steps between authentication and the handed-over login. */
export type AfterStep = 'password-change' | 'passkey-offer';

export interface Authenticated {
  login: Login;
  done: AfterAuthentication;
  /** The step whose page is showing. */
  step: AfterStep;
}

/** The user is authenticated; a step after that (password change, passkey offer) is showing. */
export function authenticatedLogin(details: { result?: Record<string, unknown> }): Authenticated | undefined {
  const stored = details.result?.[AUTHENTICATED] as Partial<Authenticated> | undefined;
  if (typeof stored?.login?.accountId !== 'string') return undefined;
  if (stored.step !== 'password-change' && stored.step !== 'passkey-offer') return undefined;
  return { login: stored.login, done: stored.done ?? {}, step: stored.step };
}

/** The password step is done and a second factor (or its enrolment) is next. */
export function pendingSecondFactor(details: {
  result?: Record<string, unknown>;
}): { accountId: string; enroll: boolean; firstFactor: FirstFactor } | undefined {
  const pending = details.result?.[PENDING_MFA] as
    { accountId?: unknown; enroll?: unknown; firstFactor?: unknown } | undefined;
  return typeof pending?.accountId === 'string'
    ? {
        accountId: pending.accountId,
        enroll: pending.enroll === true,
        firstFactor: pending.firstFactor === 'fed' ? 'fed' : 'pwd',
      }
    : undefined;
}

export function field(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}
