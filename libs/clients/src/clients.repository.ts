import type { ConsoleClientFields } from './console-client.js';
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

  /**
   * The built-in client in every tenant (or one), as given: inserted where missing, put back
   * where it differs (PUBLIC_URL changed). One statement, whatever the number of tenants.
   */
  async ensureBuiltIn(client: ConsoleClientFields, tenantId?: string): Promise<number> {
    const rows: unknown = await this.db.query(
      `INSERT INTO "clients" ("tenant_id", "client_id", "name", "application_type", "secret_hash", "redirect_uris",
         "post_logout_redirect_uris", "scopes", "resources", "first_party")
       SELECT "id", $1, $2, $3, NULL, $4::jsonb, $5::jsonb, $6::jsonb, $7::jsonb, $8 FROM "tenants"
       WHERE $9::uuid IS NULL OR "id" = $9::uuid
       ON CONFLICT ("tenant_id", "client_id") DO UPDATE SET
         "name" = EXCLUDED."name", "application_type" = EXCLUDED."application_type", "secret_hash" = NULL,
         "redirect_uris" = EXCLUDED."redirect_uris", "post_logout_redirect_uris" = EXCLUDED."post_logout_redirect_uris",
         "scopes" = EXCLUDED."scopes", "resources" = EXCLUDED."resources", "first_party" = EXCLUDED."first_party",
         "updated_at" = now()
       WHERE ("clients"."name", "clients"."application_type", "clients"."redirect_uris",
              "clients"."post_logout_redirect_uris", "clients"."scopes", "clients"."resources", "clients"."first_party")
         IS DISTINCT FROM (EXCLUDED."name", EXCLUDED."application_type", EXCLUDED."redirect_uris",
              EXCLUDED."post_logout_redirect_uris", EXCLUDED."scopes", EXCLUDED."resources", EXCLUDED."first_party")
         OR "clients"."secret_hash" IS NOT NULL
       RETURNING "tenant_id"`,
      [
        client.clientId,
        client.name,
        client.applicationType,
        JSON.stringify(client.redirectUris),
        JSON.stringify(client.postLogoutRedirectUris),
        JSON.stringify(client.scopes),
        JSON.stringify(client.resources),
        client.firstParty,
        tenantId ?? null,
      ],
    );
    return Array.isArray(rows) ? rows.length : 0;
  }

  /** Client ids (public) of the tenant's clients that list this resource. */
  async clientIdsListing(tenantId: string, identifier: string): Promise<string[]> {
    const rows: { client_id: string }[] = await this.db.query(
      `SELECT "client_id" FROM "clients" WHERE "tenant_id" = $1 AND "resources" ? $2::text ORDER BY "client_id"`,
      [tenantId, identifier],
    );
    return rows.map((row) => row.client_id);
  }
}

@Injectable()
export class ApiResourcesRepository {
  constructor(private readonly db: DataSource) {}

  findByIdentifier(tenantId: string, identifier: string): Promise<ApiResourceEntity | null> {
    return this.db.getRepository(ApiResourceEntity).findOneBy({ tenantId, identifier });
  }

  findById(tenantId: string, id: string): Promise<ApiResourceEntity | null> {
    return this.db.getRepository(ApiResourceEntity).findOneBy({ tenantId, id });
  }

  listAll(tenantId: string): Promise<ApiResourceEntity[]> {
    return this.db.getRepository(ApiResourceEntity).find({ where: { tenantId }, order: { identifier: 'ASC' } });
  }

  insert(tenantId: string, resource: ResourceFields): Promise<ApiResourceEntity> {
    return this.db.getRepository(ApiResourceEntity).save({ ...resource, tenantId });
  }

  async update(tenantId: string, id: string, changes: Partial<ResourceFields>): Promise<void> {
    await this.db.getRepository(ApiResourceEntity).update({ tenantId, id }, changes);
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.db.getRepository(ApiResourceEntity).delete({ tenantId, id });
    return (result.affected ?? 0) > 0;
  }

  /** A deleted client stops being any resource's resource server (its id could be reused). */
  async removeIntrospectionClient(tenantId: string, clientId: string): Promise<void> {
    await this.db.query(
      `UPDATE "api_resources"
          SET "introspection_clients" = "introspection_clients" - $2::text
        WHERE "tenant_id" = $1 AND "introspection_clients" ? $2::text`,
      [tenantId, clientId],
    );
  }
}

export type ResourceFields = Pick<
  ApiResourceEntity,
  'identifier' | 'name' | 'scopes' | 'scopeDescriptions' | 'accessTokenTtl' | 'introspectionClients'
>;
