import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus registry. Labels stay low-cardinality on purpose: tenant slugs
 * and routes are not labels (10,000 tenants would mean 10,000 series per metric).
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Histogram({
    name: 'idp_http_request_duration_seconds',
    help: 'HTTP requests by area and status class',
    labelNames: ['area', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly tokensIssued = new Counter({
    name: 'idp_tokens_issued_total',
    help: 'Successful token endpoint responses by grant type',
    labelNames: ['grant_type'] as const,
    registers: [this.registry],
  });

  readonly authFailures = new Counter({
    name: 'idp_auth_failures_total',
    help: 'Failed client authentications and sign-ins',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'idp_webhook_deliveries_total',
    help: 'Outbound webhook delivery attempts by outcome (succeeded, failed, dropped)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly accessDenied = new Counter({
    name: 'idp_access_denied_total',
    help: 'Admin and account API calls refused with 401 or 403, by API and status',
    labelNames: ['api', 'status'] as const,
    registers: [this.registry],
  });

  readonly housekeepingPruned = new Counter({
    name: 'idp_housekeeping_pruned_rows_total',
    help: 'Rows removed by the hourly housekeeping jobs, by job',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  readonly logins = new Counter({
    name: 'idp_logins_total',
    help: 'Completed sign-in attempts by outcome (success, failure, locked, refused)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly lockouts = new Counter({
    name: 'idp_lockouts_total',
    help: 'Accounts locked after too many wrong passwords',
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'idp_rate_limited_total',
    help: 'Requests answered 429, by what was limited',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly dependencyStatus = new Gauge({
    name: 'idp_dependency_status',
    help: 'Tracked dependency status: 0 healthy, 1 degraded, 2 unhealthy',
    labelNames: ['dependency'] as const,
    registers: [this.registry],
  });

  readonly dependencyStatusChanges = new Counter({
    name: 'idp_dependency_status_changes_total',
    help: 'Dependency status changes by the status entered',
    labelNames: ['dependency', 'status'] as const,
    registers: [this.registry],
  });

  readonly dependencyLatency = new Histogram({
    name: 'idp_dependency_latency_seconds',
    help: 'Response time of dependency probes and observed calls (Postgres, Redis, mail, webhooks)',
    labelNames: ['dependency'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5],
    registers: [this.registry],
  });

  /** Gauges read when scraped (cheap counts owned by other modules: provider cache, live sessions). */
  gauge(name: string, help: string, read: () => number | Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read());
      },
    });
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'idp_' });
  }
}

/** Which part of the product a path belongs to, for the `area` label. */
export function areaOf(path: string): string {
  if (path.startsWith('/admin')) return 'admin';
  if (path.startsWith('/health') || path.startsWith('/metrics')) return 'ops';
  const match = /^\/t\/[^/]+\/([^/?]+)(\/[^/?]+)?/.exec(path);
  if (!match) return 'other';
  const [, first, second] = match;
  if (first === 'interaction') return 'pages';
  if (first === 'account') return 'account';
  if (first === 'token')
    return second === '/introspection' ? 'introspection' : second === '/revocation' ? 'revocation' : 'token';
  if (first === '.well-known') return 'discovery';
  return ['auth', 'jwks', 'me', 'session'].includes(first) ? first : 'oidc-other';
}
