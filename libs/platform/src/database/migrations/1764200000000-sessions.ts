import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The index of sign-in sessions (the sessions themselves live in Redis). */
export class Sessions1764200000000 implements MigrationInterface {
  name = 'Sessions1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "sessions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "uid" character varying(128) NOT NULL,
        "account_id" uuid NOT NULL,
        "client_ids" jsonb NOT NULL DEFAULT '[]',
        "ip" character varying(64),
        "user_agent" character varying(512),
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "pk_sessions" PRIMARY KEY ("id"),
        CONSTRAINT "fk_sessions_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_sessions_tenant_uid" ON "sessions" ("tenant_id", "uid")`);
    await db.query(`CREATE INDEX "ix_sessions_tenant_account" ON "sessions" ("tenant_id", "account_id")`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "sessions"`);
  }
}
