import { EPHEMERAL_STORE, type EphemeralStore, Public } from '@app/platform';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';

type Status = 'healthy' | 'degraded' | 'unhealthy';

async function probe(check: () => Promise<unknown>, timeoutMs = 2000): Promise<Status> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs))),
    ]);
    return 'healthy';
  } catch {
    return 'unhealthy';
  } finally {
    clearTimeout(timer);
  }
}

// Operations endpoints, not part of the admin API document.
@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DataSource,
    @Inject(EPHEMERAL_STORE) private readonly store: EphemeralStore,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** 503 when a required dependency is down, so a load balancer stops routing here. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const [database, redis] = await Promise.all([
      probe(() => this.db.query('SELECT 1')),
      this.store.redis ? probe(() => this.store.redis!.ping()) : Promise.resolve<Status>('healthy'),
    ]);
    const dependencies = {
      database: { status: database, kind: 'postgres' },
      store: { status: redis, kind: this.store.kind },
    };
    const ready = database === 'healthy' && redis === 'healthy';
    res.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'unavailable', dependencies };
  }
}
