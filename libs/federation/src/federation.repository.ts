import { ConflictError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, MoreThan, QueryFailedError } from 'typeorm';
import { FederatedIdentityEntity } from './federated-identity.entity.js';
import { IdentityProviderEntity } from './identity-provider.entity.js';

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505';
}

/** The identity_providers and federated_identities tables; every query is bound to one tenant. */
@Injectable()
export class FederationRepository {
  constructor(private readonly db: DataSource) {}

  private get providers() {
    return this.db.getRepository(IdentityProviderEntity);
  }

  private get links() {
    return this.db.getRepository(FederatedIdentityEntity);
  }

  async insertProvider(provider: Omit<IdentityProviderEntity, 'createdAt' | 'updatedAt'>) {
    try {
      return await this.providers.save(provider);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('an identity provider with this alias already exists');
      throw error;
    }
  }

  async updateProvider(tenantId: string, id: string, changes: Partial<IdentityProviderEntity>): Promise<void> {
    await this.providers.update({ tenantId, id }, changes);
  }

  findProvider(tenantId: string, alias: string): Promise<IdentityProviderEntity | null> {
    return this.providers.findOneBy({ tenantId, alias });
  }

  /** By alias, in alias order (the cursor is the last alias seen). */
  listProviders(tenantId: string, limit: number, afterAlias?: string): Promise<IdentityProviderEntity[]> {
    return this.providers.find({
      where: { tenantId, ...(afterAlias ? { alias: MoreThan(afterAlias) } : {}) },
      order: { alias: 'ASC' },
      take: limit,
    });
  }

  listEnabledProviders(tenantId: string): Promise<IdentityProviderEntity[]> {
    return this.providers.find({ where: { tenantId, enabled: true }, order: { alias: 'ASC' }, take: 50 });
  }

  /** The links die with it (foreign key cascade). */
  async deleteProvider(tenantId: string, alias: string): Promise<boolean> {
    const result = await this.providers.delete({ tenantId, alias });
    return (result.affected ?? 0) > 0;
  }

  findLink(tenantId: string, providerId: string, subject: string): Promise<FederatedIdentityEntity | null> {
    return this.links.findOneBy({ tenantId, providerId, subject });
  }

  async insertLink(link: Pick<FederatedIdentityEntity, 'tenantId' | 'userId' | 'providerId' | 'subject' | 'email'>) {
    try {
      return await this.links.save({ ...link, lastUsedAt: new Date() });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('this account is already linked');
      throw error;
    }
  }

  async touchLink(link: FederatedIdentityEntity, email: string | null): Promise<void> {
    await this.links.update({ tenantId: link.tenantId, id: link.id }, { lastUsedAt: new Date(), email });
  }

  listLinks(tenantId: string, userId: string): Promise<FederatedIdentityEntity[]> {
    return this.links.find({
      where: { tenantId, userId },
      relations: { provider: true },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * Removes the user's link to one provider unless it is their last way to sign in: no
   * password, no other link, and `hasOtherWay` (passkeys, owned elsewhere) says no. Removals
   * of one user's links take turns (a transaction lock on the user), so two parallel ones
   * cannot both see "another way is left" and remove the last two.
   */
  async deleteLinkUnlessLast(
    tenantId: string,
    userId: string,
    alias: string,
    hasOtherWay: () => Promise<boolean>,
  ): Promise<'deleted' | 'last' | 'gone'> {
    return this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('federated:' || $1, 0))`, [userId]);
      const rows = (await manager.query(
        `SELECT f.id, p.alias FROM federated_identities f JOIN identity_providers p ON p.id = f.provider_id
         WHERE f.tenant_id = $1 AND f.user_id = $2`,
        [tenantId, userId],
      )) as { id: string; alias: string }[];
      const link = rows.find((row) => row.alias === alias);
      if (!link) return 'gone';
      const [user] = (await manager.query(
        `SELECT password_hash IS NOT NULL AS "hasPassword" FROM users WHERE tenant_id = $1 AND id = $2`,
        [tenantId, userId],
      )) as { hasPassword: boolean }[];
      if (!user?.hasPassword && rows.length <= 1 && !(await hasOtherWay())) return 'last';
      await manager.delete(FederatedIdentityEntity, { tenantId, id: link.id });
      return 'deleted';
    });
  }
}
