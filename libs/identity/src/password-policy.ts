import type { PasswordPolicy } from '@app/tenancy';
import { dictionary } from '@zxcvbn-ts/language-common';

/** ~49,000 passwords seen most often in breaches (zxcvbn-ts' common list), compared case-insensitively. */
let common: Set<string> | undefined;
function isCommonPassword(password: string): boolean {
  common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  return common.has(password.toLowerCase());
}

/** Everything wrong with a password under a tenant's policy, in words a user can act on. */
export function passwordPolicyViolations(
  password: string,
  policy: PasswordPolicy,
  identity: { username?: string; email?: string | null } = {},
): string[] {
  const problems: string[] = [];
  if (password.length < policy.minLength) problems.push(`password must be at least ${policy.minLength} characters`);
  if (password.length > policy.maxLength) problems.push(`password must be at most ${policy.maxLength} characters`);
  if (policy.requireUppercase && !/\p{Lu}/u.test(password)) problems.push('password must contain an uppercase letter');
  if (policy.requireLowercase && !/\p{Ll}/u.test(password)) problems.push('password must contain a lowercase letter');
  if (policy.requireDigit && !/\p{Nd}/u.test(password)) problems.push('password must contain a digit');
  if (policy.requireSymbol && !/[^\p{L}\p{Nd}]/u.test(password)) problems.push('password must contain a symbol');
  const lower = password.toLowerCase();
  const names = [identity.username, identity.email?.split('@')[0]].filter((n): n is string => !!n && n.length >= 3);
  if (names.some((name) => lower.includes(name.toLowerCase())))
    problems.push('password must not contain the username or email');
  if (isCommonPassword(password)) problems.push('password is too common; choose one that is not on breach lists');
  return problems;
}
