import { MasterKeyCipher } from '@app/platform';
import { startTestServer, type TestServer } from '@app/testing';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import pg from 'pg';
import { clientCredentials } from './oidc-flows.js';

const TENANTS = 2000;
/** Past the provider LRU (250), so eviction and rebuild are exercised too. */
const VISITED = 1200;

/**
 * Scale: tenants are seeded straight into Postgres (RSA key generation for 2,000 tenants
 * would dominate the run; a small pool of keys is sealed anew for each tenant).
 */
describe(`${TENANTS} tenants`, () => {
  let server: TestServer;
  const rss = () => Math.round(process.memoryUsage().rss / 1024 / 1024);
  const heap = () => {
    (globalThis as { gc?: () => void }).gc?.();
    return Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
  };

  beforeAll(async () => {
    server = await startTestServer();
    const cipher = server.server.app.get(MasterKeyCipher);
    const pool = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
        const publicJwk = await exportJWK(publicKey);
        const kid = await calculateJwkThumbprint(publicJwk);
        return {
          kid,
          publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' },
          privateJwk: JSON.stringify(await exportJWK(privateKey)),
        };
      }),
    );
    const db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    try {
      const slugs = Array.from({ length: TENANTS }, (_, i) => `scale-${String(i).padStart(5, '0')}`);
      const { rows } = await db.query<{ id: string; slug: string }>(
        `INSERT INTO tenants (slug, display_name) SELECT s, s FROM unnest($1::text[]) AS s RETURNING id, slug`,
        [slugs],
      );
      const keys = rows.map((row, i) => {
        const key = pool[i % pool.length];
        return [row.id, key.kid, JSON.stringify(key.publicJwk), cipher.encrypt(key.privateJwk, `${row.id}/${key.kid}`)];
      });
      await db.query(
        `INSERT INTO signing_keys (tenant_id, kid, alg, status, public_jwk, private_jwk_sealed)
         SELECT t::uuid, k, 'RS256', 'current', p::jsonb, s FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(t, k, p, s)`,
        [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2]), keys.map((k) => k[3])],
      );
      await db.query(
        `INSERT INTO roles (tenant_id, name, permissions, includes) SELECT id, 'admin', '[]', '[]' FROM tenants WHERE slug LIKE 'scale-%'`,
      );
    } finally {
      await db.end();
    }
  });
  afterAll(() => server?.close());

  it('serves a token on the last tenant, and keeps serving while providers are evicted and rebuilt', async () => {
    const rssBefore = rss();
    const heapBefore = heap();
    const last = `scale-${String(TENANTS - 1).padStart(5, '0')}`;
    const client = (
      await server.adminApi('POST', `/admin/tenants/${last}/clients`, { name: 'svc', applicationType: 'service' })
    ).body;
    expect((await clientCredentials(server.issuer(last), client)).status).toBe(200);

    for (let i = 0; i < VISITED; i++) {
      const slug = `scale-${String(i).padStart(5, '0')}`;
      const response = await fetch(`${server.url}/t/${slug}/.well-known/openid-configuration`);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    // The last tenant's provider was evicted or kept: either way its tokens still work.
    expect((await clientCredentials(server.issuer(last), client)).status).toBe(200);
    const rssAfter = rss();
    const heapAfter = heap();
    process.stdout.write(
      `many-tenants: RSS ${rssBefore} → ${rssAfter} MB, live heap ${heapBefore} → ${heapAfter} MB after visiting ${VISITED} of ${TENANTS} tenants\n`,
    );
    // Bounded by the LRU (250 providers at ~0.3 MB): all 1,200 resident would be ~400 MB.
    // `npm test` runs with --expose-gc so this is live memory, not garbage awaiting collection.
    if ((globalThis as { gc?: () => void }).gc) expect(heapAfter - heapBefore).toBeLessThan(200);
  });
});
