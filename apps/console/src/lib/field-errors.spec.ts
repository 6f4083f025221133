import { fieldErrors } from './field-errors';

const SETTINGS = [
  'accessTokenTtlSeconds',
  'lockout.threshold',
  'lockout.durationSeconds',
  'passwordPolicy.minLength',
  'passwordPolicy.maxLength',
  'sessions.absoluteTimeoutSeconds',
  'sessions.idleTimeoutSeconds',
  'corsOrigins',
];

describe('placing the API’s validation messages next to their fields', () => {
  it('splits the joined messages of a refused PATCH and finds nested paths under "settings."', () => {
    const result = fieldErrors(
      'settings.lockout.threshold must not be less than 3; settings.accessTokenTtlSeconds must not be greater than 86400',
      SETTINGS,
    );
    expect(result.fields).toEqual({
      'lockout.threshold': 'settings.lockout.threshold must not be less than 3',
      accessTokenTtlSeconds: 'settings.accessTokenTtlSeconds must not be greater than 86400',
    });
    expect(result.general).toBeNull();
  });

  it('recognises the service’s own messages, which name the path without "settings."', () => {
    const result = fieldErrors('sessions.absoluteTimeoutSeconds must be ≥ idleTimeoutSeconds', SETTINGS);
    expect(Object.keys(result.fields)).toEqual(['sessions.absoluteTimeoutSeconds']);
  });

  it('maps wordings without a path through aliases, and keeps the rest for the form', () => {
    const result = fieldErrors('each CORS origin must be scheme://host[:port]; something else entirely', SETTINGS, {
      'CORS origin': 'corsOrigins',
    });
    expect(result.fields.corsOrigins).toBe('each CORS origin must be scheme://host[:port]');
    expect(result.general).toBe('something else entirely');
  });

  it('does not confuse a field with another whose name contains it', () => {
    const result = fieldErrors('slug must match ^[a-z0-9][a-z0-9-]{1,62}$', ['slug', 'displayName']);
    expect(result.fields).toEqual({ slug: 'slug must match ^[a-z0-9][a-z0-9-]{1,62}$' });
  });
});
