import type { TenantRuntime } from '@app/protocol';

/** What oidc-provider knows of the running sign-in (prompt, params, session, earlier results). */
export type Details = Awaited<ReturnType<TenantRuntime['provider']['interactionDetails']>>;

export const GENERIC_LOGIN_ERROR = 'Invalid username or password.';
export const FORM_EXPIRED = 'The form expired or was not sent from this site. Please start again.';
export const ACR_PASSWORD = 'urn:idp:acr:pwd';
export const ACR_MFA = 'urn:idp:acr:mfa';

/** Interaction result keys: kept server-side by oidc-provider, bound to the interaction cookie. */
export const PENDING_MFA = 'pendingSecondFactor';
export const ENROLLED = 'enrolledSecondFactor';

/** The password step is done and a second factor (or its enrolment) is next. */
export function pendingSecondFactor(details: {
  result?: Record<string, unknown>;
}): { accountId: string; enroll: boolean } | undefined {
  const pending = details.result?.[PENDING_MFA] as { accountId?: unknown; enroll?: unknown } | undefined;
  return typeof pending?.accountId === 'string'
    ? { accountId: pending.accountId, enroll: pending.enroll === true }
    : undefined;
}

export function field(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}
