import { CodeFactorsService, type CodeRecipient, MfaService } from '@app/mfa';
import { PasskeysService } from '@app/passkeys';
import { Injectable } from '@nestjs/common';

export const EMAIL_CODES = 'email';

/** The second factors a user has: an authenticator app, codes by email (where they go), passkeys. */
export interface UserFactors {
  totp: boolean;
  /** The masked address codes go to, when email codes are on and can be delivered. */
  email: string | null;
  passkeys: number;
}

/** Which factors a user can prove after the password, from every library that keeps one. */
@Injectable()
export class SecondFactors {
  constructor(
    private readonly mfa: MfaService,
    private readonly codes: CodeFactorsService,
    private readonly passkeys: PasskeysService,
  ) {}

  async of(tenantId: string, user: CodeRecipient): Promise<UserFactors> {
    const [totp, codes, passkeys] = await Promise.all([
      this.mfa.isActive(tenantId, user.id),
      this.codes.usable(tenantId, user),
      this.passkeys.relyingParty.available ? this.passkeys.count(tenantId, user.id) : 0,
    ]);
    return { totp, email: codes.find((c) => c.channel === EMAIL_CODES)?.to ?? null, passkeys };
  }

  static any(factors: UserFactors): boolean {
    return factors.totp || !!factors.email || factors.passkeys > 0;
  }
}
