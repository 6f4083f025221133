/** Every tenant setting of the README, as the settings form shows it. */
export interface SettingField {
  /** Dotted path under `settings`. */
  path: string;
  label: string;
  kind: 'number' | 'boolean' | 'choice' | 'origins';
  hint?: string;
  choices?: string[];
}

export interface SettingGroup {
  title: string;
  fields: SettingField[];
}

export const SETTING_GROUPS: SettingGroup[] = [
  {
    title: 'Tokens',
    fields: [
      {
        path: 'accessTokenTtlSeconds',
        label: 'Access token lifetime (seconds)',
        kind: 'number',
        hint: '60–86400; default 900',
      },
      {
        path: 'idTokenTtlSeconds',
        label: 'ID token lifetime (seconds)',
        kind: 'number',
        hint: '60–86400; default 900',
      },
      {
        path: 'refreshTokenTtlSeconds',
        label: 'Refresh token lifetime (seconds)',
        kind: 'number',
        hint: 'default 604800 (7 days)',
      },
      {
        path: 'refreshTokenReuseGraceSeconds',
        label: 'Refresh token reuse grace (seconds)',
        kind: 'number',
        hint: 'a rotated refresh token used again within this window is honoured; 0 = reuse revokes the grant',
      },
      { path: 'rolesInIdToken', label: 'Put roles and permissions in ID tokens', kind: 'boolean' },
    ],
  },
  {
    title: 'Passwords and sign-in',
    fields: [
      { path: 'passwordPolicy.minLength', label: 'Minimum password length', kind: 'number', hint: 'default 12' },
      { path: 'passwordPolicy.maxLength', label: 'Maximum password length', kind: 'number', hint: 'default 128' },
      { path: 'passwordPolicy.requireUppercase', label: 'Require an uppercase letter', kind: 'boolean' },
      { path: 'passwordPolicy.requireLowercase', label: 'Require a lowercase letter', kind: 'boolean' },
      { path: 'passwordPolicy.requireDigit', label: 'Require a digit', kind: 'boolean' },
      { path: 'passwordPolicy.requireSymbol', label: 'Require a symbol', kind: 'boolean' },
      { path: 'lockout.threshold', label: 'Wrong passwords before lockout', kind: 'number', hint: '3–100; default 10' },
      {
        path: 'lockout.durationSeconds',
        label: 'Lockout duration (seconds)',
        kind: 'number',
        hint: '60–86400; default 900',
      },
      { path: 'mfaRequired', label: 'Require a second factor', kind: 'boolean' },
      { path: 'selfRegistration', label: 'Allow self-registration (“Create account”)', kind: 'boolean' },
    ],
  },
  {
    title: 'Sessions',
    fields: [
      { path: 'sessions.maxPerUser', label: 'Concurrent sessions per user', kind: 'number', hint: '0 = unlimited' },
      {
        path: 'sessions.whenLimitReached',
        label: 'When the limit is reached',
        kind: 'choice',
        choices: ['end-oldest', 'refuse'],
      },
      { path: 'sessions.idleTimeoutSeconds', label: 'Idle timeout (seconds)', kind: 'number', hint: 'default 86400' },
      {
        path: 'sessions.absoluteTimeoutSeconds',
        label: 'Absolute timeout (seconds)',
        kind: 'number',
        hint: 'default 604800',
      },
    ],
  },
  {
    title: 'Browser access and limits',
    fields: [
      {
        path: 'corsOrigins',
        label: 'CORS origins',
        kind: 'origins',
        hint: 'one origin per line (scheme://host[:port]): SPAs allowed at the token, userinfo and revocation endpoints',
      },
      {
        path: 'rateLimits.clientRequestsPerMinute',
        label: 'Token requests per client per minute',
        kind: 'number',
        hint: '0 = off',
      },
      {
        path: 'rateLimits.apiRequestsPerMinute',
        label: 'Admin/account API calls per principal per minute',
        kind: 'number',
        hint: '0 = off',
      },
      {
        path: 'auditRetentionDays',
        label: 'Audit retention (days)',
        kind: 'number',
        hint: '0 keeps events forever; default 365',
      },
    ],
  },
];

export const SETTING_PATHS = SETTING_GROUPS.flatMap((g) => g.fields.map((f) => f.path));

/**
 * The form's values (react-hook-form reads a dotted name like "lockout.threshold" as a nested
 * path) back into the settings body the API takes: numbers as numbers, origins as a list.
 */
export function toSettingsBody(values: Record<string, unknown>): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const field of SETTING_GROUPS.flatMap((g) => g.fields)) {
    const [head, tail] = field.path.split('.');
    let value = tail ? (values[head] as Record<string, unknown> | undefined)?.[tail] : values[head];
    if (field.kind === 'origins')
      value = String(value ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    if (field.kind === 'number') value = typeof value === 'number' ? value : Number(value);
    if (tail) settings[head] = { ...(settings[head] as object), [tail]: value };
    else settings[head] = value;
  }
  return settings;
}

/** The effective settings as the form's (nested) values; CORS origins one per line. */
export function toFormValues(settings: Record<string, unknown>): Record<string, unknown> {
  return { ...settings, corsOrigins: ((settings.corsOrigins as string[] | undefined) ?? []).join('\n') };
}
