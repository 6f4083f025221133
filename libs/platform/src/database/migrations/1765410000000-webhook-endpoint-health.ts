import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints follow the one health model (hold, window, 3 successes to heal), whose
 * state no longer fits one counter: it is kept as JSON beside the counter that disables.
 * NULL = never delivered to (healthy).
 */
export class WebhookEndpointHealth1765410000000 implements MigrationInterface {
  name = 'WebhookEndpointHealth1765410000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "webhook_endpoints" ADD "health" jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "webhook_endpoints" DROP COLUMN "health"`);
  }
}
