import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditCheckpointEntity } from './audit-checkpoint.entity.js';
import { GENESIS } from './audit-chain.js';

/**
 * Where a chain starts once retention removed its oldest events: a checkpoint holding the
 * last removed event's seq and hash, signed with a key derived from MASTER_KEY.
 */
export class AuditCheckpoints {
  private readonly key: Buffer;

  constructor(
    private readonly db: DataSource,
    masterKey: Buffer,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'audit-checkpoints', 32));
  }

  /**
   * Retention: removes the oldest events that occurred before `cutoff` (a prefix of the
   * chain) and leaves a signed checkpoint so the rest still verifies. Returns how many went.
   */
  async prune(tenantId: string, cutoff: Date): Promise<number> {
    return this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('audit:' || $1))`, [tenantId]);
      const [lastOld] = await manager.query(
        `SELECT seq, hash FROM audit_events
          WHERE tenant_id = $1
            AND seq < COALESCE(
              (SELECT min(seq) FROM audit_events WHERE tenant_id = $1 AND occurred_at >= $2),
              (SELECT max(seq) + 1 FROM audit_events WHERE tenant_id = $1))
          ORDER BY seq DESC LIMIT 1`,
        [tenantId, cutoff],
      );
      if (!lastOld) return 0;
      const seq = String(lastOld.seq);
      // The trigger lets DELETE through only inside a transaction that says it is the retention job.
      await manager.query(`SELECT set_config('idp.audit_retention', 'on', true)`);
      const removed = await manager.query(`DELETE FROM audit_events WHERE tenant_id = $1 AND seq <= $2`, [
        tenantId,
        seq,
      ]);
      const removedCount = Number(removed?.[1] ?? 0);
      await manager.getRepository(AuditCheckpointEntity).insert({
        tenantId,
        seq,
        hash: lastOld.hash,
        removedCount,
        signature: this.sign(tenantId, seq, lastOld.hash),
      });
      return removedCount;
    });
  }

  async latest(manager: EntityManager, tenantId: string) {
    return manager.getRepository(AuditCheckpointEntity).findOne({ where: { tenantId }, order: { seq: 'DESC' } });
  }

  /** Where a chain continues when its events are gone: the newest checkpoint, else the genesis. */
  async chainStart(manager: EntityManager, tenantId: string): Promise<{ seq: number; hash: string }> {
    const checkpoint = await this.latest(manager, tenantId);
    return checkpoint ? { seq: Number(checkpoint.seq), hash: checkpoint.hash } : { seq: 0, hash: GENESIS };
  }

  private sign(tenantId: string, seq: string, hash: string): string {
    return createHmac('sha256', this.key).update(`${tenantId}:${seq}:${hash}`).digest('hex');
  }

  signatureValid(checkpoint: AuditCheckpointEntity): boolean {
    const expected = Buffer.from(this.sign(checkpoint.tenantId, checkpoint.seq, checkpoint.hash), 'hex');
    const actual = Buffer.from(checkpoint.signature, 'hex');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}
