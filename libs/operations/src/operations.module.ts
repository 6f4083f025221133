import { TenancyModule } from '@app/tenancy';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CoreDependencies } from './health/core-dependencies.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './health/metrics.controller.js';
import { AuditRetentionJob } from './maintenance/audit-retention.job.js';
import { HousekeepingJob } from './maintenance/housekeeping.job.js';
import { HousekeepingRepository } from './maintenance/housekeeping.repository.js';

/** What operators and orchestrators call (health, metrics) and the jobs that keep the data tidy. */
@Module({
  imports: [TenancyModule, TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController],
  providers: [CoreDependencies, AuditRetentionJob, HousekeepingRepository, HousekeepingJob],
})
export class OperationsModule {}
