import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface AppConfig {
  nodeEnv: string;
  production: boolean;
  port: number;
  /** Without trailing slash; issuers are `${publicUrl}/t/${slug}`. */
  publicUrl: string;
  databaseUrl?: string;
  dataDir: string;
  redisUrl?: string;
  /** Namespaces every Redis key so several deployments (or test runs) can share one Redis. */
  redisKeyPrefix: string;
  /** Raw MASTER_KEY value; undefined means "generate into DATA_DIR" (dev only). */
  masterKeyInput?: string;
  bootstrapAdminClient?: { clientId: string; clientSecret: string };
  bootstrapAdminUser?: { username: string; password: string };
  logLevel: LogLevel;
  /** `LOG_FORMAT`; unset = readable lines on a terminal, JSON lines otherwise (always JSON in production). */
  logFormat?: LogFormat;
  /** Trust X-Forwarded-* (only behind a proxy that overwrites them). */
  trustProxy: boolean;
  /**
   * `smtp://` or `smtps://` URL of the mail relay. Unset: in development every mail is
   * written to the log in full; in production nothing is sent (mail-based features hide).
   */
  smtpUrl?: string;
  /** Sender of every mail (`MAIL_FROM`), default `no-reply@<PUBLIC_URL host>`. */
  mailFrom: string;
  webhooks: WebhookSettings;
  health: HealthSettings;
  /** OpenTelemetry tracing; undefined (off, no cost) unless an OTLP endpoint is set. */
  tracing?: TracingSettings;
}

/** From the standard OTEL_* variables; the SDK reads the others (sampler, limits) itself. */
export interface TracingSettings {
  /** OTLP/HTTP traces URL: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  tracesUrl: string;
  headers: Record<string, string>;
  serviceName: string;
  /** OTEL_BSP_SCHEDULE_DELAY: how long finished spans wait to go out together (ms). */
  batchDelayMs: number;
}

/** Outbound webhook delivery; the defaults suit production, tests shorten the delays. */
export interface WebhookSettings {
  /** Wait before each retry (jittered ±20 %); attempts = retries + 1. */
  retryDelaysMs: number[];
  /** Consecutive failed deliveries after which an endpoint is disabled. */
  disableAfterFailures: number;
  pollIntervalMs: number;
  /** `WEBHOOK_DELIVERY_LOG_RETENTION_DAYS` (30): older delivery log rows are removed hourly. */
  deliveryLogRetentionDays: number;
}

/** Timing of the one health model (thresholds are fixed: 3 failures degrade, 5 make unhealthy, 3 successes heal). */
export interface HealthSettings {
  /** `HEALTH_CORE_HOLD` (15s): minimum time the server's own Postgres/Redis stay unhealthy (readiness 503). */
  coreHoldMs: number;
  /** `HEALTH_EXTERNAL_HOLD` (5m): the same for the mail relay, webhook receivers and identity providers. */
  externalHoldMs: number;
  /** `HEALTH_FAILURE_WINDOW` (1h): failures further apart than this do not add up. */
  failureWindowMs: number;
}

/** Thrown for bad configuration; its message is the one line printed before exiting. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function parsePort(env: Env): number {
  const raw = optional(env, 'PORT') ?? '3000';
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', `must be an integer between 0 and 65535 (got "${raw}")`);
  }
  return port;
}

function parseUrl(name: string, raw: string, protocols: string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be an absolute URL');
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')} (got "${url.protocol}")`);
  }
  return url;
}

function pair<K extends string>(env: Env, first: string, second: string, keys: [K, K]): Record<K, string> | undefined {
  const a = optional(env, first);
  const b = optional(env, second);
  if (!a && !b) return undefined;
  if (!a) throw new ConfigError(first, `must be set together with ${second}`);
  if (!b) throw new ConfigError(second, `must be set together with ${first}`);
  return { [keys[0]]: a, [keys[1]]: b } as Record<K, string>;
}

/** `key=value,key=value` (OTEL_EXPORTER_OTLP_HEADERS), values URL-encoded as the spec says. */
function otlpHeaders(name: string, raw: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const part of (raw ?? '').split(',').filter((p) => p.trim())) {
    const at = part.indexOf('=');
    if (at <= 0) throw new ConfigError(name, 'must be a list of key=value pairs');
    try {
      headers[part.slice(0, at).trim()] = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      throw new ConfigError(name, 'has a value that is not URL-encoded');
    }
  }
  return headers;
}

function tracingSettings(env: Env): TracingSettings | undefined {
  if (optional(env, 'OTEL_SDK_DISABLED') === 'true' || optional(env, 'OTEL_TRACES_EXPORTER') === 'none')
    return undefined;
  const traces = optional(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = optional(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (!traces && !base) return undefined;
  const tracesUrl = traces
    ? parseUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', traces, ['http:', 'https:']).href
    : `${parseUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base!, ['http:', 'https:']).href.replace(/\/+$/, '')}/v1/traces`;
  return {
    tracesUrl,
    headers: {
      ...otlpHeaders('OTEL_EXPORTER_OTLP_HEADERS', optional(env, 'OTEL_EXPORTER_OTLP_HEADERS')),
      ...otlpHeaders('OTEL_EXPORTER_OTLP_TRACES_HEADERS', optional(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS')),
    },
    serviceName: optional(env, 'OTEL_SERVICE_NAME') ?? 'idp-auth-server',
    batchDelayMs: parseCount(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000),
  };
}

/** The one place that interprets the environment. Pure: no I/O. */
export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = optional(env, 'NODE_ENV') ?? 'development';
  const production = nodeEnv === 'production';
  const port = parsePort(env);

  const publicUrlRaw = optional(env, 'PUBLIC_URL') ?? `http://localhost:${port}`;
  const publicUrl = parseUrl('PUBLIC_URL', publicUrlRaw, ['http:', 'https:']);
  if (publicUrl.search || publicUrl.hash) throw new ConfigError('PUBLIC_URL', 'must not have a query or fragment');

  const databaseUrl = optional(env, 'DATABASE_URL');
  if (databaseUrl) parseUrl('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:']);
  const redisUrl = optional(env, 'REDIS_URL');
  if (redisUrl) parseUrl('REDIS_URL', redisUrl, ['redis:', 'rediss:']);

  const masterKeyInput = optional(env, 'MASTER_KEY');
  if (masterKeyInput) decodeMasterKey(masterKeyInput);

  const logLevel = (optional(env, 'LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const logFormat = optional(env, 'LOG_FORMAT') as LogFormat | undefined;
  if (logFormat && !LOG_FORMATS.includes(logFormat)) {
    throw new ConfigError('LOG_FORMAT', `must be one of ${LOG_FORMATS.join(', ')}`);
  }

  const redisKeyPrefix = optional(env, 'REDIS_KEY_PREFIX') ?? 'idp:';
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(redisKeyPrefix)) {
    throw new ConfigError('REDIS_KEY_PREFIX', 'must be 1-64 characters of [A-Za-z0-9:_.-]');
  }

  const bootstrapAdminClient = pair(env, 'BOOTSTRAP_ADMIN_CLIENT_ID', 'BOOTSTRAP_ADMIN_CLIENT_SECRET', [
    'clientId',
    'clientSecret',
  ]);
  if (bootstrapAdminClient && !/^[A-Za-z0-9._~-]{3,64}$/.test(bootstrapAdminClient.clientId)) {
    throw new ConfigError('BOOTSTRAP_ADMIN_CLIENT_ID', 'must be 3-64 characters of [A-Za-z0-9._~-]');
  }
  if (bootstrapAdminClient && bootstrapAdminClient.clientSecret.length < 32) {
    throw new ConfigError('BOOTSTRAP_ADMIN_CLIENT_SECRET', 'must be at least 32 characters');
  }
  const bootstrapAdminUser = pair(env, 'BOOTSTRAP_ADMIN_USERNAME', 'BOOTSTRAP_ADMIN_PASSWORD', [
    'username',
    'password',
  ]);

  const trustProxyRaw = optional(env, 'TRUST_PROXY') ?? 'false';
  if (!['true', 'false'].includes(trustProxyRaw)) throw new ConfigError('TRUST_PROXY', 'must be true or false');

  const smtpUrl = optional(env, 'SMTP_URL');
  if (smtpUrl) parseUrl('SMTP_URL', smtpUrl, ['smtp:', 'smtps:']);
  const mailFrom = optional(env, 'MAIL_FROM') ?? `no-reply@${publicUrl.hostname}`;
  if (!/^([^<>\r\n]{0,100}<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(mailFrom)) {
    throw new ConfigError('MAIL_FROM', 'must be an address (user@host) or "Name <user@host>"');
  }
  const webhooks: WebhookSettings = {
    retryDelaysMs: (optional(env, 'WEBHOOK_RETRY_DELAYS') ?? '10s,30s,2m,10m,1h,6h')
      .split(',')
      .map((part) => parseDuration('WEBHOOK_RETRY_DELAYS', part.trim())),
    disableAfterFailures: parseCount(env, 'WEBHOOK_DISABLE_AFTER_FAILURES', 15),
    pollIntervalMs: parseDuration('WEBHOOK_POLL_INTERVAL', optional(env, 'WEBHOOK_POLL_INTERVAL') ?? '1s'),
    deliveryLogRetentionDays: parseCount(env, 'WEBHOOK_DELIVERY_LOG_RETENTION_DAYS', 30),
  };
  const health: HealthSettings = {
    coreHoldMs: parseDuration('HEALTH_CORE_HOLD', optional(env, 'HEALTH_CORE_HOLD') ?? '15s'),
    externalHoldMs: parseDuration('HEALTH_EXTERNAL_HOLD', optional(env, 'HEALTH_EXTERNAL_HOLD') ?? '5m'),
    failureWindowMs: parseDuration('HEALTH_FAILURE_WINDOW', optional(env, 'HEALTH_FAILURE_WINDOW') ?? '1h'),
  };
  if (webhooks.retryDelaysMs.length > 20) throw new ConfigError('WEBHOOK_RETRY_DELAYS', 'allows at most 20 retries');

  if (production) {
    if (!masterKeyInput) throw new ConfigError('MASTER_KEY', 'is required when NODE_ENV=production');
    if (publicUrl.protocol !== 'https:') throw new ConfigError('PUBLIC_URL', 'must be https when NODE_ENV=production');
    if (!databaseUrl) throw new ConfigError('DATABASE_URL', 'is required when NODE_ENV=production (no embedded store)');
    if (!redisUrl) throw new ConfigError('REDIS_URL', 'is required when NODE_ENV=production (no embedded store)');
    if (logFormat === 'pretty') throw new ConfigError('LOG_FORMAT', 'must be json when NODE_ENV=production');
  }

  return {
    nodeEnv,
    production,
    port,
    publicUrl: publicUrl.href.replace(/\/+$/, ''),
    databaseUrl,
    dataDir: optional(env, 'DATA_DIR') ?? './data',
    redisUrl,
    redisKeyPrefix,
    masterKeyInput,
    bootstrapAdminClient,
    bootstrapAdminUser,
    logLevel,
    logFormat,
    trustProxy: trustProxyRaw === 'true',
    smtpUrl,
    mailFrom,
    webhooks,
    health,
    tracing: tracingSettings(env),
  };
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `250ms`, `10s`, `2m`, `1h` → milliseconds (1 ms to 24 h). */
function parseDuration(name: string, raw: string): number {
  const match = /^(\d{1,8})(ms|s|m|h)$/.exec(raw);
  const ms = match ? Number(match[1]) * DURATION_UNITS[match[2]] : NaN;
  if (!(ms >= 1 && ms <= 86_400_000)) {
    throw new ConfigError(name, `must be durations like 250ms, 10s, 2m or 1h, up to 24h (got "${raw}")`);
  }
  return ms;
}

function parseCount(env: Env, name: string, fallback: number): number {
  const raw = optional(env, name) ?? String(fallback);
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1) throw new ConfigError(name, `must be an integer from 1 to 9999`);
  return Number(raw);
}

/** MASTER_KEY is 32 bytes given as 64 hex characters or base64/base64url. */
export function decodeMasterKey(raw: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64url');
  if (key.length !== 32) {
    throw new ConfigError('MASTER_KEY', 'must be 32 bytes, as 64 hex characters or base64');
  }
  return key;
}

export const IN_MEMORY_DATA_DIR = ':memory:';

/**
 * The key that encrypts signing keys at rest. In development it is generated once into
 * DATA_DIR so restarts can still decrypt what they stored; production must supply it.
 */
export function resolveMasterKey(config: AppConfig): Buffer {
  if (config.masterKeyInput) return decodeMasterKey(config.masterKeyInput);
  if (config.dataDir === IN_MEMORY_DATA_DIR) return randomBytes(32);
  const file = join(config.dataDir, 'master.key');
  if (existsSync(file)) return decodeMasterKey(readFileSync(file, 'utf8').trim());
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}
