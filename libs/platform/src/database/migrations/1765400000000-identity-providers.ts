import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Upstream identity providers per tenant, the links of users to their upstream accounts, and their permissions. */
export class IdentityProviders1765400000000 implements MigrationInterface {
  name = 'IdentityProviders1765400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "identity_providers" (
        "id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "alias" character varying(64) NOT NULL,
        "display_name" character varying(128) NOT NULL,
        "type" character varying(16) NOT NULL,
        "issuer" character varying(2048),
        "client_id" character varying(512) NOT NULL,
        "client_secret_sealed" text NOT NULL,
        "scopes" jsonb NOT NULL DEFAULT '[]',
        "fallbacks" jsonb NOT NULL DEFAULT '[]',
        "jit" boolean NOT NULL DEFAULT true,
        "link_by" character varying(32) NOT NULL DEFAULT 'verified-email',
        "enabled" boolean NOT NULL DEFAULT true,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_identity_providers" PRIMARY KEY ("id"),
        CONSTRAINT "fk_identity_providers_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "uq_identity_providers_tenant_alias" ON "identity_providers" ("tenant_id", "alias")`,
    );
    await db.query(`
      CREATE TABLE "federated_identities" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "provider_id" uuid NOT NULL,
        "subject" character varying(255) NOT NULL,
        "email" character varying(320),
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_federated_identities" PRIMARY KEY ("id"),
        CONSTRAINT "fk_federated_identities_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_federated_identities_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_federated_identities_provider" FOREIGN KEY ("provider_id") REFERENCES "identity_providers"("id") ON DELETE CASCADE
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "uq_federated_identities_subject" ON "federated_identities" ("tenant_id", "provider_id", "subject")`,
    );
    await db.query(
      `CREATE UNIQUE INDEX "uq_federated_identities_user_provider" ON "federated_identities" ("tenant_id", "user_id", "provider_id")`,
    );
    // Seeded roles are stored per tenant: existing tenants' roles learn the new permissions here.
    const grant = (role: string, permissions: string[]) =>
      db.query(
        `UPDATE "roles" SET "permissions" = (
           SELECT jsonb_agg(DISTINCT p ORDER BY p) FROM jsonb_array_elements_text("permissions" || $1::jsonb) AS p
         ) WHERE "name" = $2`,
        [JSON.stringify(permissions), role],
      );
    await grant('admin', ['providers:read', 'providers:write']);
    await grant('viewer', ['providers:read']);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "federated_identities"`);
    await db.query(`DROP TABLE "identity_providers"`);
  }
}
