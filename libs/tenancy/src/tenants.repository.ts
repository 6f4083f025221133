import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, MoreThan } from 'typeorm';
import { TenantEntity } from './tenant.entity.js';

@Injectable()
export class TenantsRepository {
  constructor(private readonly db: DataSource) {}

  findBySlug(slug: string): Promise<TenantEntity | null> {
    return this.db.getRepository(TenantEntity).findOneBy({ slug });
  }

  findById(id: string): Promise<TenantEntity | null> {
    return this.db.getRepository(TenantEntity).findOneBy({ id });
  }

  /** Keyset pagination by slug, which is unique and stable. */
  list(limit: number, afterSlug?: string): Promise<TenantEntity[]> {
    return this.db.getRepository(TenantEntity).find({
      where: afterSlug ? { slug: MoreThan(afterSlug) } : {},
      order: { slug: 'ASC' },
      take: limit,
    });
  }

  insert(manager: EntityManager, tenant: Pick<TenantEntity, 'slug' | 'displayName'>): Promise<TenantEntity> {
    return manager.getRepository(TenantEntity).save({ ...tenant, settings: {} });
  }

  async update(id: string, changes: Partial<Pick<TenantEntity, 'displayName' | 'settings'>>): Promise<void> {
    await this.db.getRepository(TenantEntity).update({ id }, changes);
  }

  async delete(id: string): Promise<void> {
    await this.db.getRepository(TenantEntity).delete({ id });
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
}
