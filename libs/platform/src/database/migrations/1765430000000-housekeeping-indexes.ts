import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hourly housekeeping jobs delete in small batches by age; without these indexes each
 * batch would scan the whole table (and a big delivery log would be scanned 1,000 rows at a time).
 */
export class HousekeepingIndexes1765430000000 implements MigrationInterface {
  name = 'HousekeepingIndexes1765430000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX "ix_sessions_expires_at" ON "sessions" ("expires_at")`);
    await db.query(`CREATE INDEX "ix_user_action_tokens_expires_at" ON "user_action_tokens" ("expires_at")`);
    await db.query(`CREATE INDEX "ix_webhook_deliveries_delivered_at" ON "webhook_deliveries" ("delivered_at")`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "ix_webhook_deliveries_delivered_at"`);
    await db.query(`DROP INDEX "ix_user_action_tokens_expires_at"`);
    await db.query(`DROP INDEX "ix_sessions_expires_at"`);
  }
}
