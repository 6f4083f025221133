import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Single-use mailed link tokens (email verification, password reset), stored as SHA-256. */
export class UserActionTokens1764600000000 implements MigrationInterface {
  name = 'UserActionTokens1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "user_action_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "purpose" character varying(32) NOT NULL,
        "token_hash" character varying(64) NOT NULL,
        "email" character varying(320) NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_user_action_tokens" PRIMARY KEY ("id"),
        CONSTRAINT "fk_user_action_tokens_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_user_action_tokens_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "uq_user_action_tokens_tenant_hash" ON "user_action_tokens" ("tenant_id", "token_hash")`,
    );
    await db.query(
      `CREATE INDEX "ix_user_action_tokens_tenant_user" ON "user_action_tokens" ("tenant_id", "user_id", "purpose")`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "user_action_tokens"`);
  }
}
