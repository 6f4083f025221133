import { DependencyHealth, type DependencyState, Public } from '@app/platform';
import { Controller, Get, Res } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';

function describe(state: DependencyState) {
  const { status, kind, required, consecutiveFailures, consecutiveSuccesses, responseTimeMs, lastCheckedAt } = state;
  const { unhealthyUntil, lastError } = state;
  return {
    status,
    kind,
    required,
    consecutiveFailures,
    consecutiveSuccesses,
    responseTimeMs,
    lastCheckedAt,
    ...(unhealthyUntil ? { unhealthyUntil } : {}),
    lastError,
  };
}

// Operations endpoints, not part of the admin API document.
@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: DependencyHealth,
    private readonly checks: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /**
   * Probes every dependency once and answers its tracked status (the one health model:
   * degraded after 3 failures in a row, unhealthy after 5, held unhealthy for at least
   * HEALTH_CORE_HOLD (15 s) for Postgres/Redis, healthy again after 3 successes). 503 when a required one is unhealthy, so a load
   * balancer stops routing here; an optional one (mail, webhooks) only degrades the answer.
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const states = await this.health.probeAll();
    const result = await this.checks
      .check(
        states.map((state) => () => {
          const indicator = this.indicators.check(state.name);
          const details = { kind: state.kind, consecutiveFailures: state.consecutiveFailures };
          if (state.status === 'healthy') return indicator.up(details);
          return state.required && state.status === 'unhealthy' ? indicator.down(details) : indicator.degraded(details);
        }),
      )
      .catch((error: { getResponse?: () => unknown }) => {
        if (typeof error.getResponse === 'function') return error.getResponse() as { status: string };
        throw error;
      });
    const ready = result.status !== 'error' && result.status !== 'shutting_down';
    res.status(ready ? 200 : 503);
    return {
      status: ready ? (result.status === 'degraded' ? 'degraded' : 'ready') : 'unavailable',
      dependencies: Object.fromEntries(states.map((state) => [state.name, describe(state)])),
    };
  }
}
