import { createDataSource, runMigrations } from '@app/platform';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import type { DataSource } from 'typeorm';
import { ENTITIES } from './entities.js';

describe('database schema', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource({ url: database.url, entities: ENTITIES });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('migrations produce exactly what the entities describe (no drift)', async () => {
    expect((await runMigrations(dataSource)).length).toBeGreaterThan(0);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('running migrations again is a no-op', async () => {
    expect(await runMigrations(dataSource)).toEqual([]);
  });
});
