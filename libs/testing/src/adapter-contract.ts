import type { AdapterFactory } from '@app/platform';

/**
 * The behaviour oidc-provider relies on, asserted the same way for the Redis adapter and
 * the in-process one. `factories(tenant)` must return an adapter factory for a tenant.
 */
export function adapterContract(
  name: string,
  factories: (tenantId: string) => AdapterFactory,
  ttlOf?: (tenantId: string, model: string, id: string) => Promise<number>,
) {
  describe(`${name} oidc adapter`, () => {
    const tenantA = 'tenant-a';
    const tenantB = 'tenant-b';

    it('stores, finds and destroys a model by id', async () => {
      const sessions = factories(tenantA)('Session');
      await sessions.upsert('s1', { accountId: 'u1', uid: 'uid-1' }, 60);
      expect(await sessions.find('s1')).toEqual({ accountId: 'u1', uid: 'uid-1' });
      expect(await sessions.findByUid('uid-1')).toEqual({ accountId: 'u1', uid: 'uid-1' });
      expect(await sessions.find('missing')).toBeUndefined();
      expect(await sessions.findByUid('missing')).toBeUndefined();
      await sessions.destroy('s1');
      expect(await sessions.find('s1')).toBeUndefined();
    });

    it('finds by user code', async () => {
      const codes = factories(tenantA)('DeviceCode');
      await codes.upsert('d1', { userCode: 'ABCD-EFGH', grantId: 'g-device' }, 60);
      expect(await codes.findByUserCode('ABCD-EFGH')).toMatchObject({ userCode: 'ABCD-EFGH' });
    });

    it('expires entries after their TTL', async () => {
      const codes = factories(tenantA)('AuthorizationCode');
      await codes.upsert('short', { grantId: 'g-short' }, 1);
      if (ttlOf) {
        const ttl = await ttlOf(tenantA, 'AuthorizationCode', 'short');
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(1000);
      }
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await codes.find('short')).toBeUndefined();
    });

    it('consume marks an entry consumed without extending its life', async () => {
      const codes = factories(tenantA)('AuthorizationCode');
      await codes.upsert('c1', { grantId: 'g1' }, 30);
      const before = ttlOf ? await ttlOf(tenantA, 'AuthorizationCode', 'c1') : 0;
      await codes.consume('c1');
      const consumed = await codes.find('c1');
      expect(consumed?.consumed).toEqual(expect.any(Number));
      expect(Math.abs(consumed!.consumed! - Date.now() / 1000)).toBeLessThan(5);
      if (ttlOf) expect(await ttlOf(tenantA, 'AuthorizationCode', 'c1')).toBeLessThanOrEqual(before);
      await codes.consume('never-stored');
      expect(await codes.find('never-stored')).toBeUndefined();
    });

    it('a second consume keeps the first consumption time', async () => {
      const tokens = factories(tenantA)('RefreshToken');
      await tokens.upsert('rt-first', { grantId: 'g1', consumed: 1000 }, 30);
      await tokens.consume('rt-first');
      expect((await tokens.find('rt-first'))?.consumed).toBe(1000);
    });

    it('revokeByGrantId removes every token of that grant and nothing else', async () => {
      const adapter = factories(tenantA);
      await adapter('AuthorizationCode').upsert('code-1', { grantId: 'grant-1' }, 60);
      await adapter('AccessToken').upsert('at-1', { grantId: 'grant-1' }, 60);
      await adapter('RefreshToken').upsert('rt-1', { grantId: 'grant-1' }, 60);
      await adapter('AccessToken').upsert('at-2', { grantId: 'grant-2' }, 60);
      await adapter('AccessToken').revokeByGrantId('grant-1');
      expect(await adapter('AuthorizationCode').find('code-1')).toBeUndefined();
      expect(await adapter('AccessToken').find('at-1')).toBeUndefined();
      expect(await adapter('RefreshToken').find('rt-1')).toBeUndefined();
      expect(await adapter('AccessToken').find('at-2')).toEqual({ grantId: 'grant-2' });
    });

    it('keeps tenants apart: the same id in two tenants are two entries', async () => {
      await factories(tenantA)('AccessToken').upsert('same-id', { owner: 'a' }, 60);
      await factories(tenantB)('AccessToken').upsert('same-id', { owner: 'b' }, 60);
      expect(await factories(tenantA)('AccessToken').find('same-id')).toEqual({ owner: 'a' });
      expect(await factories(tenantB)('AccessToken').find('same-id')).toEqual({ owner: 'b' });
      await factories(tenantB)('AccessToken').revokeByGrantId('nothing');
    });

    it('counts the live records of one model, not its lookup entries', async () => {
      const adapter = factories('tenant-count');
      await adapter('Session').upsert('c1', { uid: 'cu1' }, 60);
      await adapter('Session').upsert('c2', { uid: 'cu2' }, 60);
      await adapter('AccessToken').upsert('c3', {}, 60);
      expect(await adapter.count('Session')).toBe(2);
      expect(await adapter.count('AccessToken')).toBe(1);
      expect(await adapter.count('Grant')).toBe(0);
    });

    it('purgeTenant removes everything of one tenant only', async () => {
      await factories(tenantA)('Session').upsert('p1', { uid: 'pu1' }, 60);
      await factories(tenantB)('Session').upsert('p1', { uid: 'pu1' }, 60);
      await factories(tenantA).purgeTenant();
      expect(await factories(tenantA)('Session').find('p1')).toBeUndefined();
      expect(await factories(tenantA)('Session').findByUid('pu1')).toBeUndefined();
      expect(await factories(tenantB)('Session').find('p1')).toEqual({ uid: 'pu1' });
    });
  });
}
