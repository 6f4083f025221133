import type { PasswordPolicy } from '@app/tenancy';
import { createRequire } from 'node:module';

/**
 * The ~49,000 passwords seen most often in breaches (zxcvbn-ts' common list), lower-cased,
 * one per line between newlines, loaded on the first check. One string, not an array or a
 * set: ~57,000 small strings that lived as long as the process were 11% of the server's heap
 * objects, marked by every full garbage collection — a share of every request's cost — for
 * a check that runs only when someone chooses a password (docs/performance.md, sixth pass).
 * For the same reason the package is read through `require` and dropped from its cache once
 * read: an imported module's arrays stay reachable for good.
 */
let commonPasswords: string | undefined;

function loadCommonPasswords(): string {
  const require = createRequire(import.meta.url);
  const loadedBefore = new Set(Object.keys(require.cache));
  try {
    const { dictionary } = require('@zxcvbn-ts/language-common') as { dictionary: Record<string, string[]> };
    return `\n${dictionary['passwords-common'].map((p) => p.toLowerCase()).join('\n')}\n`;
  } finally {
    for (const id of Object.keys(require.cache)) if (!loadedBefore.has(id)) delete require.cache[id];
  }
}

function isCommonPassword(password: string): boolean {
  // No listed password holds a line break; one in the input must not join two entries.
  if (/[\r\n]/.test(password)) return false;
  commonPasswords ??= loadCommonPasswords();
  return commonPasswords.includes(`\n${password.toLowerCase()}\n`);
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
