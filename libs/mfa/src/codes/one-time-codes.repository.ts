import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CodeFactorEntity } from './code-factor.entity.js';
import type { CodePurpose } from './code-channel.js';

type CodeKey = { tenantId: string; userId: string; channel: string; purpose: CodePurpose };

/** The code factors and their live codes; every statement is bound to one tenant and user. */
@Injectable()
export class OneTimeCodesRepository {
  constructor(private readonly db: DataSource) {}

  private get factors() {
    return this.db.getRepository(CodeFactorEntity);
  }

  findFactor(tenantId: string, userId: string, channel: string): Promise<CodeFactorEntity | null> {
    return this.factors.findOneBy({ tenantId, userId, channel });
  }

  listActive(tenantId: string, userId: string): Promise<CodeFactorEntity[]> {
    return this.factors.findBy({ tenantId, userId, active: true });
  }

  /** An enrolment in progress (inactive until its first code is verified). */
  async startFactor(tenantId: string, userId: string, channel: string): Promise<void> {
    await this.db.query(
      `INSERT INTO mfa_code_factors (tenant_id, user_id, channel, active) VALUES ($1, $2, $3, false)
       ON CONFLICT (tenant_id, user_id, channel) DO NOTHING`,
      [tenantId, userId, channel],
    );
  }

  async activateFactor(tenantId: string, userId: string, channel: string): Promise<void> {
    await this.factors.update({ tenantId, userId, channel }, { active: true, lastUsedAt: new Date() });
  }

  async touchFactor(tenantId: string, userId: string, channel: string): Promise<void> {
    await this.factors.update({ tenantId, userId, channel }, { lastUsedAt: new Date() });
  }

  /** Removes the factors (one channel, or all) and their codes. */
  async deleteFactors(tenantId: string, userId: string, channel?: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const args = channel ? [tenantId, userId, channel] : [tenantId, userId];
      const which = channel ? 'AND channel = $3' : '';
      await manager.query(`DELETE FROM mfa_one_time_codes WHERE tenant_id = $1 AND user_id = $2 ${which}`, args);
      await manager.query(`DELETE FROM mfa_code_factors WHERE tenant_id = $1 AND user_id = $2 ${which}`, args);
    });
  }

  /** The one live code of its channel and purpose: a new one replaces the old, attempts start again. */
  async replaceCode(key: CodeKey, id: string, codeHash: string, ttlSeconds: number): Promise<void> {
    await this.db.query(
      `INSERT INTO mfa_one_time_codes (id, tenant_id, user_id, channel, purpose, code_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))
       ON CONFLICT (tenant_id, user_id, channel, purpose) DO UPDATE SET
         id = excluded.id, code_hash = excluded.code_hash, attempts = 0, expires_at = excluded.expires_at,
         used_at = NULL, created_at = now()`,
      [id, key.tenantId, key.userId, key.channel, key.purpose, codeHash, ttlSeconds],
    );
  }

  /**
   * Counts one try of the live code and hands back what to compare it with; null when there
   * is no usable code (none, expired, used, or out of tries). Counting first, in one
   * statement, means parallel guesses cannot exceed the tries.
   */
  async takeAttempt(key: CodeKey, maxAttempts: number): Promise<{ id: string; codeHash: string } | null> {
    const [rows] = (await this.db.query(
      `UPDATE mfa_one_time_codes SET attempts = attempts + 1
       WHERE tenant_id = $1 AND user_id = $2 AND channel = $3 AND purpose = $4
         AND used_at IS NULL AND expires_at > now() AND attempts < $5
       RETURNING id, code_hash`,
      [key.tenantId, key.userId, key.channel, key.purpose, maxAttempts],
    )) as [{ id: string; code_hash: string }[], number];
    return rows[0] ? { id: rows[0].id, codeHash: rows[0].code_hash } : null;
  }

  /** Whether the live code has used up its tries (the answer is then 429, not "wrong code"). */
  async exhausted(key: CodeKey, maxAttempts: number): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT 1 FROM mfa_one_time_codes
       WHERE tenant_id = $1 AND user_id = $2 AND channel = $3 AND purpose = $4
         AND used_at IS NULL AND expires_at > now() AND attempts >= $5`,
      [key.tenantId, key.userId, key.channel, key.purpose, maxAttempts],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Uses the code up: of two parallel right answers only one succeeds. */
  async markUsed(id: string): Promise<boolean> {
    const [, affected] = (await this.db.query(
      `UPDATE mfa_one_time_codes SET used_at = now() WHERE id = $1 AND used_at IS NULL`,
      [id],
    )) as [unknown, number];
    return affected === 1;
  }
}
