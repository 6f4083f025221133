import { UserEntity } from '@app/identity';
import { createDataSource, createSharedState, loadConfig, runMigrations, type SharedState } from '@app/platform';
import { TenantEntity } from '@app/tenancy';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase, testRedisPrefix } from '@app/testing';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { CodeChannel, CodeMessage, CodeRecipient } from './code-channel.js';
import { CodeFactorEntity } from './code-factor.entity.js';
import { CodeFactorsService } from './code-factors.service.js';
import { OneTimeCodeEntity } from './one-time-code.entity.js';
import { OneTimeCodesRepository } from './one-time-codes.repository.js';

/** A channel that keeps what it delivers: the interface an SMS sender would implement. */
class RecordingChannel implements CodeChannel {
  readonly name = 'email';
  available = true;
  failing = false;
  readonly sent: CodeMessage[] = [];
  destination(user: CodeRecipient) {
    return user.email && user.emailVerified ? user.email : null;
  }
  mask(destination: string) {
    return `${destination[0]}•••`;
  }
  async deliver(message: CodeMessage) {
    if (this.failing) return false;
    this.sent.push(message);
    return true;
  }
  last() {
    return this.sent.at(-1)!.code;
  }
}

describe('CodeFactorsService (real Postgres and Redis)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let state: SharedState;
  let channel: RecordingChannel;
  let codes: CodeFactorsService;
  let tenant: { id: string; displayName: string };
  let counter = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDataSource({
      url: database.url,
      entities: [TenantEntity, UserEntity, CodeFactorEntity, OneTimeCodeEntity],
    });
    await db.initialize();
    await runMigrations(db);
    state = await createSharedState(loadConfig({ REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: testRedisPrefix() }));
    channel = new RecordingChannel();
    codes = new CodeFactorsService(new OneTimeCodesRepository(db), [channel], state, randomBytes(32));
    tenant = await db.getRepository(TenantEntity).save({ slug: 'codes', displayName: 'Codes', settings: {} });
  });

  afterAll(async () => {
    await state?.close();
    await db?.destroy();
    await database?.drop();
  });

  async function user(verified = true): Promise<CodeRecipient> {
    const name = `user${++counter}`;
    const saved = await db
      .getRepository(UserEntity)
      .save({ tenantId: tenant.id, username: name, email: `${name}@example.com`, emailVerified: verified });
    return { id: saved.id, username: name, email: saved.email, emailVerified: verified };
  }

  async function enrolled(): Promise<CodeRecipient> {
    const u = await user();
    await codes.startEnrollment(tenant, u, 'email');
    expect(await codes.confirmEnrollment(tenant.id, u.id, 'email', channel.last())).toBe('ok');
    await state.failures.clear(tenant.id, [`code-send:email:${u.id}:burst`]);
    return u;
  }

  it('enrolment needs a verified address and a first code; the code is 6 digits, kept only as an HMAC', async () => {
    await expect(codes.startEnrollment(tenant, await user(false), 'email')).rejects.toMatchObject({ status: 400 });
    const u = await user();
    const sent = await codes.startEnrollment(tenant, u, 'email');
    expect(sent).toEqual({ channel: 'email', to: 'u•••', expiresInSeconds: 600 });
    const code = channel.last();
    expect(code).toMatch(/^\d{6}$/);
    expect(channel.sent.at(-1)).toMatchObject({ to: u.email, purpose: 'enroll', ttlMinutes: 10, tenantName: 'Codes' });
    const [row] = await db.query(`SELECT * FROM mfa_one_time_codes WHERE user_id = $1`, [u.id]);
    expect(JSON.stringify(row)).not.toContain(code);
    expect(row.code_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await codes.status(tenant.id, u, 'email')).active).toBe(false);
    expect(await codes.confirmEnrollment(tenant.id, u.id, 'email', code)).toBe('ok');
    expect(await codes.status(tenant.id, u, 'email')).toEqual({ active: true, to: 'u•••' });
    await expect(codes.startEnrollment(tenant, u, 'email')).rejects.toMatchObject({ status: 409 });
  });

  it('a sign-in code works once; an enrolment code is not a sign-in code', async () => {
    const u = await enrolled();
    await codes.sendCode(tenant, u, 'email', 'sign_in');
    const code = channel.last();
    expect(await codes.verifySignIn(tenant.id, u.id, 'email', code)).toBe('ok');
    expect(await codes.verifySignIn(tenant.id, u.id, 'email', code)).toBe('invalid');
    expect(await codes.confirmEnrollment(tenant.id, u.id, 'email', code)).toBe('invalid');
  });

  it('five wrong tries, then even the right code is refused as exhausted', async () => {
    const u = await enrolled();
    await codes.sendCode(tenant, u, 'email', 'sign_in');
    const code = channel.last();
    const wrong = code === '000000' ? '111111' : '000000';
    const checks = await Promise.all(
      Array.from({ length: 8 }, () => codes.verifySignIn(tenant.id, u.id, 'email', wrong)),
    );
    expect(checks.filter((c) => c === 'invalid')).toHaveLength(5);
    expect(checks.filter((c) => c === 'exhausted')).toHaveLength(3);
    expect(await codes.verifySignIn(tenant.id, u.id, 'email', code)).toBe('exhausted');
  });

  it('ten parallel uses of the right code: exactly one succeeds', async () => {
    const u = await enrolled();
    await codes.sendCode(tenant, u, 'email', 'sign_in');
    const code = channel.last();
    const checks = await Promise.all(
      Array.from({ length: 10 }, () => codes.verifySignIn(tenant.id, u.id, 'email', code)),
    );
    expect(checks.filter((c) => c === 'ok')).toHaveLength(1);
  });

  it('a code expires after 10 minutes, and a new code replaces the old one', async () => {
    const u = await enrolled();
    await codes.sendCode(tenant, u, 'email', 'sign_in');
    const first = channel.last();
    await db.query(`UPDATE mfa_one_time_codes SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [u.id]);
    expect(await codes.verifySignIn(tenant.id, u.id, 'email', first)).toBe('invalid');
    await state.failures.clear(tenant.id, [`code-send:email:${u.id}:burst`]);
    await codes.sendCode(tenant, u, 'email', 'sign_in');
    const second = channel.last();
    await state.failures.clear(tenant.id, [`code-send:email:${u.id}:burst`]);
    await codes.sendCode(tenant, u, 'email', 'sign_in');
    const third = channel.last();
    if (second !== third) expect(await codes.verifySignIn(tenant.id, u.id, 'email', second)).toBe('invalid');
    expect(await codes.verifySignIn(tenant.id, u.id, 'email', third)).toBe('ok');
  });

  it('resending is limited: one code per 30 seconds, five per hour (429 with a retry time)', async () => {
    const u = await enrolled();
    await codes.sendCode(tenant, u, 'email', 'sign_in');
    await expect(codes.sendCode(tenant, u, 'email', 'sign_in')).rejects.toMatchObject({
      status: 429,
      retryAfterSeconds: expect.any(Number),
    });
    for (let i = 0; i < 3; i++) {
      await state.failures.clear(tenant.id, [`code-send:email:${u.id}:burst`]);
      await codes.sendCode(tenant, u, 'email', 'sign_in');
    }
    await state.failures.clear(tenant.id, [`code-send:email:${u.id}:burst`]);
    // Enrolment sent one too: this is the sixth within the hour.
    await expect(codes.sendCode(tenant, u, 'email', 'sign_in')).rejects.toMatchObject({ status: 429 });
  });

  it('a code that cannot be delivered is a 503, and an unverified address gets none', async () => {
    const u = await enrolled();
    channel.failing = true;
    await expect(codes.sendCode(tenant, u, 'email', 'sign_in')).rejects.toMatchObject({
      status: 503,
      code: 'unavailable',
    });
    channel.failing = false;
    await state.failures.clear(tenant.id, [`code-send:email:${u.id}:burst`]);
    await expect(codes.sendCode(tenant, { ...u, emailVerified: false }, 'email', 'sign_in')).rejects.toMatchObject({
      status: 400,
    });
    expect(await codes.usable(tenant.id, { ...u, emailVerified: false })).toEqual([]);
    expect(await codes.usable(tenant.id, u)).toEqual([{ channel: 'email', to: 'u•••' }]);
  });

  it('turning the factor off needs a removal code; the factor and its codes die with the user', async () => {
    const u = await enrolled();
    await codes.sendCode(tenant, u, 'email', 'remove');
    expect(await codes.remove(tenant.id, u.id, 'email', '12345x')).toBe('invalid');
    expect(await codes.remove(tenant.id, u.id, 'email', channel.last())).toBe('ok');
    expect((await codes.status(tenant.id, u, 'email')).active).toBe(false);
    const doomed = await enrolled();
    await db.getRepository(UserEntity).delete({ id: doomed.id });
    expect(await db.query(`SELECT 1 FROM mfa_code_factors WHERE user_id = $1`, [doomed.id])).toEqual([]);
  });
});
