import type { MigrationInterface, QueryRunner } from 'typeorm';

/** TOTP second factors and their recovery codes. */
export class MfaTotp1764300000000 implements MigrationInterface {
  name = 'MfaTotp1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "mfa_totp" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "secret_sealed" text NOT NULL,
        "active" boolean NOT NULL DEFAULT false,
        "last_used_step" bigint,
        "recovery_code_hashes" jsonb NOT NULL DEFAULT '[]',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_mfa_totp" PRIMARY KEY ("id"),
        CONSTRAINT "fk_mfa_totp_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_mfa_totp_tenant_user" ON "mfa_totp" ("tenant_id", "user_id")`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "mfa_totp"`);
  }
}
