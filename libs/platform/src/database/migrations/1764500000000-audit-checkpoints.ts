import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Signed starts of pruned audit chains (retention); append-only like the events. */
export class AuditCheckpoints1764500000000 implements MigrationInterface {
  name = 'AuditCheckpoints1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "audit_checkpoints" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "seq" bigint NOT NULL,
        "hash" character varying(64) NOT NULL,
        "removed_count" integer NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "signature" character varying(64) NOT NULL,
        CONSTRAINT "pk_audit_checkpoints" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE INDEX "ix_audit_checkpoints_tenant_seq" ON "audit_checkpoints" ("tenant_id", "seq")`);
    await db.query(`
      CREATE FUNCTION audit_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_checkpoints is append-only';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON "audit_checkpoints"
      FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "audit_checkpoints"`);
    await db.query(`DROP FUNCTION audit_checkpoints_append_only()`);
  }
}
