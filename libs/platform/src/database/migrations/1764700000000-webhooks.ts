import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhook endpoints and their delivery log; the seeded roles get the new webhooks permissions. */
export class Webhooks1764700000000 implements MigrationInterface {
  name = 'Webhooks1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "webhook_endpoints" (
        "id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "url" varchar(2048) NOT NULL,
        "description" varchar(200),
        "event_types" jsonb NOT NULL DEFAULT '[]',
        "secret_sealed" text NOT NULL,
        "previous_secret_sealed" text,
        "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE,
        "enabled" boolean NOT NULL DEFAULT true,
        "disabled_reason" varchar(200),
        "consecutive_failures" integer NOT NULL DEFAULT 0,
        "last_success_at" TIMESTAMP WITH TIME ZONE,
        "last_failure_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_webhook_endpoints" PRIMARY KEY ("id"),
        CONSTRAINT "fk_webhook_endpoints_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX "ix_webhook_endpoints_tenant" ON "webhook_endpoints" ("tenant_id", "id")`);
    await db.query(`
      CREATE TABLE "webhook_deliveries" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "endpoint_id" uuid NOT NULL,
        "event_id" varchar(64) NOT NULL,
        "event_type" varchar(64) NOT NULL,
        "attempt" integer NOT NULL,
        "status" varchar(16) NOT NULL,
        "status_code" integer,
        "error" varchar(500),
        "duration_ms" integer NOT NULL,
        "delivered_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "pk_webhook_deliveries" PRIMARY KEY ("id"),
        CONSTRAINT "fk_webhook_deliveries_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_webhook_deliveries_endpoint" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE
      )`);
    await db.query(
      `CREATE INDEX "ix_webhook_deliveries_endpoint" ON "webhook_deliveries" ("tenant_id", "endpoint_id", "delivered_at")`,
    );
    // Roles are stored per tenant (seeded at creation): existing tenants' seeded roles learn
    // the new permissions here, as new tenants get them from DEFAULT_ROLES.
    const grant = (role: string, permissions: string[]) =>
      db.query(
        `UPDATE "roles" SET "permissions" = (
           SELECT jsonb_agg(DISTINCT p ORDER BY p) FROM jsonb_array_elements_text("permissions" || $1::jsonb) AS p
         ) WHERE "name" = $2`,
        [JSON.stringify(permissions), role],
      );
    await grant('admin', ['webhooks:read', 'webhooks:write']);
    await grant('viewer', ['webhooks:read']);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "webhook_deliveries"`);
    await db.query(`DROP TABLE "webhook_endpoints"`);
  }
}
