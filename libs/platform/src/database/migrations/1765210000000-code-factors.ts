import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One-time-code second factors (email) and their live codes, kept as HMACs. TOTP factors
 * now die with their user as well (they were left behind when a user was deleted).
 */
export class CodeFactors1765210000000 implements MigrationInterface {
  name = 'CodeFactors1765210000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "mfa_code_factors" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "channel" character varying(16) NOT NULL,
        "active" boolean NOT NULL DEFAULT false,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_mfa_code_factors" PRIMARY KEY ("id"),
        CONSTRAINT "fk_mfa_code_factors_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_mfa_code_factors_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "uq_mfa_code_factors_tenant_user_channel" ON "mfa_code_factors" ("tenant_id", "user_id", "channel")`,
    );
    await db.query(`
      CREATE TABLE "mfa_one_time_codes" (
        "id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "channel" character varying(16) NOT NULL,
        "purpose" character varying(16) NOT NULL,
        "code_hash" character varying(64) NOT NULL,
        "attempts" integer NOT NULL DEFAULT 0,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_mfa_one_time_codes" PRIMARY KEY ("id"),
        CONSTRAINT "fk_mfa_one_time_codes_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_mfa_one_time_codes_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "uq_mfa_one_time_codes_live" ON "mfa_one_time_codes" ("tenant_id", "user_id", "channel", "purpose")`,
    );
    await db.query(`DELETE FROM "mfa_totp" t WHERE NOT EXISTS (SELECT 1 FROM "users" u WHERE u."id" = t."user_id")`);
    await db.query(
      `ALTER TABLE "mfa_totp" ADD CONSTRAINT "fk_mfa_totp_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "mfa_totp" DROP CONSTRAINT "fk_mfa_totp_user"`);
    await db.query(`DROP TABLE "mfa_one_time_codes"`);
    await db.query(`DROP TABLE "mfa_code_factors"`);
  }
}
