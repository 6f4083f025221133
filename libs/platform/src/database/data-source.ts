import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import { MIGRATIONS } from './migrations/index.js';

export interface DataSourceOptions {
  url: string;
  poolMax?: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
}

export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    installExtensions: false,
    // Off: TypeORM would print failed queries with their parameters (hashes, secrets); errors reach our logger.
    logging: false,
    extra: { max: options.poolMax ?? 10 },
  });
}

/** Arbitrary constant: instances starting together queue on it instead of racing the migrations. */
const MIGRATION_LOCK_ID = 7_364_210_981;

export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * Undoes the most recently applied migration with its own `down()` (under the migration
 * lock); answers its name, or null when none is applied.
 */
export async function revertLastMigration(dataSource: DataSource): Promise<string | null> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const [last] = (await runner
      .query(`SELECT name FROM schema_migrations ORDER BY timestamp DESC, id DESC LIMIT 1`)
      .catch(() => [])) as { name: string }[];
    if (!last) return null;
    await dataSource.undoLastMigration({ transaction: 'each' });
    return last.name;
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}
