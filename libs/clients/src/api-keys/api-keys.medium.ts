import { createDataSource, runMigrations, sha256Base64Url } from '@app/platform';
import { TenantEntity } from '@app/tenancy';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import type { DataSource } from 'typeorm';
import { ClientEntity } from '../client.entity.js';
import { ApiResourcesRepository, ClientsRepository } from '../clients.repository.js';
import { ApiResourceEntity } from '../resource.entity.js';
import { ApiKeyEntity } from './api-key.entity.js';
import { ApiKeyUsage } from './api-key-usage.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { ApiKeysService } from './api-keys.service.js';

describe('API keys (real Postgres)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let repository: ApiKeysRepository;
  let usage: ApiKeyUsage;
  let service: ApiKeysService;
  let tenantId: string;
  let clientId: string;
  let changes: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDataSource({
      url: database.url,
      entities: [TenantEntity, ClientEntity, ApiResourceEntity, ApiKeyEntity],
    });
    await db.initialize();
    await runMigrations(db);
    repository = new ApiKeysRepository(db);
    usage = new ApiKeyUsage(repository);
    service = new ApiKeysService(repository, new ClientsRepository(db), new ApiResourcesRepository(db), usage);
    tenantId = (await db.getRepository(TenantEntity).save({ slug: 'keys', displayName: 'k', settings: {} })).id;
    const client = await db.getRepository(ClientEntity).save({
      tenantId,
      clientId: 'integration',
      name: 'Integration',
      applicationType: 'service',
      secretHash: 'x',
    });
    clientId = client.clientId;
    changes = [];
    service.onChange(async (tenant) => void changes.push(tenant));
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('stores only the SHA-256 of the key and a 9-character hint', async () => {
    const { key, apiKey } = await service.create(tenantId, clientId, { name: 'export' });
    const rows = await db.query(`SELECT key_hash, key_hint FROM api_keys WHERE id = $1`, [key.id]);
    expect(rows).toEqual([{ key_hash: sha256Base64Url(apiKey), key_hint: apiKey.slice(0, 9) }]);
    expect(JSON.stringify(await db.query(`SELECT * FROM api_keys`))).not.toContain(apiKey.slice(9));
  });

  it('finds a presented key with its owner in one look-up; nothing for a malformed one', async () => {
    const { key, apiKey } = await service.create(tenantId, clientId, { name: 'lookup' });
    expect(await service.findByPresentedKey(apiKey)).toEqual({
      key: expect.objectContaining({ id: key.id, tenantId, name: 'lookup' }),
      clientId,
      tenantSlug: 'keys',
    });
    expect(await service.findByPresentedKey(`${apiKey.slice(0, -1)}0`)).toBeNull();
    expect(await service.findByPresentedKey('not a key')).toBeNull();
  });

  it('gathers uses in memory and writes them in one statement; never moves a time backwards', async () => {
    const { key } = await service.create(tenantId, clientId, { name: 'busy' });
    const stored = async () =>
      (
        (await db.query(`SELECT last_used_at FROM api_keys WHERE id = $1`, [key.id])) as { last_used_at: Date | null }[]
      )[0].last_used_at;
    const later = new Date('2031-05-01T10:00:00.000Z');
    const earlier = new Date('2031-05-01T09:00:00.000Z');
    usage.recordUse(key.id, earlier);
    usage.recordUse(key.id, later);
    expect(await stored()).toBeNull();
    expect(usage.lastUsedAt(key.id, null)).toEqual(later);

    await usage.flush();
    expect(await stored()).toEqual(later);
    // Another instance flushing an older time afterwards does not undo it.
    usage.recordUse(key.id, earlier);
    await usage.flush();
    expect(await stored()).toEqual(later);
    expect(usage.lastUsedAt(key.id, later)).toEqual(later);
  });

  it('tells listeners when a key stops working, not when one is created', async () => {
    changes.length = 0;
    const { key } = await service.create(tenantId, clientId, { name: 'changing' });
    expect(changes).toEqual([]);
    await service.regenerate(tenantId, clientId, key.id);
    await service.delete(tenantId, clientId, key.id);
    expect(changes).toEqual([tenantId, tenantId]);
    expect(await service.revoke(tenantId, key.id)).toBe(false);
    expect(changes).toEqual([tenantId, tenantId]);
  });
});
