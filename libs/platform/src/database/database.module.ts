import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '@app/config';
import { createDataSource, runMigrations } from './data-source.js';
import { startEmbeddedPostgres } from './pglite/embedded-postgres.js';

export const DATABASE_ENTITIES = Symbol('DATABASE_ENTITIES');
const EMBEDDED_POSTGRES = Symbol('EMBEDDED_POSTGRES');

type EmbeddedHandle = { stop(): Promise<void> } | null;

@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EMBEDDED_POSTGRES) private readonly embedded: EmbeddedHandle,
  ) {}

  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  static forRoot(entities: Function[]) {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: EMBEDDED_POSTGRES,
          inject: [APP_CONFIG],
          useFactory: async (config: AppConfig) => {
            if (config.databaseUrl) return null;
            const logger = new Logger('database');
            return startEmbeddedPostgres({ dataDir: config.dataDir, logger: { info: (m: string) => logger.log(m) } });
          },
        },
        {
          provide: DataSource,
          inject: [APP_CONFIG, EMBEDDED_POSTGRES],
          useFactory: async (config: AppConfig, embedded: { url: string; poolMax: number } | null) => {
            const dataSource = createDataSource({
              url: config.databaseUrl ?? embedded!.url,
              poolMax: embedded?.poolMax,
              entities,
            });
            await dataSource.initialize();
            const applied = await runMigrations(dataSource);
            if (applied.length) new Logger('database').log(`applied migrations: ${applied.join(', ')}`);
            return dataSource;
          },
        },
      ],
      exports: [DataSource],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded?.stop();
  }
}
