import type { TracingSettings } from '@app/config';
import { type Attributes, type Context, trace } from '@opentelemetry/api';
import { register } from 'node:module';
import process from 'node:process';

/** On every span: which tenant the request was for (its issuer `/t/{slug}` or admin path). */
export const TENANT_ATTRIBUTE = 'idp.tenant';
const TENANT_PATH = /^\/(?:t|admin\/tenants)\/([a-z0-9][a-z0-9-]{1,62})(?:[/?]|$)/;

interface StartedSpan {
  attributes: Attributes;
  setAttribute(key: string, value: string): void;
}

/**
 * Puts the tenant on the HTTP server span from its path, and on every span below it (Postgres,
 * Redis, argon2) from its parent — so a trace backend can filter one tenant's work.
 */
export class TenantSpanAttribute {
  onStart(span: StartedSpan, parentContext: Context): void {
    const parent = trace.getSpan(parentContext) as unknown as Partial<StartedSpan> | undefined;
    const inherited = parent?.attributes?.[TENANT_ATTRIBUTE];
    if (typeof inherited === 'string') return span.setAttribute(TENANT_ATTRIBUTE, inherited);
    const path = span.attributes['url.path'] ?? span.attributes['http.target'];
    const tenant = typeof path === 'string' ? TENANT_PATH.exec(path)?.[1] : undefined;
    if (tenant) span.setAttribute(TENANT_ATTRIBUTE, tenant);
  }
  onEnd(): void {}
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/**
 * OpenTelemetry tracing, started before the server's modules load (instrumentation patches
 * them as they load): HTTP, Express, Postgres and Redis spans, exported over OTLP/HTTP. Only
 * called when an OTLP endpoint is configured; otherwise none of this is even loaded, and the
 * API calls in our code (argon2 spans) are no-ops.
 */
export async function startTracing(settings: TracingSettings): Promise<void> {
  // ESM imports (ioredis as we import it) are patched through import-in-the-middle's loader
  // hook; CommonJS requires (pg through TypeORM, express through Nest) through require hooks.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const [{ NodeSDK }, { OTLPTraceExporter }, { BatchSpanProcessor }, http, express, pg, ioredis] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-express'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);
  const exporter = new OTLPTraceExporter({ url: settings.tracesUrl, headers: settings.headers });
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    // Traces only. Left unset, the SDK also starts OTLP/protobuf metric and log exporters to
    // the same endpoint; metrics are at /metrics for Prometheus, logs on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    spanProcessors: [
      new TenantSpanAttribute(),
      new BatchSpanProcessor({ exporter, scheduledDelayMillis: settings.batchDelayMs }),
    ],
    instrumentations: [
      new http.HttpInstrumentation({ ignoreIncomingRequestHook: (req) => (req.url ?? '').startsWith('/health') }),
      new express.ExpressInstrumentation(),
      // Only inside a traced request: background polling (webhooks, token counts) would
      // otherwise send a trace of its own every second.
      new pg.PgInstrumentation({ requireParentSpan: true }),
      new ioredis.IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  // Spans still waiting for their batch go out before the process ends.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void sdk.shutdown());
}
