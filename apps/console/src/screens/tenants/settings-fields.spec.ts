import { SETTING_PATHS, toFormValues, toSettingsBody } from './settings-fields';

describe('the tenant settings form', () => {
  it('covers every setting the README lists', () => {
    for (const path of [
      'accessTokenTtlSeconds',
      'idTokenTtlSeconds',
      'refreshTokenTtlSeconds',
      'refreshTokenReuseGraceSeconds',
      'rolesInIdToken',
      'passwordPolicy.minLength',
      'lockout.threshold',
      'lockout.durationSeconds',
      'mfaRequired',
      'selfRegistration',
      'sessions.maxPerUser',
      'sessions.whenLimitReached',
      'sessions.idleTimeoutSeconds',
      'sessions.absoluteTimeoutSeconds',
      'corsOrigins',
      'rateLimits.clientRequestsPerMinute',
      'rateLimits.apiRequestsPerMinute',
      'auditRetentionDays',
    ])
      expect(SETTING_PATHS).toContain(path);
  });

  it('turns the form values into the body PATCH /admin/tenants/{slug} takes, and back', () => {
    const values = toFormValues({
      accessTokenTtlSeconds: 900,
      lockout: { threshold: 10, durationSeconds: 900 },
      corsOrigins: ['https://a.example', 'https://b.example'],
    });
    expect(values.lockout).toEqual({ threshold: 10, durationSeconds: 900 });
    expect(values.corsOrigins).toBe('https://a.example\nhttps://b.example');
    // As react-hook-form holds them after an edit: nested, a typed number possibly a string.
    const edited = {
      ...values,
      lockout: { threshold: '5', durationSeconds: 900 },
      corsOrigins: ' https://a.example \n\n',
    };
    const body = toSettingsBody(edited);
    expect(body.lockout).toEqual({ threshold: 5, durationSeconds: 900 });
    expect(body.corsOrigins).toEqual(['https://a.example']);
    expect(body.accessTokenTtlSeconds).toBe(900);
  });
});
