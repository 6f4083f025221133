import { DEFAULT_PASSWORD_POLICY } from '@app/tenancy';
import { passwordPolicyViolations } from './password-policy.js';

describe('passwordPolicyViolations', () => {
  it('accepts a long passphrase under the default policy', () => {
    expect(passwordPolicyViolations('correct horse battery staple', DEFAULT_PASSWORD_POLICY)).toEqual([]);
  });

  it('enforces length bounds', () => {
    expect(passwordPolicyViolations('zq9#kv', DEFAULT_PASSWORD_POLICY)).toEqual([
      'password must be at least 12 characters',
    ]);
    expect(passwordPolicyViolations('x'.repeat(129), DEFAULT_PASSWORD_POLICY)).toEqual([
      'password must be at most 128 characters',
    ]);
  });

  it('enforces the character classes a tenant asks for', () => {
    const strict = {
      ...DEFAULT_PASSWORD_POLICY,
      requireUppercase: true,
      requireLowercase: true,
      requireDigit: true,
      requireSymbol: true,
    };
    expect(passwordPolicyViolations('alllowercaseletters', strict)).toEqual([
      'password must contain an uppercase letter',
      'password must contain a digit',
      'password must contain a symbol',
    ]);
    expect(passwordPolicyViolations('Ünïcode-Pässword-9', strict)).toEqual([]);
  });

  it('refuses passwords from breach lists, whatever their length', () => {
    expect(passwordPolicyViolations('qwerty123456', DEFAULT_PASSWORD_POLICY)).toEqual([
      'password is too common; choose one that is not on breach lists',
    ]);
    expect(passwordPolicyViolations('LeaveMeAlone', DEFAULT_PASSWORD_POLICY)).toHaveLength(1);
    expect(passwordPolicyViolations('password', { ...DEFAULT_PASSWORD_POLICY, minLength: 8 })).toHaveLength(1);
  });

  it('matches whole listed passwords only, never a part of one or two joined by a line break', () => {
    const short = { ...DEFAULT_PASSWORD_POLICY, minLength: 4 };
    // '123456' and 'password' are neighbours on the list; '23456' is part of an entry.
    expect(passwordPolicyViolations('123456\npassword', short)).toEqual([]);
    expect(passwordPolicyViolations('23456', short)).toEqual([]);
    expect(passwordPolicyViolations('PassWord', short)).toHaveLength(1);
  });

  it('refuses a password containing the username or the email name', () => {
    const identity = { username: 'alice', email: 'alice.smith@example.com' };
    expect(passwordPolicyViolations('my-name-is-ALICE-ok', DEFAULT_PASSWORD_POLICY, identity)).toEqual([
      'password must not contain the username or email',
    ]);
    expect(
      passwordPolicyViolations('xx-alice.smith-xx', DEFAULT_PASSWORD_POLICY, { email: identity.email }),
    ).toHaveLength(1);
  });
});
