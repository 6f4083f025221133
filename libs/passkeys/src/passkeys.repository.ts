import { ConflictError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { PasskeyEntity } from './passkey.entity.js';

export type NewPasskey = Pick<
  PasskeyEntity,
  | 'tenantId'
  | 'userId'
  | 'credentialId'
  | 'publicKey'
  | 'signCount'
  | 'transports'
  | 'aaguid'
  | 'backupEligible'
  | 'backedUp'
  | 'name'
>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The passkeys table; every query is bound to one tenant. */
@Injectable()
export class PasskeysRepository {
  constructor(private readonly db: DataSource) {}

  private get repo() {
    return this.db.getRepository(PasskeyEntity);
  }

  async insert(passkey: NewPasskey): Promise<PasskeyEntity> {
    try {
      return await this.repo.save({ ...passkey, lastUsedAt: null });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw new ConflictError('this passkey is already registered');
      }
      throw error;
    }
  }

  listForUser(tenantId: string, userId: string): Promise<PasskeyEntity[]> {
    return this.repo.find({ where: { tenantId, userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  countForUser(tenantId: string, userId: string): Promise<number> {
    return this.repo.countBy({ tenantId, userId });
  }

  findForUser(tenantId: string, userId: string, id: string): Promise<PasskeyEntity | null> {
    if (!UUID.test(id)) return Promise.resolve(null);
    return this.repo.findOneBy({ tenantId, userId, id });
  }

  findByCredentialId(tenantId: string, credentialId: string): Promise<PasskeyEntity | null> {
    return this.repo.findOneBy({ tenantId, credentialId });
  }

  async rename(tenantId: string, userId: string, id: string, name: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const result = await this.repo.update({ tenantId, userId, id }, { name });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Deletes one passkey; with `keepOne`, never the user's last. Deletions of one user's
   * passkeys take turns (a transaction lock on the user), so two parallel deletions cannot
   * both see "another one is left" and remove the last two.
   */
  async deleteUnlessLast(
    tenantId: string,
    userId: string,
    id: string,
    keepOne: boolean,
  ): Promise<'deleted' | 'last' | 'gone'> {
    if (!UUID.test(id)) return 'gone';
    return this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('passkeys:' || $1, 0))`, [userId]);
      const [{ count }] = (await manager.query(
        `SELECT count(*)::int AS count FROM passkeys WHERE tenant_id = $1 AND user_id = $2`,
        [tenantId, userId],
      )) as { count: number }[];
      if (keepOne && count <= 1) return 'last';
      const result = await manager.delete(PasskeyEntity, { tenantId, userId, id });
      return (result.affected ?? 0) > 0 ? 'deleted' : 'gone';
    });
  }

  /**
   * Records a use: the counter moves only forward (an authenticator that counts reports a
   * larger number each time; one that does not always reports 0). False when another use
   * got there first with the same or a larger counter.
   */
  async recordUse(passkey: PasskeyEntity, newCounter: number, backedUp: boolean): Promise<boolean> {
    const [, affected] = await this.db.query(
      `UPDATE passkeys SET sign_count = $3, backed_up = $4, last_used_at = now()
       WHERE tenant_id = $1 AND id = $2 AND (sign_count < $3 OR ($3 = 0 AND sign_count = 0))`,
      [passkey.tenantId, passkey.id, newCounter, backedUp],
    );
    return affected === 1;
  }
}
