import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  EXTERNAL_HEALTH_POLICY,
  type HealthPolicy,
  type HealthState,
  type HealthStatus,
  initialHealthState,
  recordHealthOutcome,
} from '../health/health-state.js';
import { Metrics } from './metrics.js';

export type DependencyStatus = HealthStatus;
const PROBE_TIMEOUT_MS = 2_000;
const PROBE_INTERVAL_MS = 10_000;

export interface DependencyDefinition {
  name: string;
  kind: string;
  /** Unhealthy and required = the instance is not ready (503). */
  required: boolean;
  /** Active check; dependencies without one are judged by what their users report. */
  probe?: () => Promise<unknown>;
  /** Hold and window of the health model; default: an external endpoint's (5 min hold). */
  policy?: HealthPolicy;
}

export interface DependencyState {
  name: string;
  kind: string;
  required: boolean;
  status: DependencyStatus;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  responseTimeMs: number | null;
  lastCheckedAt: string | null;
  /** While unhealthy: the earliest time it can be healthy again. */
  unhealthyUntil: string | null;
  lastError: string | null;
}

export type StatusChange = { dependency: string; kind: string; from: DependencyStatus; to: DependencyStatus };

const STATUS_VALUE: Record<DependencyStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

interface Tracked extends DependencyDefinition {
  policy: HealthPolicy;
  health: HealthState;
  responseTimeMs: number | null;
  lastError: string | null;
}

function view(dependency: Tracked): DependencyState {
  const { health } = dependency;
  return {
    name: dependency.name,
    kind: dependency.kind,
    required: dependency.required,
    status: health.status,
    consecutiveFailures: health.consecutiveFailures,
    consecutiveSuccesses: health.consecutiveSuccesses,
    responseTimeMs: dependency.responseTimeMs,
    lastCheckedAt: health.lastCheckedAt === null ? null : new Date(health.lastCheckedAt).toISOString(),
    unhealthyUntil:
      health.status === 'unhealthy' && health.unhealthyUntil !== null
        ? new Date(health.unhealthyUntil).toISOString()
        : null,
    lastError: dependency.lastError,
  };
}

/**
 * Tracked health of everything the server depends on (Postgres, Redis, mail, webhook
 * receivers…): probed every 10 s and on each readiness check, and fed by callers that
 * observe real traffic (`report`), each outcome run through the one health model
 * (health-state.ts: degraded at 3 failures, unhealthy at 5, held, healed by 3 successes). A status change is logged, counted and announced to
 * listeners (the audit trail).
 */
@Injectable()
export class DependencyHealth implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('health');
  private readonly dependencies = new Map<string, Tracked>();
  private readonly listeners: ((change: StatusChange) => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly metrics: Metrics) {}

  register(definition: DependencyDefinition): void {
    this.dependencies.set(definition.name, {
      ...definition,
      policy: definition.policy ?? EXTERNAL_HEALTH_POLICY,
      health: initialHealthState(),
      responseTimeMs: null,
      lastError: null,
    });
    this.metrics.dependencyStatus.set({ dependency: definition.name }, 0);
  }

  onChange(listener: (change: StatusChange) => void): void {
    this.listeners.push(listener);
  }

  /** One observed outcome (a probe, a mail sent, a webhook delivered). */
  report(name: string, outcome: { ok: boolean; responseTimeMs: number; error?: string }): DependencyState | undefined {
    const dependency = this.dependencies.get(name);
    if (!dependency) return undefined;
    const from = dependency.health.status;
    dependency.health = recordHealthOutcome(dependency.health, outcome.ok, Date.now(), dependency.policy);
    dependency.responseTimeMs = Math.round(outcome.responseTimeMs * 10) / 10;
    dependency.lastError = outcome.ok ? null : (outcome.error ?? 'failed').slice(0, 200);
    const state = view(dependency);
    this.metrics.dependencyLatency.observe({ dependency: name }, outcome.responseTimeMs / 1000);
    if (state.status !== from) {
      this.metrics.dependencyStatus.set({ dependency: name }, STATUS_VALUE[state.status]);
      this.metrics.dependencyStatusChanges.inc({ dependency: name, status: state.status });
      const line = `${name} (${dependency.kind}) is now ${state.status} (was ${from})`;
      if (state.status === 'healthy') this.logger.log(line);
      else this.logger.warn(`${line}: ${state.lastError}`);
      const change = { dependency: name, kind: dependency.kind, from, to: state.status };
      for (const listener of this.listeners) listener(change);
    }
    return state;
  }

  /** Runs the dependency's probe (bounded by a timeout) and records the outcome. */
  async probe(name: string): Promise<DependencyState | undefined> {
    const dependency = this.dependencies.get(name);
    if (!dependency?.probe) return this.state(name);
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        dependency.probe(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
        }),
      ]);
      return this.report(name, { ok: true, responseTimeMs: performance.now() - started });
    } catch (error) {
      return this.report(name, {
        ok: false,
        responseTimeMs: performance.now() - started,
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async probeAll(): Promise<DependencyState[]> {
    await Promise.all([...this.dependencies.keys()].map((name) => this.probe(name)));
    return this.states();
  }

  state(name: string): DependencyState | undefined {
    const dependency = this.dependencies.get(name);
    return dependency && view(dependency);
  }

  states(): DependencyState[] {
    return [...this.dependencies.values()].map(view);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.probeAll(), PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
