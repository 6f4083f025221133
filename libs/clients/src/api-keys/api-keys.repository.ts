import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity.js';

/** A key with what a verifier needs besides it: its client's public id and its tenant's slug. */
export interface ApiKeyWithOwner {
  key: ApiKeyEntity;
  clientId: string;
  tenantSlug: string;
}

export type NewApiKey = Pick<
  ApiKeyEntity,
  'clientRowId' | 'name' | 'keyHash' | 'keyHint' | 'resource' | 'scopes' | 'expiresAt'
>;

/** Keyset paging: after (created_at, id) of the cursor's key. */
export interface ApiKeyCursor {
  createdAt: Date;
  id: string;
}

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: DataSource) {}

  private get keys() {
    return this.db.getRepository(ApiKeyEntity);
  }

  insert(tenantId: string, key: NewApiKey): Promise<ApiKeyEntity> {
    return this.keys.save({ ...key, tenantId, lastUsedAt: null, regeneratedAt: null });
  }

  countForClient(tenantId: string, clientRowId: string): Promise<number> {
    return this.keys.countBy({ tenantId, clientRowId });
  }

  listForClient(tenantId: string, clientRowId: string, limit: number, after?: ApiKeyCursor): Promise<ApiKeyEntity[]> {
    // Milliseconds, as the cursor carries them (Postgres keeps microseconds).
    const createdAt = `date_trunc('milliseconds', k.created_at)`;
    const query = this.keys
      .createQueryBuilder('k')
      .where('k.tenant_id = :tenantId AND k.client_id = :clientRowId', { tenantId, clientRowId })
      .orderBy(createdAt, 'ASC')
      .addOrderBy('k.id', 'ASC')
      .limit(limit);
    if (after) query.andWhere(`(${createdAt}, k.id) > (:createdAt, :id)`, after);
    return query.getMany();
  }

  findForClient(tenantId: string, clientRowId: string, id: string): Promise<ApiKeyEntity | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return Promise.resolve(null);
    return this.keys.findOneBy({ tenantId, clientRowId, id });
  }

  /** Names of the keys bound to a resource, optionally only those holding one of `scopes`. */
  async namesUsing(tenantId: string, resource: string, scopes?: string[]): Promise<string[]> {
    const rows: { name: string }[] = await this.db.query(
      `SELECT "name" FROM "api_keys"
        WHERE "tenant_id" = $1 AND "resource" = $2 AND ($3::jsonb IS NULL OR "scopes" ?| ARRAY(SELECT jsonb_array_elements_text($3::jsonb)))
        ORDER BY "created_at"`,
      [tenantId, resource, scopes ? JSON.stringify(scopes) : null],
    );
    return rows.map((row) => row.name);
  }

  /** Names of a client's keys bound to one of `resources`. */
  async namesOfClientUsing(tenantId: string, clientRowId: string, resources: string[]): Promise<string[]> {
    if (!resources.length) return [];
    const rows: { name: string }[] = await this.db.query(
      `SELECT "name" FROM "api_keys" WHERE "tenant_id" = $1 AND "client_id" = $2 AND "resource" = ANY($3::text[])
        ORDER BY "created_at"`,
      [tenantId, clientRowId, resources],
    );
    return rows.map((row) => row.name);
  }

  /** The one key with this hash, in any tenant, with its owner; one query. */
  async findByHash(keyHash: string): Promise<ApiKeyWithOwner | null> {
    const key = await this.keys.findOne({
      where: { keyHash },
      relations: { client: true, tenant: true },
    });
    if (!key?.client || !key.tenant) return null;
    const { client, tenant, ...plain } = key;
    return { key: plain as ApiKeyEntity, clientId: client.clientId, tenantSlug: tenant.slug };
  }

  async replaceSecret(
    tenantId: string,
    id: string,
    changes: Pick<ApiKeyEntity, 'keyHash' | 'keyHint' | 'expiresAt' | 'regeneratedAt'>,
  ): Promise<void> {
    await this.keys.update({ tenantId, id }, changes);
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.keys.delete({ tenantId, id });
    return (result.affected ?? 0) > 0;
  }

  /** One statement for every key used since the last flush; never moves a time backwards. */
  async recordLastUse(uses: Map<string, Date>): Promise<void> {
    if (!uses.size) return;
    await this.db.query(
      `UPDATE "api_keys" AS k
          SET "last_used_at" = GREATEST(COALESCE(k."last_used_at", u.used_at), u.used_at)
         FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, used_at)
        WHERE k."id" = u.id`,
      [[...uses.keys()], [...uses.values()].map((at) => at.toISOString())],
    );
  }
}
