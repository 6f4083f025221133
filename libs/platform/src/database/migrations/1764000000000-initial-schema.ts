import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenants, their signing keys, clients, API resources and users. Immutable once landed. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "tenants" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "slug" character varying(63) NOT NULL,
        "display_name" character varying(200) NOT NULL,
        "settings" jsonb NOT NULL DEFAULT '{}',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_tenants" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_tenants_slug" ON "tenants" ("slug")`);

    await db.query(`
      CREATE TABLE "signing_keys" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "kid" character varying(64) NOT NULL,
        "alg" character varying(16) NOT NULL,
        "status" character varying(16) NOT NULL,
        "public_jwk" jsonb NOT NULL,
        "private_jwk_sealed" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "retired_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_signing_keys" PRIMARY KEY ("id"),
        CONSTRAINT "fk_signing_keys_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_signing_keys_tenant_kid" ON "signing_keys" ("tenant_id", "kid")`);

    await db.query(`
      CREATE TABLE "clients" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "client_id" character varying(64) NOT NULL,
        "name" character varying(200) NOT NULL,
        "application_type" character varying(16) NOT NULL,
        "secret_hash" character varying(64),
        "redirect_uris" jsonb NOT NULL DEFAULT '[]',
        "post_logout_redirect_uris" jsonb NOT NULL DEFAULT '[]',
        "scopes" jsonb NOT NULL DEFAULT '[]',
        "resources" jsonb NOT NULL DEFAULT '[]',
        "first_party" boolean NOT NULL DEFAULT false,
        "permissions" jsonb NOT NULL DEFAULT '[]',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_clients" PRIMARY KEY ("id"),
        CONSTRAINT "fk_clients_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_clients_tenant_client_id" ON "clients" ("tenant_id", "client_id")`);

    await db.query(`
      CREATE TABLE "api_resources" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "identifier" character varying(2048) NOT NULL,
        "name" character varying(200) NOT NULL,
        "scopes" jsonb NOT NULL DEFAULT '[]',
        "access_token_ttl" integer,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_api_resources" PRIMARY KEY ("id"),
        CONSTRAINT "fk_api_resources_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "uq_api_resources_tenant_identifier" ON "api_resources" ("tenant_id", "identifier")`,
    );

    await db.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "username" character varying(128) NOT NULL,
        "email" character varying(320),
        "email_verified" boolean NOT NULL DEFAULT false,
        "password_hash" text,
        "disabled" boolean NOT NULL DEFAULT false,
        "permissions" jsonb NOT NULL DEFAULT '[]',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_users" PRIMARY KEY ("id"),
        CONSTRAINT "fk_users_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_users_tenant_username" ON "users" ("tenant_id", "username")`);
    await db.query(
      `CREATE UNIQUE INDEX "uq_users_tenant_email" ON "users" ("tenant_id", "email") WHERE email IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['users', 'api_resources', 'clients', 'signing_keys', 'tenants']) {
      await db.query(`DROP TABLE "${table}"`);
    }
  }
}
