import type { MigrationInterface, QueryRunner } from 'typeorm';

/** RBAC: roles (with composites) and their assignment to users and clients, replacing per-principal permissions. */
export class Roles1764100000000 implements MigrationInterface {
  name = 'Roles1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "roles" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "name" character varying(100) NOT NULL,
        "description" character varying(500),
        "permissions" jsonb NOT NULL DEFAULT '[]',
        "includes" jsonb NOT NULL DEFAULT '[]',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_roles" PRIMARY KEY ("id"),
        CONSTRAINT "fk_roles_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_roles_tenant_name" ON "roles" ("tenant_id", "name")`);
    await db.query(`
      CREATE TABLE "role_assignments" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "principal_kind" character varying(8) NOT NULL,
        "principal_id" uuid NOT NULL,
        "role_id" uuid NOT NULL,
        CONSTRAINT "pk_role_assignments" PRIMARY KEY ("id"),
        CONSTRAINT "fk_role_assignments_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_role_assignments_role" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "uq_role_assignments" ON "role_assignments" ("tenant_id", "principal_kind", "principal_id", "role_id")`,
    );
    // Tenants that exist already get the default roles new tenants are created with.
    const read = `'["tenants:read","clients:read","users:read","roles:read","sessions:read","audit:read"]'`;
    const all = `'["tenants:read","tenants:write","clients:read","clients:write","users:read","users:write","roles:read","roles:write","sessions:read","sessions:write","audit:read"]'`;
    await db.query(`
      INSERT INTO "roles" ("tenant_id", "name", "description", "permissions", "includes")
      SELECT t.id, d.name, d.description, d.permissions::jsonb, d.includes::jsonb FROM "tenants" t CROSS JOIN (VALUES
        ('guest', 'Signed in, no rights of its own', '[]', '[]'),
        ('viewer', 'Reads the tenant (admin API) without changing it', ${read}, '["guest"]'),
        ('user', 'A regular member; add your applications’ permissions here', '[]', '["viewer"]'),
        ('admin', 'Full rights over the tenant', ${all}, '["user"]')
      ) AS d(name, description, permissions, includes)`);
    await db.query(`ALTER TABLE "clients" DROP COLUMN "permissions"`);
    await db.query(`ALTER TABLE "users" DROP COLUMN "permissions"`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "users" ADD "permissions" jsonb NOT NULL DEFAULT '[]'`);
    await db.query(`ALTER TABLE "clients" ADD "permissions" jsonb NOT NULL DEFAULT '[]'`);
    await db.query(`DROP TABLE "role_assignments"`);
    await db.query(`DROP TABLE "roles"`);
  }
}
