import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys of service clients (stored as SHA-256), and what API resources add to the
 * permission registry and to introspection: scope descriptions and the clients that act as
 * a resource's resource server.
 */
export class ApiKeys1765300000000 implements MigrationInterface {
  name = 'ApiKeys1765300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "api_keys" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "client_id" uuid NOT NULL,
        "name" character varying(200) NOT NULL,
        "key_hash" character varying(64) NOT NULL,
        "key_hint" character varying(16) NOT NULL,
        "resource" character varying(2048),
        "scopes" jsonb NOT NULL DEFAULT '[]',
        "expires_at" TIMESTAMP WITH TIME ZONE,
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        "regenerated_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_api_keys" PRIMARY KEY ("id"),
        CONSTRAINT "fk_api_keys_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_api_keys_client" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_api_keys_tenant_key_hash" ON "api_keys" ("tenant_id", "key_hash")`);
    await db.query(`CREATE INDEX "ix_api_keys_key_hash" ON "api_keys" ("key_hash")`);
    await db.query(`CREATE INDEX "ix_api_keys_client" ON "api_keys" ("tenant_id", "client_id", "created_at")`);
    await db.query(`ALTER TABLE "api_resources" ADD "scope_descriptions" jsonb NOT NULL DEFAULT '{}'`);
    await db.query(`ALTER TABLE "api_resources" ADD "introspection_clients" jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "api_resources" DROP COLUMN "introspection_clients"`);
    await db.query(`ALTER TABLE "api_resources" DROP COLUMN "scope_descriptions"`);
    await db.query(`DROP TABLE "api_keys"`);
  }
}
