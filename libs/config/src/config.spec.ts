import { ConfigError, loadConfig } from './config.js';

const validKey = 'a'.repeat(64);

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    return e as ConfigError;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.dataDir).toBe('./data');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.logLevel).toBe('info');
    expect(config.smtpUrl).toBeUndefined();
    expect(config.mailFrom).toBe('no-reply@localhost');
  });

  it('reads the mail relay and sender', () => {
    const config = loadConfig({
      PUBLIC_URL: 'https://id.example.com',
      SMTP_URL: 'smtps://user:pass@mail.example.com:465',
      MAIL_FROM: 'Example ID <id@example.com>',
    });
    expect(config.smtpUrl).toBe('smtps://user:pass@mail.example.com:465');
    expect(config.mailFrom).toBe('Example ID <id@example.com>');
    expect(loadConfig({ PUBLIC_URL: 'https://id.example.com/base' }).mailFrom).toBe('no-reply@id.example.com');
  });

  it('reads webhook retry delays as durations, with production defaults', () => {
    expect(loadConfig({}).webhooks).toEqual({
      retryDelaysMs: [10_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000],
      disableAfterFailures: 15,
      pollIntervalMs: 1000,
      deliveryLogRetentionDays: 30,
    });
    expect(loadConfig({ WEBHOOK_DELIVERY_LOG_RETENTION_DAYS: '7' }).webhooks.deliveryLogRetentionDays).toBe(7);
    expect(() => loadConfig({ WEBHOOK_DELIVERY_LOG_RETENTION_DAYS: '0' })).toThrow(
      /WEBHOOK_DELIVERY_LOG_RETENTION_DAYS/,
    );
    expect(loadConfig({ WEBHOOK_RETRY_DELAYS: '50ms, 2s', WEBHOOK_POLL_INTERVAL: '20ms' }).webhooks).toMatchObject({
      retryDelaysMs: [50, 2000],
      pollIntervalMs: 20,
    });
    expect(() => loadConfig({ WEBHOOK_RETRY_DELAYS: '10 minutes' })).toThrow(
      /^Invalid configuration: WEBHOOK_RETRY_DELAYS/,
    );
    expect(() => loadConfig({ WEBHOOK_DISABLE_AFTER_FAILURES: '0' })).toThrow(/WEBHOOK_DISABLE_AFTER_FAILURES/);
  });

  it('reads the health model timing: 15 s core hold, 5 min external hold, 1 h failure window', () => {
    expect(loadConfig({}).health).toEqual({ coreHoldMs: 15_000, externalHoldMs: 300_000, failureWindowMs: 3_600_000 });
    expect(loadConfig({ HEALTH_CORE_HOLD: '1s', HEALTH_EXTERNAL_HOLD: '30s' }).health).toMatchObject({
      coreHoldMs: 1000,
      externalHoldMs: 30_000,
    });
    expect(() => loadConfig({ HEALTH_FAILURE_WINDOW: 'forever' })).toThrow(
      /^Invalid configuration: HEALTH_FAILURE_WINDOW/,
    );
  });

  it('derives PUBLIC_URL from PORT and strips a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://id.example.com/base/' }).publicUrl).toBe('https://id.example.com/base');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ MASTER_KEY: 'short' }, 'MASTER_KEY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LOG_FORMAT: 'colourful' }, 'LOG_FORMAT'],
    [{ BOOTSTRAP_ADMIN_CLIENT_ID: 'admin' }, 'BOOTSTRAP_ADMIN_CLIENT_SECRET'],
    [
      { BOOTSTRAP_ADMIN_CLIENT_ID: 'admin', BOOTSTRAP_ADMIN_CLIENT_SECRET: 'too-short' },
      'BOOTSTRAP_ADMIN_CLIENT_SECRET',
    ],
    [{ BOOTSTRAP_ADMIN_PASSWORD: 'x' }, 'BOOTSTRAP_ADMIN_USERNAME'],
    [{ SMTP_URL: 'http://mail.example.com' }, 'SMTP_URL'],
    [{ SMTP_URL: 'not a url' }, 'SMTP_URL'],
    [{ MAIL_FROM: 'nobody' }, 'MAIL_FROM'],
    [{ MAIL_FROM: 'a@b\nBcc: c@d' }, 'MAIL_FROM'],
  ])('rejects %j naming %s in one line', (env, variable) => {
    const error = errorOf(env as Record<string, string>);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).not.toContain('\n');
  });

  describe('tracing from the standard OTEL_* variables', () => {
    it('is off without an OTLP endpoint, or when the SDK or the traces exporter is disabled', () => {
      expect(loadConfig({}).tracing).toBeUndefined();
      expect(
        loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318', OTEL_SDK_DISABLED: 'true' }).tracing,
      ).toBeUndefined();
      expect(
        loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318', OTEL_TRACES_EXPORTER: 'none' }).tracing,
      ).toBeUndefined();
    });

    it('sends to {endpoint}/v1/traces, or to the traces endpoint as given, with the headers', () => {
      expect(
        loadConfig({
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318/',
          OTEL_EXPORTER_OTLP_HEADERS: 'x-token=a%20b,tenant=t',
        }).tracing,
      ).toEqual({
        tracesUrl: 'http://otel:4318/v1/traces',
        headers: { 'x-token': 'a b', tenant: 't' },
        serviceName: 'idp-auth-server',
        batchDelayMs: 5000,
      });
      expect(
        loadConfig({
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/ingest',
          OTEL_SERVICE_NAME: 'id-eu',
        }).tracing,
      ).toMatchObject({ tracesUrl: 'https://traces.example/ingest', serviceName: 'id-eu' });
    });

    it.each([
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'otel:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
      [
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318', OTEL_EXPORTER_OTLP_HEADERS: 'novalue' },
        'OTEL_EXPORTER_OTLP_HEADERS',
      ],
    ])('rejects %j naming %s', (env, variable) => {
      expect(errorOf(env as Record<string, string>).variable).toBe(variable);
    });
  });

  describe('NODE_ENV=production refuses unsafe setups', () => {
    const safe = {
      NODE_ENV: 'production',
      MASTER_KEY: validKey,
      PUBLIC_URL: 'https://id.example.com',
      DATABASE_URL: 'postgres://db/idp',
      REDIS_URL: 'redis://cache:6379',
    };
    it('accepts a complete production setup', () => {
      expect(loadConfig(safe).production).toBe(true);
    });
    it.each([
      ['MASTER_KEY', { MASTER_KEY: '' }],
      ['PUBLIC_URL', { PUBLIC_URL: 'http://id.example.com' }],
      ['DATABASE_URL', { DATABASE_URL: '' }],
      ['REDIS_URL', { REDIS_URL: '' }],
      ['LOG_FORMAT', { LOG_FORMAT: 'pretty' }],
    ])('without a safe %s', (variable, override) => {
      expect(errorOf({ ...safe, ...override }).variable).toBe(variable);
    });
  });
});
