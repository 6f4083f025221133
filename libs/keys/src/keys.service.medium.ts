import { ApiResourceEntity, ClientEntity } from '@app/clients';
import { UserEntity } from '@app/identity';
import { createDataSource, MasterKeyCipher, runMigrations } from '@app/platform';
import { TenantEntity } from '@app/tenancy';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SigningKeyEntity } from './signing-key.entity.js';
import { KeysService } from './keys.service.js';

describe('KeysService (real Postgres)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let keys: KeysService;
  let tenantId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDataSource({
      url: database.url,
      entities: [TenantEntity, SigningKeyEntity, ClientEntity, ApiResourceEntity, UserEntity],
    });
    await db.initialize();
    await runMigrations(db);
    keys = new KeysService(db, new MasterKeyCipher(randomBytes(32)));
    tenantId = (await db.getRepository(TenantEntity).save({ slug: 'keys-test', displayName: 'k', settings: {} })).id;
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('stores the private key sealed, never in clear', async () => {
    const key = await keys.createCurrentKey(tenantId);
    const [row] = await db.query('SELECT private_jwk_sealed, public_jwk FROM signing_keys WHERE id = $1', [key.id]);
    expect(row.private_jwk_sealed).toMatch(/^v1\./);
    expect(row.private_jwk_sealed).not.toContain('"d"');
    expect(row.public_jwk.d).toBeUndefined();
    const [signing] = await keys.signingKeySet(tenantId, 3600);
    expect(signing.kid).toBe(key.kid);
    expect(signing.d).toEqual(expect.any(String));
  });

  it('rotation: exactly one current key, the previous one kept only for the verify window', async () => {
    const before = (await keys.signingKeySet(tenantId, 3600))[0].kid;
    const rotated = await keys.rotate(tenantId);
    const set = await keys.signingKeySet(tenantId, 3600);
    expect(set.map((k) => k.kid)).toEqual([rotated.kid, before]);
    const current = await db.getRepository(SigningKeyEntity).countBy({ tenantId, status: 'current' });
    expect(current).toBe(1);

    // Once every token the old key signed has expired, it leaves the key set.
    await db.query(`UPDATE signing_keys SET retired_at = now() - interval '2 hours' WHERE kid = $1`, [before]);
    expect((await keys.signingKeySet(tenantId, 3600)).map((k) => k.kid)).toEqual([rotated.kid]);
  });

  it('a key sealed for one tenant does not open for another', async () => {
    const other = (await db.getRepository(TenantEntity).save({ slug: 'keys-other', displayName: 'o', settings: {} }))
      .id;
    await keys.createCurrentKey(other);
    await db.query(
      `UPDATE signing_keys SET private_jwk_sealed = (SELECT private_jwk_sealed FROM signing_keys WHERE tenant_id = $1 AND status = 'current')
       WHERE tenant_id = $2`,
      [tenantId, other],
    );
    await expect(keys.signingKeySet(other, 3600)).rejects.toThrow();
  });
});
