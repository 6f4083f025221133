import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Metrics } from './metrics.js';

export type DependencyStatus = 'healthy' | 'degraded' | 'unhealthy';

/** Consecutive failures before a dependency counts as degraded, then unhealthy. */
export const DEGRADED_AFTER = 3;
export const UNHEALTHY_AFTER = 5;
const PROBE_TIMEOUT_MS = 2_000;
const PROBE_INTERVAL_MS = 10_000;

export interface DependencyDefinition {
  name: string;
  kind: string;
  /** Unhealthy and required = the instance is not ready (503). */
  required: boolean;
  /** Active check; dependencies without one are judged by what their users report. */
  probe?: () => Promise<unknown>;
}

export interface DependencyState {
  name: string;
  kind: string;
  required: boolean;
  status: DependencyStatus;
  consecutiveFailures: number;
  responseTimeMs: number | null;
  lastCheckedAt: string | null;
  lastError: string | null;
}

export type StatusChange = { dependency: string; kind: string; from: DependencyStatus; to: DependencyStatus };

const STATUS_VALUE: Record<DependencyStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

/** The status after one more outcome: healthy on a success; degraded at 3, unhealthy at 5 failures in a row. */
export function nextStatus(current: DependencyStatus, consecutiveFailures: number): DependencyStatus {
  if (consecutiveFailures === 0) return 'healthy';
  if (consecutiveFailures >= UNHEALTHY_AFTER) return 'unhealthy';
  if (consecutiveFailures >= DEGRADED_AFTER) return 'degraded';
  return current;
}

/**
 * Tracked health of everything the server depends on (Postgres, Redis, mail, webhook
 * receivers…): probed every 10 s and on each readiness check, and fed by callers that
 * observe real traffic (`report`). A status change is logged, counted and announced to
 * listeners (the audit trail).
 */
@Injectable()
export class DependencyHealth implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('health');
  private readonly dependencies = new Map<string, DependencyDefinition & { state: DependencyState }>();
  private readonly listeners: ((change: StatusChange) => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly metrics: Metrics) {}

  register(definition: DependencyDefinition): void {
    this.dependencies.set(definition.name, {
      ...definition,
      state: {
        name: definition.name,
        kind: definition.kind,
        required: definition.required,
        status: 'healthy',
        consecutiveFailures: 0,
        responseTimeMs: null,
        lastCheckedAt: null,
        lastError: null,
      },
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
    const { state } = dependency;
    const from = state.status;
    state.consecutiveFailures = outcome.ok ? 0 : state.consecutiveFailures + 1;
    state.status = nextStatus(from, state.consecutiveFailures);
    state.responseTimeMs = Math.round(outcome.responseTimeMs * 10) / 10;
    state.lastCheckedAt = new Date().toISOString();
    state.lastError = outcome.ok ? null : (outcome.error ?? 'failed').slice(0, 200);
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
    return { ...state };
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
    const state = this.dependencies.get(name)?.state;
    return state && { ...state };
  }

  states(): DependencyState[] {
    return [...this.dependencies.values()].map(({ state }) => ({ ...state }));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.probeAll(), PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
