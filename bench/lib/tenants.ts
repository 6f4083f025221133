import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { MasterKeyCipher } from '../../libs/platform/src/crypto/master-key-cipher.js';
import { sha256Base64Url } from '../../libs/platform/src/crypto/secrets.js';

export interface BulkTenant {
  slug: string;
  clientId: string;
  clientSecret: string;
  apiIdentifier: string;
}

const KEY_POOL = 4;
const BATCH = 500;

/** Multi-row INSERT of `rows` (each an array of column values) into `table`. */
async function insertRows(db: pg.Client, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const values: unknown[] = [];
    const tuples = batch.map((row) => {
      const placeholders = row.map((value) => `$${values.push(value)}`);
      return `(${placeholders.join(', ')})`;
    });
    await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
  }
}

/**
 * Many tenants straight into the database (the admin API would generate an RSA key per tenant,
 * far too slow for 10,000). Each tenant gets what issuing a client-credentials JWT needs: a
 * current signing key — one of a small pool of pre-generated RSA-2048 pairs, sealed per tenant
 * with MASTER_KEY and the tenant/kid binding, as KeysService does — an API resource and a
 * service client allowed it. Default roles are left out: no token path reads them.
 */
export async function createTenantsDirectly(
  db: pg.Client,
  masterKey: Buffer,
  count: number,
  prefix: string,
): Promise<BulkTenant[]> {
  const cipher = new MasterKeyCipher(masterKey);
  const keys = await Promise.all(
    Array.from({ length: KEY_POOL }, async () => {
      const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
      const publicJwk: JWK = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(publicJwk);
      return {
        kid,
        publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' },
        privateJwk: await exportJWK(privateKey),
      };
    }),
  );
  const clientSecret = randomUUID() + randomUUID();
  const secretHash = sha256Base64Url(clientSecret);
  const tenants: unknown[][] = [];
  const signingKeys: unknown[][] = [];
  const resources: unknown[][] = [];
  const clients: unknown[][] = [];
  const created: BulkTenant[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const slug = `${prefix}-${i}`;
    const key = keys[i % keys.length];
    const apiIdentifier = `https://api.${slug}.example`;
    const clientId = `svc-${slug}`;
    tenants.push([id, slug, `Bench tenant ${i}`]);
    signingKeys.push([
      id,
      key.kid,
      'RS256',
      'current',
      JSON.stringify(key.publicJwk),
      cipher.encrypt(JSON.stringify(key.privateJwk), `${id}/${key.kid}`),
    ]);
    resources.push([id, apiIdentifier, 'API', JSON.stringify(['read', 'write'])]);
    clients.push([id, clientId, 'Backend', 'service', secretHash, JSON.stringify([apiIdentifier])]);
    created.push({ slug, clientId, clientSecret, apiIdentifier });
  }
  await insertRows(db, 'tenants', ['id', 'slug', 'display_name'], tenants);
  await insertRows(
    db,
    'signing_keys',
    ['tenant_id', 'kid', 'alg', 'status', 'public_jwk', 'private_jwk_sealed'],
    signingKeys,
  );
  await insertRows(db, 'api_resources', ['tenant_id', 'identifier', 'name', 'scopes'], resources);
  await insertRows(
    db,
    'clients',
    ['tenant_id', 'client_id', 'name', 'application_type', 'secret_hash', 'resources'],
    clients,
  );
  return created;
}
