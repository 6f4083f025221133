import { Global, Module } from '@nestjs/common';
import { DependencyHealth } from './dependency-health.js';
import { Metrics } from './metrics.js';

@Global()
@Module({
  providers: [{ provide: Metrics, useFactory: () => new Metrics() }, DependencyHealth],
  exports: [Metrics, DependencyHealth],
})
export class ObservabilityModule {}
