import { ConflictError, MasterKeyCipher, NotFoundError, sha256Base64Url, ValidationError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { DataSource } from 'typeorm';
import { TotpFactorEntity } from './totp-factor.entity.js';

const PERIOD_SECONDS = 30;
/** One step either side: tolerates a phone clock ~30 s off without widening much further. */
const WINDOW = 1;
const RECOVERY_CODES = 10;

export interface TotpEnrollment {
  secret: string;
  otpauthUri: string;
  qrCodeDataUrl: string;
}

/** 10 characters of an unambiguous alphabet (~50 bits), shown as xxxxx-xxxxx. */
function recoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

function normalizeRecoveryCode(code: string): string {
  return code.trim().toLowerCase().replace(/\s/g, '');
}

/** TOTP (RFC 6238) second factor with single-use recovery codes. */
@Injectable()
export class MfaService {
  constructor(
    private readonly db: DataSource,
    private readonly cipher: MasterKeyCipher,
  ) {}

  private get repo() {
    return this.db.getRepository(TotpFactorEntity);
  }

  private totp(factor: TotpFactorEntity, label = 'user', issuer = 'idp'): TOTP {
    const secret = Secret.fromBase32(this.cipher.decrypt(factor.secretSealed, `${factor.tenantId}/${factor.userId}`));
    return new TOTP({ issuer, label, secret, period: PERIOD_SECONDS, digits: 6, algorithm: 'SHA1' });
  }

  async isActive(tenantId: string, userId: string): Promise<boolean> {
    return (await this.repo.countBy({ tenantId, userId, active: true })) > 0;
  }

  /** A new, not yet active secret; it becomes active only after one valid code. */
  async startEnrollment(
    tenantId: string,
    user: { id: string; username: string },
    issuer: string,
  ): Promise<TotpEnrollment> {
    if (await this.isActive(tenantId, user.id))
      throw new ConflictError('an authenticator is already active; remove it first');
    const secret = new Secret({ size: 20 });
    const sealed = this.cipher.encrypt(secret.base32, `${tenantId}/${user.id}`);
    await this.repo.delete({ tenantId, userId: user.id });
    await this.repo.save({
      tenantId,
      userId: user.id,
      secretSealed: sealed,
      active: false,
      lastUsedStep: null,
      recoveryCodeHashes: [],
    });
    const otpauthUri = new TOTP({
      issuer,
      label: user.username,
      secret,
      period: PERIOD_SECONDS,
      digits: 6,
      algorithm: 'SHA1',
    }).toString();
    // Loaded on the first enrolment: most servers never draw a QR code, and every module kept
    // loaded adds to what each full garbage collection marks (docs/performance.md).
    const { default: QRCode } = await import('qrcode');
    return { secret: secret.base32, otpauthUri, qrCodeDataUrl: await QRCode.toDataURL(otpauthUri) };
  }

  /** Verifies the first code; returns the recovery codes, shown this once and stored hashed. */
  async activate(tenantId: string, userId: string, code: string): Promise<string[]> {
    const factor = await this.repo.findOneBy({ tenantId, userId });
    if (!factor) throw new NotFoundError('authenticator enrollment');
    if (factor.active) throw new ConflictError('the authenticator is already active');
    if (!(await this.acceptTotp(factor, code))) throw new ValidationError('the code is not valid');
    const codes = Array.from({ length: RECOVERY_CODES }, recoveryCode);
    await this.repo.update(
      { id: factor.id },
      { active: true, recoveryCodeHashes: codes.map((c) => sha256Base64Url(normalizeRecoveryCode(c))) },
    );
    return codes;
  }

  /** A TOTP code (once per time step) or an unused recovery code (burnt on use). */
  async verify(tenantId: string, userId: string, code: string): Promise<'otp' | 'recovery' | false> {
    const factor = await this.repo.findOneBy({ tenantId, userId, active: true });
    if (!factor || typeof code !== 'string' || code.length > 64) return false;
    if (/^\d{6}$/.test(code.trim())) return (await this.acceptTotp(factor, code.trim())) ? 'otp' : false;
    return (await this.burnRecoveryCode(factor, code)) ? 'recovery' : false;
  }

  async remove(tenantId: string, userId: string, code: string): Promise<void> {
    if (!(await this.isActive(tenantId, userId))) throw new NotFoundError('authenticator');
    if (!(await this.verify(tenantId, userId, code))) throw new ValidationError('the code is not valid');
    await this.repo.delete({ tenantId, userId });
  }

  /** Admin reset: the user signs in with the password alone until they enroll again. */
  async reset(tenantId: string, userId: string): Promise<void> {
    await this.repo.delete({ tenantId, userId });
  }

  private async acceptTotp(factor: TotpFactorEntity, code: string): Promise<boolean> {
    const now = Date.now();
    const delta = this.totp(factor).validate({ token: code, window: WINDOW, timestamp: now });
    if (delta === null) return false;
    const step = Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
    // Atomic: of two requests with the same code, only one moves the step forward.
    const [, affected] = await this.db.query(
      `UPDATE mfa_totp SET last_used_step = $2 WHERE id = $1 AND (last_used_step IS NULL OR last_used_step < $2)`,
      [factor.id, step],
    );
    return affected === 1;
  }

  private async burnRecoveryCode(factor: TotpFactorEntity, code: string): Promise<boolean> {
    const hash = sha256Base64Url(normalizeRecoveryCode(code));
    const [, affected] = await this.db.query(
      `UPDATE mfa_totp SET recovery_code_hashes = recovery_code_hashes - $2::text
       WHERE id = $1 AND recovery_code_hashes ? $2::text`,
      [factor.id, hash],
    );
    return affected === 1;
  }
}
