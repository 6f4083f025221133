import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The append-only audit trail; UPDATE and DELETE are refused by the database itself. */
export class AuditEvents1764400000000 implements MigrationInterface {
  name = 'AuditEvents1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "audit_events" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "seq" bigint NOT NULL,
        "type" character varying(64) NOT NULL,
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "actor_type" character varying(16) NOT NULL,
        "actor_id" character varying(128),
        "subject" character varying(256),
        "client_id" character varying(128),
        "ip" character varying(64),
        "user_agent" character varying(512),
        "outcome" character varying(8) NOT NULL,
        "data" jsonb NOT NULL DEFAULT '{}',
        "prev_hash" character varying(64) NOT NULL,
        "hash" character varying(64) NOT NULL,
        CONSTRAINT "pk_audit_events" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_audit_events_tenant_seq" ON "audit_events" ("tenant_id", "seq")`);
    // A retention job may set idp.audit_retention = 'on' in its own transaction to prune.
    await db.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_setting('idp.audit_retention', true) = 'on' AND TG_OP = 'DELETE' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_events is append-only';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON "audit_events"
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "audit_events"`);
    await db.query(`DROP FUNCTION audit_events_append_only()`);
  }
}
