import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Self-service profile: the OIDC standard claims a user edits (`PATCH {issuer}/account`),
 * when they last signed in (admin API), and an index for one subject's events in the audit
 * trail (`GET {issuer}/account/activity`, `?subject=` in the admin API) so reading a user's
 * sign-ins does not walk the tenant's whole trail.
 */
export class UserProfile1765420000000 implements MigrationInterface {
  name = 'UserProfile1765420000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "users" ADD "name" character varying(200)`);
    await db.query(`ALTER TABLE "users" ADD "given_name" character varying(100)`);
    await db.query(`ALTER TABLE "users" ADD "family_name" character varying(100)`);
    await db.query(`ALTER TABLE "users" ADD "locale" character varying(35)`);
    await db.query(`ALTER TABLE "users" ADD "picture" character varying(2048)`);
    await db.query(`ALTER TABLE "users" ADD "last_login_at" TIMESTAMP WITH TIME ZONE`);
    await db.query(
      `CREATE INDEX "ix_audit_events_tenant_subject_seq" ON "audit_events" ("tenant_id", "subject", "seq")`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "ix_audit_events_tenant_subject_seq"`);
    for (const column of ['last_login_at', 'picture', 'locale', 'family_name', 'given_name', 'name']) {
      await db.query(`ALTER TABLE "users" DROP COLUMN "${column}"`);
    }
  }
}
