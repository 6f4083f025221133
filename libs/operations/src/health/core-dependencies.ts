import { AuditService } from '@app/audit';
import {
  APP_CONFIG,
  type AppConfig,
  DependencyHealth,
  healthPolicies,
  SHARED_STATE,
  type SharedState,
} from '@app/platform';
import { SYSTEM_TENANT_SLUG, TenantsRepository } from '@app/tenancy';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Registers the dependencies every instance needs (the database, the grant store) and
 * records each dependency status change in the system tenant's audit trail.
 */
@Injectable()
export class CoreDependencies implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SHARED_STATE) private readonly store: SharedState,
    private readonly db: DataSource,
    private readonly health: DependencyHealth,
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    // The short core hold (HEALTH_CORE_HOLD): readiness follows these two.
    const policy = healthPolicies(this.config.health).core;
    this.health.register({
      name: 'database',
      kind: this.config.databaseUrl ? 'postgres' : 'embedded-postgres',
      required: true,
      probe: () => this.db.query('SELECT 1'),
      policy,
    });
    const redis = this.store.redis;
    this.health.register({
      name: 'store',
      kind: this.store.kind,
      required: true,
      probe: redis ? () => redis.ping() : undefined,
      policy,
    });
    this.health.onChange((change) => {
      // Written when the database can take it; a database outage is in the logs and metrics.
      void this.tenants
        .findBySlug(SYSTEM_TENANT_SLUG)
        .then((system) => {
          if (!system) return;
          return this.audit.recordQuietly(system.id, {
            type: 'dependency.status_changed',
            outcome: change.to === 'healthy' ? 'success' : 'failure',
            subject: change.dependency,
            data: { kind: change.kind, from: change.from, to: change.to },
          });
        })
        .catch(() => undefined);
    });
  }
}
