import { Injectable } from '@nestjs/common';
import { MasterKeyCipher } from '@app/platform';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { DataSource, type EntityManager, IsNull, MoreThan } from 'typeorm';
import { SigningKeyEntity } from './signing-key.entity.js';

const ALG = 'RS256';

export interface PrivateSigningJwk extends JWK {
  kid: string;
  alg: string;
  use: 'sig';
}

/** Owns each tenant's RSA signing keys: creation, rotation, and the key set a provider signs with. */
@Injectable()
export class KeysService {
  constructor(
    private readonly db: DataSource,
    private readonly cipher: MasterKeyCipher,
  ) {}

  async createCurrentKey(tenantId: string, manager: EntityManager = this.db.manager): Promise<SigningKeyEntity> {
    const { privateKey, publicKey } = await generateKeyPair(ALG, { modulusLength: 2048, extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = await exportJWK(privateKey);
    return manager.getRepository(SigningKeyEntity).save({
      tenantId,
      kid,
      alg: ALG,
      status: 'current',
      publicJwk: { ...publicJwk, kid, alg: ALG, use: 'sig' },
      privateJwkSealed: this.cipher.encrypt(JSON.stringify(privateJwk), `${tenantId}/${kid}`),
      retiredAt: null,
    });
  }

  /**
   * The current key becomes "previous" (still published, no longer used to sign) and a new
   * key becomes current, atomically so a tenant never has zero or two current keys.
   */
  async rotate(tenantId: string): Promise<SigningKeyEntity> {
    return this.db.transaction(async (manager) => {
      await manager.query('SELECT id FROM tenants WHERE id = $1 FOR UPDATE', [tenantId]);
      await manager
        .getRepository(SigningKeyEntity)
        .update({ tenantId, status: 'current' }, { status: 'previous', retiredAt: new Date() });
      return this.createCurrentKey(tenantId, manager);
    });
  }

  /**
   * Private JWKs for the tenant's provider: the current key first (oidc-provider signs with
   * the first matching key), then previous keys still within `verifyWindowSeconds` of their
   * retirement so tokens they signed keep verifying until they expire.
   */
  async signingKeySet(tenantId: string, verifyWindowSeconds: number): Promise<PrivateSigningJwk[]> {
    const since = new Date(Date.now() - verifyWindowSeconds * 1000);
    const rows = await this.db.getRepository(SigningKeyEntity).find({
      where: [
        { tenantId, status: 'current', retiredAt: IsNull() },
        { tenantId, status: 'previous', retiredAt: MoreThan(since) },
      ],
      order: { createdAt: 'DESC' },
    });
    rows.sort((a, b) => Number(b.status === 'current') - Number(a.status === 'current'));
    return rows.map((row) => ({
      ...(JSON.parse(this.cipher.decrypt(row.privateJwkSealed, `${tenantId}/${row.kid}`)) as JWK),
      kid: row.kid,
      alg: row.alg,
      use: 'sig',
    }));
  }
}
