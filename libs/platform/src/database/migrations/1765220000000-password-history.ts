import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Password history (the previous hashes a tenant's historyCount needs) and when each
 * password was set (for maxAgeDays). Passwords set before now have no date: their age
 * counts from the account's creation.
 */
export class PasswordHistory1765220000000 implements MigrationInterface {
  name = 'PasswordHistory1765220000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "users" ADD "password_changed_at" TIMESTAMP WITH TIME ZONE`);
    await db.query(`
      CREATE TABLE "password_history" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "password_hash" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_password_history" PRIMARY KEY ("id"),
        CONSTRAINT "fk_password_history_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_password_history_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await db.query(
      `CREATE INDEX "ix_password_history_tenant_user" ON "password_history" ("tenant_id", "user_id", "created_at")`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "password_history"`);
    await db.query(`ALTER TABLE "users" DROP COLUMN "password_changed_at"`);
  }
}
