import { Injectable } from '@nestjs/common';
import { DataSource, MoreThan } from 'typeorm';
import { ClientEntity } from './client.entity.js';
import { ApiResourceEntity } from './resource.entity.js';

@Injectable()
export class ClientsRepository {
  constructor(private readonly db: DataSource) {}

  findByClientId(tenantId: string, clientId: string): Promise<ClientEntity | null> {
    return this.db.getRepository(ClientEntity).findOneBy({ tenantId, clientId });
  }

  count(tenantId: string): Promise<number> {
    return this.db.getRepository(ClientEntity).countBy({ tenantId });
  }

  list(tenantId: string, limit: number, afterClientId?: string): Promise<ClientEntity[]> {
    return this.db.getRepository(ClientEntity).find({
      where: afterClientId ? { tenantId, clientId: MoreThan(afterClientId) } : { tenantId },
      order: { clientId: 'ASC' },
      take: limit,
    });
  }

  insert(
    tenantId: string,
    client: Omit<ClientEntity, 'id' | 'tenantId' | 'createdAt' | 'updatedAt'>,
  ): Promise<ClientEntity> {
    return this.db.getRepository(ClientEntity).save({ ...client, tenantId });
  }

  async update(tenantId: string, clientId: string, changes: Partial<ClientEntity>): Promise<boolean> {
    const result = await this.db.getRepository(ClientEntity).update({ tenantId, clientId }, changes);
    return (result.affected ?? 0) > 0;
  }

  async delete(tenantId: string, clientId: string): Promise<boolean> {
    const result = await this.db.getRepository(ClientEntity).delete({ tenantId, clientId });
    return (result.affected ?? 0) > 0;
  }
}

@Injectable()
export class ApiResourcesRepository {
  constructor(private readonly db: DataSource) {}

  findByIdentifier(tenantId: string, identifier: string): Promise<ApiResourceEntity | null> {
    return this.db.getRepository(ApiResourceEntity).findOneBy({ tenantId, identifier });
  }

  listAll(tenantId: string): Promise<ApiResourceEntity[]> {
    return this.db.getRepository(ApiResourceEntity).find({ where: { tenantId }, order: { identifier: 'ASC' } });
  }

  insert(
    tenantId: string,
    resource: Pick<ApiResourceEntity, 'identifier' | 'name' | 'scopes' | 'accessTokenTtl'>,
  ): Promise<ApiResourceEntity> {
    return this.db.getRepository(ApiResourceEntity).save({ ...resource, tenantId });
  }
}
