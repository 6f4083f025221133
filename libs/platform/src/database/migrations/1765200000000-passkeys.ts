import type { MigrationInterface, QueryRunner } from 'typeorm';

/** WebAuthn credentials (passkeys, security keys), one list per tenant. */
export class Passkeys1765200000000 implements MigrationInterface {
  name = 'Passkeys1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "passkeys" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "credential_id" text NOT NULL,
        "public_key" bytea NOT NULL,
        "sign_count" bigint NOT NULL DEFAULT 0,
        "transports" jsonb NOT NULL DEFAULT '[]',
        "aaguid" character varying(36) NOT NULL,
        "backup_eligible" boolean NOT NULL,
        "backed_up" boolean NOT NULL,
        "name" character varying(64) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_passkeys" PRIMARY KEY ("id"),
        CONSTRAINT "fk_passkeys_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_passkeys_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_passkeys_tenant_credential" ON "passkeys" ("tenant_id", "credential_id")`);
    await db.query(`CREATE INDEX "ix_passkeys_tenant_user" ON "passkeys" ("tenant_id", "user_id")`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "passkeys"`);
  }
}
