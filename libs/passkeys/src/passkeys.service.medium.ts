import { UserEntity } from '@app/identity';
import {
  createDataSource,
  createSharedState,
  DependencyHealth,
  loadConfig,
  MailService,
  Metrics,
  runMigrations,
  type SharedState,
} from '@app/platform';
import { TenantEntity } from '@app/tenancy';
import {
  createTestDatabase,
  SoftwareAuthenticator,
  TEST_REDIS_URL,
  type TestDatabase,
  testRedisPrefix,
} from '@app/testing';
import { generateKeyPairSync, sign } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { PasskeyEntity } from './passkey.entity.js';
import { PasskeysRepository } from './passkeys.repository.js';
import { PasskeysService } from './passkeys.service.js';

const ORIGIN = 'https://id.example.com';

describe('PasskeysService (real Postgres and Redis, a software authenticator)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let state: SharedState;
  let passkeys: PasskeysService;
  let tenant: { id: string; displayName: string };
  let otherTenant: { id: string; displayName: string };
  let alice: { id: string; username: string };
  let bob: { id: string; username: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDataSource({ url: database.url, entities: [TenantEntity, UserEntity, PasskeyEntity] });
    await db.initialize();
    await runMigrations(db);
    const config = loadConfig({
      PUBLIC_URL: `${ORIGIN}/idp`,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: testRedisPrefix(),
    });
    state = await createSharedState(config);
    passkeys = new PasskeysService(
      new PasskeysRepository(db),
      state,
      config,
      new MailService(config, new DependencyHealth(new Metrics())),
    );
    const tenants = db.getRepository(TenantEntity);
    tenant = await tenants.save({ slug: 'acme', displayName: 'Acme', settings: {} });
    otherTenant = await tenants.save({ slug: 'globex', displayName: 'Globex', settings: {} });
    const users = db.getRepository(UserEntity);
    alice = await users.save({ tenantId: tenant.id, username: 'alice' });
    bob = await users.save({ tenantId: tenant.id, username: 'bob' });
  });

  afterAll(async () => {
    await state?.close();
    await db?.destroy();
    await database?.drop();
  });

  async function register(authenticator: SoftwareAuthenticator, user = alice, name = 'Laptop') {
    const options = await passkeys.registrationOptions(tenant, user);
    return passkeys.register(tenant, user, name, authenticator.createCredential(options, { origin: ORIGIN }));
  }

  it('asks for a discoverable credential with user verification, bound to PUBLIC_URL host', async () => {
    const options = await passkeys.registrationOptions(tenant, alice);
    expect(options.rp).toEqual({ id: 'id.example.com', name: 'Acme' });
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(options.user).toMatchObject({ name: 'alice', displayName: 'alice (Acme)' });
    expect(Buffer.from(options.user.id, 'base64url').toString('hex')).toBe(alice.id.replace(/-/g, ''));
    expect(Buffer.from(options.challenge, 'base64url').length).toBeGreaterThanOrEqual(32);
    // EdDSA, ES256, RS256 on every Node.js: not ML-DSA where the runtime happens to have it.
    expect(options.pubKeyCredParams.map((p) => p.alg)).toEqual([-8, -7, -257]);
  });

  it('refuses a new passkey whose key uses an algorithm that was not offered', async () => {
    const authenticator = new SoftwareAuthenticator();
    const options = await passkeys.registrationOptions(tenant, alice);
    const es384 = authenticator.createCredential(options, { origin: ORIGIN, keyAlgorithm: 'ES384' });
    await expect(passkeys.register(tenant, alice, 'x', es384)).rejects.toMatchObject({ reason: 'algorithm' });
  });

  it('registers a device-bound key: stores key, counter, flags, transports; never the same one twice', async () => {
    const authenticator = new SoftwareAuthenticator();
    const passkey = await register(authenticator);
    expect(passkey).toMatchObject({ name: 'Laptop', backupEligible: false, backedUp: false, signCount: '0' });
    expect(passkey.transports).toEqual(['internal']);
    const options = await passkeys.registrationOptions(tenant, alice);
    expect(options.excludeCredentials).toEqual([
      { id: passkey.credentialId, type: 'public-key', transports: ['internal'] },
    ]);
  });

  it('a registration challenge works once, for its user only', async () => {
    const authenticator = new SoftwareAuthenticator();
    const options = await passkeys.registrationOptions(tenant, alice);
    const response = authenticator.createCredential(options, { origin: ORIGIN });
    await expect(passkeys.register(tenant, bob, 'x', response)).rejects.toMatchObject({ reason: 'challenge' });
    // The failed attempt used the challenge up: not even its own user can present it now.
    await expect(passkeys.register(tenant, alice, 'x', response)).rejects.toMatchObject({ reason: 'challenge' });
  });

  it('refuses a registration from another origin or for another relying party', async () => {
    const authenticator = new SoftwareAuthenticator();
    const fromEvil = authenticator.createCredential(await passkeys.registrationOptions(tenant, alice), {
      origin: 'https://evil.example',
    });
    await expect(passkeys.register(tenant, alice, 'x', fromEvil)).rejects.toMatchObject({ reason: 'origin' });
    const otherRp = authenticator.createCredential(await passkeys.registrationOptions(tenant, alice), {
      origin: ORIGIN,
      rpId: 'evil.example',
    });
    await expect(passkeys.register(tenant, alice, 'x', otherRp)).rejects.toMatchObject({ reason: 'rp_id' });
    const unverified = authenticator.createCredential(await passkeys.registrationOptions(tenant, alice), {
      origin: ORIGIN,
      userVerified: false,
    });
    await expect(passkeys.register(tenant, alice, 'x', unverified)).rejects.toMatchObject({
      reason: 'user_verification',
    });
    await expect(passkeys.register(tenant, alice, 'x', { nonsense: true })).rejects.toMatchObject({
      reason: 'malformed',
    });
  });

  it('signs in without a user (discoverable) and says hwk or swk from the backup flags', async () => {
    const bound = new SoftwareAuthenticator();
    const synced = new SoftwareAuthenticator({ backupEligible: true, counts: false });
    const boundKey = await register(bound, bob, 'YubiKey');
    const syncedKey = await register(synced, bob, 'Phone');
    for (const [authenticator, key, method] of [
      [bound, boundKey, 'hwk'],
      [synced, syncedKey, 'swk'],
      [synced, syncedKey, 'swk'],
    ] as const) {
      const options = await passkeys.signInOptions(tenant.id, { interaction: 'uid-1' });
      expect(options.allowCredentials).toEqual([]);
      expect(options.userVerification).toBe('required');
      const result = await passkeys.signIn(tenant.id, authenticator.getAssertion(options, { origin: ORIGIN }), {
        interaction: 'uid-1',
      });
      expect(result).toMatchObject({ userId: bob.id, method });
      expect(result.passkey.id).toBe(key.id);
    }
    const [stored] = (await passkeys.list(tenant.id, bob.id)).filter((p) => p.id === boundKey.id);
    expect(stored.signCount).toBe('1');
    expect(stored.lastUsedAt).toBeInstanceOf(Date);
  });

  it('a sign-in challenge is single-use and bound to its interaction and user', async () => {
    const authenticator = new SoftwareAuthenticator();
    await register(authenticator, alice, 'Second');
    const options = await passkeys.signInOptions(tenant.id, { interaction: 'uid-2' });
    const assertion = authenticator.getAssertion(options, { origin: ORIGIN });
    await expect(passkeys.signIn(tenant.id, assertion, { interaction: 'uid-other' })).rejects.toMatchObject({
      reason: 'challenge',
    });
    const again = await passkeys.signInOptions(tenant.id, { interaction: 'uid-2' });
    const replayed = authenticator.getAssertion(again, { origin: ORIGIN });
    await passkeys.signIn(tenant.id, replayed, { interaction: 'uid-2' });
    await expect(passkeys.signIn(tenant.id, replayed, { interaction: 'uid-2' })).rejects.toMatchObject({
      reason: 'challenge',
    });
  });

  it('as a second factor: only the given user’s passkeys are asked for and accepted', async () => {
    const aliceKey = new SoftwareAuthenticator();
    await register(aliceKey, alice, 'Third');
    const options = await passkeys.signInOptions(tenant.id, { interaction: 'uid-3', userId: alice.id });
    expect(options.allowCredentials!.length).toBeGreaterThan(0);
    expect(options.userVerification).toBe('preferred');
    const result = await passkeys.signIn(tenant.id, aliceKey.getAssertion(options, { origin: ORIGIN }), {
      interaction: 'uid-3',
      userId: alice.id,
    });
    expect(result.userId).toBe(alice.id);
    // Bob's passkey for a sign-in where Alice's password was given: unknown.
    const bobKey = new SoftwareAuthenticator();
    await register(bobKey, bob, 'Bob key');
    const forAlice = await passkeys.signInOptions(tenant.id, { interaction: 'uid-4', userId: alice.id });
    const bobAnswer = bobKey.getAssertion({ ...forAlice, allowCredentials: [] }, { origin: ORIGIN });
    await expect(
      passkeys.signIn(tenant.id, bobAnswer, { interaction: 'uid-4', userId: alice.id }),
    ).rejects.toMatchObject({ reason: 'unknown_credential' });
  });

  it('refuses wrong origin, wrong relying party, another tenant’s credential and a missing user verification', async () => {
    const authenticator = new SoftwareAuthenticator();
    await register(authenticator, bob, 'Fourth');
    const attempt = async (
      ceremony: { origin: string; rpId?: string; userVerified?: boolean },
      tenantId = tenant.id,
    ) => {
      const options = await passkeys.signInOptions(tenantId, { interaction: 'uid-5' });
      return passkeys.signIn(tenantId, authenticator.getAssertion(options, ceremony), { interaction: 'uid-5' });
    };
    await expect(attempt({ origin: 'https://evil.example' })).rejects.toMatchObject({ reason: 'origin' });
    await expect(attempt({ origin: ORIGIN, rpId: 'evil.example' })).rejects.toMatchObject({ reason: 'rp_id' });
    await expect(attempt({ origin: ORIGIN, userVerified: false })).rejects.toMatchObject({
      reason: 'user_verification',
    });
    await expect(attempt({ origin: ORIGIN }, otherTenant.id)).rejects.toMatchObject({ reason: 'unknown_credential' });
    await expect(attempt({ origin: ORIGIN })).resolves.toMatchObject({ userId: bob.id });
  });

  it('a cloned authenticator: a counter that does not move forward is refused, the original keeps working', async () => {
    const original = new SoftwareAuthenticator();
    const key = await register(original, bob, 'Cloned');
    const use = async (authenticator: SoftwareAuthenticator, counter?: number) => {
      const options = await passkeys.signInOptions(tenant.id, { interaction: 'uid-6' });
      const assertion = authenticator.getAssertion(options, {
        origin: ORIGIN,
        credentialId: key.credentialId,
        counter,
      });
      return passkeys.signIn(tenant.id, assertion, { interaction: 'uid-6' });
    };
    const clone = original.clone();
    await use(original, 5);
    await expect(use(clone, 3)).rejects.toMatchObject({
      reason: 'sign_counter_regression',
      passkey: { id: key.id, userId: bob.id },
    });
    await expect(use(clone, 5)).rejects.toMatchObject({ reason: 'sign_counter_regression' });
    await expect(use(original, 6)).resolves.toMatchObject({ userId: bob.id });
    expect((await passkeys.get(tenant.id, bob.id, key.id)).signCount).toBe('6');
  });

  it('a forged signature is refused as such, never mistaken for a clone', async () => {
    const authenticator = new SoftwareAuthenticator();
    const key = await register(authenticator, bob, 'Forged');
    const use = async (counter: number) => {
      const options = await passkeys.signInOptions(tenant.id, { interaction: 'uid-7' });
      return authenticator.getAssertion(options, { origin: ORIGIN, credentialId: key.credentialId, counter });
    };
    await passkeys.signIn(tenant.id, await use(5), { interaction: 'uid-7' });
    // A low counter under someone else's signature: a forgery, not evidence of a clone.
    const assertion = await use(2);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signature = sign('sha256', Buffer.from('anything'), privateKey).toString('base64url');
    const forged = { ...assertion, response: { ...assertion.response, signature } };
    await expect(passkeys.signIn(tenant.id, forged, { interaction: 'uid-7' })).rejects.toMatchObject({
      reason: 'signature',
    });
    const garbage = { ...(await use(6)), response: { ...assertion.response, signature: 'AAAA' } };
    await expect(passkeys.signIn(tenant.id, garbage, { interaction: 'uid-7' })).rejects.toMatchObject({
      reason: expect.not.stringMatching(/counter/),
    });
  });

  it('renames and deletes, but never the last way a user without a password can sign in', async () => {
    const users = db.getRepository(UserEntity);
    const carol = await users.save({ tenantId: tenant.id, username: 'carol' });
    const first = await register(new SoftwareAuthenticator(), carol, 'One');
    const second = await register(new SoftwareAuthenticator(), carol, 'Two');
    expect((await passkeys.rename(tenant.id, carol.id, first.id, 'Work laptop')).name).toBe('Work laptop');
    await expect(passkeys.rename(tenant.id, bob.id, first.id, 'stolen')).rejects.toMatchObject({ status: 404 });
    // Two parallel deletions of the last two: one wins, the other is refused.
    const outcomes = await Promise.allSettled([
      passkeys.remove(tenant.id, carol.id, first.id, false),
      passkeys.remove(tenant.id, carol.id, second.id, false),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await passkeys.count(tenant.id, carol.id)).toBe(1);
    const [left] = await passkeys.list(tenant.id, carol.id);
    await expect(passkeys.remove(tenant.id, carol.id, left.id, false)).rejects.toMatchObject({ status: 409 });
    await expect(passkeys.remove(tenant.id, carol.id, left.id, true)).resolves.toMatchObject({ id: left.id });
    await users.delete({ id: bob.id });
    expect(await passkeys.count(tenant.id, bob.id)).toBe(0);
  });
});
