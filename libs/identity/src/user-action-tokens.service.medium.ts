import { createDataSource, runMigrations, sha256Base64Url } from '@app/platform';
import { TenantEntity } from '@app/tenancy';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import type { DataSource } from 'typeorm';
import { UserActionTokenEntity } from './user-action-token.entity.js';
import { UserActionTokensService } from './user-action-tokens.service.js';
import { UserEntity } from './user.entity.js';

describe('UserActionTokensService (real Postgres)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let tokens: UserActionTokensService;
  let tenantId: string;
  let otherTenantId: string;
  let user: { id: string; email: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDataSource({ url: database.url, entities: [TenantEntity, UserEntity, UserActionTokenEntity] });
    await db.initialize();
    await runMigrations(db);
    tokens = new UserActionTokensService(db);
    const tenants = db.getRepository(TenantEntity);
    tenantId = (await tenants.save({ slug: 'tokens', displayName: 't', settings: {} })).id;
    otherTenantId = (await tenants.save({ slug: 'tokens-other', displayName: 'o', settings: {} })).id;
    const saved = await db.getRepository(UserEntity).save({ tenantId, username: 'bob', email: 'bob@example.com' });
    user = { id: saved.id, email: 'bob@example.com' };
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('stores only the SHA-256 of a 32-byte token', async () => {
    const token = await tokens.issue(tenantId, user, 'verify_email');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await db.query(`SELECT token_hash FROM user_action_tokens WHERE user_id = $1`, [user.id]);
    expect(rows).toEqual([{ token_hash: sha256Base64Url(token) }]);
  });

  it('a token works once, for its purpose and tenant only', async () => {
    const token = await tokens.issue(tenantId, user, 'reset_password');
    expect(await tokens.peek(otherTenantId, 'reset_password', token)).toBeNull();
    expect(await tokens.consume(tenantId, 'verify_email', token)).toBeNull();
    expect(await tokens.peek(tenantId, 'reset_password', token)).toEqual({ userId: user.id, email: user.email });
    expect(await tokens.consume(tenantId, 'reset_password', token)).toEqual({ userId: user.id, email: user.email });
    expect(await tokens.consume(tenantId, 'reset_password', token)).toBeNull();
    expect(await tokens.peek(tenantId, 'reset_password', token)).toBeNull();
  });

  it('ten parallel uses of one token: exactly one succeeds', async () => {
    const token = await tokens.issue(tenantId, user, 'reset_password');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => tokens.consume(tenantId, 'reset_password', token)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('an expired token is refused', async () => {
    const token = await tokens.issue(tenantId, user, 'verify_email');
    await db.query(`UPDATE user_action_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [
      sha256Base64Url(token),
    ]);
    expect(await tokens.consume(tenantId, 'verify_email', token)).toBeNull();
  });

  it('a new token replaces the older ones of the same purpose', async () => {
    const first = await tokens.issue(tenantId, user, 'reset_password');
    const second = await tokens.issue(tenantId, user, 'reset_password');
    expect(await tokens.consume(tenantId, 'reset_password', first)).toBeNull();
    expect(await tokens.consume(tenantId, 'reset_password', second)).not.toBeNull();
  });

  it('malformed tokens are refused without a lookup', async () => {
    expect(await tokens.consume(tenantId, 'reset_password', '')).toBeNull();
    expect(await tokens.consume(tenantId, 'reset_password', "x' OR 1=1 --")).toBeNull();
  });

  it('tokens die with their user', async () => {
    const doomed = await db.getRepository(UserEntity).save({ tenantId, username: 'doomed', email: 'd@example.com' });
    await tokens.issue(tenantId, { id: doomed.id, email: 'd@example.com' }, 'verify_email');
    await db.getRepository(UserEntity).delete({ id: doomed.id });
    expect(await db.query(`SELECT 1 FROM user_action_tokens WHERE user_id = $1`, [doomed.id])).toEqual([]);
  });
});
